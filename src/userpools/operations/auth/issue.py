"""Tokens: per-pool signing keys (created on first use), issuing ID/access/refresh tokens, and the one
access-token check every operation that takes an AccessToken goes through."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jwt

from userpools import regions
from userpools.domain import devices, sealing, tokens
from userpools.domain.clients import Client
from userpools.domain.errors import NotAuthorizedException, UserNotFoundException
from userpools.domain.pools import Pool
from userpools.domain.tokens import SigningKey
from userpools.domain.users import User
from userpools.steps import session_tracking
from userpools.steps.context import Context
from userpools.storage.unit import Tx

SEALED_AS = "signing-key"
_PARSED: dict[tuple[str, str], SigningKey] = {}  # PEM parsing is not free; keys never change once written


def signing_keys(ctx: Context, tx: Tx, pool_id: str, *, create: bool = True) -> list[SigningKey]:
    """The pool's keys, newest (the one that signs) first; the first is generated when none exists.
    Private PEMs are stored sealed under the master key (domain/sealing.py)."""
    rows = tx.keys.signing_keys(pool_id)
    if not rows and create:
        key = tokens.generate_signing_key()
        tx.keys.add_signing_key(pool_id, key.kid, sealing.seal(ctx.keyring, SEALED_AS, key.to_pem()), ctx.clock.now())
        _PARSED[(pool_id, key.kid)] = key
        return [key]
    found = []
    for kid, pem, _active in rows:
        if (pool_id, kid) not in _PARSED:
            _PARSED[(pool_id, kid)] = SigningKey.from_pem(kid, sealing.unseal(ctx.keyring, SEALED_AS, pem))
        found.append(_PARSED[(pool_id, kid)])
    return found


_SIGNS: dict[str, SigningKey] = {}  # by pool: the key that signs, as read from the database


def signing_key(ctx: Context, tx: Tx, pool_id: str) -> SigningKey:
    """The key that signs the pool's tokens: its newest, generated when it has none.

    Once read from the database it is kept: a pool's keys never change, and a pool id is never reused. A key
    generated here is kept only once read back, so one whose transaction rolled back never signs anything. Two
    instances that each generated a first key may keep different ones: both are stored, and either verifies."""
    key = _SIGNS.get(pool_id)
    if key is not None:
        return key
    stored = signing_keys(ctx, tx, pool_id, create=False)
    if stored:
        _SIGNS[pool_id] = stored[0]
        return stored[0]
    return signing_keys(ctx, tx, pool_id)[0]


def issuer(ctx: Context, pool_id: str) -> str:
    # The pool's own region, whichever region signs: a replica's tokens carry the primary's issuer, so tokens
    # of either region verify alike (Cognito's multi-Region issuer).
    return tokens.issuer(regions.home_of(pool_id), pool_id, ctx.settings.base_url)


def groups_of(tx: Tx, pool: Pool, user: User) -> list[str]:
    """The names of the user's groups, as ``cognito:groups`` lists them."""
    assert user.id is not None
    return [g.name for g in tx.groups.of_user(pool.id, user.id, None, 10_000)]


def _readable(client: Client, user: User) -> dict[str, str]:
    allowed = client.read_attributes
    if allowed is None:
        return dict(user.attributes)
    return {k: v for k, v in user.attributes.items() if k in allowed or k == "sub"}


@dataclass
class Grant:
    """Tokens a sign-in has earned, issued once its transaction has ended (triggers run in between).

    ``source`` is the pre token generation triggerSource (TokenGeneration_Authentication,
    _NewPasswordChallenge, _RefreshTokens, _HostedAuth); a refresh carries its session's ``origin_jti``.
    A grant of /oauth2 carries its OAuth ``scopes`` (None: InitiateAuth's ``aws.cognito.signin.user.admin``)
    and the authorization request's ``nonce``; PostAuthentication ran for it at sign-in when
    ``post_authenticated``.
    """

    user: User
    source: str
    auth_time: datetime
    origin_jti: str | None = None
    device_key: str | None = None  # the device signed in from (the access token's device_key)
    new_device: bool = False  # a device to remember is made: NewDeviceMetadata
    scopes: list[str] | None = None
    nonce: str | None = None
    post_authenticated: bool = False

    @property
    def refresh(self) -> bool:
        return self.origin_jti is not None


@dataclass
class Draft:
    """The claims of the tokens about to be signed, open to the PreTokenGeneration trigger."""

    id_claims: dict[str, Any]
    access_claims: dict[str, Any]
    groups: list[str]
    origin_jti: str
    new_device: tuple[str, str] | None = None  # (DeviceKey, DeviceGroupKey) of a device made by this sign-in
    scopes: list[str] | None = None  # OAuth scopes: the ID token needs ``openid`` and carries ``at_hash``


