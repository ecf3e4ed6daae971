"""The pytest plugin, as a user meets it: pytest run on a small project (tests/plugin_example) that only
installs userpools, its fixtures found through the ``pytest11`` entry point pyproject.toml declares."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import BACKENDS

ROOT = Path(__file__).resolve().parent.parent


def example() -> str:
    """The README's test file (the block that starts ``# test_signup.py``), plus a test that reset runs."""
    text = (ROOT / "README.md").read_text()
    start = text.index("```python\n# test_signup.py\n") + len("```python\n")
    return text[start : text.index("```", start)] + (
        "\n\ndef test_each_test_starts_with_an_empty_server(cognito_idp):\n"
        '    assert cognito_idp.list_user_pools(MaxResults=10)["UserPools"] == []\n'
    )


def entry_point() -> tuple[str, str]:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["entry-points"]["pytest11"]
    ((name, target),) = declared.items()
    return name, target


def run_pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest in ``project``, with the plugin found as an installed distribution's entry point is."""
    name, target = entry_point()
    site = project / "site"
    info = site / "userpools_plugin_check-0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: userpools-plugin-check\nVersion: 0\n")
    (info / "entry_points.txt").write_text(f"[pytest11]\n{name} = {target}\n")
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH", ""), str(ROOT / "src")]))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "USERPOOLS_"))}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        capture_output=True,
        text=True,
        cwd=project,
        env={**env, "PYTHONPATH": path},
        timeout=300,
    )


def test_pyproject_declares_the_plugin() -> None:
    assert entry_point() == ("userpools", "userpools.testing")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_users_suite_signs_in_with_the_code_from_the_outbox(
    backend: str, tmp_path: Path, database_url_for: Callable[[str], str]
) -> None:
    (tmp_path / "test_signup.py").write_text(example())
    done = run_pytest(tmp_path, "--userpools-database-url", database_url_for(backend))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def test_the_plugin_can_be_turned_off(tmp_path: Path) -> None:
    (tmp_path / "test_signup.py").write_text(example())
    done = run_pytest(tmp_path, "-p", "no:userpools")
    assert done.returncode == 1 and "fixture 'userpools' not found" in done.stdout


def test_in_process_and_seeded(tmp_path: Path) -> None:
    """--userpools-inprocess serves from a thread of pytest's process; --userpools-seed's state is what each
    test starts with."""
    (tmp_path / "seed.json").write_text(
        '{"pools": [{"name": "seeded", "id": "us-east-1_Plugin001", "users": [{"username": "sam"}]}]}'
    )
    (tmp_path / "test_seeded.py").write_text(
        "import threading\n\n\n"
        "def check(cognito_idp):  # sam is there (again), then gone: the next test sees him only after a reset\n"
        '    assert any(t.name == "userpools-server" for t in threading.enumerate())\n'
        '    assert cognito_idp.admin_get_user(UserPoolId="us-east-1_Plugin001", Username="sam")["Username"] == "sam"\n'
        '    cognito_idp.admin_delete_user(UserPoolId="us-east-1_Plugin001", Username="sam")\n\n\n'
        "def test_seeded(cognito_idp):\n"
        "    check(cognito_idp)\n\n\n"
        "def test_seeded_again(cognito_idp):\n"
        "    check(cognito_idp)\n"
    )
    done = run_pytest(tmp_path, "--userpools-inprocess", "--userpools-seed", "seed.json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout
