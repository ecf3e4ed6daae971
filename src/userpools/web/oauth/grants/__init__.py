"""The token endpoint's grants, one small module each (authlib's shape: the endpoint picks the grant
named by ``grant_type``; each checks its request and answers the token response)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from userpools.domain import token_exchange as token_exchange_rules
from userpools.domain.clients import Client
from userpools.steps.context import Context
from userpools.web.oauth.grants import authorization_code, client_credentials, refresh_token, token_exchange
from userpools.web.oauth.site import Site

Grant = Callable[[Context, Site, Client, Any], dict[str, Any]]

GRANTS: dict[str, Grant] = {
    "authorization_code": authorization_code.exchange,
    "refresh_token": refresh_token.exchange,
    "client_credentials": client_credentials.exchange,
    token_exchange_rules.GRANT_TYPE: token_exchange.exchange,
}
