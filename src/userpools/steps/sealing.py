"""Secrets the server must read back (TOTP seeds), sealed before they are stored.

The one place that seals and unseals them: under the master key (domain/sealing.py, ``ctx.keyring``).
The seeds sit inside ``users.mfa`` (which ``userpools rotate-master-key`` re-seals: storage/sealed.py,
SEALED_IN_JSON) and in auth-session states (which a rotation discards).
"""

from __future__ import annotations

from userpools.domain import sealing
from userpools.domain.mfa import TOTP_SEALED_AS
from userpools.steps.context import Context

SEALED_AS = TOTP_SEALED_AS


def seal(ctx: Context, secret: str) -> str:
    return sealing.seal(ctx.keyring, SEALED_AS, secret)


def unseal(ctx: Context, sealed: str) -> str:
    return sealing.unseal(ctx.keyring, SEALED_AS, sealed)
