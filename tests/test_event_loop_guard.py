"""A write transaction asked for on the event loop's thread is refused at once (storage.errors.OnEventLoop)
instead of holding the loop while it waits for the database; reads may run there (SQLite's quick reads do).
Each case runs on a thread with a deadline, so a regression that blocks fails instead of hanging the suite.
(SQLite and PostgreSQL.)"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import BACKENDS
from userpools.storage.engine import Store
from userpools.storage.errors import OnEventLoop

NOW = datetime(2026, 12, 3, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, database_url_for: Callable[[str], str]) -> Iterator[Store]:
    store = Store(database_url_for(request.param))
    store.migrate()
    yield store
    store.close()


def _on_a_loop(work: Callable[[], Any], seconds: float = 10) -> Any:
    """``work`` called inside a coroutine on a fresh event loop, on a thread; its result or its exception."""
    outcome: dict[str, Any] = {}

    async def main() -> None:
        try:
            outcome["result"] = work()
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the event loop is blocked"
    return outcome


def _write(store: Store) -> None:
    with store.transaction() as tx:
        tx.keys.server_secret("guard-test", lambda: "value", NOW)


def test_a_write_transaction_on_the_event_loop_is_refused(store: Store) -> None:
    outcome = _on_a_loop(lambda: _write(store))
    assert isinstance(outcome.get("error"), OnEventLoop)
    assert "Context.writing" in str(outcome["error"])


def test_it_is_refused_even_while_another_writer_holds_the_database(store: Store) -> None:
    """The case that would block forever on SQLite: the write lock is held (here by a batch, as the
    gateway's group commit holds it on the loop) when a handler on the loop asks for a transaction."""
    held = store.batch() if store.sqlite else None
    try:
        outcome = _on_a_loop(lambda: _write(store), seconds=5)
    finally:
        if held is not None:
            held.commit()  # nothing written: releases the lock
    assert isinstance(outcome.get("error"), OnEventLoop)


def test_a_read_on_the_event_loop_and_a_write_on_a_thread_are_allowed(store: Store) -> None:
    def read() -> int:
        with store.transaction(write=False) as tx:
            return 0 if tx.pools.get("us-east-1_none") is None else 1

    assert _on_a_loop(read) == {"result": 0}
    _write(store)  # no loop on this thread
    with store.transaction(write=False) as tx:
        assert tx.keys.server_secret("guard-test", lambda: "other", NOW) == "value"
