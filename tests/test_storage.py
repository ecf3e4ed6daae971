"""The storage contract, run on SQLite and on a real PostgreSQL: constraints, cascades, time, restarts."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic import command
from botocore.exceptions import ClientError
from sqlalchemy import select

from tests.conftest import BACKENDS, client_for, error_of, outbox
from tests.support import Server
from userpools.domain.filters import Filter
from userpools.domain.pools import Pool
from userpools.domain.users import User, UserStatus
from userpools.operations.auth import issue
from userpools.settings import Settings
from userpools.steps.context import Context
from userpools.storage.clients import StoredClient
from userpools.storage.conflicts import conflicting_table
from userpools.storage.engine import Store, WriterBusy
from userpools.storage.errors import Conflict
from userpools.storage.migrate import config
from userpools.storage.schema import auth_sessions, pool_user_counts, pools, signing_keys, users

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def make_pool(store: Store) -> Pool:
    pool = Pool(id=f"us-east-1_{uuid.uuid4().hex[:9]}", name="p", config={}, created=NOW, modified=NOW)
    with store.transaction() as tx:
        tx.pools.insert(pool)
    return pool


def new_user(pool: Pool, username: str, **attributes: str) -> User:
    sub = str(uuid.uuid4())
    return User(
        pool_id=pool.id,
        username=username,
        sub=sub,
        status=UserStatus.CONFIRMED,
        enabled=True,
        attributes={"sub": sub, **attributes},
        created=NOW,
        modified=NOW,
    )


def test_migrations_are_idempotent(store: Store) -> None:
    store.migrate()
    store.migrate()


def test_user_count_follows_inserts_and_deletes_without_counting(store: Store) -> None:
    """EstimatedNumberOfUsers comes from a few shard rows kept by insert and delete, not a count of users."""
    pool, other = make_pool(store), make_pool(store)
    ids = []
    with store.transaction() as tx:
        for i in range(40):
            user = new_user(pool, f"n{i}")
            ids.append(tx.users.insert(user, f"n{i}"))
        tx.users.insert(new_user(other, "elsewhere"), "elsewhere")
    with store.transaction() as tx:
        for user_id in ids[:15]:
            tx.users.delete(user_id)
        tx.users.delete(ids[0])  # already gone: no change
    with store.transaction(write=False) as tx:
        assert tx.pools.user_count(pool.id) == 25
        assert tx.pools.user_count(other.id) == 1
        rows = tx.connection.execute(select(pool_user_counts).where(pool_user_counts.c.pool_id == pool.id)).all()
    assert 1 < len(rows) <= 16  # spread over shards
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.users.insert(new_user(pool, "rolled-back"), "rolled-back")
        raise RuntimeError
    with store.transaction() as tx:
        assert tx.pools.user_count(pool.id) == 25
        tx.pools.delete(pool.id)
    with store.transaction(write=False) as tx:
        assert tx.pools.user_count(pool.id) == 0
        assert tx.connection.execute(select(pool_user_counts).where(pool_user_counts.c.pool_id == pool.id)).all() == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_user_count_migration_counts_existing_users(backend: str, database_url_for: Callable[[str], str]) -> None:
    """Migration 0004 fills the counts of a database whose users were written before it."""
    store = Store(database_url_for(backend))
    try:
        cfg = config()
        with store.engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "0002")
            command.upgrade(cfg, "0003")
            connection.execute(
                pools.insert().values(id="us-east-1_old", name="old", config={}, created=NOW, modified=NOW)
            )
            connection.execute(
                users.insert(),
                [
                    {
                        "pool_id": "us-east-1_old",
                        "username": f"u{i}",
                        "username_key": f"u{i}",
                        "sub": str(uuid.uuid4()),
                        "status": "CONFIRMED",
                        "enabled": True,
                        "attributes": {},
                        "mfa": {},
                        "created": NOW,
                        "modified": NOW,
                    }
                    for i in range(7)
                ],
            )
        store.migrate()
        with store.transaction(write=False) as tx:
            assert tx.pools.user_count("us-east-1_old") == 7
    finally:
        store.close()


def test_username_key_is_unique_per_pool(store: Store) -> None:
    pool, other = make_pool(store), make_pool(store)
    with store.transaction() as tx:
        tx.users.insert(new_user(pool, "Alice"), "alice")
        tx.users.insert(new_user(other, "alice"), "alice")
    with pytest.raises(Conflict) as excinfo, store.transaction() as tx:
        tx.users.insert(new_user(pool, "ALICE"), "alice")
    assert excinfo.value.kind == "username"
    assert conflicting_table(excinfo.value.__cause__) == "users"  # type: ignore[arg-type]


def test_a_claim_on_a_taken_username_writes_nothing(store: Store) -> None:
    pool, other = make_pool(store), make_pool(store)
    with store.transaction() as tx:
        first = new_user(pool, "taken", email="first@example.com")
        assert tx.users.claim(first, "taken") and first.id is not None
        second = new_user(pool, "Taken", email="second@example.com")
        assert not tx.users.claim(second, "taken") and second.id is None
        assert tx.users.claim(new_user(other, "taken"), "taken")  # another pool's username
    with store.transaction(write=False) as tx:
        assert tx.pools.user_count(pool.id) == 1
        found = tx.users.get(pool.id, "taken")
        assert found is not None and found.id == first.id and found.username == "taken"
        assert tx.users.page(pool.id, Filter("email", False, "second@example.com"), None, 10) == []


def test_alias_belongs_to_one_user(store: Store) -> None:
    pool = make_pool(store)
    with store.transaction() as tx:
        first, second = new_user(pool, "a"), new_user(pool, "b")
        tx.users.insert(first, "a")
        tx.users.insert(second, "b")
        tx.users.set_aliases(first, {"email": "x@example.com"})
    with pytest.raises(Conflict) as excinfo, store.transaction() as tx:
        tx.users.set_aliases(second, {"email": "x@example.com"})
    assert excinfo.value.kind == "alias"
    assert conflicting_table(excinfo.value.__cause__) == "aliases"  # type: ignore[arg-type]
    with store.transaction(write=False) as tx:
        owner = tx.users.get_by_alias(pool.id, "email", "x@example.com")
        assert owner is not None and owner.username == "a"


def test_failed_transaction_leaves_nothing(store: Store) -> None:
    pool = make_pool(store)
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.users.insert(new_user(pool, "ghost", email="g@example.com"), "ghost")
        raise RuntimeError("boom")
    with store.transaction(write=False) as tx:
        assert tx.users.get(pool.id, "ghost") is None
        assert tx.users.page(pool.id, None, None, 10) == []


def test_a_batch_keeps_or_undoes_each_write_alone_and_holds_the_writer_lock(
    database_url_for: Callable[[str], str],
) -> None:
    """Group commit (SQLite, the gateway's event-loop writes): each write in a savepoint of one transaction.
    One that fails undoes only its own rows; no other writer gets in before the commit."""
    store = Store(database_url_for("sqlite"))
    store.migrate()
    try:
        pool = make_pool(store)
        batch = store.batch(wait=False)
        with batch.savepoint() as tx:
            tx.users.insert(new_user(pool, "kept", email="k@example.com"), "kept")
        with pytest.raises(RuntimeError), batch.savepoint() as tx:
            tx.users.insert(new_user(pool, "undone", email="u@example.com"), "undone")
            raise RuntimeError("boom")
        with pytest.raises(Conflict), batch.savepoint() as tx:
            tx.users.insert(new_user(pool, "kept"), "kept")
        with batch.savepoint() as tx:
            assert tx.users.get(pool.id, "undone") is None
            tx.users.insert(new_user(pool, "also"), "also")
        with pytest.raises(WriterBusy):
            store.batch(wait=False)

        def write_after() -> None:
            with store.transaction() as tx:
                tx.users.insert(new_user(pool, "after"), "after")

        with ThreadPoolExecutor(1) as executor:
            later = executor.submit(write_after)
            time.sleep(0.3)
            assert not later.done()
            with store.transaction(write=False) as tx:  # readers see none of the batch before its commit
                assert tx.users.get(pool.id, "kept") is None
            batch.commit()
            later.result(timeout=10)
        with store.transaction(write=False) as tx:
            names = sorted(user.username for user, _ in tx.users.page(pool.id, None, None, 10))
            assert names == ["after", "also", "kept"]
            assert tx.pools.user_count(pool.id) == 3
            assert tx.users.page(pool.id, Filter("email", False, "u@example.com"), None, 10) == []  # its index rows too
    finally:
        store.close()


def test_a_write_checked_first_needs_no_savepoint_until_it_fails_having_written(
    database_url_for: Callable[[str], str],
) -> None:
    """``checked_first``: a write refused before it changed a row leaves the batch as it was; one that raises
    having written breaks the batch, which then commits nothing (the gateway runs its requests again)."""
    store = Store(database_url_for("sqlite"))
    store.migrate()
    try:
        pool = make_pool(store)
        batch = store.batch(wait=False)
        with batch.savepoint(checked_first=True) as tx:
            tx.users.insert(new_user(pool, "first"), "first")
        with pytest.raises(RuntimeError), batch.savepoint(checked_first=True) as tx:
            assert tx.users.get(pool.id, "first") is not None
            raise RuntimeError("refused before writing")
        with batch.savepoint(checked_first=True) as tx:
            tx.users.insert(new_user(pool, "second"), "second")
        batch.commit()
        with store.transaction(write=False) as tx:
            assert sorted(user.username for user, _ in tx.users.page(pool.id, None, None, 10)) == ["first", "second"]
            assert tx.pools.user_count(pool.id) == 2

        batch = store.batch(wait=False)
        with batch.savepoint(checked_first=True) as tx:
            tx.users.insert(new_user(pool, "lost"), "lost")
        with pytest.raises(RuntimeError, match="after writing"), batch.savepoint(checked_first=True) as tx:
            tx.users.insert(new_user(pool, "half"), "half")
            raise RuntimeError("refused after writing")
        with pytest.raises(RuntimeError, match="after writing"), batch.savepoint() as tx:
            pass  # the batch is broken: no further write joins it
        with pytest.raises(RuntimeError, match="after writing"):
            batch.commit()
        store.batch(wait=False).commit()  # the writer lock was handed back
        with store.transaction(write=False) as tx:
            assert sorted(user.username for user, _ in tx.users.page(pool.id, None, None, 10)) == ["first", "second"]
            assert tx.pools.user_count(pool.id) == 2
    finally:
        store.close()


def test_the_signing_key_is_kept_once_read_and_never_one_that_was_rolled_back(store: Store) -> None:
    """A pool's first key is generated by the sign-in that needs it; one whose transaction rolled back never
    signs. Once read from the database the key is kept, so later sign-ins do not read it again."""
    pool = make_pool(store)
    ctx = Context(store, Settings())
    with pytest.raises(RuntimeError), store.transaction() as tx:
        lost = issue.signing_key(ctx, tx, pool.id)
        raise RuntimeError("rolled back")
    with store.transaction() as tx:
        made = issue.signing_key(ctx, tx, pool.id)
    assert made.kid != lost.kid
    with store.transaction() as tx:
        assert [kid for kid, _, _ in tx.keys.signing_keys(pool.id)] == [made.kid]
        assert issue.signing_key(ctx, tx, pool.id) is made  # read back, and kept from now on
        tx.connection.execute(signing_keys.delete().where(signing_keys.c.pool_id == pool.id))  # not read again
    with store.transaction() as tx:
        assert issue.signing_key(ctx, tx, pool.id) is made


def test_a_pool_is_read_as_stored_even_when_its_parsed_config_is_reused(store: Store) -> None:
    """The parsed configuration is reused only while the stored text is the same: a change made behind this
    process's back (another instance) is read at once, and a config replaced but not saved changes nothing."""
    pool = make_pool(store)
    with store.transaction(write=False) as tx:
        first = tx.pools.get(pool.id)
    with store.transaction(write=False) as tx:
        again = tx.pools.get(pool.id)
    assert first is not None and again is not None and again.config == {}
    again.config = {**again.config, "UserPoolTags": {"unsaved": "yes"}}
    with store.transaction() as tx:  # as another instance would: the row itself, not through this process
        tx.connection.execute(pools.update().where(pools.c.id == pool.id).values(config={"MfaConfiguration": "ON"}))
    with store.transaction(write=False) as tx:
        changed = tx.pools.get(pool.id)
        listed = [p for p in tx.pools.page(None, 100) if p.id == pool.id]
    assert changed is not None and changed.config == {"MfaConfiguration": "ON"}
    assert [p.config for p in listed] == [{"MfaConfiguration": "ON"}]
    assert first.config == {}


def test_a_thread_that_keeps_a_reader_reads_on_one_connection_and_sees_every_commit(
    database_url_for: Callable[[str], str],
) -> None:
    """Store.keep_reader (SQLite, the event loop's reads): that thread's read transactions share one connection
    outside the pool, each a fresh snapshot; writes and other threads still take pooled connections."""
    store = Store(database_url_for("sqlite"))
    store.migrate()
    try:
        pool = make_pool(store)
        store.keep_reader()
        with store.transaction(write=False) as tx:
            kept = tx.driver
            assert tx.users.get(pool.id, "later") is None
        with store.transaction() as tx:
            assert tx.driver is not kept
            tx.users.insert(new_user(pool, "later"), "later")
        with pytest.raises(RuntimeError), store.transaction(write=False) as tx:
            assert tx.driver is kept
            raise RuntimeError("a failed read leaves the connection usable")
        with store.transaction(write=False) as tx:
            assert tx.driver is kept and kept.in_transaction
            assert tx.users.get(pool.id, "later") is not None

        def elsewhere() -> Any:
            with store.transaction(write=False) as tx:
                return tx.driver

        with ThreadPoolExecutor(1) as executor:
            assert executor.submit(elsewhere).result() is not kept
        assert not kept.in_transaction
    finally:
        store.close()


def test_a_session_is_taken_once_and_every_expired_one_is_swept(store: Store) -> None:
    pool = make_pool(store)
    later = datetime(2026, 11, 26, 12, 5, tzinfo=UTC)
    with store.transaction() as tx:
        for key, expires in (("live", later), ("stale", NOW), ("other-stale", NOW)):
            tx.auth_sessions.put(key, pool.id, "client", "PASSWORD_VERIFIER", {"k": key}, expires)
    moment = datetime(2026, 11, 26, 12, 1, tzinfo=UTC)
    with store.transaction() as tx:
        assert tx.auth_sessions.take("unknown", moment) is None  # sweeps both stale ones on the way
        taken = tx.auth_sessions.take("live", moment)
        assert taken is not None and taken.state == {"k": "live"} and taken.expires == later
        assert tx.auth_sessions.take("live", moment) is None
        assert tx.auth_sessions.take("stale", moment) is None
        left = tx.connection.execute(select(auth_sessions.c.key_hash)).scalars().all()
    assert left == []


def test_a_client_is_read_with_its_pool(store: Store) -> None:
    pool = make_pool(store)
    with store.transaction() as tx:
        tx.clients.insert(StoredClient("client-1", pool.id, "c", None, {"a": 1}, NOW, NOW))
    with store.transaction(write=False) as tx:
        found = tx.clients.get_with_pool("client-1")
        assert tx.clients.get_with_pool("missing") is None
    assert found is not None
    row, loaded = found
    assert row == StoredClient("client-1", pool.id, "c", None, {"a": 1}, NOW, NOW)
    assert (loaded.id, loaded.name, loaded.config, loaded.created) == (pool.id, "p", {}, NOW)


def test_deleting_a_pool_cascades(store: Store) -> None:
    pool = make_pool(store)
    with store.transaction() as tx:
        user = new_user(pool, "c", email="c@example.com")
        tx.users.insert(user, "c")
        tx.users.set_aliases(user, {"email": "c@example.com"})
        tx.pools.delete(pool.id)
    with store.transaction(write=False) as tx:
        assert tx.users.get(pool.id, "c") is None
        assert tx.users.alias_owner(pool.id, "email", "c@example.com") is None


def test_times_round_trip_as_utc(store: Store) -> None:
    pool = make_pool(store)
    with store.transaction(write=False) as tx:
        loaded = tx.pools.get(pool.id)
    assert loaded is not None and loaded.created == NOW and loaded.created.tzinfo is not None


def test_index_follows_attribute_changes(store: Store) -> None:
    from userpools.domain.filters import Filter

    pool = make_pool(store)
    with store.transaction() as tx:
        user = new_user(pool, "d", email="old@example.com")
        tx.users.insert(user, "d")
        user.attributes["email"] = "new@example.com"
        tx.users.update(user)
    with store.transaction(write=False) as tx:
        assert tx.users.page(pool.id, Filter("email", False, "old@example.com"), None, 10) == []
        ((found, _),) = tx.users.page(pool.id, Filter("email", True, "new@"), None, 10)
        assert found.username == "d"


@pytest.mark.parametrize("backend", BACKENDS)
def test_restart_loses_nothing(backend: str, database_url_for: Callable[[str], str]) -> None:
    url = database_url_for(backend)
    first = Server(url)
    try:
        cognito: Any = client_for(first.url)
        pool = cognito.create_user_pool(PoolName="durable")["UserPool"]["Id"]
        cognito.admin_create_user(UserPoolId=pool, Username="kept", MessageAction="SUPPRESS")
    finally:
        first.stop()
    second = Server(url)
    try:
        cognito = client_for(second.url)
        assert cognito.admin_get_user(UserPoolId=pool, Username="kept")["Username"] == "kept"
    finally:
        second.stop()


def test_failed_create_leaves_no_alias_change(cognito: Any, server: Server, make_pool: Callable[..., str]) -> None:
    pool = make_pool(AliasAttributes=["email"])
    verified = [{"Name": "email", "Value": "keep@example.com"}, {"Name": "email_verified", "Value": "true"}]
    cognito.admin_create_user(UserPoolId=pool, Username="owner", UserAttributes=verified, MessageAction="SUPPRESS")
    with pytest.raises(ClientError) as excinfo:  # the alias would move, then the SMS has no phone: all undone
        cognito.admin_create_user(
            UserPoolId=pool,
            Username="taker",
            UserAttributes=verified,
            ForceAliasCreation=True,
            DesiredDeliveryMediums=["SMS"],
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"
    owner = {a["Name"]: a["Value"] for a in cognito.admin_get_user(UserPoolId=pool, Username="owner")["UserAttributes"]}
    assert owner["email_verified"] == "true"
    assert cognito.admin_get_user(UserPoolId=pool, Username="keep@example.com")["Username"] == "owner"
    assert [u["Username"] for u in cognito.list_users(UserPoolId=pool)["Users"]] == ["owner"]
    assert outbox(server, pool=pool) == []
