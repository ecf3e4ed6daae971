"""/oauth2/authorize: the authorization request checked as Cognito checks it, then either the login pages
or, for a live session, the code (``response_type=code``) or the tokens (``token``, implicit) at once.

Until the client and redirect URI are known to be valid, errors are shown on an error page; after, they go
back to the callback (``error``, ``error_description``, ``state``) as RFC 6749 section 4.1.2.1 says.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from userpools.domain import tokens
from userpools.domain.clients import Client
from userpools.domain.users import User
from userpools.operations.auth import completion, issue
from userpools.steps.context import Context
from userpools.storage.identity_providers import ProviderRecord
from userpools.storage.oauth import AuthorizationCode
from userpools.web.login import render
from userpools.web.oauth import sessions
from userpools.web.oauth.site import ClientRefused, Site, client_of

CODE_VALIDITY = timedelta(minutes=5)
FLOW_OF = {"code": "code", "token": "implicit"}


@dataclass(frozen=True)
class AuthorizationRequest:
    client: Client
    redirect_uri: str
    response_type: str
    scopes: list[str]
    state: str | None
    nonce: str | None
    challenge: str | None
    prompt: str | None
    login_hint: str | None
    provider: ProviderRecord | None = None  # an identity provider to sign in through (web/oauth/idpresponse.py)


class Refused(Exception):
    """An error to send back to the (valid) redirect URI."""

    def __init__(self, redirect_uri: str, response_type: str, state: str | None, error: str, description: str) -> None:
        super().__init__(description)
        self.redirect_uri, self.response_type, self.state = redirect_uri, response_type, state
        self.error, self.description = error, description

    def response(self) -> Response:
        values = {"error": self.error, "error_description": self.description}
        if self.state is not None:
            values["state"] = self.state
        return RedirectResponse(_join(self.redirect_uri, urlencode(values), self.response_type == "token"), 302)


class Invalid(Exception):
    """An error shown on the domain's error page: the client or redirect URI cannot be trusted."""


def _join(uri: str, encoded: str, fragment: bool) -> str:
    if fragment:
        return f"{uri}#{encoded}"
    return f"{uri}{'&' if '?' in uri else '?'}{encoded}"


def parse(context: Context, site: Site, query: dict[str, str]) -> AuthorizationRequest:
    try:
        client = client_of(context, site, query.get("client_id"))
    except ClientRefused as refused:
        raise Invalid(f"invalid_client: {refused}") from None
    if client is None:
        raise Invalid("The client_id is missing or is not an app client of this user pool.")
    redirect_uri = query.get("redirect_uri") or client.config.get("DefaultRedirectURI") or ""
    if redirect_uri not in (client.config.get("CallbackURLs") or []):
        raise Invalid("redirect_mismatch: the redirect_uri is not one of the app client's callback URLs.")
    response_type = query.get("response_type", "")
    state = query.get("state")

    def refuse(error: str, description: str) -> Refused:
        return Refused(redirect_uri, response_type, state, error, description)

    if response_type not in FLOW_OF:
        raise refuse("unsupported_response_type", "response_type must be code or token.")
    config = client.config
    if not config.get("AllowedOAuthFlowsUserPoolClient") or FLOW_OF[response_type] not in (
        config.get("AllowedOAuthFlows") or []
    ):
        raise refuse("unauthorized_client", f"The {FLOW_OF[response_type]} flow is not enabled for this client.")
    allowed = list(config.get("AllowedOAuthScopes") or [])
    scopes = query["scope"].split() if query.get("scope") else allowed
    if not scopes or any(s not in allowed for s in scopes):
        raise refuse("invalid_scope", "A requested scope is not allowed for this client.")
    challenge, method = query.get("code_challenge"), query.get("code_challenge_method")
    if (challenge or method) and (method != "S256" or not challenge):
        raise refuse("invalid_request", "PKCE needs a code_challenge with code_challenge_method S256.")
    provider = _provider(context, site, client, query)
    if provider is False:
        name = query.get("identity_provider") or query.get("idp_identifier")
        raise refuse("invalid_request", f"The identity provider {name} is not supported.")
    prompt = query.get("prompt")
    if prompt not in (None, "", "none", "login", "select_account", "consent"):
        raise refuse("invalid_request", "prompt must be none, login, select_account or consent.")
    return AuthorizationRequest(
        client,
        redirect_uri,
        response_type,
        scopes,
        state,
        query.get("nonce"),
        challenge,
        prompt,
        query.get("login_hint"),
        provider if isinstance(provider, ProviderRecord) else None,
    )


def _provider(
    context: Context, site: Site, client: Client, query: dict[str, str]
) -> ProviderRecord | Literal[False] | None:
    """The identity provider ``identity_provider`` (or ``idp_identifier``) names: None for COGNITO or none named,
    False for one that is not the pool's or not supported by the client."""
    name, identifier = query.get("identity_provider"), query.get("idp_identifier")
    if (name or "COGNITO") == "COGNITO" and not identifier:
        return None
    with context.store.transaction(write=False) as tx:
        if name:
            record = tx.identity_providers.get(site.pool.id, name)
        else:
            record = tx.identity_providers.by_identifier(site.pool.id, identifier or "")
    if record is None or record.name not in (client.config.get("SupportedIdentityProviders") or []):
        return False
    return record


def grant(context: Context, site: Site, req: AuthorizationRequest, user: User, auth_time: datetime) -> Response:
    """The code, or the implicit flow's tokens, sent to the redirect URI."""
    values: dict[str, str] = {}
    if req.response_type == "code":
        code = secrets.token_urlsafe(32)
        assert user.id is not None
        with context.store.transaction() as tx:
            tx.oauth.add_code(
                AuthorizationCode(
                    code_hash=tokens.hash_token(code),
                    pool_id=site.pool.id,
                    client_id=req.client.id,
                    user_id=user.id,
                    redirect_uri=req.redirect_uri,
                    scopes=req.scopes,
                    nonce=req.nonce,
                    challenge=req.challenge,
                    challenge_method="S256" if req.challenge else None,
                    auth_time=auth_time,
                    expires=context.clock.now() + CODE_VALIDITY,
                    metadata_url=req.client.metadata_url,
                )
            )
        values["code"] = code
    else:
        earned = issue.Grant(
            user, "TokenGeneration_HostedAuth", auth_time, scopes=req.scopes, nonce=req.nonce, post_authenticated=True
        )
        result = completion.complete(context, site.pool, req.client, earned, None)
        values.update(access_token=result["AccessToken"], token_type="Bearer", expires_in=str(result["ExpiresIn"]))
        if "IdToken" in result:
            values["id_token"] = result["IdToken"]
    if req.state is not None:
        values["state"] = req.state
    return RedirectResponse(_join(req.redirect_uri, urlencode(values), req.response_type == "token"), 302)


def authorize(context: Context, site: Site, request: Request) -> Response:
    query = dict(request.query_params)
    try:
        req = parse(context, site, query)
    except Invalid as invalid:
        return render.error_page(context, site, request, str(invalid))
    except Refused as refused:
        return refused.response()
    if req.provider is not None:
        from userpools.web.oauth import idpresponse, saml

        if req.provider.type == "SAML":
            return saml.start(context, site, request, req.provider)
        return idpresponse.start(context, site, request, req.provider)
    signed_in = sessions.current(context, site, request, req.client.id) if req.prompt != "login" else None
    if signed_in is not None:
        return grant(context, site, req, *signed_in)
    if req.prompt == "none":
        return Refused(req.redirect_uri, req.response_type, req.state, "login_required", "No live session.").response()
    return RedirectResponse(site.url("/login", request.url.query), 302)
