"""The ``userpools`` command: serve, outbox, rotate-master-key."""

from __future__ import annotations

import json
import sys
import traceback
import urllib.error
import urllib.request
from typing import NoReturn

import click
from rich.console import Console
from rich.table import Table

from userpools import __version__, logs
from userpools.settings import Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="userpools", message="%(prog)s %(version)s")
def main() -> None:
    """A self-hostable server that speaks the Amazon Cognito User Pools API."""


def fail(error: BaseException, debug: bool) -> NoReturn:
    """A configuration error: one line on stderr and exit code 2; the traceback too with --debug."""
    if debug:
        traceback.print_exception(error)
    click.echo(f"userpools: {error}", err=True)
    sys.exit(2)


@main.command()
@click.option("--host", default=None, help="Address to listen on [env USERPOOLS_HOST; 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port to listen on; 0: a free one [env USERPOOLS_PORT; 9229].")
@click.option(
    "--database-url",
    default=None,
    help="sqlite:///path, sqlite:///:memory: or postgresql://user@host/db "
    "[env USERPOOLS_DATABASE_URL; sqlite:///.userpools/userpools.db].",
)
@click.option("--region", default=None, help="Region in pool ids and ARNs [env USERPOOLS_REGION; us-east-1].")
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes sharing the port.")
@click.option(
    "--seed",
    type=click.Path(dir_okay=False),
    default=None,
    help="JSON or YAML file of pools, clients, groups and users to create at start and after a reset "
    "(idempotent) [env USERPOOLS_SEED].",
)
@click.option(
    "--log-level",
    type=click.Choice(logs.LEVELS, case_sensitive=False),
    default=None,
    help="info logs one line per request [env USERPOOLS_LOG_LEVEL; info].",
)
@click.option(
    "--log-format",
    type=click.Choice(logs.FORMATS),
    default=None,
    help="text, or json: one JSON object per line [env USERPOOLS_LOG_FORMAT; text].",
)
@click.option("--debug", is_flag=True, help="Show the traceback of a start-up error, not just its one line.")
def serve(
    host: str | None,
    port: int | None,
    database_url: str | None,
    region: str | None,
    workers: int,
    seed: str | None,
    log_level: str | None,
    log_format: str | None,
    debug: bool,
) -> None:
    """Serve the Cognito User Pools API (and Cloud Control, OAuth 2.0, managed login) on one port."""
    from userpools import startup

    try:
        settings = startup.load_settings(
            host=host,
            port=port,
            database_url=database_url,
            region=region,
            seed=seed,
            log_level=log_level.lower() if log_level else None,
            log_format=log_format,
        )
        startup.serve(settings, startup.Options(workers=workers))
    except startup.ConfigError as error:
        fail(error, debug)
    except Exception as error:
        if debug:
            raise
        fail(
            RuntimeError(f"could not start: {type(error).__name__}: {error} (run with --debug for the traceback)"),
            False,
        )


@main.command()
@click.option("--url", default="http://127.0.0.1:9229", show_default=True, help="The server's address.")
@click.option("--pool", default=None)
@click.option("--username", default=None)
@click.option("--destination", default=None)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def outbox(url: str, pool: str | None, username: str | None, destination: str | None, as_json: bool) -> None:
    """Print every message the server produced (invitations, codes), newest last.

    Signed (SigV4, service "userpools") with the first key of USERPOOLS_CREDENTIALS or the AWS credentials
    botocore finds, as a locked server requires."""
    from urllib.parse import urlencode

    from userpools import signing

    query = urlencode({k: v for k, v in (("pool", pool), ("username", username), ("destination", destination)) if v})
    settings = Settings.from_env()
    request = signing.signed(
        f"{url.rstrip('/')}/_userpools/outbox?{query}", keys=signing.credentials(settings), region=settings.region
    )
    try:
        with urllib.request.urlopen(request) as response:
            rows = json.load(response)
    except urllib.error.HTTPError as refused:  # e.g. 403 from a locked server: say why
        raise click.ClickException(f"{refused.code}: {refused.read().decode(errors='replace')}") from None
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    table = Table("created", "pool", "username", "medium", "destination", "code", "status", "body")
    for row in rows:
        table.add_row(
            row["created"],
            row["pool"],
            row["username"],
            row["medium"],
            row["destination"],
            row["code"] or "",
            row["status"],
            row["body"] or "",
        )
    Console().print(table)


@main.command("rotate-master-key")
@click.option("--new-key-file", required=True, type=click.Path(dir_okay=False), help="Generated if missing.")
@click.option("--database-url", default=None, help="[env USERPOOLS_DATABASE_URL]")
def rotate_master_key(new_key_file: str, database_url: str | None) -> None:
    """Re-seal every secret at rest under a new master key, in one transaction (SECURITY.md)."""
    from pathlib import Path

    from userpools import masterkey

    try:
        click.echo(masterkey.rotate(Settings.from_env(database_url=database_url), Path(new_key_file)))
    except masterkey.MasterKeyError as error:
        raise click.ClickException(str(error)) from None


def _add_commands() -> None:
    """Commands kept in modules of their own (userpools.commands)."""
    from userpools import commands

    main.add_command(commands.reset)
    main.add_command(commands.operations)


_add_commands()

if __name__ == "__main__":
    main()
