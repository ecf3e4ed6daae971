"""Passkeys: StartWebAuthnRegistration, CompleteWebAuthnRegistration, ListWebAuthnCredentials,
DeleteWebAuthnCredential (a signed-in user's own), and what USER_AUTH's WEB_AUTHN challenge shares with them:
the pool's relying party and whether passkeys are on. The ceremonies themselves are in domain/webauthn.py.

A registration's challenge waits, sealed, among the auth sessions under a key of its user's, for the
ceremony's timeout; it is spent by the first CompleteWebAuthnRegistration, whether or not that succeeds."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from userpools.domain import sign_in_policy, webauthn
from userpools.domain.errors import (
    InvalidParameterException,
    LimitExceededException,
    NotAuthorizedException,
    PasswordResetRequiredException,
    ResourceNotFoundException,
    WebAuthnChallengeNotFoundException,
    WebAuthnClientMismatchException,
    WebAuthnConfigurationMissingException,
    WebAuthnNotEnabledException,
)
from userpools.domain.pools import Pool
from userpools.domain.tokens import hash_token
from userpools.domain.users import User, UserStatus
from userpools.operations.auth.issue import Caller, authorize
from userpools.operations.auth.outcome import opened_state, sealed_state
from userpools.operations.registry import operation
from userpools.steps import pagination
from userpools.steps.context import Context
from userpools.storage.errors import Conflict
from userpools.storage.sessions import PendingSession
from userpools.storage.unit import Tx
from userpools.storage.webauthn import WebAuthnCredential

REGISTRATION = "WEBAUTHN_REGISTRATION"
MAX_CREDENTIALS = 20  # passkeys per user (Cognito's quota)
ADMIN_SCOPE = "aws.cognito.signin.user.admin"


def enabled(pool: Pool) -> bool:
    return sign_in_policy.WEB_AUTHN in sign_in_policy.allowed_first_factors(pool.config)


def relying_party(ctx: Context, tx: Tx, pool: Pool) -> str:
    """WebAuthnConfiguration's RelyingPartyId; else, as Cognito defaults it, the pool's domain: a custom
    domain's name, or a prefix domain as this server serves it (``<prefix>.auth.<region>.<server host>``)."""
    configured = sign_in_policy.webauthn_config(pool.config).get("RelyingPartyId")
    if configured:
        return str(configured).lower()
    domains = tx.domains.of_pool(pool.id)
    custom = next((d for d in domains if d.custom), None)
    if custom is not None:
        return custom.domain.lower()
    if domains:
        host = urlsplit(ctx.settings.base_url).hostname or "localhost"
        try:
            ipaddress.ip_address(host)
            host = "localhost"  # an address has no subdomains
        except ValueError:
            pass
        return f"{domains[0].domain}.auth.{ctx.settings.region}.{host}"
    raise WebAuthnConfigurationMissingException(
        "The user pool has no WebAuthnConfiguration RelyingPartyId and no domain to take it from."
    )


def user_verification(pool: Pool) -> str:
    return str(sign_in_policy.webauthn_config(pool.config).get("UserVerification") or "preferred")


def signed_in_caller(ctx: Context, tx: Tx, access_token: str) -> Caller:
    caller = authorize(ctx, tx, access_token)
    if ADMIN_SCOPE not in str(caller.claims.get("scope", "")).split():
        raise NotAuthorizedException("Access Token does not have required scopes")
    if caller.user.status is UserStatus.RESET_REQUIRED:
        raise PasswordResetRequiredException("Password reset required for the user")
    return caller


def _registration_key(user: User) -> str:
    return hash_token(f"{REGISTRATION}:{user.id}")


@operation("StartWebAuthnRegistration")
def start_web_authn_registration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        caller = signed_in_caller(ctx, tx, params["AccessToken"])
        options = begin_registration(ctx, tx, caller.pool, caller.user, caller.client_id)
    return {"CredentialCreationOptions": options}


def begin_registration(ctx: Context, tx: Tx, pool: Pool, user: User, client_id: str) -> dict[str, Any]:
    """CredentialCreationOptions for ``user``, its challenge waiting for :func:`finish_registration` (also
    managed login's passkey page, whose user is signed in by the domain's session rather than a token)."""
    if not enabled(pool):
        raise WebAuthnNotEnabledException("Passkeys are not enabled: WEB_AUTHN is not an allowed first factor.")
    rp_id = relying_party(ctx, tx, pool)
    assert user.id is not None
    existing = tx.webauthn.page(user.id, None, MAX_CREDENTIALS + 1)
    if len(existing) >= MAX_CREDENTIALS:
        raise LimitExceededException(f"A user can register at most {MAX_CREDENTIALS} passkeys.")
    options, challenge = webauthn.registration_options(
        rp_id=rp_id,
        rp_name=pool.name,
        user_handle=user.sub.encode(),
        username=user.username,
        display_name=user.attributes.get("email") or user.attributes.get("phone_number") or user.username,
        exclude=[c.credential_id for c in existing],
        user_verification=user_verification(pool),
    )
    now = ctx.clock.now()
    state = {"challenge": challenge, "rp_id": rp_id, "user_id": user.id}
    tx.auth_sessions.replace(
        _registration_key(user),
        pool.id,
        client_id,
        REGISTRATION,
        sealed_state(ctx, state),
        now,
        now + timedelta(milliseconds=webauthn.TIMEOUT_MS),
    )
    return options


