"""DNS rebinding: a web page whose own host name its DNS later points at 127.0.0.1 is same-origin, to the
browser, with a local server; its requests still carry its own name in ``Host``. So a local-development server
bound to loopback answers management routes (outbox, reset, clock, console) only for the names it is known by:
loopback names (``localhost``, ``*.localhost``, which browsers resolve themselves; 127.0.0.0/8; ``::1``), the
host of USERPOOLS_PUBLIC_URL, and pools' custom domains.

A server bound to another address (``0.0.0.0`` in a container) is reached by names it cannot know, and a locked
one (credentials or production mode) needs a signature a page cannot make: neither checks.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from userpools.steps.context import Context


def _address(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return None


def is_loopback(name: str) -> bool:
    """A name that can only mean this machine, whatever any DNS answers."""
    name = name.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    address = _address(name)
    return address is not None and address.is_loopback


def checks_hosts(context: Context) -> bool:
    """Whether this server refuses unknown Host names on its management routes."""
    settings = context.settings
    return not settings.locked and is_loopback(settings.host)


def _name(host: str) -> str:
    """The host name of a Host header (``[::1]:9229`` → ``[::1]``, ``a.example:80`` → ``a.example``)."""
    if host.startswith("["):
        return host.partition("]")[0] + "]"
    return host.rpartition(":")[0] if ":" in host else host


def _custom_domain(context: Context, name: str) -> bool:
    with context.store.transaction(write=False) as tx:
        record = tx.domains.get(name)
    return record is not None and record.custom


async def host_problem(request: Request, context: Context) -> str | None:
    """Why this request's Host is not one this server is known by, or None."""
    host = request.headers.get("host", "")
    name = _name(host).lower().rstrip(".")
    if is_loopback(name):
        return None
    public = context.settings.public_url
    if public and name == (urlsplit(public).hostname or "").lower():
        return None
    if name and len(name) <= 253 and await run_in_threadpool(_custom_domain, context, name):
        return None
    return (
        f"Host {host!r} is not a name of this server: a local development server answers its management "
        "routes only at localhost, 127.0.0.1, [::1], USERPOOLS_PUBLIC_URL's host or a pool's custom domain "
        "(a guard against DNS rebinding). Use one of those, or set USERPOOLS_PUBLIC_URL."
    )
