"""App clients: CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient, DeleteUserPoolClient,
ListUserPoolClients. Secrets are kept sealed under the master key (domain/sealing.py)."""

from __future__ import annotations

from typing import Any

from userpools.domain import clients as client_rules
from userpools.domain import identifiers, oauth, sealing
from userpools.domain.clients import Client
from userpools.domain.errors import InvalidParameterException, ResourceNotFoundException
from userpools.domain.pools import Pool
from userpools.domain.schema import STANDARD_NAMES
from userpools.operations.registry import operation
from userpools.steps import pagination
from userpools.steps.common import load_pool
from userpools.steps.context import Context
from userpools.storage.clients import StoredClient
from userpools.storage.unit import Tx

SEALED_AS = "client-secret"


def seal_secret(ctx: Context, secret: str) -> str:
    """The one way an app-client secret (the first, or a rotated one) is kept: sealed under the master key."""
    return sealing.seal(ctx.keyring, SEALED_AS, secret)


def unseal_secret(ctx: Context, sealed: str) -> str:
    return sealing.unseal(ctx.keyring, SEALED_AS, sealed)


def _client(ctx: Context, tx: Tx, row: StoredClient) -> Client:
    secret = unseal_secret(ctx, row.secret) if row.secret else None
    rotated = tx.client_secrets.of_client(row.id) if secret else []  # AddUserPoolClientSecret's
    return Client(
        other_secrets=tuple(v for s in rotated if (v := unseal_secret(ctx, s.sealed)) != secret),
        id=row.id,
        pool_id=row.pool_id,
        name=row.name,
        secret=secret,
        config=row.config,
        created=row.created,
        modified=row.modified,
    )


def check_oauth(tx: Tx, pool: Pool, config: dict[str, Any], has_secret: bool, creating: bool) -> None:
    """The OAuth settings and attribute lists Cognito refuses (domain/oauth.py)."""
    attributes = set(STANDARD_NAMES) | {a["Name"] for a in pool.schema}
    custom_scopes = tx.resource_servers.scope_names(pool.id) if config.get("AllowedOAuthScopes") else set()
    oauth.check_client(config, has_secret, custom_scopes, attributes, creating)
    providers = config.get("SupportedIdentityProviders") or []
    if any(name != "COGNITO" for name in providers):
        known = {p.name for p in tx.identity_providers.page(pool.id, None, 1_000)}
        oauth.check_identity_providers(providers, known)


def load_client(ctx: Context, tx: Tx, client_id: str, pool_id: str | None = None) -> Client:
    row = tx.clients.get(client_id)
    if row is None or (pool_id is not None and row.pool_id != pool_id):
        raise ResourceNotFoundException(f"User pool client {client_id} does not exist.")
    return _client(ctx, tx, row)


def load_client_and_pool(ctx: Context, tx: Tx, client_id: str, pool_id: str | None = None) -> tuple[Client, Pool]:
    """:func:`load_client` and its pool (kept for the rest of ``tx``), read in one statement."""
    found = tx.clients.get_with_pool(client_id)
    if found is None or (pool_id is not None and found[0].pool_id != pool_id):
        raise ResourceNotFoundException(f"User pool client {client_id} does not exist.")
    row, pool = found
    tx.pools.remember(pool)
    return _client(ctx, tx, row), pool


@operation("CreateUserPoolClient")
def create_user_pool_client(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    now = ctx.clock.now()
    config = client_rules.settings(params)
    secret = params.get("ClientSecret")
    if secret is not None and not params.get("GenerateSecret"):
        raise InvalidParameterException("ClientSecret can only be given together with GenerateSecret.")
    if params.get("GenerateSecret") and secret is None:
        secret = client_rules.new_secret()
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        check_oauth(tx, pool, config, secret is not None, creating=True)
        row = StoredClient(
            ctx.request.get("seed_id") or identifiers.new_client_id(),  # seed.py may fix it
            pool.id,
            params["ClientName"],
            seal_secret(ctx, secret) if secret else None,
            config,
            now,
            now,
        )
        tx.clients.insert(row)
        client = _client(ctx, tx, row)
    return {"UserPoolClient": client.describe()}


@operation("DescribeUserPoolClient")
def describe_user_pool_client(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        load_pool(tx, params["UserPoolId"])
        client = load_client(ctx, tx, params["ClientId"], params["UserPoolId"])
    return {"UserPoolClient": client.describe()}


@operation("UpdateUserPoolClient")
def update_user_pool_client(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Like Cognito, every omitted setting returns to its default; the name is kept when omitted."""
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        client = load_client(ctx, tx, params["ClientId"], params["UserPoolId"])
        client.config = client_rules.settings(params, client.config)
        check_oauth(tx, pool, client.config, client.secret is not None, creating=False)
        client.name = params.get("ClientName") or client.name
        client.modified = ctx.clock.now()
        tx.clients.update(client.id, {"config": client.config, "name": client.name, "modified": client.modified})
    return {"UserPoolClient": client.describe()}


@operation("DeleteUserPoolClient")
def delete_user_pool_client(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        load_pool(tx, params["UserPoolId"])
        load_client(ctx, tx, params["ClientId"], params["UserPoolId"])
        tx.clients.delete(params["ClientId"])
    return {}


@operation("ListUserPoolClients")
def list_user_pool_clients(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    page = pagination.request(ctx, params.get("NextToken"), params.get("MaxResults", 60))
    with ctx.store.transaction(write=False) as tx:
        load_pool(tx, params["UserPoolId"])
        rows = tx.clients.page(params["UserPoolId"], page.after, page.fetch)
    rows, token = pagination.split(ctx, page, rows, lambda r: r.id)
    clients = [{"ClientId": r.id, "UserPoolId": r.pool_id, "ClientName": r.name} for r in rows]
    return {"UserPoolClients": clients, "NextToken": token}
