"""What storage tells operations when a write breaks a rule the database enforces.

Operations catch :class:`Conflict` and map its ``kind`` to Cognito's error; they never see a driver's
exception.
"""

from __future__ import annotations

from typing import Literal

ConflictKind = Literal["username", "alias", "sub", "group_member", "client_token", "unique", "missing"]


class Conflict(Exception):
    """A uniqueness or reference rule refused a write: ``kind`` says which."""

    def __init__(self, kind: ConflictKind, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind: ConflictKind = kind


class OnEventLoop(RuntimeError):
    """A programming error: a transaction that may wait was asked for on the thread running the event loop,
    which it would stall (on SQLite a write waits for the writer lock, which the loop's own batch may hold:
    for ever). Refused at once instead. Code on the loop writes through ``Context.writing``; anything else
    runs on a thread (the gateway's executor, ``run_in_threadpool``)."""
