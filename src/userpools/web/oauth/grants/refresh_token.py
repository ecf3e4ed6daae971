"""grant_type=refresh_token: new ID and access tokens for a live refresh token of this client, with the
scopes its sign-in was granted (no new refresh token, as Cognito without rotation)."""

from __future__ import annotations

from typing import Any

from userpools.domain import tokens
from userpools.domain.clients import Client
from userpools.operations.auth import completion, issue
from userpools.steps.context import Context
from userpools.web.oauth.errors import InvalidGrant, InvalidRequest, UnauthorizedClient
from userpools.web.oauth.grants.response import token_response
from userpools.web.oauth.site import Site, form_value


def exchange(context: Context, site: Site, client: Client, form: Any) -> dict[str, Any]:
    token = form_value(form, "refresh_token")
    if not token:
        raise InvalidRequest("refresh_token is required.")
    if not client.allows("REFRESH_TOKEN_AUTH"):
        raise UnauthorizedClient()
    with context.store.transaction(write=False) as tx:
        row = tx.refresh_tokens.get(tokens.hash_token(token))
        user = tx.users.get_by_id(row.user_id) if row else None
        granted_to = tx.oauth.granted_to(row.origin_jti) if row else None
    now = context.clock.now()
    if row is None or row.client_id != client.id or row.revoked or row.expires <= now:
        raise InvalidGrant()
    if granted_to != client.metadata_url:  # a CIMD client refreshes only its own sign-ins, and only it does
        raise InvalidGrant()
    if user is None or not user.enabled:
        raise InvalidGrant()
    # Its sign-in's scopes are read back by issue.draft, as for InitiateAuth's REFRESH_TOKEN_AUTH.
    earned = issue.Grant(user, "TokenGeneration_RefreshTokens", row.auth_time, row.origin_jti)
    return token_response(completion.complete(context, site.pool, client, earned, None))