def draft(ctx: Context, tx: Tx, pool: Pool, client: Client, grant: Grant) -> Draft:
    """ID and access token claims for ``grant`` (PreTokenGeneration may then edit them)."""
    user = grant.user
    origin = grant.origin_jti or str(uuid.uuid4())
    groups = groups_of(tx, pool, user)
    common: dict[str, Any] = {
        "issuer": issuer(ctx, pool.id),
        "client_id": client.id,
        "sub": user.sub,
        "username": user.username,
        "auth_time": grant.auth_time,
        "now": ctx.clock.now(),
        "origin_jti": origin,
        "groups": groups,
        "event_id": str(uuid.uuid4()),
    }
    id_claims = tokens.id_token_claims(
        attributes=_readable(client, user), expires_in=client.validity("IdToken"), **common
    )
    if grant.nonce is not None:
        id_claims["nonce"] = grant.nonce
    scopes = grant.scopes
    if scopes is None and grant.origin_jti is not None:  # a refresh keeps the scopes of an /oauth2 sign-in
        scopes = tx.oauth.granted_scopes(grant.origin_jti)
    scope = tokens.ADMIN_SCOPE if scopes is None else " ".join(scopes)
    new_device = devices.new_keys(ctx.region) if grant.new_device else None
    device_key = new_device[0] if new_device else grant.device_key
    access_claims = tokens.access_token_claims(
        expires_in=client.validity("AccessToken"), scope=scope, device_key=device_key, **common
    )
    return Draft(id_claims, access_claims, groups, origin, new_device, scopes)


@dataclass
class Sealed:
    """What a sign-in's last transaction stored: the key that signs and the new refresh token, if any."""

    key: SigningKey
    expires_in: int
    refresh_token: str | None
    claims: Draft

    def result(self) -> dict[str, Any]:
        """AuthenticationResultType: the claims signed (outside any transaction: signing is the costly part)."""
        access = tokens.sign(self.claims.access_claims, self.key)
        result: dict[str, Any] = {"AccessToken": access, "ExpiresIn": self.expires_in, "TokenType": "Bearer"}
        scopes = self.claims.scopes
        if scopes is None:
            result["IdToken"] = tokens.sign(self.claims.id_claims, self.key)
        elif "openid" in scopes:
            result["IdToken"] = tokens.sign({**self.claims.id_claims, "at_hash": tokens.at_hash(access)}, self.key)
        if self.refresh_token is not None:
            result["RefreshToken"] = self.refresh_token
        if self.claims.new_device is not None:
            key, group = self.claims.new_device
            result["NewDeviceMetadata"] = {"DeviceKey": key, "DeviceGroupKey": group}
        return result


def seal(ctx: Context, tx: Tx, pool: Pool, client: Client, grant: Grant, claims: Draft) -> Sealed:
    """The signing key, and for a new sign-in (not a refresh) the refresh token, stored."""
    now = ctx.clock.now()
    key = signing_key(ctx, tx, pool.id)
    refresh = None
    if not grant.refresh:
        assert grant.user.id is not None
        refresh = tokens.new_refresh_token()
        tx.refresh_tokens.add(
            token_hash=tokens.hash_token(refresh),
            origin_jti=claims.origin_jti,
            pool_id=pool.id,
            client_id=client.id,
            user_id=grant.user.id,
            auth_time=grant.auth_time,
            expires=now + client.validity("RefreshToken"),
        )
        if grant.scopes is not None:
            tx.oauth.grant_scopes(claims.origin_jti, grant.scopes, client.metadata_url)
        session_tracking.opened(ctx, tx, pool.id, client.id, grant.user.id, claims.origin_jti)
    if claims.new_device is not None:
        assert grant.user.id is not None
        tx.devices.add(claims.new_device[0], pool.id, grant.user.id, claims.new_device[1], now)
    return Sealed(key, int(client.validity("AccessToken").total_seconds()), refresh, claims)


@dataclass
class Caller:
    """Whom a valid access token speaks for."""

    pool: Pool
    user: User
    client_id: str
    claims: dict[str, Any]


def authorize(ctx: Context, tx: Tx, access_token: str) -> Caller:
    """Check signature, issuer, expiry, token_use and revocation; return the pool and user it names."""
    invalid = NotAuthorizedException("Invalid Access Token")
    try:
        unverified = jwt.decode(access_token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise invalid from None
    pool_id = str(unverified.get("iss", "")).rsplit("/", 1)[-1]
    pool = tx.pools.get(pool_id) if pool_id else None
    if pool is None:
        raise invalid
    keys = signing_keys(ctx, tx, pool.id, create=False)
    verified = tokens.decode(access_token, keys, issuer(ctx, pool.id), ctx.clock.now(), "access")
    session = tx.refresh_tokens.by_origin(str(verified.get("origin_jti", "")))
    if session is None or session.revoked:
        raise NotAuthorizedException("Access Token has been revoked")
    user = tx.users.get_by_sub(pool.id, str(verified["sub"]))
    if user is None:
        raise UserNotFoundException("User does not exist.")
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    return Caller(pool, user, str(verified.get("client_id", "")), verified)
