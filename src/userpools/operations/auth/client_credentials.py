"""Machine-to-machine tokens: the client_credentials grant of /oauth2/token and GetClientToken share
:func:`client_token`. The client is its own subject: one access token, no ID or refresh token."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

from userpools.domain import token_events, tokens
from userpools.domain import trigger_events as events
from userpools.domain.clients import Client
from userpools.domain.errors import InvalidParameterException, NotAuthorizedException, ScopeDoesNotExistException
from userpools.domain.pools import Pool
from userpools.operations.auth.issue import issuer, signing_key
from userpools.operations.clients import load_client_and_pool
from userpools.operations.registry import operation
from userpools.steps import triggers
from userpools.steps.context import Context


class ClientTokenRefused(Exception):
    """The client may not have a client_credentials token: ``error`` is the OAuth error code."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


def granted_scopes(client: Client, requested: list[str] | None) -> list[str]:
    """The scopes asked for (all the client's own when none), each one the client's."""
    allowed = list(client.config.get("AllowedOAuthScopes") or [])
    if not requested:
        return allowed
    unknown = [s for s in requested if s not in allowed]
    if unknown:
        raise ClientTokenRefused("invalid_scope", f"Invalid scope requested: {unknown[0]}")
    return requested


def _pre_token_generation(
    ctx: Context, pool: Pool, client: Client, claims: dict[str, Any], metadata: Mapping[str, str] | None
) -> dict[str, Any]:
    """PreTokenGeneration, for pools whose trigger is V3_0 (the only version Cognito runs for machine tokens).

    Choice: the event's ``userName`` is null and ``userAttributes`` empty; groups are none."""
    if not triggers.has_trigger(pool, "PreTokenGeneration") or triggers.token_generation_version(pool) != "V3_0":
        return claims
    request = {
        "userAttributes": {},
        "groupConfiguration": token_events.GroupConfiguration([]).as_event(),
        "scopes": str(claims["scope"]).split(),
    }
    event = events.envelope(
        "TokenGeneration_ClientCredentials",
        triggers.caller(ctx, pool, client.id),
        None,
        events.with_metadata(request, metadata),
        {"claimsAndScopeOverrideDetails": None},
        version="3",
    )
    response = triggers.run_trigger(ctx, pool, "PreTokenGeneration", event) or {}
    overrides = token_events.read_pre_token_generation(response, "V3_0")
    return token_events.apply_token_changes(claims, overrides.access_token)


def client_token(
    ctx: Context, pool: Pool, client: Client, requested: list[str] | None, metadata: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """ClientAuthenticationResultType for an authenticated client (the caller checked its secret); the
    PreTokenGeneration trigger runs outside any transaction."""
    flows = client.config.get("AllowedOAuthFlows") or []
    if "client_credentials" not in flows or not client.config.get("AllowedOAuthFlowsUserPoolClient"):
        raise ClientTokenRefused("unauthorized_client", "Client is not allowed the client_credentials flow.")
    scopes = granted_scopes(client, requested)
    now = ctx.clock.now()
    claims = tokens.client_token_claims(
        issuer=issuer(ctx, pool.id),
        client_id=client.id,
        scope=" ".join(scopes),
        now=now,
        expires_in=client.validity("AccessToken"),
    )
    claims = _pre_token_generation(ctx, pool, client, claims, metadata)
    with ctx.store.transaction() as tx:  # the pool's first key may be created here
        key = signing_key(ctx, tx, pool.id)
    expires_in = int(client.validity("AccessToken").total_seconds())
    return {"AccessToken": tokens.sign(claims, key), "ExpiresIn": expires_in, "TokenType": "Bearer"}


@operation("GetClientToken")
def get_client_token(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        client, pool = load_client_and_pool(ctx, tx, params["ClientId"])
    if client.secret is None or not hmac.compare_digest(client.secret, params["Secret"]):
        raise NotAuthorizedException(f"Unable to verify secret for client {client.id}")
    try:
        result = client_token(ctx, pool, client, params.get("Scopes"), params.get("ClientMetadata"))
    except ClientTokenRefused as refused:
        if refused.error == "invalid_scope":
            raise ScopeDoesNotExistException(refused.description) from None
        raise InvalidParameterException(refused.description) from None
    return {"ClientAuthenticationResult": result}