@operation("CompleteWebAuthnRegistration")
def complete_web_authn_registration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    credential = webauthn.parse(params.get("Credential"))
    with ctx.store.transaction() as tx:  # the challenge spent in a transaction of its own: single use
        caller = signed_in_caller(ctx, tx, params["AccessToken"])
        row = take_registration(ctx, tx, caller.pool, caller.user)
    finish_registration(ctx, caller.pool, caller.user, caller.client_id, row, credential)
    return {}


def take_registration(ctx: Context, tx: Tx, pool: Pool, user: User) -> PendingSession | None:
    """The registration waiting for ``user``, spent whether or not what follows succeeds."""
    if not enabled(pool):
        raise WebAuthnNotEnabledException("Passkeys are not enabled: WEB_AUTHN is not an allowed first factor.")
    return tx.auth_sessions.take(_registration_key(user), ctx.clock.now())


def finish_registration(
    ctx: Context, pool: Pool, user: User, client_id: str, row: PendingSession | None, credential: dict[str, Any]
) -> None:
    """The attestation for the registration :func:`take_registration` took, verified, and the passkey stored."""
    if row is None or row.challenge != REGISTRATION:
        raise WebAuthnChallengeNotFoundException("No passkey registration is waiting: call StartWebAuthnRegistration.")
    if row.client_id != client_id:
        raise WebAuthnClientMismatchException("The registration was started by another app client.")
    state = opened_state(ctx, row.state)
    registered = webauthn.verify_registration(
        credential, challenge=state["challenge"], rp_id=state["rp_id"], user_verification=user_verification(pool)
    )
    assert user.id is not None
    record = WebAuthnCredential(
        pool_id=pool.id,
        user_id=user.id,
        credential_id=registered.credential_id,
        public_key=registered.public_key,
        sign_count=registered.sign_count,
        rp_id=state["rp_id"],
        friendly_name=webauthn.friendly_name(registered.attachment, registered.credential_id),
        attachment=registered.attachment,
        transports=registered.transports,
        created=ctx.clock.now(),
    )
    try:
        with ctx.store.transaction() as tx:
            if tx.users.get_by_id(user.id) is None:
                raise NotAuthorizedException("User does not exist.")
            tx.webauthn.add(record)
    except Conflict:
        raise InvalidParameterException("This passkey is already registered.") from None


def describe(credential: WebAuthnCredential) -> dict[str, Any]:
    """WebAuthnCredentialDescription."""
    out: dict[str, Any] = {
        "CredentialId": credential.credential_id,
        "FriendlyCredentialName": credential.friendly_name,
        "RelyingPartyId": credential.rp_id,
        "AuthenticatorTransports": credential.transports,
        "CreatedAt": credential.created,
    }
    if credential.attachment:
        out["AuthenticatorAttachment"] = credential.attachment
    return out


@operation("ListWebAuthnCredentials")
def list_web_authn_credentials(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    limit = int(params.get("MaxResults") or MAX_CREDENTIALS) or MAX_CREDENTIALS
    cursor = pagination.decode(ctx, params.get("NextToken"))
    with ctx.store.transaction(write=False) as tx:
        user = signed_in_caller(ctx, tx, params["AccessToken"]).user
        assert user.id is not None
        after = cursor.get("after") if isinstance(cursor, dict) and cursor.get("user") == user.id else None
        if cursor is not None and after is None:
            raise InvalidParameterException("Invalid NextToken")
        found = tx.webauthn.page(user.id, int(after) if after is not None else None, limit + 1)
    out: dict[str, Any] = {"Credentials": [describe(c) for c in found[:limit]]}
    if len(found) > limit:
        out["NextToken"] = pagination.encode(ctx, {"user": user.id, "after": found[limit - 1].id})
    return out


@operation("DeleteWebAuthnCredential")
def delete_web_authn_credential(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        user = signed_in_caller(ctx, tx, params["AccessToken"]).user
        assert user.id is not None
        if not tx.webauthn.delete(user.id, params["CredentialId"]):
            raise ResourceNotFoundException("The passkey does not exist.")
    return {}
