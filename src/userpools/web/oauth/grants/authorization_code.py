"""grant_type=authorization_code: the code taken once, checked against its client, redirect URI, expiry
and PKCE challenge, then tokens minted as InitiateAuth's are (source TokenGeneration_HostedAuth)."""

from __future__ import annotations

import hmac
from typing import Any

from authlib.oauth2.rfc7636 import create_s256_code_challenge

from userpools.domain import tokens
from userpools.domain.clients import Client
from userpools.operations.auth import completion, issue
from userpools.steps.context import Context
from userpools.web.oauth.errors import InvalidGrant, InvalidRequest
from userpools.web.oauth.grants.response import token_response
from userpools.web.oauth.site import Site, form_value


def exchange(context: Context, site: Site, client: Client, form: Any) -> dict[str, Any]:
    code, redirect_uri, verifier = (form_value(form, n) for n in ("code", "redirect_uri", "code_verifier"))
    if not code:
        raise InvalidRequest("code is required.")
    with context.store.transaction() as tx:
        taken = tx.oauth.take_code(tokens.hash_token(code))
        user = tx.users.get_by_id(taken.user_id) if taken else None
    now = context.clock.now()
    if taken is None or taken.client_id != client.id or taken.pool_id != site.pool.id or taken.expires <= now:
        raise InvalidGrant()
    if taken.metadata_url != client.metadata_url:  # a CIMD client's code is its own, not its app client's
        raise InvalidGrant()
    if redirect_uri != taken.redirect_uri:
        raise InvalidGrant()
    if taken.challenge is not None and not (
        verifier and hmac.compare_digest(create_s256_code_challenge(verifier), taken.challenge)
    ):
        raise InvalidGrant()
    if user is None or not user.enabled:
        raise InvalidGrant()
    earned = issue.Grant(
        user,
        "TokenGeneration_HostedAuth",
        taken.auth_time,
        scopes=taken.scopes,
        nonce=taken.nonce,
        post_authenticated=True,
    )
    result = completion.complete(context, site.pool, client, earned, None)
    if client.metadata_url is not None and not client.allows("REFRESH_TOKEN_AUTH"):
        result.pop("RefreshToken", None)  # the CIMD document does not ask for the refresh_token grant
    return token_response(result)
