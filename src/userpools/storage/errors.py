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
    """A write transaction was asked for on the thread running the event loop. It would hold the loop while it
    waits for the database (on SQLite, for the writer lock, which the loop's own batch may hold: forever), so
    it is refused at once. Handlers on the loop write through ``Context.writing``; others run on a thread."""
