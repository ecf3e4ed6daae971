"""A pytest plugin (entry point ``pytest11``, name ``userpools``): a live userpools server in your test suite.

Fixtures:

- ``userpools_server`` (session): ``userpools serve`` in a subprocess on a free port with a database of its
  own (a fresh SQLite file, or ``--userpools-database-url``), stopped at the end of the session; under
  pytest-xdist each worker has its own.
- ``userpools`` (function): that server, reset (``POST /_userpools/reset``) before the test, so each test
  starts with no pools, users or messages (or with just the seed's, given ``--userpools-seed``).
- ``cognito_idp`` (function): a boto3 ``cognito-idp`` client for it (dummy region and keys; boto3 needed).

The server object has ``url``, ``reset()``, ``outbox(**filters)``, ``messages_to(name)`` and
``last_code(name)``: ``name`` is a destination (email, phone number) or the username a message was for.

Options: ``--userpools-database-url URL``, ``--userpools-seed FILE`` (``userpools serve --seed``),
``--userpools-inprocess`` (the server in a thread of the test process: see :class:`InProcessServer`), and
overriding the ``userpools_server_env`` fixture (a dict of extra ``USERPOOLS_*`` variables). ``-p no:userpools``
turns the plugin off.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest


class LiveServer:
    """A userpools server and the management calls a test needs: ``userpools serve`` in a subprocess."""

    url: str
    port: int

    def __init__(self, database_url: str, env: Mapping[str, str] | None = None, seed: str | None = None) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix="userpools-", suffix=".log")[1])
        command = [sys.executable, "-m", "userpools", "serve", "--port", str(self.port), "--log-level", "warning"]
        command += ["--database-url", database_url] + (["--seed", seed] if seed else [])
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=out, stderr=out)
        self._wait()

    def _alive(self) -> bool:
        return self.process.poll() is None

    def _wait(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._alive():
                raise RuntimeError(f"userpools serve stopped before answering:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"userpools serve did not answer within {timeout} s:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def _request(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(f"{self.url}{path}", data=b"{}" if method == "POST" else None, method=method)
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.load(answer)

    def reset(self) -> None:
        """Wipe every pool, user and message (and put the server's clock back)."""
        self._request("/_userpools/reset", "POST")

    def outbox(self, **filters: str) -> list[dict[str, Any]]:
        """Every message the server produced, newest last (filters: pool, username, destination)."""
        rows: list[dict[str, Any]] = self._request(f"/_userpools/outbox?{urlencode(filters)}")
        return rows

    def messages_to(self, name: str) -> list[dict[str, Any]]:
        """The messages whose destination, or whose user's username, is ``name``, oldest first."""
        return [row for row in self.outbox() if name in (row.get("destination"), row.get("username"))]

    def last_code(self, name: str) -> str:
        """The code of the newest message to ``name`` that carries one (AssertionError if none does)."""
        codes = [row["code"] for row in self.messages_to(name) if row.get("code")]
        assert codes, f"no message with a code was sent to {name!r}: {self.messages_to(name)!r}"
        return str(codes[-1])

    def client(self, service: str = "cognito-idp") -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",
            config=Config(retries={"max_attempts": 1}),
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class InProcessServer(LiveServer):
    """The same server in a thread of the test process (``--userpools-inprocess``): no interpreter to start,
    and a debugger or coverage sees the server's code. The settings come from the environment plus ``env``."""

    def __init__(self, database_url: str, env: Mapping[str, str] | None = None, seed: str | None = None) -> None:
        import threading

        import uvicorn

        from userpools import startup
        from userpools.app import create_app

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix="userpools-", suffix=".log")[1])
        settings = startup.load_settings(
            {**os.environ, **(env or {})}, port=self.port, database_url=database_url, seed=seed
        )
        settings = startup.prepare_database(settings, 1)  # upgrades the database and loads the seed
        config = uvicorn.Config(create_app(settings), port=self.port, log_config=None, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="userpools-server", daemon=True)
        self.thread.start()
        self._wait()

    def _alive(self) -> bool:
        return self.thread.is_alive()

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("userpools", "a live userpools server (the userpools_server fixture)")
    group.addoption("--userpools-database-url", default=None, help="its database (default: a fresh SQLite file)")
    group.addoption("--userpools-seed", default=None, help="a seed file it loads at start (userpools serve --seed)")
    group.addoption(
        "--userpools-inprocess", action="store_true", help="serve in a thread of the test process, not a subprocess"
    )


@pytest.fixture(scope="session")
def userpools_server_env() -> dict[str, str]:
    """Extra environment for the server (override it in a conftest.py: ``{"USERPOOLS_REGION": ...}``)."""
    return {}


@pytest.fixture(scope="session")
def userpools_server(
    request: pytest.FixtureRequest, userpools_server_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    url = request.config.getoption("--userpools-database-url")
    if url is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('userpools')}/userpools.db"
    kind = InProcessServer if request.config.getoption("--userpools-inprocess") else LiveServer
    seed = request.config.getoption("--userpools-seed")
    live = kind(url, userpools_server_env, os.path.abspath(seed) if seed else None)
    yield live
    live.stop()


@pytest.fixture
def userpools(userpools_server: LiveServer) -> LiveServer:
    """The session's server, reset before this test (back to its seed, with ``--userpools-seed``)."""
    userpools_server.reset()
    return userpools_server


@pytest.fixture
def cognito_idp(userpools: LiveServer) -> Any:
    return userpools.client()
