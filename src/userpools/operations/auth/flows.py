"""Auth flows, one class each: what InitiateAuth/AdminInitiateAuth do for one AuthFlow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from userpools.domain import srp, tokens
from userpools.domain.errors import InvalidParameterException, NotAuthorizedException
from userpools.domain.tokens import hash_token
from userpools.domain.users import User
from userpools.operations.auth import issue, rotation
from userpools.operations.auth.guards import (
    AuthRequest,
    SignInFailure,
    before_password,
    check_secret_hash,
    signing_in_user,
)
from userpools.operations.auth.outcome import Outcome, sealed_state
from userpools.operations.auth.steps import authenticated, known_device
from userpools.steps import session_tracking
from userpools.steps.common import find_user
from userpools.steps.context import Context
from userpools.storage.sessions import StoredRefreshToken


@dataclass(frozen=True)
class Prelude:
    """Who is signing in, looked up before the triggers run: the name given and the user, if any."""

    username: str
    user: User | None


class Flow:
    """One AuthFlow. ``look_up`` runs in a read transaction, then the handler runs the triggers
    (UserMigration, PreAuthentication) outside any, then ``start`` runs in a write transaction
    (or, for flows whose steps are triggers themselves, ``run`` outside any)."""

    names: ClassVar[tuple[str, ...]]
    admin_only: ClassVar[bool] = False
    public_only: ClassVar[bool] = False
    signs_in: ClassVar[bool] = True  # a user signs in: PreAuthentication runs (not for refreshes)
    migrates: ClassVar[bool] = False  # an unknown user is asked of the UserMigration trigger
    outside: ClassVar[bool] = False  # ``run`` instead of ``start``

    def look_up(self, req: AuthRequest) -> Prelude | None:
        """Read-only checks before any trigger: SECRET_HASH, and the user's state (disabled, locked...)."""
        if not self.signs_in:
            return None
        username = req.param("USERNAME")
        check_secret_hash(req.client, req.parameters.get("SECRET_HASH"), username)
        user = find_user(req.tx, req.pool, username)
        if user is not None:
            before_password(req, user)
        return Prelude(username, user)

    def start(self, req: AuthRequest) -> Outcome:
        raise NotImplementedError

    def run(self, ctx: Context, req: AuthRequest, prelude: Prelude | None) -> Outcome:
        """For ``outside`` flows; ``req.tx`` is closed by then."""
        raise NotImplementedError


class PasswordFlow(Flow):
    """USER_PASSWORD_AUTH (public) and ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH (admin)."""

    def start(self, req: AuthRequest) -> Outcome:
        username = req.param("USERNAME")
        password = req.param("PASSWORD")
        check_secret_hash(req.client, req.parameters.get("SECRET_HASH"), username)
        user = signing_in_user(req, username)
        before_password(req, user)
        assert user.credentials is not None and user.id is not None
        if not srp.password_matches(
            req.pool.short_name, user.username, password, user.credentials.salt, user.credentials.verifier
        ):
            raise SignInFailure(user.id, req.ctx.clock.now())
        return authenticated(req, user, req.parameters.get("DEVICE_KEY"))


class UserPasswordAuth(PasswordFlow):
    names = ("USER_PASSWORD_AUTH",)
    public_only = True
    migrates = True


class AdminUserPasswordAuth(PasswordFlow):
    names = ("ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH")
    admin_only = True
    migrates = True


class UserSrpAuth(Flow):
    """USER_SRP_AUTH: answer SRP_A with PASSWORD_VERIFIER. The handshake's state is kept in the database
    under the hash of SECRET_BLOCK, which every client echoes (pycognito sends no Session back)."""

    names = ("USER_SRP_AUTH",)

    def start(self, req: AuthRequest) -> Outcome:
        username = req.param("USERNAME")
        srp_a = req.param("SRP_A")
        check_secret_hash(req.client, req.parameters.get("SECRET_HASH"), username)
        try:
            user = signing_in_user(req, username)
        except NotAuthorizedException:  # PreventUserExistenceErrors: a challenge that can never be met
            salt, verifier = srp.unknowable_verifier()
            user_id, user_id_for_srp, internal = None, username, username
        else:
            before_password(req, user)
            assert user.credentials is not None
            salt, verifier = user.credentials.salt, user.credentials.verifier
            user_id, user_id_for_srp, internal = user.id, user.username, user.username
        server = srp.start(verifier, srp_a)
        state = {
            "user_id": user_id,
            "user_id_for_srp": user_id_for_srp,
            "verifier": verifier,
            "srp_a": srp_a,
            "b": server.b_hex,
            "srp_b": server.srp_b_hex,
            "username": username,
            "device_key": req.parameters.get("DEVICE_KEY"),
        }
        req.tx.auth_sessions.put(
            hash_token(server.secret_block),
            req.pool.id,
            req.client.id,
            "PASSWORD_VERIFIER",
            sealed_state(req.ctx, state),
            req.ctx.clock.now() + req.client.session_validity,
        )
        return Outcome(
            challenge="PASSWORD_VERIFIER",
            parameters={
                "SALT": salt,
                "SRP_B": server.srp_b_hex,
                "SECRET_BLOCK": server.secret_block_b64,
                "USER_ID_FOR_SRP": user_id_for_srp,
                "USERNAME": internal,
            },
        )


class RefreshTokenAuth(Flow):
    """REFRESH_TOKEN_AUTH / REFRESH_TOKEN: new ID and access tokens for a live refresh token."""

    names = ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN")
    signs_in = False

    def start(self, req: AuthRequest) -> Outcome:
        if rotation.enabled(req.client):  # "Refresh token rotation must be completed with GetTokensFromRefreshToken"
            raise InvalidParameterException(
                "Refresh token rotation is enabled for this client: use GetTokensFromRefreshToken."
            )
        row = refresh_session(req, req.param("REFRESH_TOKEN"))
        user = req.tx.users.get_by_id(row.user_id)
        if user is None:
            raise NotAuthorizedException("Invalid Refresh Token")
        check_secret_hash(
            req.client, req.parameters.get("SECRET_HASH"), req.parameters.get("USERNAME", ""), user.username, user.sub
        )
        if not user.enabled:
            raise NotAuthorizedException("User is disabled.")
        device = known_device(req, user, req.parameters.get("DEVICE_KEY"))
        return Outcome(
            grant=issue.Grant(
                user,
                "TokenGeneration_RefreshTokens",
                row.auth_time,
                row.origin_jti,
                device_key=device.key if device else None,
            )
        )


def refresh_session(req: AuthRequest, token: str) -> StoredRefreshToken:
    row = req.tx.refresh_tokens.get(tokens.hash_token(token))
    if row is None or row.client_id != req.client.id:
        raise NotAuthorizedException("Invalid Refresh Token")
    if row.revoked:
        raise NotAuthorizedException("Refresh Token has been revoked")
    if row.expires <= req.ctx.clock.now():
        raise NotAuthorizedException("Refresh Token has expired")
    session_tracking.touched(req.ctx, req.tx, row.origin_jti)
    return row


FLOWS: dict[str, Flow] = {
    name: flow
    for flow in (UserPasswordAuth(), AdminUserPasswordAuth(), UserSrpAuth(), RefreshTokenAuth())
    for name in flow.names
}
