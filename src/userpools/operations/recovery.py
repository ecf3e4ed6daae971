"""Point-in-time recovery: InitiatePointInTimeRecovery, DescribePointInTimeRecovery,
ListPointInTimeRecoveries, StartPointInTimeRecovery, CancelPointInTimeRecovery.

Initiating pauses the pool's writes of user data (storage/history.py refuses them) and computes the preview
at once, in the same transaction, so the recovery answers PREVIEW_GENERATED straight away; starting restores
in one transaction and answers RESTORE_COMPLETED. A preview neither started nor cancelled within 24 hours
expires (PREVIEW_EXPIRED) and writes resume: both are read from the clock, no job has to run.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from userpools.domain.errors import (
    ConcurrentModificationException,
    FeatureUnavailableInTierException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
)
from userpools.domain.pools import Pool
from userpools.operations import replicas
from userpools.operations.registry import operation
from userpools.steps import pagination, restore
from userpools.steps.common import load_pool
from userpools.steps.context import Context
from userpools.storage.history import PAUSED, RETENTION
from userpools.storage.recoveries import RecoveryRecord
from userpools.storage.unit import Tx

PREVIEW_LIFETIME = timedelta(hours=24)
NEWEST_POINT = timedelta(minutes=15)  # the recovery point must be at least this far in the past
WINDOWS = {"ESSENTIALS": timedelta(days=1), "PLUS": timedelta(days=14)}  # how far back, by feature plan
ACTIVE = ("PREVIEW_GENERATING", "PREVIEW_GENERATED", "RESTORING")
ACCOUNT_ACTIVE = 5  # active recoveries an account may have across its pools
PREVIEWS_A_DAY, PREVIEWS_A_MONTH = 3, 10  # previews a pool may create in 24 hours, and in 30 days


def _moment(value: Any) -> datetime:
    """RestoreTimestamp as sent: epoch seconds (botocore's default), or ISO 8601 text."""
    try:
        if isinstance(value, (int, float)) or (isinstance(value, str) and value.replace(".", "", 1).isdigit()):
            return datetime.fromtimestamp(float(value), UTC)
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        raise InvalidParameterException("RestoreTimestamp is not a valid timestamp.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def status(ctx: Context, record: RecoveryRecord) -> str:
    """The record's status, PREVIEW_EXPIRED once a preview outlived its 24 hours."""
    if record.status == "PREVIEW_GENERATED" and ctx.clock.now() >= record.trigger_at + PREVIEW_LIFETIME:
        return "PREVIEW_EXPIRED"
    return record.status


def _restoration(ctx: Context, record: RecoveryRecord) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "RestoreId": record.restore_id,
        "RestoreStatus": status(ctx, record),
        "RestoreTimestamp": record.restore_at,
        "TriggerTimestamp": record.trigger_at,
    }
    if record.preview is not None:
        shown["RestorePreview"] = record.preview
    return shown


def _load(ctx: Context, tx: Tx, params: dict[str, Any]) -> tuple[Pool, RecoveryRecord]:
    pool = load_pool(tx, params["UserPoolId"])
    record = tx.recoveries.get(pool.id, params["RestoreId"])
    if record is None:
        raise ResourceNotFoundException(f"Point-in-time recovery {params['RestoreId']} does not exist.")
    return pool, record


def _pause(tx: Tx, pool: Pool, restore_id: str | None, until: datetime | None = None) -> None:
    """Pause the pool's writes of user data until ``until`` (None: resume them)."""
    config = {k: v for k, v in pool.config.items() if k != PAUSED}
    if restore_id is not None and until is not None:
        config[PAUSED] = {"RestoreId": restore_id, "Until": until.isoformat()}
    pool.config = config
    tx.pools.update(pool)


def _check_point(ctx: Context, pool: Pool, moment: datetime, now: datetime) -> None:
    tier = str(pool.config.get("UserPoolTier") or "ESSENTIALS")
    window = WINDOWS.get(tier)
    if window is None:
        raise FeatureUnavailableInTierException(
            "Point-in-time recovery requires the Essentials or Plus feature plan; this user pool is on the "
            f"{tier.capitalize()} feature plan."
        )
    if moment > now - NEWEST_POINT:
        raise InvalidParameterException("RestoreTimestamp must be at least 15 minutes in the past.")
    if moment < pool.created:
        raise InvalidParameterException("RestoreTimestamp can't be earlier than the creation time of the user pool.")
    if moment < now - min(window, RETENTION):
        days = min(window, RETENTION).days
        plan = "Plus" if tier == "PLUS" else "Essentials"
        raise InvalidParameterException(
            f"RestoreTimestamp can be at most {days} day{'s' if days != 1 else ''} in the past "
            f"with the {plan} feature plan."
        )


def _check_quotas(ctx: Context, tx: Tx, pool: Pool, now: datetime) -> None:
    recent = tx.recoveries.of_pool(pool.id, since=now - timedelta(days=30))
    if any(status(ctx, r) in ACTIVE for r in recent):
        raise ConcurrentModificationException("A point-in-time recovery of this user pool is already in progress.")
    day = now - timedelta(hours=24)
    if any(r.status == "RESTORE_COMPLETED" and r.finished and r.finished > day for r in recent):
        raise LimitExceededException("You can complete one point-in-time recovery of a user pool in 24 hours.")
    if sum(r.trigger_at > day for r in recent) >= PREVIEWS_A_DAY or len(recent) >= PREVIEWS_A_MONTH:
        raise LimitExceededException(
            f"You can create {PREVIEWS_A_DAY} recovery previews of a user pool in 24 hours "
            f"and {PREVIEWS_A_MONTH} in 30 days."
        )
    if sum(status(ctx, r) in ACTIVE for r in tx.recoveries.active(ACTIVE)) >= ACCOUNT_ACTIVE:
        raise LimitExceededException(f"An account can have up to {ACCOUNT_ACTIVE} active recoveries at a time.")


@operation("InitiatePointInTimeRecovery")
def initiate_point_in_time_recovery(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    moment = _moment(params["RestoreTimestamp"])
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        replicas.require_primary(ctx, tx, pool, "Point-in-time recovery")
        now = ctx.clock.now()
        _check_point(ctx, pool, moment, now)
        _check_quotas(ctx, tx, pool, now)
        work = restore.plan(tx, pool, moment)
        record = RecoveryRecord(str(uuid.uuid4()), pool.id, "PREVIEW_GENERATED", moment, now, work.preview())
        tx.recoveries.insert(record)
        _pause(tx, pool, record.restore_id, now + PREVIEW_LIFETIME)
    return {"Restoration": _restoration(ctx, record)}


@operation("DescribePointInTimeRecovery")
def describe_point_in_time_recovery(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        _pool, record = _load(ctx, tx, params)
    return {"Restoration": _restoration(ctx, record)}


@operation("ListPointInTimeRecoveries")
def list_point_in_time_recoveries(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    page = pagination.request(ctx, params.get("NextToken"), int(params.get("MaxResults") or 60))
    after = pagination.moment_cursor(page.after)
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        rows = tx.recoveries.page(pool.id, after, page.fetch)
    found, following = pagination.split(ctx, page, rows, lambda r: pagination.moment_of(r.trigger_at, r.restore_id))
    shown = [
        {"RestoreId": r.restore_id, "RestoreStatus": status(ctx, r), "RestoreTimestamp": r.restore_at} for r in found
    ]
    result: dict[str, Any] = {"Restorations": shown}
    if following:
        result["NextToken"] = following
    return result


@operation("StartPointInTimeRecovery")
def start_point_in_time_recovery(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool, record = _load(ctx, tx, params)
        current = status(ctx, record)
        if current != "PREVIEW_GENERATED":
            raise InvalidParameterException(f"The recovery can't be started because its status is {current}.")
        _pause(tx, pool, None)  # the restore's own writes go through; nobody else's can meanwhile (one transaction)
        restore.apply(tx, pool, restore.plan(tx, pool, record.restore_at))
        record.status, record.finished = "RESTORE_COMPLETED", ctx.clock.now()
        tx.recoveries.update(record)
    return {"Restoration": _restoration(ctx, record)}


@operation("CancelPointInTimeRecovery")
def cancel_point_in_time_recovery(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool, record = _load(ctx, tx, params)
        current = status(ctx, record)
        if current not in ("PREVIEW_GENERATING", "PREVIEW_GENERATED"):
            raise InvalidParameterException(f"The recovery can't be cancelled because its status is {current}.")
        _pause(tx, pool, None)
        record.status, record.finished = "PREVIEW_CANCELLED", ctx.clock.now()
        tx.recoveries.update(record)
    return {"Restoration": _restoration(ctx, record)}
