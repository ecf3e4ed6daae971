"""userpools.slots.Workers: requests run on as many threads as database connections, and while one waits outside
the server (a trigger, a mail server: slots.outside) another thread may start, up to the cap, so a slow trigger
does not keep the other requests waiting. Futures with deadlines: a regression fails instead of hanging."""

from __future__ import annotations

import threading
from concurrent.futures import TimeoutError as FutureTimeout

import pytest

from userpools import slots
from userpools.slots import Workers


def _blocked(release: threading.Event, started: threading.Event, *, outside: bool) -> str:
    started.set()
    if outside:
        with slots.outside():
            release.wait(5)
    else:
        release.wait(5)
    return "slow"


def test_a_request_waiting_outside_lets_another_run() -> None:
    workers = Workers(1, 4)
    release, started = threading.Event(), threading.Event()
    try:
        slow = workers.submit(_blocked, release, started, outside=True)
        assert started.wait(5)
        assert workers.submit(lambda: "quick").result(timeout=2) == "quick"
        release.set()
        assert slow.result(timeout=5) == "slow"
    finally:
        release.set()
        workers.shutdown(wait=True)


def test_requests_busy_inside_run_one_per_connection() -> None:
    workers = Workers(1, 4)
    release, started = threading.Event(), threading.Event()
    try:
        workers.submit(_blocked, release, started, outside=False)
        assert started.wait(5)
        quick = workers.submit(lambda: "quick")
        with pytest.raises(FutureTimeout):
            quick.result(timeout=0.3)  # the one thread is busy: no second one starts
        release.set()
        assert quick.result(timeout=5) == "quick"
    finally:
        release.set()
        workers.shutdown(wait=True)


def test_no_more_threads_than_the_cap() -> None:
    workers = Workers(1, 2)
    release = threading.Event()
    first, second = threading.Event(), threading.Event()
    try:
        workers.submit(_blocked, release, first, outside=True)
        assert first.wait(5)
        workers.submit(_blocked, release, second, outside=True)  # the second thread, allowed by the first's wait
        assert second.wait(5)
        third = workers.submit(lambda: "third")
        with pytest.raises(FutureTimeout):
            third.result(timeout=0.3)  # two threads, both waiting outside: the cap
        release.set()
        assert third.result(timeout=5) == "third"
    finally:
        release.set()
        workers.shutdown(wait=True)


def test_outside_is_a_no_op_on_other_threads() -> None:
    with slots.outside():
        pass  # the event loop's thread, a page's thread: nothing to widen
