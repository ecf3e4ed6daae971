"""Which pool domain a request is for, and where that domain's pages live.

A domain is reached at its own origin (the Host header: a custom domain's name, or
``<prefix>.auth.<region>.<anything>``, e.g. ``myapp.auth.us-east-1.localhost:9229``) or, for clients that
cannot choose a Host, under ``/_domain/<domain>/`` on the server's own host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from userpools.domain import cimd
from userpools.domain.clients import Client
from userpools.domain.pools import Pool
from userpools.operations import cimd_documents
from userpools.operations.clients import load_client_and_pool
from userpools.steps.context import Context
from userpools.storage.domains import DomainRecord

PATH_PREFIX = "/_domain"
# The paths a domain serves (at its origin, or under PATH_PREFIX/<domain>).
PATHS = (
    "/oauth2/authorize",
    "/oauth2/token",
    "/oauth2/userInfo",
    "/oauth2/revoke",
    "/oauth2/idpresponse",
    "/saml2/idpresponse",
    "/saml2/logout",
    "/logout",
    "/login",
    "/signup",
    "/confirm",
    "/forgotPassword",
    "/confirmForgotPassword",
    "/newPassword",
    "/mfa",
    "/passkeys/add",
)
_PREFIX_HOST = re.compile(r"^([a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?)\.auth\.[a-z0-9-]+\.")


def domain_of_host(host: str, own: frozenset[str]) -> str | None:
    """The domain a Host header names, or None for the server's own names."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    name = name.lower()
    if name in own:
        return None
    match = _PREFIX_HOST.match(name)
    return match.group(1) if match else name


@dataclass(frozen=True)
class Site:
    """One request's domain: its record and pool, and the path its pages are under ("" at its own origin)."""

    record: DomainRecord
    pool: Pool
    base: str
    secure: bool

    def url(self, path: str, query: str = "") -> str:
        return f"{self.base}{path}" + (f"?{query}" if query else "")


def site_of(context: Context, request: Request) -> Site | None:
    name = request.path_params.get("domain")
    if not isinstance(name, str):
        return None
    with context.store.transaction(write=False) as tx:
        record = tx.domains.get(name)
        pool = tx.pools.get(record.pool_id) if record else None
    if record is None or pool is None:
        return None
    secure = request.url.scheme == "https"
    return Site(record, pool, str(request.scope.get("root_path", "")), secure)


class ClientRefused(Exception):
    """A client_id URL that stands for no CIMD client: the message says why (domain/cimd.py)."""


def client_of(context: Context, site: Site, client_id: str | None) -> Client | None:
    """The app client ``client_id`` if it is one of the domain's pool's; for an ``https`` URL, the CIMD client
    its policy and document make (ClientRefused when they make none)."""
    if not client_id:
        return None
    from userpools.errors import ServiceError

    if cimd.is_metadata_url(client_id):
        try:
            return cimd_documents.resolve(context, site.pool.id, client_id)
        except cimd.DocumentRefused as refused:
            raise ClientRefused(str(refused)) from None

    try:
        with context.store.transaction() as tx:  # the first client read may create the server key
            client, _ = load_client_and_pool(context, tx, client_id, site.pool.id)
    except ServiceError:
        return None
    return client


def form_value(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""
