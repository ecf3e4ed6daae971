"""The outbox, newest first: every message the server produced with its code and links, filterable by pool,
username (the name the user signs in with: web/outbox.py) and destination, the latest 100. Live with a
little JavaScript (static/console.js reloads the table); without it, a Refresh link."""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from userpools.web import outbox as outbox_view
from userpools.web.console.view import View

LIMIT = 100
_URL = re.compile(r"https?://[^\s<>\"']+")


def _parts(body: str | None) -> list[tuple[str, bool]]:
    """The body as (text, is_link) pieces, so its links can be shown as links (and everything escaped)."""
    if not body:
        return []
    pieces: list[tuple[str, bool]] = []
    last = 0
    for match in _URL.finditer(body):
        pieces.extend([(body[last : match.start()], False), (match.group(0), True)])
        last = match.end()
    pieces.append((body[last:], False))
    return [p for p in pieces if p[0]]


def messages(view: View, pool: str, username: str, destination: str) -> list[dict[str, Any]]:
    filters = outbox_view.Filters(pool=pool or None, username=username or None, destination=destination or None)
    entries = list(reversed(outbox_view.read(view.context, filters, limit=LIMIT)))
    for entry in entries:
        entry["parts"] = _parts(entry["body"])
    return entries


def index(view: View) -> Response:
    chosen = {name: view.field(name) for name in ("pool", "username", "destination")}
    entries = messages(view, chosen["pool"], chosen["username"], chosen["destination"])
    return view.show(
        "outbox.html",
        entries=entries,
        chosen=chosen,
        limit=LIMIT,
        kept=view.context.settings.keeps_outbox_content,
    )
