"""The ``userpools`` command: serve, outbox, reset, operations, tls-ca, rotate-master-key."""

from __future__ import annotations

import ssl
import sys
import traceback
from typing import NoReturn

import click

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
@click.option(
    "--tls",
    is_flag=True,
    default=None,
    help="Serve HTTPS with a certificate from a local CA made beside the database [env USERPOOLS_TLS].",
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
    tls: bool | None,
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
            tls=tls or None,
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
@click.option("--url", default=None, help="The server's address [its USERPOOLS_PUBLIC_URL, or USERPOOLS_HOST:PORT].")
@click.option("--pool", default=None, help="Only this pool's messages.")
@click.option("--username", default=None, help="Only this user's: the name they sign in with (or email, phone).")
@click.option("--destination", default=None, help="Only messages to this email address or phone number.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with --follow: one object a line).")
@click.option("--follow", "-f", is_flag=True, help="Keep printing new messages as they arrive, until Ctrl-C.")
@click.option("--interval", type=float, default=1.0, show_default=True, help="Seconds between polls (--follow).")
@click.option(
    "--ca", type=click.Path(dir_okay=False), default=None, help="CA file to trust for https:// [serve --tls's]."
)
def outbox(
    url: str | None,
    pool: str | None,
    username: str | None,
    destination: str | None,
    as_json: bool,
    follow: bool,
    interval: float,
    ca: str | None,
) -> None:
    """Print every message the server produced (invitations, codes), newest last.

    A table on a terminal, tab-separated lines when piped. Signed (SigV4, service "userpools") with the
    first key of USERPOOLS_CREDENTIALS or the AWS credentials botocore finds, as a locked server requires."""
    from userpools import outbox_client

    settings = Settings.from_env()
    filters = {k: v for k, v in (("pool", pool), ("username", username), ("destination", destination)) if v}
    address = url or settings.base_url
    reader = outbox_client.Reader(address, filters, settings, context=_trust(settings, address, ca))
    try:
        outbox_client.run(
            reader,
            as_json=as_json,
            follow=follow,
            interval=interval,
            echo=lambda text: click.echo(text),
            terminal=sys.stdout.isatty(),
        )
    except outbox_client.OutboxUnavailable as error:
        raise click.ClickException(str(error)) from None
    except KeyboardInterrupt:
        pass


def _trust(settings: Settings, url: str, ca: str | None) -> ssl.SSLContext | None:
    """For an https:// URL: the given CA, else the local CA `serve --tls` made (if any), else the system's."""
    if not url.startswith("https:"):
        return None
    from userpools import tls

    local = tls.ca_path(settings)
    return ssl.create_default_context(cafile=ca or (str(local) if local.exists() else None))


@main.command("tls-ca")
@click.option("--database-url", default=None, help="[env USERPOOLS_DATABASE_URL]: the CA is kept beside it.")
@click.option("--path", "path_only", is_flag=True, help="Print the CA file's path instead of the certificate.")
def tls_ca(database_url: str | None, path_only: bool) -> None:
    """Print the local CA certificate `serve --tls` uses (made now if it does not exist yet), to trust it:
    NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE, REQUESTS_CA_BUNDLE, boto3's verify=, or the system's store."""
    from userpools import tls

    settings = Settings.from_env(database_url=database_url)
    try:
        files = tls.ensure(settings)
    except tls.TlsError as error:
        raise click.ClickException(str(error)) from None
    click.echo(str(files.ca.resolve()) if path_only else files.ca.read_text().rstrip("\n"))


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
