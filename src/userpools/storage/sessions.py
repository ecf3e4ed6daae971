"""Sign-in state: pending auth challenges, refresh tokens, failed-attempt counters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from userpools.storage.errors import Conflict
from userpools.storage.schema import auth_sessions, refresh_tokens, sign_in_failures
from userpools.storage.statements import Query, Repository, Session


def _p(name: str) -> Any:
    return bindparam(name)


_SESSION_COLUMNS = ("key_hash", "pool_id", "client_id", "challenge", "state", "expires")
_PUT_SESSION = Query(insert(auth_sessions).values({auth_sessions.c[k]: _p(f"v_{k}") for k in _SESSION_COLUMNS}))
# The session asked for and every expired one, in one statement (a round trip fewer on PostgreSQL).
_TAKE_SESSION = Query(
    delete(auth_sessions)
    .where(or_(auth_sessions.c.key_hash == _p("key_hash"), auth_sessions.c.expires < _p("now")))
    .returning(*auth_sessions.c)
)

_TOKEN_COLUMNS = ("token_hash", "origin_jti", "pool_id", "client_id", "user_id", "auth_time", "expires")
_ADD_TOKEN = Query(
    insert(refresh_tokens).values(
        {**{refresh_tokens.c[k]: _p(f"v_{k}") for k in _TOKEN_COLUMNS}, refresh_tokens.c.revoked: _p("v_revoked")}
    )
)
_GET_TOKEN = Query(select(refresh_tokens).where(refresh_tokens.c.token_hash == _p("token_hash")))
_TOKEN_BY_ORIGIN = Query(select(refresh_tokens).where(refresh_tokens.c.origin_jti == _p("origin_jti")))

_GET_FAILURES = Query(
    select(sign_in_failures.c.failures, sign_in_failures.c.locked_until).where(
        sign_in_failures.c.user_id == _p("user_id")
    )
)
_CLEAR_FAILURES = Query(delete(sign_in_failures).where(sign_in_failures.c.user_id == _p("user_id")))
_ADD_FAILURES = Query(
    insert(sign_in_failures).values(
        user_id=_p("v_user_id"), failures=_p("v_failures"), locked_until=_p("v_locked_until")
    )
)


@dataclass(frozen=True)
class PendingSession:
    """A sign-in step waiting for its answer (a challenge, an MFA setup, a passkey registration); ``state`` as
    stored, sealed (steps/sealing.py)."""

    pool_id: str
    client_id: str
    challenge: str
    state: Any
    expires: datetime


@dataclass(frozen=True)
class StoredRefreshToken:
    """A refresh token by its hash: whose, for which client, since when, until when, and whether revoked."""

    token_hash: str
    origin_jti: str
    pool_id: str
    client_id: str
    user_id: int
    auth_time: datetime
    expires: datetime
    revoked: bool


def _refresh_token(row: Any) -> StoredRefreshToken | None:
    if row is None:
        return None
    return StoredRefreshToken(
        row.token_hash,
        row.origin_jti,
        row.pool_id,
        row.client_id,
        int(row.user_id),
        row.auth_time,
        row.expires,
        bool(row.revoked),
    )


class AuthSessionRepository(Repository):
    def put(
        self, key_hash: str, pool_id: str, client_id: str, challenge: str, state: dict[str, Any], expires: datetime
    ) -> None:
        _PUT_SESSION.run(
            self.session,
            v_key_hash=key_hash,
            v_pool_id=pool_id,
            v_client_id=client_id,
            v_challenge=challenge,
            v_state=state,
            v_expires=expires,
        )

    def replace(
        self,
        key_hash: str,
        pool_id: str,
        client_id: str,
        challenge: str,
        state: dict[str, Any],
        now: datetime,
        expires: datetime,
    ) -> None:
        """:meth:`put`, in the place of any session waiting under the same key; Conflict("unique") when another
        transaction puts one there at the same moment."""
        self.take(key_hash, now)
        try:
            with self.c.begin_nested():
                self.put(key_hash, pool_id, client_id, challenge, state, expires)
        except IntegrityError:
            raise Conflict("unique", "auth session") from None

    def take(self, key_hash: str, now: datetime) -> PendingSession | None:
        """The session with this key, removed (single use); None when unknown or expired. Expired sessions
        are swept on the way."""
        for row in _TAKE_SESSION.all(self.session, key_hash=key_hash, now=now):
            if row.key_hash == key_hash and row.expires > now:
                return PendingSession(row.pool_id, row.client_id, row.challenge, row.state, row.expires)
        return None


class RefreshTokenRepository(Repository):
    def add(self, **row: Any) -> None:
        _ADD_TOKEN.run(self.session, v_revoked=False, **{f"v_{k}": row[k] for k in _TOKEN_COLUMNS})

    def get(self, token_hash: str) -> StoredRefreshToken | None:
        return _refresh_token(_GET_TOKEN.first(self.session, token_hash=token_hash))

    def by_origin(self, origin_jti: str) -> StoredRefreshToken | None:
        return _refresh_token(_TOKEN_BY_ORIGIN.first(self.session, origin_jti=origin_jti))

    def revoke(self, token_hash: str) -> None:
        self.c.execute(update(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash).values(revoked=True))

    def revoke_user(self, user_id: int) -> None:
        self.c.execute(update(refresh_tokens).where(refresh_tokens.c.user_id == user_id).values(revoked=True))


class FailureRepository(Repository):
    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._none: set[int] = set()  # users read without a counter in this transaction: nothing to clear

    def get(self, user_id: int) -> tuple[int, datetime | None]:
        row = _GET_FAILURES.first(self.session, user_id=user_id)
        if row is None:
            self._none.add(user_id)
            return 0, None
        self._none.discard(user_id)
        return int(row.failures), row.locked_until

    def set(self, user_id: int, failures: int, locked_until: datetime | None) -> None:
        self.clear(user_id)
        _ADD_FAILURES.run(self.session, v_user_id=user_id, v_failures=failures, v_locked_until=locked_until)
        self._none.discard(user_id)

    def clear(self, user_id: int) -> None:
        """Forget the user's failures (a successful sign-in, which has just read them: usually there are none)."""
        if user_id in self._none:
            return
        _CLEAR_FAILURES.run(self.session, user_id=user_id)
