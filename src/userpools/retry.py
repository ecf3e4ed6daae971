"""Retrying a blocking call a few times with short exponential backoff.

Delivery and trigger invocation both talk to things that blink; each decides which of its own
errors are worth another attempt and passes that test in.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` tries in all; the wait before try n+1 is ``backoff * 2**(n-1)`` seconds."""

    attempts: int = 3
    backoff: float = 0.2
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")


def retrying(attempt: Callable[[], T], policy: RetryPolicy, retryable: Callable[[Exception], bool]) -> T:
    """Call ``attempt`` until it returns, raises a non-retryable error, or the attempts run out.

    The last error is re-raised unchanged, so callers see their own exception types.
    """
    for number in range(1, policy.attempts + 1):
        try:
            return attempt()
        except Exception as exc:
            if number == policy.attempts or not retryable(exc):
                raise
            policy.sleep(policy.backoff * 2 ** (number - 1))
    raise AssertionError("unreachable")  # pragma: no cover
