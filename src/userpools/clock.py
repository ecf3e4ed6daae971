"""Time as a dependency: the server asks a clock, tests pin one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class MovableClock:
    """The system clock plus an offset that a test suite can move forward or back (``/_userpools/clock``).

    A live server's TOTP windows, code expiry and token lifetimes are then tested without editing rows.
    """

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def move(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)

    def set_offset(self, seconds: float) -> None:
        self.offset = timedelta(seconds=seconds)


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)
