"""GetDerivedToken: a user's token exchanged for one scoped and bound to a downstream service (RFC 8693,
domain/token_exchange.py). /oauth2/token's token-exchange grant runs the same :func:`derive`.

The steps: the requesting client's flag (impersonation, or delegation with an actor token), the subject token
verified as a token of the client's pool (signature, issuer, expiry, ``token_use``, revocation) and its user
live, the actor token likewise (a user's or a machine's), then the scopes and the audience, and one access or ID
token signed with the pool's key. It keeps the subject's ``origin_jti``: revoking the sign-in revokes it too.
No refresh token is issued.

A SubjectTokenProviderName (or ActorTokenProviderName) names an OIDC provider of the pool whose ID token it is:
verified against the provider's JWKS, its issuer and our client id there; the subject is the native user that
identity is linked to, else the federated user ``<Provider>_<sub>``.

Choices where Cognito's behaviour is not documented: a provider's subject must have signed in before (the
exchange creates no user: UserNotFoundException); only OIDC providers' ID tokens are exchanged (SAML2, a provider's
access token, a SAML or social provider: InvalidParameterException, not built); a client
with a secret that is called without ClientSecret is served as an IAM-authorized call (it passed the server's
SigV4 check, or the server runs in local development mode, where every caller is accepted); a wrong secret is
NotAuthorizedException; a Resources entry must be a resource server of the pool (ResourceNotFoundException);
a missing flag is InvalidParameterException, as InitiateAuth answers a flow the client does not allow; the
PreTokenGeneration trigger does not run for derived tokens.
"""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import jwt

from userpools import outbound
from userpools.domain import token_exchange as exchange
from userpools.domain import tokens
from userpools.domain.clients import Client
from userpools.domain.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    ResourceNotFoundException,
    UserNotFoundException,
)
from userpools.domain.pools import Pool
from userpools.domain.users import User
from userpools.operations import identity_providers
from userpools.operations.auth import issue
from userpools.operations.clients import load_client_and_pool
from userpools.operations.registry import operation
from userpools.steps.context import Context
from userpools.storage.identity_providers import ProviderRecord
from userpools.storage.unit import Tx


@dataclass(frozen=True)
class Exchange:
    """One token exchange request, in GetDerivedToken's terms."""

    subject_token: str
    subject_type: str
    actor_token: str | None = None
    actor_type: str | None = None
    scopes: list[str] | None = None
    audiences: list[str] | None = None
    resources: list[str] | None = None
    requested_type: str = "ACCESS_TOKEN"
    subject_provider: str | None = None  # SubjectTokenProviderName: an OIDC provider's ID token
    actor_provider: str | None = None


def _verified(ctx: Context, tx: Tx, pool: Pool, token: str, kind: str) -> dict[str, Any]:
    if kind == "SAML2":
        raise InvalidParameterException("SAML2 tokens are not supported by userpools yet.")
    use: Literal["access", "id"] = "access" if kind == "ACCESS_TOKEN" else "id"
    keys = issue.signing_keys(ctx, tx, pool.id, create=False)
    claims = tokens.decode(token, keys, issue.issuer(ctx, pool.id), ctx.clock.now(), use)
    origin = claims.get("origin_jti")
    if origin is not None:
        session = tx.refresh_tokens.by_origin(str(origin))
        if session is None or session.revoked:
            label = "Access Token" if use == "access" else "ID Token"
            raise NotAuthorizedException(f"{label} has been revoked")
    return claims


def _provider(ctx: Context, pool: Pool, name: str, kind: str) -> tuple[ProviderRecord, dict[str, str]]:
    with ctx.store.transaction(write=False) as tx:
        record = tx.identity_providers.get(pool.id, name)
    if record is None:
        raise ResourceNotFoundException(f"Identity provider {name} does not exist.")
    if record.type != "OIDC" or kind != "ID_TOKEN":
        raise InvalidParameterException(
            "Only ID tokens of OIDC identity providers are supported by userpools for token exchange yet."
        )
    return record, identity_providers.details_of(ctx, record)


def _external(ctx: Context, pool: Pool, name: str, token: str, kind: str) -> dict[str, Any]:
    """A provider's ID token verified against its JWKS, issuer and our client id there (outside any transaction:
    the JWKS is fetched)."""
    record, details = _provider(ctx, pool, name, kind)
    try:
        keys = jwt.PyJWKClient(
            identity_providers.endpoints_of(record)["jwks_uri"],
            timeout=10,
            ssl_context=outbound.tls_context(ctx.settings.ca_bundle),  # USERPOOLS_CA_BUNDLE too
        )
        key = keys.get_signing_key_from_jwt(token)
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=["RS256", "RS384", "RS512", "ES256"],
            audience=details["client_id"],
            issuer=details["oidc_issuer"],
            options={"require": ["exp", "sub"]},
        )
    except (jwt.PyJWTError, OSError, KeyError):
        raise NotAuthorizedException("Invalid ID Token") from None
    return {**claims, "_provider": record.name}


