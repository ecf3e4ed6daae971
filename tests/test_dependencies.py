"""The server imports only what `pip install userpools` installs: every third-party module that src/ imports
belongs to a distribution in [project.dependencies] (a fresh `make run` once failed on httpx, a test extra).
The exceptions are the optional parts, each named with the extra or host that brings its imports."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions, requires
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "userpools"
OPTIONAL = {
    "pulumi": {"pulumi", "grpcio", "boto3"},  # userpools.pulumi: the `pulumi` extra
    "testing.py": {"pytest", "boto3"},  # the pytest plugin runs inside pytest; boto3 only for cognito_idp
}


def _name(requirement: str) -> str:
    return re.split(r"[<>=\[;! ]", requirement, maxsplit=1)[0].lower()


def declared() -> set[str]:
    """The dependencies' names, and those their extras named here bring (``uvicorn[standard]``: httptools)."""
    names = set()
    for requirement in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]:
        names.add(_name(requirement))
        for extra in re.findall(r"\[([^\]]+)\]", requirement.partition(";")[0]):
            for wanted in extra.split(","):
                brought = requires(_name(requirement)) or []
                names |= {_name(r) for r in brought if re.search(rf"extra == .{wanted.strip()}.", r)}
    return names


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.partition(".")[0])
    return names


def test_every_import_is_a_declared_dependency() -> None:
    distributions = packages_distributions()
    allowed = declared()
    missing = []
    for path in sorted(SRC.rglob("*.py")):
        part = path.relative_to(SRC).parts[0]
        for name in sorted(imported(path) - set(sys.stdlib_module_names) - {"userpools"}):
            owners = {d.lower() for d in distributions.get(name, [name])}
            if not owners & (allowed | OPTIONAL.get(part, set())):
                missing.append(f"{path.relative_to(ROOT)}: {name} ({', '.join(sorted(owners))})")
    assert missing == []
