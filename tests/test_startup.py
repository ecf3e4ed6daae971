"""`userpools serve` start-up: one clear line and exit code 2 for each configuration error, banner after bind."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.support import Server


def serve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "userpools", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip() and " WARNING " not in line]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


def test_unsupported_scheme() -> None:
    line = one_line(serve("--database-url", "mysql://user@localhost/db"))
    assert "USERPOOLS_DATABASE_URL" in line and "mysql://" in line and "not supported" in line


def test_postgres_refusing(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    line = one_line(serve("--database-url", f"postgresql://u@127.0.0.1:{port}/db"))
    assert "cannot connect to PostgreSQL" in line and "connection refused" in line


def test_unwritable_path_names_the_database() -> None:
    line = one_line(serve("--database-url", "sqlite:////proc/userpools-nowhere/users.db"))
    assert "/proc/userpools-nowhere/users.db" in line and "-writer" not in line


def test_bad_number_names_the_setting() -> None:
    assert "USERPOOLS_PORT" in one_line(serve(env={"USERPOOLS_PORT": "abc"}))


def test_debug_shows_the_traceback() -> None:
    done = serve("--debug", "--database-url", "mysql://x@h/db")
    assert done.returncode == 2 and "Traceback" in done.stderr


def test_memory_database_works_and_busy_port_is_one_line(tmp_path: Path) -> None:
    live = Server("sqlite:///:memory:")
    try:
        import boto3

        cognito = boto3.client(
            "cognito-idp",
            endpoint_url=live.url,
            region_name="us-east-1",
            aws_access_key_id="x",
            aws_secret_access_key="y",
        )
        pool = cognito.create_user_pool(PoolName="mem")["UserPool"]["Id"]
        assert cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["Name"] == "mem"
        line = one_line(serve("--port", str(live.port), "--database-url", f"sqlite:///{tmp_path}/x.db"))
        assert f"port {live.port}" in line and "already in use" in line
    finally:
        live.stop()
    assert "listening on http://127.0.0.1:" in live.output() and "in memory" in live.output()
