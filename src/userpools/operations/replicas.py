"""Replicas of a user pool in other regions: CreateUserPoolReplica, ListUserPoolReplicas,
UpdateUserPoolReplica, DeleteUserPoolReplica, and the rules a pool follows in a replica's region.

One server hosts every region (userpools.regions), and a replica shares its primary's rows: its users,
groups, clients and settings are the primary's at every moment (Cognito replicates them, eventually; here
there is nothing to copy), and so are its signing keys and issuer, so tokens of either region verify alike.
What differs by region is which operations run: :func:`check` applies Cognito's rules to every request that
names a pool (``UserPoolId``) in a region other than the pool's own.
"""

from __future__ import annotations

from typing import Any

from userpools import regions
from userpools.domain.errors import (
    FeatureUnavailableInTierException,
    InvalidParameterException,
    LimitExceededException,
    OperationNotEnabledException,
    ResourceNotFoundException,
)
from userpools.domain.pools import Pool
from userpools.operations.registry import BEFORE, operation
from userpools.steps.common import load_pool
from userpools.steps.context import Context
from userpools.storage.replicas import ReplicaRecord
from userpools.storage.unit import Tx

MAX_SECONDARIES = 1  # "Each user directory can have at most one secondary replica"
# Operations a secondary region serves besides reads (Describe*, Get*, List*, AdminGet*, AdminList*).
SECONDARY_WRITES = {"UpdateUserPoolReplica", "AdminInitiateAuth", "AdminRespondToAuthChallenge"}
# Of those, the ones for end users, which an INACTIVE replica refuses.
END_USER = {"AdminInitiateAuth", "AdminRespondToAuthChallenge"}
_READS = ("Describe", "Get", "List", "AdminGet", "AdminList")


def home_region(pool_id: str) -> str:
    return regions.home_of(pool_id)


def arn(ctx: Context, region: str, pool_id: str) -> str:
    return f"arn:aws:cognito-idp:{region}:{ctx.settings.account_id}:userpool/{pool_id}"


def require_primary(ctx: Context, tx: Tx, pool: Pool, what: str) -> None:
    """Refuse an operation only the pool's primary region serves."""
    if ctx.region != home_region(pool.id):
        raise OperationNotEnabledException(f"{what} is available only in the primary region of the user pool.")


def check(name: str, ctx: Context, params: dict[str, Any]) -> None:
    """Cognito's rules for a request naming a pool in a region not its own: the pool must have a replica
    there, which serves reads and sign-in (the latter only once ACTIVE) and refuses every other write."""
    pool_id = params.get("UserPoolId")
    if not isinstance(pool_id, str) or "_" not in pool_id:
        return
    region = ctx.region
    if region == home_region(pool_id):
        return
    with ctx.store.transaction(write=False) as tx:
        replica = tx.replicas.get(pool_id, region)
    if replica is None:
        raise ResourceNotFoundException(f"User pool {pool_id} does not exist.")
    if name in END_USER and replica.status != "ACTIVE":
        raise OperationNotEnabledException(f"The replica of user pool {pool_id} in {region} is not ACTIVE.")
    if not name.startswith(_READS) and name not in SECONDARY_WRITES:
        raise OperationNotEnabledException(f"{name} is not available in a secondary region of the user pool.")


BEFORE.append(check)


def _shown(ctx: Context, pool_id: str, region: str, status: str, role: str) -> dict[str, Any]:
    return {"RegionName": region, "Status": status, "Role": role, "UserPoolArn": arn(ctx, region, pool_id)}


def _replica(ctx: Context, record: ReplicaRecord, status: str | None = None) -> dict[str, Any]:
    return _shown(ctx, record.pool_id, record.region, status or record.status, "SECONDARY")


def _region(params: dict[str, Any]) -> str:
    region = str(params["RegionName"])
    if not regions.NAME.fullmatch(region):
        raise InvalidParameterException(f"{region} is not a valid AWS Region.")
    return region


@operation("CreateUserPoolReplica")
def create_user_pool_replica(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    region = _region(params)
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        require_primary(ctx, tx, pool, "CreateUserPoolReplica")
        tier = str(pool.config.get("UserPoolTier") or "ESSENTIALS")
        if tier not in ("ESSENTIALS", "PLUS"):
            raise FeatureUnavailableInTierException(
                "Multi-Region replication requires the Essentials or Plus feature plan."
            )
        if region == home_region(pool.id):
            raise InvalidParameterException(f"The user pool's primary region is {region}.")
        existing = tx.replicas.of_pool(pool.id)
        if any(r.region == region for r in existing):
            raise InvalidParameterException(f"The user pool already has a replica in {region}.")
        if len(existing) >= MAX_SECONDARIES:
            raise LimitExceededException("A user pool can have at most one secondary replica.")
        now = ctx.clock.now()
        record = ReplicaRecord(pool.id, region, "INACTIVE", dict(params.get("UserPoolTags") or {}), now, now)
        tx.replicas.insert(record)
    return {"UserPoolReplica": _replica(ctx, record)}


@operation("ListUserPoolReplicas")
def list_user_pool_replicas(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        records = tx.replicas.of_pool(pool.id)
    if params.get("NextToken"):  # one page holds them all: the primary and at most one secondary
        raise InvalidParameterException("Invalid pagination token.")
    primary = _shown(ctx, pool.id, home_region(pool.id), "ACTIVE", "PRIMARY")
    return {"UserPoolReplicas": [primary, *(_replica(ctx, r) for r in records)]}


def _load(tx: Tx, pool: Pool, region: str) -> ReplicaRecord:
    record = tx.replicas.get(pool.id, region)
    if record is None:
        raise ResourceNotFoundException(f"User pool {pool.id} has no replica in {region}.")
    return record


@operation("UpdateUserPoolReplica")
def update_user_pool_replica(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    region = _region(params)
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        if region == home_region(pool.id):
            if params["Status"] != "ACTIVE":
                raise InvalidParameterException("The primary replica of a user pool can't be made INACTIVE.")
            return {"UserPoolReplica": _shown(ctx, pool.id, region, "ACTIVE", "PRIMARY")}
        record = _load(tx, pool, region)
        record.status, record.modified = params["Status"], ctx.clock.now()
        tx.replicas.update(record)
    return {"UserPoolReplica": _replica(ctx, record)}


@operation("DeleteUserPoolReplica")
def delete_user_pool_replica(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    region = _region(params)
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        require_primary(ctx, tx, pool, "DeleteUserPoolReplica")
        if region == home_region(pool.id):
            raise InvalidParameterException("The primary replica of a user pool can't be deleted.")
        record = _load(tx, pool, region)
        if record.status != "INACTIVE":
            raise InvalidParameterException("Only replicas in the INACTIVE status can be deleted.")
        tx.replicas.delete(pool.id, region)
    return {"UserPoolReplica": _replica(ctx, record, "DELETING")}
