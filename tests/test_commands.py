"""`userpools reset` against live servers (open, locked, production) and `userpools operations`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable

import pytest

from tests.conftest import BACKENDS, client_for
from tests.support import Server
from userpools import catalogue
from userpools.protocol.model import service_model

CREDENTIALS = "AKIDRESET:reset-secret"


def userpools(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("USERPOOLS_", "AWS_"))}
    return subprocess.run(
        [sys.executable, "-m", "userpools", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", **(env or {})},
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_reset_wipes_a_running_server(backend: str, database_url_for: Callable[[str], str]) -> None:
    live = Server(database_url_for(backend))
    try:
        cognito = client_for(live.url)
        cognito.create_user_pool(PoolName="to-be-reset")
        done = userpools("reset", "--url", live.url)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().startswith(f"{live.url}: reset (every pool, user and message is gone")
        assert cognito.list_user_pools(MaxResults=10)["UserPools"] == []
        # Without --url the command finds the server from USERPOOLS_PORT, as `userpools serve` does.
        cognito.create_user_pool(PoolName="again")
        assert userpools("reset", env={"USERPOOLS_PORT": str(live.port)}).returncode == 0
        assert cognito.list_user_pools(MaxResults=10)["UserPools"] == []
    finally:
        live.stop()


def test_reset_follows_the_servers_locking_rules(database_url_for: Callable[[str], str]) -> None:
    locked = Server(database_url_for("sqlite"), env={"USERPOOLS_CREDENTIALS": CREDENTIALS})
    try:
        unsigned = userpools("reset", "--url", locked.url)
        assert unsigned.returncode == 1
        assert unsigned.stderr.strip() == (
            f"Error: {locked.url} refused the reset (403): management endpoints need a SigV4 signature "
            "(service 'userpools') by a configured key"
        )
        wrong = userpools(
            "reset", "--url", locked.url, env={"AWS_ACCESS_KEY_ID": "AKIDRESET", "AWS_SECRET_ACCESS_KEY": "no"}
        )
        assert wrong.returncode == 1 and "refused the reset (403)" in wrong.stderr
        signed = userpools("reset", "--url", locked.url, env={"USERPOOLS_CREDENTIALS": CREDENTIALS})
        assert signed.returncode == 0, signed.stderr
    finally:
        locked.stop()
    production = Server(
        database_url_for("sqlite"),
        env={
            "USERPOOLS_PRODUCTION": "true",
            "USERPOOLS_CREDENTIALS": CREDENTIALS,
            "USERPOOLS_MASTER_KEY": "A" * 43 + "=",
        },
    )
    try:
        refused = userpools("reset", "--url", production.url, env={"USERPOOLS_CREDENTIALS": CREDENTIALS})
        assert refused.returncode == 1
        assert refused.stderr.strip().endswith("refused the reset (403): reset is disabled in production mode")
    finally:
        production.stop()


def test_reset_without_a_server_is_one_line() -> None:
    done = userpools("reset", "--url", "http://127.0.0.1:9")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        "Error: no userpools server answers at http://127.0.0.1:9 (connection refused): start one with "
        "`userpools serve`, or give its address with --url."
    )


def test_operations_lists_every_operation_of_the_model() -> None:
    done = userpools("operations", "--json")
    rows = json.loads(done.stdout)
    model = service_model("cognito-idp")
    assert [row["operation"] for row in rows] == sorted(model.operation_names)
    by_name = {row["operation"]: row for row in rows}
    assert by_name["AdminCreateUser"] == {"operation": "AdminCreateUser", "built": True, "signed": True}
    assert by_name["InitiateAuth"]["signed"] is False
    text = userpools("operations", "--missing").stdout.splitlines()
    unbuilt = sorted(row["operation"] for row in rows if not row["built"])
    assert [line.split()[0] for line in text[:-1]] == unbuilt
    assert text[-1].startswith(f"{len(rows) - len(unbuilt)} of {len(rows)} cognito-idp operations built")


def test_the_readme_table_is_the_registry() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert catalogue.in_readme(readme) == catalogue.block(catalogue.entries()), (
        "README.md's operations table is out of date: run `python -m userpools.catalogue README.md`"
    )


def test_every_option_of_every_command_has_help() -> None:
    import click

    from userpools.cli import main

    missing = [
        f"{name} {param.name}"
        for name, command in main.commands.items()
        for param in command.params
        if isinstance(param, click.Option) and not param.help
    ]
    assert missing == [] and set(main.commands) >= {"serve", "outbox", "reset", "operations", "rotate-master-key"}
    assert all(command.help for command in main.commands.values())
