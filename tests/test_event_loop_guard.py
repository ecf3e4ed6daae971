"""Code on the event loop never waits for the database: a transaction that may wait (any write, anything on
PostgreSQL) raises storage.errors.OnEventLoop at once, even while the loop's own batch holds SQLite's writer
lock (the case that used to block for ever). Every case runs its loop on a thread joined with a deadline, so
a regression fails instead of hanging the suite."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from userpools.settings import Settings
from userpools.steps.context import Context
from userpools.storage.engine import Store
from userpools.storage.errors import OnEventLoop

NOW = datetime(2026, 12, 3, tzinfo=UTC)


def _on_the_loop(work: Callable[[], Any], seconds: float = 10) -> BaseException | None:
    """What ``work``, called in a coroutine on an event loop of its own thread, raised (None: it returned)."""
    raised: list[BaseException | None] = []

    async def main() -> None:
        try:
            work()
            raised.append(None)
        except BaseException as error:
            raised.append(error)

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the event loop is blocked"
    return raised[0]


def _write(store: Store) -> None:
    with store.transaction() as tx:
        tx.keys.server_secret("guard", lambda: "written", NOW)


def test_a_write_transaction_on_the_event_loop_raises(store: Store) -> None:
    error = _on_the_loop(lambda: _write(store))
    assert isinstance(error, OnEventLoop) and isinstance(error, RuntimeError)
    assert "Context.writing()" in str(error) and "thread" in str(error)


def test_it_raises_while_the_loops_batch_holds_the_writer_lock(database_url_for: Callable[[str], str]) -> None:
    """What a quick handler opening a transaction did on SQLite: wait for the lock its own loop held."""
    store = Store(database_url_for("sqlite"))
    store.migrate()
    try:
        held: list[Any] = []

        def quick_handler() -> None:
            held.append(store.batch(wait=False))  # as the gateway opens one on the loop
            ctx = Context(store, Settings()).in_batch(held[0])
            with ctx.writing() as tx:  # the batch's savepoint: allowed
                tx.keys.server_secret("guard", lambda: "batched", NOW)
            _write(store)

        error = _on_the_loop(quick_handler, seconds=5)
        assert isinstance(error, OnEventLoop)
        held[0].commit()
        with store.transaction(write=False) as tx:
            assert tx.keys.server_secret("guard", lambda: "other", NOW) == "batched"
    finally:
        store.close()


def test_a_batch_that_would_wait_on_the_event_loop_raises(database_url_for: Callable[[str], str]) -> None:
    store = Store(database_url_for("sqlite"))
    try:
        assert isinstance(_on_the_loop(lambda: store.batch().commit()), OnEventLoop)
        store.batch().commit()  # off the loop it waits, as the gateway's thread does
    finally:
        store.close()


def test_reads_on_the_loop_only_on_sqlite_and_writes_off_it(store: Store) -> None:
    def read() -> None:
        with store.transaction(write=False) as tx:
            assert tx.pools.get("us-east-1_none") is None

    error = _on_the_loop(read)
    assert error is None if store.sqlite else isinstance(error, OnEventLoop)
    _write(store)  # no loop on this thread
    with store.transaction(write=False) as tx:
        assert tx.keys.server_secret("guard", lambda: "other", NOW) == "written"
