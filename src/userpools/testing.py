"""A pytest plugin (entry point ``pytest11``, name ``userpools``): a live userpools server in your test suite.

Fixtures:

- ``userpools_server`` (session): ``userpools serve`` in a subprocess on a free port with a database of its
  own (a fresh SQLite file, or ``--userpools-database-url``), stopped at the end of the session; under
  pytest-xdist each worker has its own.
- ``userpools`` (function): that server, reset (``POST /_userpools/reset``) before the test, so each test
  starts with no pools, users or messages.
- ``cognito_idp`` (function): a boto3 ``cognito-idp`` client for it (dummy region and keys; boto3 needed).

The server object has ``url``, ``reset()``, ``outbox(**filters)``, ``messages_to(name)`` and
``last_code(name)``: ``name`` is a destination (email, phone number) or the username a message was for.

Options: ``--userpools-database-url URL``, ``--userpools-seed FILE`` (``userpools serve --seed``), and
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
    """A ``userpools serve`` process and the management calls a test needs."""

    def __init__(self, database_url: str, env: Mapping[str, str] | None = None, seed: str | None = None) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix="userpools-", suffix=".log")[1])
        command = [sys.executable, "-m", "userpools", "serve", "--port", str(self.port), "--log-level", "warning"]
        command += ["--database-url", database_url] + (["--seed", seed] if seed else [])
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=out, stderr=out)
        self._wait()

    def _wait(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"userpools serve exited with {self.process.returncode}:\n{self.output()}")
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


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("userpools", "a live userpools server (the userpools_server fixture)")
    group.addoption("--userpools-database-url", default=None, help="its database (default: a fresh SQLite file)")
    group.addoption("--userpools-seed", default=None, help="a seed file it loads at start (userpools serve --seed)")


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
    live = LiveServer(url, userpools_server_env, request.config.getoption("--userpools-seed"))
    yield live
    live.stop()


@pytest.fixture
def userpools(userpools_server: LiveServer) -> LiveServer:
    """The session's server, reset before this test (a seed file is not loaded again)."""
    userpools_server.reset()
    return userpools_server


@pytest.fixture
def cognito_idp(userpools: LiveServer) -> Any:
    return userpools.client()
