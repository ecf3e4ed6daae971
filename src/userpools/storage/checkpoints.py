"""SQLite's write-ahead log copied into the database file off the writers' path (storage/engine.py starts it)."""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Any

log = logging.getLogger(__name__)


class Checkpointer:
    """Copies SQLite's write-ahead log into the database file on a thread of its own.

    SQLite's automatic checkpoint runs inside the commit that crosses 1,000 pages of log, its fsync
    included, while that writer holds the write lock (and, for a write on the event loop, the loop). The
    pooled connections have it off; this thread runs a PASSIVE checkpoint (which never waits for readers
    or writers) every ``interval`` seconds, on its own connection, with the GIL released.

    Under a steady stream of writes such a checkpoint never catches up with the log's end, and SQLite
    starts the log afresh only when a writer begins after one has. So once the log passes ``limit``
    pages, ``due`` is set and the next writer, holding the write lock, copies the rest before it begins
    (:meth:`Store.transaction`): only the pages written since this thread's last pass.
    """

    def __init__(self, database: str, interval: float = 0.1, limit: int = 4000) -> None:
        self.database = database
        self.interval = interval
        self.limit = limit
        self.due = False
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="userpools-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        while not self._stopped.wait(self.interval):
            try:
                if connection is None:
                    connection = sqlite3.connect(self.database, timeout=30, isolation_level=None)
                    connection.execute("PRAGMA journal_mode=WAL")  # also makes it see the log if just enabled
                _busy, pages, _copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                self.due = pages > self.limit
            except sqlite3.Error as error:  # e.g. the file is gone: try again next time
                log.debug("SQLite checkpoint failed: %s", error)
        if connection is not None:
            connection.close()

    def finish(self, driver: Any) -> None:
        """Run by a writer holding the write lock, outside any transaction, when ``due``. If this thread's
        own pass was running meanwhile (SQLite runs one checkpoint at a time), the next writer tries again."""
        ((busy, pages, copied),) = driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        self.due = bool(busy) or copied < pages

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()
