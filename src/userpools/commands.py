"""``userpools reset`` and ``userpools operations``: commands that talk to, or describe, a server.

``reset`` calls ``POST /_userpools/reset`` on a running server, signed as web/gate.py checks management
routes (signing.py: the first key of USERPOOLS_CREDENTIALS, else the AWS credentials botocore finds), so
the server's own rules decide: refused in production mode, a signature needed when it is locked. Its address
is ``--url``, else the server's own settings (``USERPOOLS_PUBLIC_URL``, or ``USERPOOLS_HOST``/``_PORT``), as
``userpools outbox`` finds it.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import click

from userpools.settings import Settings


def _refusal(refused: urllib.error.HTTPError) -> str:
    text = refused.read().decode(errors="replace")
    try:
        answer = json.loads(text)
    except ValueError:
        return text.strip() or str(refused.reason)
    return str(answer.get("error", text)) if isinstance(answer, dict) else text


@click.command()
@click.option("--url", default=None, help="The server's address [USERPOOLS_PUBLIC_URL, or USERPOOLS_HOST:PORT].")
def reset(url: str | None) -> None:
    """Wipe a running server's state (pools, users, messages, keys) and put its clock back, as test suites do
    between tests. Refused by a server in production mode."""
    from userpools import signing

    settings = Settings.from_env()
    address = (url or settings.base_url).rstrip("/")
    request = signing.signed(
        f"{address}/_userpools/reset", method="POST", keys=signing.credentials(settings), region=settings.region
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            json.load(response)
    except urllib.error.HTTPError as refused:  # 403: production mode, or a locked server and no valid signature
        raise click.ClickException(f"{address} refused the reset ({refused.code}): {_refusal(refused)}") from None
    except (urllib.error.URLError, OSError) as error:
        why = getattr(error, "reason", error)
        why = "connection refused" if isinstance(why, ConnectionRefusedError) else str(why)
        raise click.ClickException(
            f"no userpools server answers at {address} ({why}): start one with `userpools serve`, "
            "or give its address with --url."
        ) from None
    click.echo(
        f"{address}: reset (every pool, user and message is gone; a server started with --seed has its seed again)"
    )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one object an operation.")
@click.option("--missing", is_flag=True, help="Only the operations not built yet.")
def operations(as_json: bool, missing: bool) -> None:
    """Every operation of the Cognito User Pools API (cognito-idp) and whether this server implements it.

    Unbuilt operations answer HTTP 501 NotImplementedException. The README's table is the same list."""
    from userpools import catalogue

    rows = catalogue.entries()
    shown = [row for row in rows if not (missing and row.built)]
    if as_json:
        click.echo(json.dumps([{"operation": r.name, "built": r.built, "signed": r.signed} for r in shown], indent=2))
        return
    width = max(len(row.name) for row in rows)
    for row in shown:
        click.echo(f"{row.name:<{width}}  {'built' if row.built else 'not built (501)'}")
    click.echo(catalogue.summary(rows))
