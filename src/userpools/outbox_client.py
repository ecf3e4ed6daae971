"""`userpools outbox`: reading a running server's outbox over HTTP, printing it, following it.

Output: a table on a terminal; tab-separated lines (a header, then one line a message, every column in
full, tabs and newlines inside a value written ``\\t`` and ``\\n``) when piped or followed, so ``grep``,
``cut`` and ``awk`` see whole values; ``--json`` a JSON array, or with ``--follow`` one JSON object a line
(JSON Lines: an array cannot be streamed). Requests are signed as web/gate.py wants them (signing.py).
"""

from __future__ import annotations

import json
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from rich.console import Console
from rich.table import Table

from userpools import signing
from userpools.settings import Settings

PAGE = 1000  # the most messages the server answers at once (web/outbox.py)
TABLE = ("created", "pool", "username", "kind", "medium", "destination", "code", "status", "body")
LINES = ("id", "created", "pool", "username", "kind", "medium", "destination", "code", "status", "subject", "body")


class OutboxUnavailable(Exception):
    """The outbox could not be read: one line saying why and what to do."""


@dataclass(frozen=True)
class Reader:
    url: str
    filters: dict[str, str]
    settings: Settings
    context: ssl.SSLContext | None = None  # HTTPS: the CA to trust (userpools.tls), else the system's

    def fetch(self, after: int | None = None) -> list[dict[str, Any]]:
        query = dict(self.filters, **({"after": str(after)} if after is not None else {}))
        address = f"{self.url.rstrip('/')}/_userpools/outbox?{urlencode(query)}"
        keys = signing.credentials(self.settings)
        request = signing.signed(address, keys=keys, region=self.settings.region)
        try:
            with urllib.request.urlopen(request, timeout=30, context=self.context) as response:
                rows: list[dict[str, Any]] = json.load(response)
                return rows
        except urllib.error.HTTPError as refused:  # 400 for an unknown filter, 403 from a locked server
            raise OutboxUnavailable(f"{self.url} answered {refused.code}: {_reason(refused)}") from None
        except urllib.error.URLError as error:
            raise OutboxUnavailable(_unreachable(self.url, error.reason)) from None
        except (TimeoutError, ConnectionError) as error:
            raise OutboxUnavailable(_unreachable(self.url, error)) from None

    def since(self, after: int) -> Iterator[dict[str, Any]]:
        """Every message after the id ``after``, a page at a time."""
        while True:
            rows = self.fetch(after)
            yield from rows
            if len(rows) < PAGE:
                return
            after = int(rows[-1]["id"])


def _reason(refused: urllib.error.HTTPError) -> str:
    text = refused.read().decode(errors="replace")
    try:
        answer = json.loads(text)
    except ValueError:
        return text.strip() or str(refused.reason)
    return str(answer.get("error", text)) if isinstance(answer, dict) else text


def _unreachable(url: str, reason: object) -> str:
    if isinstance(reason, ssl.SSLCertVerificationError):
        return (
            f"{url} presented a certificate this machine does not trust ({reason.verify_message}): "
            "give the server's CA with --ca (its banner prints the path)."
        )
    if isinstance(reason, ConnectionRefusedError):
        why = "connection refused"
    elif isinstance(reason, TimeoutError):
        why = "no answer within 30 s"
    else:
        why = str(getattr(reason, "strerror", None) or reason)
    return (
        f"no userpools server answers at {url} ({why}): start one with `userpools serve`, "
        "or give its address with --url."
    )


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def line(row: dict[str, Any]) -> str:
    return "\t".join(_cell(row.get(name)) for name in LINES)


def table(rows: list[dict[str, Any]]) -> Table:
    """A terminal table; long values fold onto more lines rather than being cut."""
    shown = Table(*TABLE)
    for column in shown.columns:
        column.overflow = "fold"
    for row in rows:
        shown.add_row(*(_cell(row.get(name)) if name != "body" else str(row.get(name) or "") for name in TABLE))
    return shown


def run(
    reader: Reader,
    *,
    as_json: bool,
    follow: bool,
    interval: float,
    echo: Callable[[str], None],
    terminal: bool,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Print the outbox once, or (``follow``) print it and then each new message as it arrives, until
    interrupted. OutboxUnavailable when the server cannot be read."""
    rows = reader.fetch()
    if not follow:
        if as_json:
            echo(json.dumps(rows, indent=2))
        elif terminal:
            Console(soft_wrap=False).print(table(rows))
        else:
            echo("\t".join(LINES))
            for row in rows:
                echo(line(row))
        return

    def show(row: dict[str, Any]) -> None:
        echo(json.dumps(row) if as_json else line(row))

    if not as_json:
        echo("\t".join(LINES))
    last = 0
    for row in rows:
        show(row)
        last = max(last, int(row["id"]))
    while True:
        sleep(interval)
        for row in reader.since(last):
            show(row)
            last = max(last, int(row["id"]))
