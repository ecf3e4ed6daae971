"""The OAuth side's short-lived state: authorization codes, managed login sessions, granted scopes.

Codes and session cookies are kept as SHA-256 hashes only; a code is taken (read and deleted) once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select

from userpools.storage.schema import authorization_codes, login_sessions, oauth_grants
from userpools.storage.statements import Query, Repository

# Read by every refresh of an /oauth2 sign-in: on the fast path (storage/statements.py).
_GRANT = Query(
    select(oauth_grants.c.scopes, oauth_grants.c.metadata_url).where(oauth_grants.c.origin_jti == bindparam("jti"))
)


@dataclass(frozen=True)
class AuthorizationCode:
    code_hash: str
    pool_id: str
    client_id: str
    user_id: int
    redirect_uri: str
    scopes: list[str]
    nonce: str | None
    challenge: str | None
    challenge_method: str | None
    auth_time: datetime
    expires: datetime
    metadata_url: str | None = None  # issued to a CIMD client: only that client_id URL redeems it


@dataclass(frozen=True)
class LoginSession:
    key_hash: str
    pool_id: str
    user_id: int
    auth_time: datetime
    expires: datetime


class OAuthRepository(Repository):
    def add_code(self, code: AuthorizationCode) -> None:
        self.c.execute(insert(authorization_codes).values(**code.__dict__))

    def take_code(self, code_hash: str) -> AuthorizationCode | None:
        """The code, deleted in the same transaction: None when unknown or already taken by another."""
        row = self.c.execute(select(authorization_codes).where(authorization_codes.c.code_hash == code_hash)).first()
        if row is None:
            return None
        deleted = self.c.execute(delete(authorization_codes).where(authorization_codes.c.code_hash == code_hash))
        if deleted.rowcount != 1:
            return None
        values = row._asdict()
        values["scopes"] = list(values["scopes"] or [])
        return AuthorizationCode(**values)

    def add_session(self, session: LoginSession) -> None:
        self.c.execute(insert(login_sessions).values(**session.__dict__))

    def login_session(self, key_hash: str, now: datetime) -> LoginSession | None:
        row = self.c.execute(
            select(login_sessions).where(login_sessions.c.key_hash == key_hash, login_sessions.c.expires > now)
        ).first()
        return LoginSession(**row._asdict()) if row else None

    def end_session(self, key_hash: str) -> None:
        self.c.execute(delete(login_sessions).where(login_sessions.c.key_hash == key_hash))

    def grant_scopes(self, origin_jti: str, scopes: list[str], metadata_url: str | None = None) -> None:
        self.c.execute(insert(oauth_grants).values(origin_jti=origin_jti, scopes=scopes, metadata_url=metadata_url))

    def granted_to(self, origin_jti: str) -> str | None:
        """The CIMD client URL a sign-in through /oauth2 was granted to (None: an app client's own)."""
        row = _GRANT.first(self.session, jti=origin_jti)
        return row.metadata_url if row else None

    def granted_scopes(self, origin_jti: str) -> list[str] | None:
        row = _GRANT.first(self.session, jti=origin_jti)
        return list(row.scopes) if row else None
