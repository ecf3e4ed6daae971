"""Sign-in through an OIDC identity provider: /oauth2/authorize?identity_provider= sends the browser to the
provider with a single-use state and a nonce; /oauth2/idpresponse exchanges the provider's code, verifies its
ID token against the provider's JWKS (signature, issuer, audience, nonce, expiry), maps its claims, creates the
federated user ``<ProviderName>_<sub>`` (or signs in the native user the identity is linked to), and resumes
the authorization request: the code goes to the app's callback."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from userpools.domain import tokens
from userpools.operations import identity_providers
from userpools.operations.context import Context
from userpools.storage.identity_providers import ProviderRecord
from userpools.web.login import render
from userpools.web.oauth import authorize, federated
from userpools.web.oauth.federated import Refused
from userpools.web.oauth.site import Site

STATE_VALIDITY = timedelta(minutes=10)
TIMEOUT = 10.0


def callback_url(site: Site, request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}{site.base}/oauth2/idpresponse"


def start(context: Context, site: Site, request: Request, record: ProviderRecord) -> Response:
    """The redirect to the provider's authorization endpoint."""
    endpoints = identity_providers.endpoints_of(record)
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    with context.store.transaction() as tx:
        tx.identity_providers.add_state(
            tokens.hash_token(state),
            site.pool.id,
            record.name,
            nonce,
            request.url.query,
            context.clock.now() + STATE_VALIDITY,
        )
    query = {
        "response_type": "code",
        "client_id": record.details["client_id"],
        "redirect_uri": callback_url(site, request),
        "scope": record.details.get("authorize_scopes", "openid"),
        "state": state,
        "nonce": nonce,
    }
    url = endpoints["authorize_url"]
    return RedirectResponse(f"{url}{'&' if '?' in url else '?'}{urlencode(query)}", 302)


def _verify(record: ProviderRecord, details: dict[str, str], id_token: str, nonce: str) -> dict[str, Any]:
    endpoints = identity_providers.endpoints_of(record)
    try:
        keys = jwt.PyJWKClient(endpoints["jwks_uri"], timeout=int(TIMEOUT))
        key = keys.get_signing_key_from_jwt(id_token)
        claims: dict[str, Any] = jwt.decode(
            id_token,
            key.key,
            algorithms=["RS256", "RS384", "RS512", "ES256"],
            audience=details["client_id"],
            issuer=details["oidc_issuer"],
            options={"require": ["exp", "iat", "sub"]},
        )
    except (jwt.PyJWTError, OSError) as error:
        raise Refused(f"The ID token was refused: {error}") from None
    if claims.get("nonce") != nonce:
        raise Refused("The ID token's nonce is not this sign-in's.")
    return claims


def _exchange(record: ProviderRecord, details: dict[str, str], code: str, redirect_uri: str) -> dict[str, Any]:
    endpoints = identity_providers.endpoints_of(record)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    auth = None
    if details.get("client_secret"):
        auth = (details["client_id"], details["client_secret"])
    else:
        form["client_id"] = details["client_id"]
    try:
        answer = httpx.post(endpoints["token_url"], data=form, auth=auth, timeout=TIMEOUT)
        body: dict[str, Any] = answer.json()
    except (httpx.HTTPError, ValueError):
        raise Refused("The identity provider's token endpoint did not answer.") from None
    if answer.status_code != 200 or "id_token" not in body:
        raise Refused(f"The identity provider refused the code: {body.get('error', answer.status_code)}.")
    return body


def _userinfo(record: ProviderRecord, details: dict[str, str], access_token: str, subject: str) -> dict[str, Any]:
    """The provider's userinfo claims (its ``attributes_url``, by ``attributes_request_method``), for the same sub."""
    url = identity_providers.endpoints_of(record).get("attributes_url")
    if not url or not access_token:
        return {}
    method = details.get("attributes_request_method", "GET")
    try:
        answer = httpx.request(method, url, headers={"Authorization": f"Bearer {access_token}"}, timeout=TIMEOUT)
        body = answer.json()
    except (httpx.HTTPError, ValueError):
        raise Refused("The identity provider's userinfo endpoint did not answer.") from None
    if answer.status_code != 200 or not isinstance(body, dict):
        raise Refused(f"The identity provider's userinfo endpoint answered {answer.status_code}.")
    if str(body.get("sub", subject)) != subject:
        raise Refused("The userinfo answer is about another user.")
    return body


def _finish(context: Context, site: Site, request: Request) -> Response:
    query = dict(request.query_params)
    with context.store.transaction() as tx:
        taken = tx.identity_providers.take_state(tokens.hash_token(query.get("state", "")), context.clock.now())
    if taken is None or taken[0] != site.pool.id:
        return render.error_page(context, site, request, "The sign-in has expired or was already used. Try again.")
    _, provider_name, nonce, resumed = taken
    auth_query = dict(httpx.QueryParams(resumed))
    try:
        req = authorize.parse(context, site, auth_query)
    except authorize.Invalid as invalid:
        return render.error_page(context, site, request, str(invalid))
    except authorize.Refused as refused:
        return refused.response()
    if "error" in query or "code" not in query:
        error = query.get("error", "invalid_request")
        return authorize.Refused(
            req.redirect_uri, req.response_type, req.state, error, "The provider refused."
        ).response()
    with context.store.transaction(write=False) as tx:
        record = tx.identity_providers.get(site.pool.id, provider_name)
    if record is None:
        return render.error_page(context, site, request, f"The identity provider {provider_name} no longer exists.")
    details = identity_providers.details_of(context, record)
    try:
        answer = _exchange(record, details, query["code"], callback_url(site, request))
        claims = _verify(record, details, str(answer["id_token"]), nonce)
        if record.type == "OIDC":
            access = str(answer.get("access_token") or "")
            claims = {**_userinfo(record, details, access, str(claims["sub"])), **claims}
    except Refused as refused:
        return render.error_page(context, site, request, str(refused), 401)
    identity = federated.Identity(str(claims["sub"]), claims)
    return federated.finish(context, site, request, req, record, identity)[0]


async def idpresponse(context: Context, site: Site, request: Request) -> Response:
    return await run_in_threadpool(_finish, context, site, request)
