"""grant_type=client_credentials: a machine client's access token (shared with GetClientToken)."""

from __future__ import annotations

from typing import Any

from userpools.domain.clients import Client
from userpools.operations.auth.client_credentials import ClientTokenRefused, client_token
from userpools.steps.context import Context
from userpools.web.oauth.errors import InvalidClient, InvalidScope, UnauthorizedClient
from userpools.web.oauth.site import Site, form_value


def exchange(context: Context, site: Site, client: Client, form: Any) -> dict[str, Any]:
    if client.secret is None or client.metadata_url is not None:  # Cognito: CIMD has no client_credentials
        raise InvalidClient()
    requested = form_value(form, "scope").split() or None
    try:
        result = client_token(context, site.pool, client, requested)
    except ClientTokenRefused as refused:
        raise (InvalidScope if refused.error == "invalid_scope" else UnauthorizedClient)() from None
    return {"access_token": result["AccessToken"], "expires_in": result["ExpiresIn"], "token_type": "Bearer"}
