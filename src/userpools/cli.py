"""The ``userpools`` command: serve, outbox, rotate-master-key."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

import click
from rich.console import Console
from rich.table import Table

from userpools.settings import Settings


@click.group()
def main() -> None:
    """A self-hostable server that speaks the Amazon Cognito User Pools API."""


@main.command()
@click.option("--host", default=None, help="Address to listen on [env USERPOOLS_HOST; 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port [env USERPOOLS_PORT; 9229].")
@click.option("--database-url", default=None, help="sqlite:///path or postgresql://... [env USERPOOLS_DATABASE_URL].")
@click.option("--region", default=None, help="Region in pool ids and ARNs [env USERPOOLS_REGION; us-east-1].")
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes.")
@click.option("--log-level", default="info", show_default=True)
def serve(
    host: str | None, port: int | None, database_url: str | None, region: str | None, workers: int, log_level: str
) -> None:
    """Serve the Cognito User Pools API."""
    import os

    import uvicorn

    from userpools import masterkey

    settings = Settings.from_env(host=host, port=port, database_url=database_url, region=region)
    try:
        masterkey.load(settings, warn=False)  # once, before the workers: a clear error, or the development key written
    except masterkey.MasterKeyError as error:
        raise click.ClickException(str(error)) from None
    # Workers are separate processes: hand them the resolved settings through the environment.
    os.environ.update(
        {
            "USERPOOLS_HOST": settings.host,
            "USERPOOLS_PORT": str(settings.port),
            "USERPOOLS_DATABASE_URL": settings.database_url,
            "USERPOOLS_REGION": settings.region,
        }
    )
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    click.echo(f"userpools serving on http://{settings.host}:{settings.port} ({settings.database_url})")
    uvicorn.run(
        "userpools.asgi:app",
        host=settings.host,
        port=settings.port,
        workers=workers,
        factory=False,
        log_level=log_level,
        access_log=False,
        http="userpools.connections:GuardedProtocol",  # request deadline, size and connection caps
        timeout_keep_alive=settings.keep_alive_timeout,
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


if __name__ == "__main__":
    main()
