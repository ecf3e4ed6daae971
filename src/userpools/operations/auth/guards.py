"""Checks every flow shares: the request, SECRET_HASH, the user's state, failed-attempt lockout."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from userpools.domain import srp
from userpools.domain.clients import Client
from userpools.domain.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    PasswordResetRequiredException,
    UserNotFoundException,
)
from userpools.domain.pools import Pool
from userpools.domain.tokens import hash_token
from userpools.domain.users import User, UserStatus
from userpools.steps.common import find_user
from userpools.steps.context import Context
from userpools.storage.unit import Tx

INCORRECT = "Incorrect username or password."
LOCK_AFTER = 5  # consecutive failures before the first lockout
LOCK_BASE = timedelta(seconds=1)  # doubled with every further failure ...
LOCK_MAX = timedelta(minutes=15)  # ... up to this


@dataclass
class AuthRequest:
    """One InitiateAuth/RespondToAuthChallenge call (admin or not), its client and pool resolved."""

    ctx: Context
    tx: Tx
    pool: Pool
    client: Client
    parameters: dict[str, str]
    admin: bool
    metadata: dict[str, Any] = field(default_factory=dict)
    session: str | None = None  # InitiateAuth's own Session (USER_AUTH after ConfirmSignUp)

    def param(self, name: str) -> str:
        value = self.parameters.get(name)
        if not value:
            raise InvalidParameterException(f"Missing required parameter {name}")
        return value


class SignInFailure(NotAuthorizedException):
    """A wrong password: answered as NotAuthorizedException, counted in a transaction of its own."""

    code = "NotAuthorizedException"

    def __init__(self, user_id: int, now: datetime) -> None:
        super().__init__(INCORRECT)
        self.follow_up = lambda tx: record_failure(tx, user_id, now)


def new_session() -> tuple[str, str]:
    """A Session token and the hash the database keeps."""
    token = secrets.token_urlsafe(96)
    return token, hash_token(token)


def check_secret_hash(client: Client, given: str | None, *usernames: str) -> None:
    if client.secret is None:
        return
    if not given:
        raise NotAuthorizedException(f"Client {client.id} is configured for secret but secret was not received")
    for secret in client.secrets:  # two while a secret is being rotated
        for username in usernames:
            expected = srp.secret_hash(secret, username, client.id) if username else None
            if expected is not None and hmac.compare_digest(given.encode(), expected.encode()):  # bytes: any text
                return
    raise NotAuthorizedException(f"Unable to verify secret hash for client {client.id}")


def unknown_user(client: Client) -> Exception:
    if client.prevents_user_existence_errors:
        return NotAuthorizedException(INCORRECT)
    return UserNotFoundException("User does not exist.")


def signing_in_user(req: AuthRequest, username: str) -> User:
    user = find_user(req.tx, req.pool, username)
    if user is None:
        raise unknown_user(req.client)
    return user


def before_password(req: AuthRequest, user: User, *, password: bool = True) -> None:
    """What refuses a user before any password is looked at (the PreAuthentication seam follows);
    ``password`` False: a sign-in by another first factor (USER_AUTH), which a user without a password may use."""
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    if user.status is UserStatus.RESET_REQUIRED:
        raise PasswordResetRequiredException("Password reset required for the user")
    if password and user.credentials is None:
        raise NotAuthorizedException(INCORRECT)
    assert user.id is not None
    _, locked_until = req.tx.failures.get(user.id)
    if locked_until is not None and locked_until > req.ctx.clock.now():
        raise NotAuthorizedException("Password attempts exceeded")


# Past this many doublings LOCK_BASE exceeds LOCK_MAX: the exponent stops here, and so does the count kept,
# so the arithmetic is the same at the 51st failure as at the millionth (2 ** 46 days overflowed timedelta).
_DOUBLINGS = (LOCK_MAX // LOCK_BASE).bit_length()


def record_failure(tx: Tx, user_id: int, now: datetime) -> None:
    """Cognito's temporary lockout: from the fifth consecutive failure, a lockout of one second doubled with
    each further failure, up to about 15 minutes (attempts during one are refused before reaching here).
    Once a lockout has been over for 15 minutes without attempts, counting starts again."""
    failures, locked_until = tx.failures.get(user_id)
    if locked_until is not None and now >= locked_until + LOCK_MAX:
        failures = 0
    failures = min(failures + 1, LOCK_AFTER + _DOUBLINGS)
    until = None
    if failures >= LOCK_AFTER:
        until = now + min(LOCK_MAX, LOCK_BASE * 2 ** (failures - LOCK_AFTER))
    tx.failures.set(user_id, failures, until)


def signed_in(req: AuthRequest, user: User) -> None:
    """Every factor is proven: the failed attempts are forgotten (not before, so wrong MFA codes add up)."""
    assert user.id is not None
    req.tx.failures.clear(user.id)
