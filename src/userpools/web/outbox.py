"""Reading the outbox (GET /_userpools/outbox, `userpools outbox`, the console): its filters, checked, and
the messages they find, unsealed.

``username`` is the name the user signs in with: a username, or in pools with sign-in aliases (or email or
phone as username) an email address, a phone number or a preferred username, as InitiateAuth's USERNAME.
Messages are recorded under the user's stored username (the sub in pools with username attributes), so
the name is resolved to that user first, in the pool given or, without one, in each pool: one index
lookup per pool and alias kind. A name that no user has now still finds the messages recorded under it
as given (a deleted user's). Choice: a filter the outbox does not know answers 400 naming it, rather than
being ignored and listing everything.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from userpools.domain import outbox as sealed
from userpools.domain import sealing
from userpools.domain.pools import Pool
from userpools.steps.common import find_user
from userpools.steps.context import Context
from userpools.storage.outbox import StoredMessage
from userpools.storage.unit import Tx

FILTERS = ("pool", "username", "destination", "after")
_POOLS_PAGE = 60


class FilterError(ValueError):
    """A query the outbox cannot answer: the message names what is wrong."""


@dataclass(frozen=True)
class Filters:
    pool: str | None = None
    username: str | None = None
    destination: str | None = None
    after: int | None = None  # only messages with a larger id (`userpools outbox --follow`)


def parse(query: Mapping[str, str], names: list[str] | None = None) -> Filters:
    """The filters in a query string; FilterError for a name the outbox does not filter by. SigV4's
    query parameters (``X-Amz-*``, a presigned request's) are not filters and pass."""
    given = names if names is not None else list(query)
    unknown = sorted({n for n in given if n not in FILTERS and not n.lower().startswith("x-amz-")})
    if unknown:
        raise FilterError(
            f"unknown outbox filter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)} "
            f"(the outbox filters by {', '.join(FILTERS)})"
        )
    after = query.get("after") or None
    if after is not None and not after.isdigit():
        raise FilterError("after is a message id: a whole number")
    return Filters(
        pool=query.get("pool") or None,
        username=query.get("username") or None,
        destination=query.get("destination") or None,
        after=int(after) if after is not None else None,
    )


def stored_usernames(tx: Tx, pool_id: str | None, name: str) -> list[str]:
    """The usernames messages to the user ``name`` signs in as are recorded under (``name`` itself too)."""
    found = {name}
    for pool in _pools(tx, pool_id):
        user = find_user(tx, pool, name)
        if user is not None:
            found.add(user.username)
    return sorted(found)


def _pools(tx: Tx, pool_id: str | None) -> Iterator[Pool]:
    """The pool named, or every pool a page at a time."""
    if pool_id:
        pool = tx.pools.get(pool_id)
        if pool is not None:
            yield pool
        return
    after: str | None = None
    while True:
        page = tx.pools.page(after, _POOLS_PAGE)
        yield from page
        if len(page) < _POOLS_PAGE:
            return
        after = page[-1].id


def entry(context: Context, message: StoredMessage) -> dict[str, Any]:
    """A message as the outbox shows it, unsealed: body and code null when they were not kept."""
    keyring = context.keyring
    return {
        "id": message.id,
        "pool": message.pool_id,
        "username": message.username,
        "kind": message.kind,
        "medium": message.medium,
        "destination": sealing.unseal(keyring, sealed.DESTINATION, message.destination),
        "subject": sealed.unseal_optional(keyring, sealed.SUBJECT, message.subject),
        "body": sealed.unseal_optional(keyring, sealed.BODY, message.body),
        "code": sealed.unseal_optional(keyring, sealed.CODE, message.code),
        "status": message.status,
        "created": message.created.isoformat(),
    }


def read(context: Context, filters: Filters, limit: int = 1000) -> list[dict[str, Any]]:
    """The messages the filters find, oldest first: the newest ``limit`` of them, or with ``after`` the
    first ``limit`` after that id. Messages past the outbox's retention are left out."""
    keep = context.settings.outbox_keeps_for
    since = context.clock.now() - timedelta(seconds=keep) if keep else None
    with context.store.transaction(write=False) as tx:
        usernames = stored_usernames(tx, filters.pool, filters.username) if filters.username else None
        messages = tx.outbox.list(
            pool=filters.pool,
            usernames=usernames,
            destination_key=sealed.destination_key(context.keyring, filters.destination)
            if filters.destination
            else None,
            after=filters.after,
            since=since,
            limit=limit,
        )
    return [entry(context, message) for message in messages]
