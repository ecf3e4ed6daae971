"""Sign-in's state: one-time codes, pending challenges, refresh tokens and their rotation, failed attempts,
signing keys and server secrets, remembered devices, passkeys, tracked sessions, the OAuth side's codes and
login sessions, and auth events.

Codes, tokens and session keys arrive as keyed digests (steps/codes.py), private keys and challenge state
sealed: storage keeps what it is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from userpools.storage.auth_events import AuthEventRecord
    from userpools.storage.codes import StoredCode
    from userpools.storage.devices import Device
    from userpools.storage.oauth import AuthorizationCode, LoginSession
    from userpools.storage.refresh_rotations import Rotation
    from userpools.storage.sessions import PendingSession, StoredRefreshToken
    from userpools.storage.user_sessions import TrackedSession
    from userpools.storage.webauthn import WebAuthnCredential


class Codes(Protocol):
    """One-time codes by user and purpose, one at a time: putting a code replaces the one before."""

    def put(self, user_id: int, purpose: str, code_hash: str, expires: datetime) -> None: ...

    def get(self, user_id: int, purpose: str) -> StoredCode | None: ...

    def count_attempt(self, user_id: int, purpose: str) -> None:
        """One more wrong attempt at the code."""

    def discard(self, user_id: int, purpose: str) -> None: ...


class AuthSessions(Protocol):
    """Sign-in steps waiting for their answer (InitiateAuth's and RespondToAuthChallenge's Session), by the
    keyed digest of the session string."""

    def put(
        self, key_hash: str, pool_id: str, client_id: str, challenge: str, state: dict[str, Any], expires: datetime
    ) -> None: ...

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
        """:meth:`put`, in the place of any session waiting under the same key; raises Conflict("unique") when
        another unit of work puts one there at the same moment."""

    def take(self, key_hash: str, now: datetime) -> PendingSession | None:
        """The session, removed (single use); None when unknown or expired."""


class RefreshTokens(Protocol):
    """Refresh tokens by the digest of the token, each knowing the sign-in it descends from (``origin_jti``)."""

    def add(self, **row: Any) -> None:
        """A new token, not revoked: ``token_hash``, ``origin_jti``, ``pool_id``, ``client_id``, ``user_id``,
        ``auth_time`` and ``expires``."""

    def get(self, token_hash: str) -> StoredRefreshToken | None: ...

    def by_origin(self, origin_jti: str) -> StoredRefreshToken | None: ...

    def revoke(self, token_hash: str) -> None: ...

    def revoke_user(self, user_id: int) -> None:
        """Every token of the user (GlobalSignOut, AdminUserGlobalSignOut)."""


class RefreshRotations(Protocol):
    """Refresh-token rotation: which tokens were rotated out, and for which successor."""

    def get(self, token_hash: str) -> Rotation | None:
        """None for a token still current."""

    def put(self, token_hash: str, rotation: Rotation) -> None:
        """Record (or, for a retry within the grace period, replace) the token's successor."""


class Failures(Protocol):
    """Failed sign-in attempts per user, and the lockout they led to."""

    def get(self, user_id: int) -> tuple[int, datetime | None]:
        """The failures so far and the end of the lockout: ``(0, None)`` for a user with none."""

    def set(self, user_id: int, failures: int, locked_until: datetime | None) -> None: ...

    def clear(self, user_id: int) -> None: ...


class Keys(Protocol):
    """Key material kept in the database: pool signing keys (their private parts sealed) and server-wide
    secrets."""

    def signing_keys(self, pool_id: str) -> list[tuple[str, str, bool]]:
        """Every key of the pool as ``(kid, sealed private PEM, active)``, newest first."""

    def add_signing_key(self, pool_id: str, kid: str, pem: str, now: datetime) -> None: ...

    def server_secret(self, name: str, make: Callable[[], str], now: datetime) -> str:
        """The named secret, created with ``make()`` by whichever request needs it first; concurrent
        first requests all get the one stored."""


