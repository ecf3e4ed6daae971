"""The gateway's threads: as many run requests as the database has connections, and one more may start for
each of them waiting outside the server.

A process runs Python on one core at a time: more threads than connections only add GIL hand-offs and waits
for a connection (bench/README.md, "Handler threads"), so requests run on as many threads as connections. But
a request calling a trigger or a mail server may wait seconds, and must not keep the others from running
meanwhile: while a thread waits outside (:func:`outside`, around the outbound HTTP, Lambda and SMTP calls),
the pool may start one more thread, up to ``most`` (Settings.handler_threads).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

_OWN = threading.local()  # .workers: the Workers whose thread this is


class Workers(ThreadPoolExecutor):
    def __init__(self, running: int, most: int) -> None:
        running = max(1, running)
        super().__init__(max_workers=running, thread_name_prefix="userpools", initializer=self._mark)
        self._most = max(running, most)
        self._widen = threading.Lock()

    def _mark(self) -> None:
        _OWN.workers = self

    def _wider(self, by: int) -> bool:
        """Let ``by`` more (or fewer) threads run requests; False when ``most`` already are allowed."""
        with self._widen:
            if by > 0 and self._max_workers >= self._most:
                return False
            self._max_workers += by  # what ThreadPoolExecutor checks before it starts another thread
            return True


@contextmanager
def outside() -> Iterator[None]:
    """Wait on something outside the server, letting the pool start another thread to run requests meanwhile;
    a no-op on a thread that is not the gateway's (the event loop, a page's thread)."""
    workers: Workers | None = getattr(_OWN, "workers", None)
    widened = workers is not None and workers._wider(1)
    try:
        yield
    finally:
        if widened:
            assert workers is not None
            workers._wider(-1)
