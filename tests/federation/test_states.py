"""Federation states (OIDC state, SAML RelayState and one-time assertion keys) on both backends: each is
spent once, and expired ones do not pile up."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from userpools.domain.pools import Pool
from userpools.storage.engine import Store
from userpools.storage.schema import federation_states

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def test_a_state_is_spent_once_and_expired_ones_are_swept(store: Store) -> None:
    pool = Pool(id=f"us-east-1_{uuid.uuid4().hex[:9]}", name="p", config={}, created=NOW, modified=NOW)
    with store.transaction() as tx:
        tx.pools.insert(pool)
        tx.identity_providers.add_state("live", pool.id, "Okta", "n1", "q=1", NOW + timedelta(minutes=5))
        for abandoned in ("gone-1", "gone-2"):
            tx.identity_providers.add_state(abandoned, pool.id, "Okta", "n", "q", NOW - timedelta(seconds=1))
        assert tx.identity_providers.remember_once("assertion", pool.id, "Okta", "", NOW - timedelta(seconds=1))
    with store.transaction() as tx:
        assert tx.identity_providers.take_state("unknown", NOW) is None  # sweeps the expired ones on the way
        left = tx.connection.execute(select(federation_states.c.state_hash)).scalars().all()
        assert left == ["live"]
        assert tx.identity_providers.take_state("live", NOW) == (pool.id, "Okta", "n1", "q=1")
        assert tx.identity_providers.take_state("live", NOW) is None
        count = tx.connection.execute(select(func.count()).select_from(federation_states)).scalar_one()
    assert count == 0


def test_an_expired_state_is_refused(store: Store) -> None:
    pool = Pool(id=f"us-east-1_{uuid.uuid4().hex[:9]}", name="p", config={}, created=NOW, modified=NOW)
    with store.transaction() as tx:
        tx.pools.insert(pool)
        tx.identity_providers.add_state("late", pool.id, "Okta", "n", "q", NOW)
    with store.transaction() as tx:
        assert tx.identity_providers.take_state("late", NOW) is None