def _user(tx: Tx, pool: Pool, claims: dict[str, Any]) -> User:
    provider = claims.get("_provider")
    if provider is not None:  # the federated user, or the native user the identity is linked to
        link = tx.identity_providers.linked(pool.id, str(provider), "Cognito_Subject", str(claims["sub"]))
        found = tx.users.get_by_id(link.user_id) if link is not None else None
        found = found or tx.users.get(pool.id, pool.username_key(f"{provider}_{claims['sub']}"))
        return _live(found)
    if "username" not in claims and "cognito:username" not in claims:
        raise NotAuthorizedException("The subject token must be a user's token, not a machine's.")
    return _live(tx.users.get_by_sub(pool.id, str(claims["sub"])))


def _live(user: User | None) -> User:
    if user is None:
        raise UserNotFoundException("User does not exist.")
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    return user


def _claims(
    ctx: Context, tx: Tx, pool: Pool, client: Client, user: User, subject: dict[str, Any], kind: str, scopes: list[str]
) -> tuple[dict[str, Any], int]:
    now: datetime = ctx.clock.now()
    validity = client.validity("AccessToken" if kind == "ACCESS_TOKEN" else "IdToken")
    seconds = exchange.lifetime(now, int(validity.total_seconds()), int(subject["exp"]))
    assert user.id is not None
    common: dict[str, Any] = {
        "issuer": issue.issuer(ctx, pool.id),
        "client_id": client.id,
        "sub": user.sub,
        "username": user.username,
        "auth_time": datetime.fromtimestamp(int(subject.get("auth_time", now.timestamp())), now.tzinfo),
        "now": now,
        "origin_jti": str(subject.get("origin_jti") or uuid.uuid4()),
        "groups": issue.groups_of(tx, pool, user),
        "expires_in": timedelta(seconds=seconds),
    }
    if kind == "ACCESS_TOKEN":
        return tokens.access_token_claims(scope=" ".join(scopes), **common), seconds
    attributes = dict(user.attributes)
    if client.read_attributes is not None:
        attributes = {k: v for k, v in attributes.items() if k in client.read_attributes or k == "sub"}
    return tokens.id_token_claims(attributes=attributes, **common), seconds


def derive(ctx: Context, pool: Pool, client: Client, request: Exchange) -> dict[str, Any]:
    """GetDerivedTokenResponse for ``request`` by ``client`` (already authenticated)."""
    if request.actor_token and not request.actor_type:
        raise InvalidParameterException("ActorTokenType is required when ActorToken is given.")
    flag = exchange.needed_flag(bool(request.actor_token))
    if flag not in client.flows or client.metadata_url is not None:
        kind = "delegation" if request.actor_token else "impersonation"
        raise InvalidParameterException(f"Token exchange {kind} is not enabled for this client ({flag}).")
    bound = exchange.audience(request.audiences, request.resources)
    outside: dict[str, dict[str, Any]] = {}  # provider tokens, verified before the transaction
    if request.subject_provider:
        outside["subject"] = _external(ctx, pool, request.subject_provider, request.subject_token, request.subject_type)
    if request.actor_provider and request.actor_token:
        outside["actor"] = _external(ctx, pool, request.actor_provider, request.actor_token, str(request.actor_type))
    with ctx.store.transaction() as tx:
        if request.resources and tx.resource_servers.get(pool.id, request.resources[0]) is None:
            raise ResourceNotFoundException(f"Resource server {request.resources[0]} does not exist.")
        subject = outside.get("subject") or _verified(ctx, tx, pool, request.subject_token, request.subject_type)
        user = _user(tx, pool, subject)
        actor = outside.get("actor")
        if actor is None and request.actor_token:
            actor = _verified(ctx, tx, pool, request.actor_token, str(request.actor_type))
        allowed = list(client.config.get("AllowedOAuthScopes") or [])
        scopes = exchange.granted_scopes(
            request.scopes, exchange.subject_scopes(subject, request.subject_type, allowed), allowed
        )
        claims, seconds = _claims(ctx, tx, pool, client, user, subject, request.requested_type, scopes)
        key = issue.signing_key(ctx, tx, pool.id)
    if bound is not None:
        claims["aud"] = bound
    if actor is not None:
        claims["act"] = exchange.act_claim(actor, subject)
    result: dict[str, Any] = {
        "IssuedToken": tokens.sign(claims, key),
        "IssuedTokenType": request.requested_type,
        "TokenType": "Bearer",
        "ExpiresIn": seconds,
    }
    if request.requested_type == "ACCESS_TOKEN":
        result["Scopes"] = scopes
    return result


@operation("GetDerivedToken")
def get_derived_token(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        client, pool = load_client_and_pool(ctx, tx, params["ClientId"])
    given = params.get("ClientSecret")
    if given is not None and not any(hmac.compare_digest(s.encode(), given.encode()) for s in client.secrets):
        raise NotAuthorizedException(f"Unable to verify secret hash for client {client.id}")
    request = Exchange(
        params["SubjectToken"],
        params["SubjectTokenType"],
        params.get("ActorToken"),
        params.get("ActorTokenType"),
        params.get("Scopes"),
        params.get("Audiences"),
        params.get("Resources"),
        params.get("RequestedTokenType", "ACCESS_TOKEN"),
        params.get("SubjectTokenProviderName"),
        params.get("ActorTokenProviderName"),
    )
    return derive(ctx, pool, client, request)
