"""Secrets the server must read back (TOTP seeds), sealed before they are stored.

The one place that seals and unseals them: under the master key (domain/sealing.py, ``ctx.keyring``).
The seeds sit inside ``users.mfa`` and auth-session states, not in a column of their own, so
``userpools rotate-master-key`` does not re-seal them yet: after a rotation users enrol TOTP again.
"""

from __future__ import annotations

from userpools.domain import sealing
from userpools.operations.context import Context

SEALED_AS = "totp-secret"


def seal(ctx: Context, secret: str) -> str:
    return sealing.seal(ctx.keyring, SEALED_AS, secret)


def unseal(ctx: Context, sealed: str) -> str:
    return sealing.unseal(ctx.keyring, SEALED_AS, sealed)