class Devices(Protocol):
    """Remembered devices by device key, listed per user in key order."""

    def get(self, key: str) -> Device | None: ...

    def add(self, key: str, pool_id: str, user_id: int, group_key: str, now: datetime) -> None: ...

    def change(self, key: str, now: datetime, **values: Any) -> None:
        """Set the device's salt, verifier, name, confirmed, remembered or last_authenticated."""

    def of_user(self, user_id: int, after: str | None, limit: int) -> list[Device]:
        """The user's confirmed devices in key order, after the key ``after``."""

    def forget(self, key: str) -> None: ...


class WebAuthn(Protocol):
    """Passkeys: a user's WebAuthn credentials, found by the credential id an authenticator presents."""

    def add(self, credential: WebAuthnCredential) -> None:
        """Raises Conflict("unique") when the credential is registered already."""

    def get(self, pool_id: str, credential_id: str) -> WebAuthnCredential | None: ...

    def page(self, user_id: int, after: int | None, limit: int) -> list[WebAuthnCredential]:
        """In row id order, after the id ``after``."""

    def has_any(self, user_id: int) -> bool: ...

    def set_sign_count(self, row_id: int, sign_count: int) -> None: ...

    def delete(self, user_id: int, credential_id: str) -> bool:
        """Whether the user had that credential."""


class UserSessions(Protocol):
    """Tracked sessions (session tracking): each sign-in's session, its refresh tokens and managed login
    cookie linked to it."""

    def add(self, session: TrackedSession) -> None: ...

    def link(self, origin_jti: str, session_id: str) -> None:
        """The refresh tokens of the sign-in ``origin_jti`` belong to the session."""

    def of_token(self, origin_jti: str) -> str | None:
        """The session id the sign-in's refresh tokens belong to."""

    def touch(self, session_id: str, now: datetime, ip: str | None, device: str | None) -> None: ...

    def live(self, user_id: int, now: datetime, kind: str | None = None) -> list[TrackedSession]:
        """The user's live sessions, least recently used first."""

    def get(self, session_id: str) -> TrackedSession | None: ...

    def linked_to(self, origin_session_id: str) -> list[TrackedSession]: ...

    def end(self, session: TrackedSession) -> None:
        """Revoke the session's refresh tokens (so their access tokens too), end its cookie, drop its record."""


class OAuth(Protocol):
    """The OAuth side's short-lived state: authorization codes, managed login sessions, granted scopes."""

    def add_code(self, code: AuthorizationCode) -> None: ...

    def take_code(self, code_hash: str) -> AuthorizationCode | None:
        """The code, removed (single use): None when unknown or already taken by another request."""

    def add_session(self, session: LoginSession) -> None: ...

    def login_session(self, key_hash: str, now: datetime) -> LoginSession | None:
        """The managed login session, while it has not expired."""

    def end_session(self, key_hash: str) -> None: ...

    def grant_scopes(self, origin_jti: str, scopes: list[str], metadata_url: str | None = None) -> None: ...

    def granted_to(self, origin_jti: str) -> str | None:
        """The CIMD client URL a sign-in through /oauth2 was granted to (None: an app client's own)."""

    def granted_scopes(self, origin_jti: str) -> list[str] | None: ...


class AuthEvents(Protocol):
    """Threat protection's auth events per user, and the feedback given on them."""

    def add(self, event: AuthEventRecord) -> None: ...

    def get(self, event_id: str) -> AuthEventRecord | None: ...

    def of_user(self, user_id: int, before: tuple[datetime, str] | None, limit: int) -> list[AuthEventRecord]:
        """Newest first, before the cursor ``(created, event id)``."""

    def history(self, user_id: int, limit: int = 100) -> list[tuple[str | None, str | None]]:
        """``(ip, device)`` of the user's latest successful sign-ins."""

    def set_feedback(self, event_id: str, value: str, provider: str, when: datetime) -> None: ...
