"""Client secret rotation: AddUserPoolClientSecret, ListUserPoolClientSecrets, DeleteUserPoolClientSecret.

A confidential client holds at most two active secrets, and SECRET_HASH (and a ClientSecret) may use
either. Its first is the one CreateUserPoolClient made (``clients.secret``, what DescribeUserPoolClient
shows); the first Add or Delete writes it into ``client_secrets`` too, so from then on that table lists
every active secret and ``clients.secret`` is always one of its rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from userpools.domain import clients as client_rules
from userpools.domain.clients import Client
from userpools.domain.errors import InvalidParameterException, LimitExceededException, ResourceNotFoundException
from userpools.operations import clients as client_operations
from userpools.operations.clients import load_client
from userpools.operations.registry import operation
from userpools.steps.common import load_pool
from userpools.steps.context import Context
from userpools.storage.client_secrets import StoredSecret
from userpools.storage.unit import Tx

MAX_SECRETS = 2


def secret_id(client_id: str, created: datetime) -> str:
    """``<client-id>--<epoch-create-time>``, the time in milliseconds."""
    return f"{client_id}--{int(created.timestamp() * 1000)}"


def _descriptor(secret: StoredSecret, value: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"ClientSecretId": secret.secret_id, "ClientSecretCreateDate": secret.created}
    if value is not None:
        out["ClientSecretValue"] = value
    return out


def _active(ctx: Context, tx: Tx, client: Client, *, write: bool) -> list[StoredSecret]:
    """The client's active secrets, oldest first. A client never rotated has only its first secret,
    which a write (``write=True``) stores as a row before changing anything."""
    stored = tx.client_secrets.of_client(client.id)
    if stored or client.secret is None:
        return stored
    first = StoredSecret(
        secret_id(client.id, client.created), client_operations.seal_secret(ctx, client.secret), client.created
    )
    if write:
        tx.client_secrets.add(client.id, first)
    return [first]


def _target(ctx: Context, tx: Tx, params: dict[str, Any]) -> Client:
    load_pool(tx, params["UserPoolId"])
    return load_client(ctx, tx, params["ClientId"], params["UserPoolId"])


@operation("AddUserPoolClientSecret")
def add_user_pool_client_secret(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    now = ctx.clock.now()
    given = params.get("ClientSecret")
    value = given or client_rules.new_secret()
    with ctx.store.transaction() as tx:
        client = _target(ctx, tx, params)
        if client.secret is None:
            raise InvalidParameterException(
                f"Client {client.id} is not a confidential client: it has no client secret."
            )
        active = _active(ctx, tx, client, write=True)
        if len(active) >= MAX_SECRETS:
            raise LimitExceededException(f"Client {client.id} already has {MAX_SECRETS} client secrets.")
        if value in client.secrets:
            raise InvalidParameterException("The client secret is already a secret of this client.")
        taken = {s.secret_id for s in active}
        created = now
        while secret_id(client.id, created) in taken:  # two secrets in one millisecond
            created += timedelta(milliseconds=1)
        added = StoredSecret(secret_id(client.id, created), client_operations.seal_secret(ctx, value), now)
        tx.client_secrets.add(client.id, added)
    return {"ClientSecretDescriptor": _descriptor(added, None if given else value)}


@operation("ListUserPoolClientSecrets")
def list_user_pool_client_secrets(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Both secrets at once, never their values (Cognito pages nothing here)."""
    with ctx.store.transaction() as tx:  # reading a secret may create the server key on first use
        client = _target(ctx, tx, params)
        active = _active(ctx, tx, client, write=False)
    return {"ClientSecrets": [_descriptor(s) for s in active]}


@operation("DeleteUserPoolClientSecret")
def delete_user_pool_client_secret(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The last secret cannot go. Deleting the one DescribeUserPoolClient shows puts the other in its place."""
    wanted = params["ClientSecretId"]
    with ctx.store.transaction() as tx:
        client = _target(ctx, tx, params)
        active = _active(ctx, tx, client, write=True)
        doomed = next((s for s in active if s.secret_id == wanted), None)
        if doomed is None:
            raise ResourceNotFoundException(f"Client secret {wanted} does not exist.")
        if len(active) == 1:
            raise InvalidParameterException("You cannot delete the last remaining secret for an app client.")
        tx.client_secrets.delete(client.id, doomed.secret_id)
        if client_operations.unseal_secret(ctx, doomed.sealed) == client.secret:
            kept = next(s for s in active if s is not doomed)
            tx.clients.update(client.id, {"secret": kept.sealed})
    return {}
