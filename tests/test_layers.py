"""The layers import downward only (README "How it is built"): each package's modules may import the packages
listed below it, never the ones above. A module that reaches up fails here with its name and the import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "userpools"
# Package → the userpools packages its modules must not import.
FORBIDDEN = {
    "domain": {"storage", "steps", "operations", "web", "protocol", "cloudcontrol", "pulumi", "app"},
    "storage": {"steps", "operations", "web", "protocol", "cloudcontrol", "pulumi", "app"},
    "steps": {"operations", "web", "cloudcontrol", "pulumi", "app"},
    "operations": {"web", "cloudcontrol", "pulumi", "app"},
    "protocol": {"storage", "steps", "operations", "web", "cloudcontrol", "pulumi", "app"},
}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_imports_only_those_below_it(package: str) -> None:
    reaching_up = []
    for path in sorted((SRC / package).rglob("*.py")):
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] == "userpools" and len(parts) > 1 and parts[1] in FORBIDDEN[package]:
                reaching_up.append(f"{path.relative_to(SRC)}: {module}")
    assert reaching_up == []


def test_nothing_outside_storage_imports_sqlalchemy() -> None:
    outside = [
        str(path.relative_to(SRC))
        for path in sorted(SRC.rglob("*.py"))
        if "storage" not in path.relative_to(SRC).parts
        and any(module.split(".")[0] == "sqlalchemy" for module in _imports(path))
    ]
    assert outside == []
