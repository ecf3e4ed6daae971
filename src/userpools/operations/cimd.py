"""Client ID Metadata Document policies: CreateCIMDPolicy, DescribeCIMDPolicy, ListCIMDPolicies,
UpdateCIMDPolicy, DeleteCIMDPolicy. A policy maps HTTPS URL patterns (``*`` wildcards) to one app client.

The documents themselves (fetched at /oauth2, cached, listed): operations/cimd_documents.py.
"""

from __future__ import annotations

import uuid
from typing import Any

from userpools.domain.errors import InvalidParameterException, ResourceNotFoundException
from userpools.errors import ServiceError
from userpools.operations.clients import load_client
from userpools.operations.registry import operation
from userpools.steps import pagination
from userpools.steps.common import load_pool
from userpools.steps.context import Context
from userpools.storage.cimd import CIMDPolicyRecord
from userpools.storage.unit import Tx

DEFAULT_CACHE = 86_400  # Cognito's default: one day


def _patterns(patterns: list[str]) -> list[str]:
    if len(set(patterns)) != len(patterns):
        raise InvalidParameterException("URLPatterns must be unique.")
    return list(patterns)


def _client_exists(ctx: Context, tx: Tx, record: CIMDPolicyRecord) -> bool:
    try:
        load_client(ctx, tx, record.client_id, record.pool_id)
    except ServiceError:
        return False
    return True


def _describe(ctx: Context, tx: Tx, record: CIMDPolicyRecord, patterns: bool = True) -> dict[str, Any]:
    """Like Cognito, ClientId is left out once its app client is gone."""
    out: dict[str, Any] = {
        "CIMDPolicyId": record.policy_id,
        "PolicyName": record.name,
        "CacheDuration": record.cache_duration,
        "CreationDate": record.created,
        "LastModifiedDate": record.modified,
    }
    if _client_exists(ctx, tx, record):
        out["ClientId"] = record.client_id
    if patterns:
        out["UserPoolId"] = record.pool_id
        out["URLPatterns"] = record.patterns
    return out


def load_policy(tx: Tx, pool_id: str, policy_id: str) -> CIMDPolicyRecord:
    load_pool(tx, pool_id)
    record = tx.cimd_policies.get(pool_id, policy_id)
    if record is None:
        raise ResourceNotFoundException(f"CIMD policy {policy_id} does not exist.")
    return record


@operation("CreateCIMDPolicy")
def create_cimd_policy(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    now = ctx.clock.now()
    record = CIMDPolicyRecord(
        uuid.uuid4().hex,
        params["UserPoolId"],
        params["ClientId"],
        params["PolicyName"],
        params.get("CacheDuration", DEFAULT_CACHE),
        _patterns(params["URLPatterns"]),
        now,
        now,
    )
    with ctx.store.transaction() as tx:
        load_pool(tx, record.pool_id)
        load_client(ctx, tx, record.client_id, record.pool_id)
        tx.cimd_policies.insert(record)
        return {"CIMDPolicy": _describe(ctx, tx, record)}


@operation("DescribeCIMDPolicy")
def describe_cimd_policy(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        return {"CIMDPolicy": _describe(ctx, tx, load_policy(tx, params["UserPoolId"], params["CIMDPolicyId"]))}


@operation("UpdateCIMDPolicy")
def update_cimd_policy(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """ClientId and URLPatterns are required and replaced; an omitted name or cache duration is kept."""
    with ctx.store.transaction() as tx:
        old = load_policy(tx, params["UserPoolId"], params["CIMDPolicyId"])
        load_client(ctx, tx, params["ClientId"], old.pool_id)
        record = CIMDPolicyRecord(
            old.policy_id,
            old.pool_id,
            params["ClientId"],
            params.get("PolicyName", old.name),
            params.get("CacheDuration", old.cache_duration),
            _patterns(params["URLPatterns"]),
            old.created,
            ctx.clock.now(),
        )
        tx.cimd_policies.update(record)
        return {"CIMDPolicy": _describe(ctx, tx, record)}


@operation("DeleteCIMDPolicy")
def delete_cimd_policy(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        tx.cimd_policies.delete(load_policy(tx, params["UserPoolId"], params["CIMDPolicyId"]).policy_id)
    return {}


@operation("ListCIMDPolicies")
def list_cimd_policies(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    limit = params.get("MaxResults", 60)
    with ctx.store.transaction() as tx:
        load_pool(tx, params["UserPoolId"])
        rows = tx.cimd_policies.page(params["UserPoolId"], pagination.decode(ctx, params.get("NextToken")), limit + 1)
        result: dict[str, Any] = {"CIMDPolicies": [_describe(ctx, tx, r, patterns=False) for r in rows[:limit]]}
    if len(rows) > limit:
        result["NextToken"] = pagination.encode(ctx, rows[limit - 1].policy_id)
    return result
