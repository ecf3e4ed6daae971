"""Sign-in through an OIDC identity provider or a social provider type (social.py says how they differ):
/oauth2/authorize?identity_provider= sends the browser to the
provider with a single-use state and a nonce; /oauth2/idpresponse exchanges the provider's code, verifies its
ID token against the provider's JWKS (signature, issuer, audience, nonce, expiry), maps its claims, creates the
federated user ``<ProviderName>_<sub>`` (or signs in the native user the identity is linked to), and resumes
the authorization request: the code goes to the app's callback."""

from __future__ import annotations

import secrets
import ssl
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from userpools import outbound
from userpools.domain import tokens
from userpools.operations import identity_providers
from userpools.steps.context import Context
from userpools.storage.identity_providers import ProviderRecord
from userpools.web.login import render
from userpools.web.oauth import authorize, federated, social
from userpools.web.oauth.federated import Refused
from userpools.web.oauth.site import Site

STATE_VALIDITY = timedelta(minutes=10)
TIMEOUT = 10.0


def callback_url(site: Site, request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}{site.base}/oauth2/idpresponse"


def start(context: Context, site: Site, request: Request, record: ProviderRecord) -> Response:
    """The redirect to the provider's authorization endpoint."""
    endpoints = social.endpoints(context, record)
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
    if record.type == "SignInWithApple":
        query["response_mode"] = "form_post"  # Apple posts its answer when name or email is asked for
    url = endpoints["authorize_url"]
    return RedirectResponse(f"{url}{'&' if '?' in url else '?'}{urlencode(query)}", 302)


def _trusted(context: Context) -> ssl.SSLContext:
    """The system's CAs and USERPOOLS_CA_BUNDLE's, for every call to the provider."""
    return outbound.tls_context(context.settings.ca_bundle)


def _verify(
    context: Context, endpoints: dict[str, str], details: dict[str, str], id_token: str, nonce: str
) -> dict[str, Any]:
    try:
        keys = jwt.PyJWKClient(endpoints["jwks_uri"], timeout=int(TIMEOUT), ssl_context=_trusted(context))
        key = keys.get_signing_key_from_jwt(id_token)
        claims: dict[str, Any] = jwt.decode(
            id_token,
            key.key,
            algorithms=["RS256", "RS384", "RS512", "ES256"],
            audience=details["client_id"],
            issuer=endpoints["oidc_issuer"],
            options={"require": ["exp", "iat", "sub"]},
        )
    except (jwt.PyJWTError, OSError, KeyError) as error:
        raise Refused(f"The ID token was refused: {error}") from None
    if claims.get("nonce") != nonce:
        raise Refused("The ID token's nonce is not this sign-in's.")
    return claims


def _exchange(
    context: Context, record: ProviderRecord, endpoints: dict[str, str], code: str, redirect_uri: str
) -> dict[str, Any]:
    """The token endpoint's answer to the code (by GET for Facebook, as its token_request_method says)."""
    details = identity_providers.details_of(context, record)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    secret = social.client_secret(context, record, details)
    auth = None
    if secret and record.type in ("OIDC", "Google"):
        auth = (details["client_id"], secret)
    else:
        form["client_id"] = details["client_id"]
        if secret:
            form["client_secret"] = secret
    try:
        if endpoints.get("token_request_method") == "GET":
            answer = httpx.get(endpoints["token_url"], params=form, timeout=TIMEOUT, verify=_trusted(context))
        else:
            answer = httpx.post(endpoints["token_url"], data=form, auth=auth, timeout=TIMEOUT, verify=_trusted(context))
        body: dict[str, Any] = answer.json()
    except (httpx.HTTPError, ValueError):
        raise Refused("The identity provider's token endpoint did not answer.") from None
    wanted = "access_token" if record.type in social.SUBJECT_CLAIM else "id_token"
    if answer.status_code != 200 or wanted not in body:
        raise Refused(f"The identity provider refused the code: {body.get('error', answer.status_code)}.")
    return body


def _userinfo(
    context: Context, record: ProviderRecord, endpoints: dict[str, str], access_token: str, subject: str | None
) -> dict[str, Any]:
    """The provider's userinfo claims (its ``attributes_url``, by ``attributes_request_method``), for the same sub."""
    url = endpoints.get("attributes_url")
    if not url or not access_token:
        return {}
    method = record.details.get("attributes_request_method", "GET")
    headers = {"Authorization": f"Bearer {access_token}"}
    try:
        answer = httpx.request(
            method, social.attributes_url(record, url), headers=headers, timeout=TIMEOUT, verify=_trusted(context)
        )
        body = answer.json()
    except (httpx.HTTPError, ValueError):
        raise Refused("The identity provider's userinfo endpoint did not answer.") from None
    if answer.status_code != 200 or not isinstance(body, dict):
        raise Refused(f"The identity provider's userinfo endpoint answered {answer.status_code}.")
    if subject is not None and str(body.get("sub", subject)) != subject:
        raise Refused("The userinfo answer is about another user.")
    return body


def _identity(
    context: Context, record: ProviderRecord, endpoints: dict[str, str], answer: dict[str, Any], nonce: str
) -> federated.Identity:
    """The verified identity: from the ID token (OIDC, Google, Apple; OIDC's userinfo added), or for Facebook and
    Login with Amazon from the profile their access token reads."""
    access = str(answer.get("access_token") or "")
    claim = social.SUBJECT_CLAIM.get(record.type)
    if claim is not None:
        profile = _userinfo(context, record, endpoints, access, None)
        if not profile.get(claim):
            raise Refused(f"The provider's profile has no {claim}.")
        return federated.Identity(str(profile[claim]), profile)
    details = identity_providers.details_of(context, record)
    claims = _verify(context, endpoints, details, str(answer["id_token"]), nonce)
    if record.type == "OIDC":
        claims = {**_userinfo(context, record, endpoints, access, str(claims["sub"])), **claims}
    return federated.Identity(str(claims["sub"]), claims)


def _finish(context: Context, site: Site, request: Request, query: dict[str, str]) -> Response:
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
    endpoints = social.endpoints(context, record)
    try:
        answer = _exchange(context, record, endpoints, query["code"], callback_url(site, request))
        identity = _identity(context, record, endpoints, answer, nonce)
    except Refused as refused:
        return render.error_page(context, site, request, str(refused), 401)
    return federated.finish(context, site, request, req, record, identity)[0]


async def idpresponse(context: Context, site: Site, request: Request) -> Response:
    """GET, or POST for a provider that answers with a form (Sign in with Apple's ``response_mode=form_post``)."""
    query = dict(request.query_params)
    if request.method == "POST":
        form = await request.form()
        query.update({k: v for k, v in form.items() if isinstance(v, str)})
    return await run_in_threadpool(_finish, context, site, request, query)
