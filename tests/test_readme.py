"""The README's first screen works as written: its code blocks run against a live server, in a clean
environment (no AWS configuration or credentials), and `make run` honours its variables and its stamp."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import Server

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = "http://127.0.0.1:9229"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)


def first_screen() -> list[tuple[str, str]]:
    """(language, code) of each block before "## Running it"."""
    text = (ROOT / "README.md").read_text()
    return BLOCK.findall(text[: text.index("## Running it")])


@pytest.fixture(scope="module")
def live() -> Iterator[Server]:
    server = Server(f"sqlite:///{tempfile.mkdtemp(prefix='userpools-db-')}/userpools.db")
    yield server
    server.stop()


def clean_env(home: Path) -> dict[str, str]:
    """No AWS_* variables, no ~/.aws: what a fresh machine has. PYTHONPATH is kept (this checkout's source)."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "USERPOOLS_"))}
    return {**keep, "HOME": str(home), "COLUMNS": "300"}


def test_the_first_screen_runs_as_written(live: Server, tmp_path: Path) -> None:
    blocks = first_screen()
    assert [language for language, _ in blocks] == ["sh", "python", "sh"]
    assert blocks[0][1].splitlines()[0].startswith("make run") and blocks[0][1].splitlines()[1].startswith("make test")
    env = clean_env(tmp_path)
    python = blocks[1][1].replace(DEFAULT, live.url)
    assert python != blocks[1][1], "the snippet no longer names the default address"
    done = subprocess.run([sys.executable, "-c", python], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "FORCE_CHANGE_PASSWORD"

    # `. .venv/bin/activate` as make run leaves it: this test's own environment's commands first on PATH.
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "activate").write_text(f'PATH="{Path(sys.executable).parent}:$PATH"\n')
    shell = blocks[2][1].replace(DEFAULT, live.url)
    done = subprocess.run(["bash", "-e", "-c", shell], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert '"Name": "demo"' in done.stdout  # the AWS CLI's list-user-pools
    assert "alice@example.com" in done.stdout and "alice" in done.stdout  # userpools outbox
    assert "cognito-idp operations built" in done.stdout  # userpools operations --missing


# Run from `make test`, make's own variables would make this make a sub-make (and print its directory).
_OUTER_MAKE = {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"}


def make(directory: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", *args],
        capture_output=True,
        text=True,
        cwd=directory,
        env={**{k: v for k, v in os.environ.items() if k not in _OUTER_MAKE}, **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_run_honours_host_and_port_and_installs_once(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Makefile", tmp_path)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    env = {"USERPOOLS_HOST": "", "USERPOOLS_PORT": "", "HOST": "example.org", "PORT": "80"}  # env HOST/PORT: ignored
    first = make(tmp_path, "run", env=env)
    assert "venv" in first and "pip install -q -e '.[client]'" in first  # a fresh clone: set up once
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").touch()
    time.sleep(0.01)
    (tmp_path / ".venv" / ".installed-run").touch()
    again = make(tmp_path, "run", env=env)
    assert "pip install" not in again  # nothing changed: no reinstall (other prerequisites may print checks)
    assert again.splitlines()[-1] == ".venv/bin/userpools serve --host 127.0.0.1 --port 9229"
    moved = make(tmp_path, "run", env={**env, "USERPOOLS_PORT": "9300", "USERPOOLS_HOST": "0.0.0.0"})
    assert moved.splitlines()[-1] == ".venv/bin/userpools serve --host 0.0.0.0 --port 9300"
    assert make(tmp_path, "run", "PORT=9400", env=env).splitlines()[-1].endswith("--port 9400")
    os.utime(tmp_path / "pyproject.toml", (time.time() + 5, time.time() + 5))
    assert "pip install" in make(tmp_path, "run", env=env)  # pyproject.toml changed: installed again
