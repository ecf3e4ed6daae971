"""Bulk-load users straight through userpools' storage tables (not one HTTP call per user).

Rows are exactly what AdminCreateUser writes for a user with ``email`` and ``email_verified``: the
``users`` row, its ``user_index`` rows, and the pool's user count. One SRP verifier is computed and reused
for every loaded user (they are read, listed and counted, never signed in; the sign-in workloads use users
created over HTTP).
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from bench.names import email, username
from userpools.domain import identifiers, srp
from userpools.domain import pools as pool_rules
from userpools.domain.filters import INDEXED
from userpools.domain.pools import Pool
from userpools.storage.engine import Store
from userpools.storage.schema import user_index, users

BATCH = 5000
__all__ = ["count", "create_pool", "email", "load", "username"]


def create_pool(store: Store, name: str = "bench", region: str = "us-east-1") -> str:
    now = datetime.now(UTC)
    pool = Pool(
        id=identifiers.new_pool_id(region),
        name=name,
        config=pool_rules.new_config({"PoolName": name}),
        created=now,
        modified=now,
    )
    with store.transaction() as tx:
        tx.pools.insert(pool)
    return pool.id


def count(store: Store, pool_id: str) -> int:
    with store.transaction(write=False) as tx:
        return tx.pools.user_count(pool_id)


def load(store: Store, pool_id: str, start: int, stop: int, *, progress: bool = False) -> float:
    """Insert users ``start``..``stop - 1``; returns seconds taken."""
    began = time.monotonic()
    salt, verifier = srp.make_verifier(pool_id.split("_", 1)[1], "bench", "Bench-Passw0rd!")
    now = datetime.now(UTC)
    expires = now + timedelta(days=7)
    for low in range(start, stop, BATCH):
        high = min(stop, low + BATCH)
        rows: list[dict[str, Any]] = []
        for i in range(low, high):
            sub = str(uuid.uuid4())
            rows.append(
                {
                    "pool_id": pool_id,
                    "username": username(i),
                    "username_key": username(i),
                    "sub": sub,
                    "status": "FORCE_CHANGE_PASSWORD",
                    "enabled": True,
                    "attributes": {"sub": sub, "email": email(i), "email_verified": "true"},
                    "mfa": {},
                    "password_salt": salt,
                    "password_verifier": verifier,
                    "password_expires": expires,
                    "created": now,
                    "modified": now,
                }
            )
        with store.transaction() as tx:
            ids = (
                tx.connection.execute(insert(users).returning(users.c.id, sort_by_parameter_order=True), rows)
                .scalars()
                .all()
            )
            index_rows = [
                {"user_id": user_id, "pool_id": pool_id, "name": name, "value": value}
                for user_id, row in zip(ids, rows, strict=True)
                for name, value in row["attributes"].items()
                if name in INDEXED
            ]
            tx.connection.execute(insert(user_index), index_rows)
            tx.users.adjust_count(pool_id, len(rows))
        if progress and (high // BATCH) % 20 == 0:
            print(f"    loaded {high:,} users ({time.monotonic() - began:.0f} s)", flush=True)
    if store.dialect == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
    else:
        with store.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
    return time.monotonic() - began
