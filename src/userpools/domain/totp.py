"""RFC 6238 time-based one-time passwords (pyotp): 30-second steps, six digits, SHA-1, one step of
drift either way, and a code of a step already used refused (each step is accepted once)."""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp

STEP_SECONDS = 30
DRIFT_STEPS = 1


def new_secret() -> str:
    """A base32 secret of 32 characters (160 bits), as Cognito's SecretCode."""
    return pyotp.random_base32(32)


def accepted_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to, if it is within the drift and after ``last_step``; else None."""
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None
