"""Resource servers: CreateResourceServer, DescribeResourceServer, UpdateResourceServer,
DeleteResourceServer, ListResourceServers. Their scopes are ``identifier/scope`` in app clients and tokens."""

from __future__ import annotations

from typing import Any

from userpools.domain.errors import InvalidParameterException, LimitExceededException, ResourceNotFoundException
from userpools.operations.registry import operation
from userpools.steps import pagination
from userpools.steps.common import load_pool
from userpools.steps.context import Context
from userpools.storage.errors import Conflict
from userpools.storage.resource_servers import ResourceServerRecord
from userpools.storage.unit import Tx

MAX_SERVERS = 25  # Cognito's quota of resource servers per pool


def _describe(record: ResourceServerRecord) -> dict[str, Any]:
    return {
        "UserPoolId": record.pool_id,
        "Identifier": record.identifier,
        "Name": record.name,
        "Scopes": record.scopes,
    }


def _scopes(params: dict[str, Any]) -> list[dict[str, str]]:
    scopes = list(params.get("Scopes") or [])
    names = [s["ScopeName"] for s in scopes]
    if len(set(names)) != len(names):
        raise InvalidParameterException("Scope names must be unique within a resource server.")
    return scopes


def _load(tx: Tx, pool_id: str, identifier: str) -> ResourceServerRecord:
    load_pool(tx, pool_id)
    record = tx.resource_servers.get(pool_id, identifier)
    if record is None:
        raise ResourceNotFoundException(f"Resource server {identifier} does not exist.")
    return record


@operation("CreateResourceServer")
def create_resource_server(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    record = ResourceServerRecord(params["UserPoolId"], params["Identifier"], params["Name"], _scopes(params))
    with ctx.store.transaction() as tx:
        load_pool(tx, record.pool_id)
        if len(tx.resource_servers.page(record.pool_id, None, MAX_SERVERS)) >= MAX_SERVERS:
            raise LimitExceededException(f"A user pool can have at most {MAX_SERVERS} resource servers.")
        try:
            tx.resource_servers.insert(record)
        except Conflict:
            raise InvalidParameterException(f"{record.identifier} already exists in pool {record.pool_id}.") from None
    return {"ResourceServer": _describe(record)}


@operation("DescribeResourceServer")
def describe_resource_server(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        record = _load(tx, params["UserPoolId"], params["Identifier"])
    return {"ResourceServer": _describe(record)}


@operation("UpdateResourceServer")
def update_resource_server(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Like Cognito, omitted Scopes are removed."""
    with ctx.store.transaction() as tx:
        record = _load(tx, params["UserPoolId"], params["Identifier"])
        record = ResourceServerRecord(record.pool_id, record.identifier, params["Name"], _scopes(params))
        tx.resource_servers.update(record)
    return {"ResourceServer": _describe(record)}


@operation("DeleteResourceServer")
def delete_resource_server(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        record = _load(tx, params["UserPoolId"], params["Identifier"])
        tx.resource_servers.delete(record.pool_id, record.identifier)
    return {}


@operation("ListResourceServers")
def list_resource_servers(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    page = pagination.request(ctx, params.get("NextToken"), params.get("MaxResults", 50))
    with ctx.store.transaction(write=False) as tx:
        load_pool(tx, params["UserPoolId"])
        rows = tx.resource_servers.page(params["UserPoolId"], page.after, page.fetch)
    rows, token = pagination.split(ctx, page, rows, lambda r: r.identifier)
    return {"ResourceServers": [_describe(r) for r in rows], "NextToken": token}
