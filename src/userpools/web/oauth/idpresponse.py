"""Sign-in through an OIDC identity provider: /oauth2/authorize?identity_provider= sends the browser to the
provider with a single-use state and a nonce; /oauth2/idpresponse exchanges the provider's code, verifies its
ID token against the provider's JWKS (signature, issuer, audience, nonce, expiry), maps its claims, creates the
federated user ``<ProviderName>_<sub>`` (or signs in the native user the identity is linked to), and resumes
the authorization request: the code goes to the app's callback."""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from userpools.domain import tokens
from userpools.domain.groups import Group
from userpools.domain.users import User, UserStatus
from userpools.errors import ServiceError
from userpools.operations import identity_providers, triggers
from userpools.operations.auth import completion, issue
from userpools.operations.context import Context
from userpools.storage.identity_providers import ProviderRecord
from userpools.storage.unit import Tx
from userpools.web.login import render
from userpools.web.oauth import authorize, sessions
from userpools.web.oauth.site import Site

STATE_VALIDITY = timedelta(minutes=10)
TIMEOUT = 10.0
SUBJECT = "Cognito_Subject"


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


class Refused(Exception):
    """The provider's answer cannot be trusted or used."""


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


def _mapped(record: ProviderRecord, claims: dict[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for attribute, claim in record.attribute_mapping.items():
        if attribute == "username" or claim not in claims:
            continue
        value = claims[claim]
        values[attribute] = value if isinstance(value, str) else json.dumps(value)
    return values


def _identity(record: ProviderRecord, subject: str, created: int) -> dict[str, Any]:
    return {
        "userId": subject,
        "providerName": record.name,
        "providerType": record.type,
        "issuer": None,
        "primary": "true",
        "dateCreated": str(created),
    }


def _user(context: Context, tx: Tx, site: Site, record: ProviderRecord, claims: dict[str, Any]) -> User:
    """The linked native user, or the federated user (created on first sign-in), its mapped attributes updated."""
    pool, subject, now = site.pool, str(claims["sub"]), context.clock.now()
    mapped = _mapped(record, claims)
    link = tx.identity_providers.linked(pool.id, record.name, SUBJECT, subject)
    if link is not None:
        user = tx.users.get_by_id(link.user_id)
        if user is None:
            raise Refused("The linked user no longer exists.")
        identities = json.loads(user.attributes.get("identities", "[]"))
        if not any(i.get("userId") == subject and i.get("providerName") == record.name for i in identities):
            identities.append(_identity(record, subject, int(now.timestamp() * 1000)))
            user.attributes["identities"] = json.dumps(identities)
            user.modified = now
            tx.users.update(user)
        return user
    username = f"{record.name}_{subject}"
    user = tx.users.get(pool.id, pool.username_key(username))
    if user is None:
        identities = [_identity(record, subject, int(now.timestamp() * 1000))]
        sub = str(uuid.uuid4())
        attributes = {"sub": sub, **mapped, "identities": json.dumps(identities)}
        user = User(pool.id, username, sub, UserStatus.EXTERNAL_PROVIDER, True, attributes, now, now)
        if not tx.users.claim(user, pool.username_key(username)):
            raise Refused("The federated user is being created by another request.")
        group = f"{pool.id}_{record.name}"
        if tx.groups.get(pool.id, group) is None:
            tx.groups.insert(Group(pool.id, group, None, None, None, now, now))
    else:
        user.attributes.update(mapped)  # the mapping is applied again at each sign-in
        user.modified = now
        tx.users.update(user)
    assert user.id is not None
    tx.groups.add_member(pool.id, f"{pool.id}_{record.name}", user.id)
    return user


def _new(context: Context, site: Site, record: ProviderRecord, subject: str) -> bool:
    """Whether this identity signs in for the first time (no link, no federated user yet)."""
    pool = site.pool
    with context.store.transaction(write=False) as tx:
        if tx.identity_providers.linked(pool.id, record.name, SUBJECT, subject) is not None:
            return False
        return tx.users.get(pool.id, pool.username_key(f"{record.name}_{subject}")) is None


def _signed_in(context: Context, site: Site, client_id: str, record: ProviderRecord, claims: dict[str, Any]) -> User:
    """The user, with the triggers of a federated sign-in: PreSignUp_ExternalProvider and
    PostConfirmation_ConfirmSignUp the first time, then PreAuthentication_Authentication."""
    pool, subject = site.pool, str(claims["sub"])
    new = _new(context, site, record, subject)
    if new:
        triggers.pre_sign_up(
            context,
            pool,
            "PreSignUp_ExternalProvider",
            f"{record.name}_{subject}",
            _mapped(record, claims),
            validation_data=None,
            client_metadata=None,
            client_id=client_id,
        )
    with context.store.transaction() as tx:
        user = _user(context, tx, site, record, claims)
    if new:
        triggers.post_confirmation(
            context, pool, "PostConfirmation_ConfirmSignUp", user, client_metadata=None, client_id=client_id
        )
    triggers.pre_authentication(context, pool, client_id, user.username, user, validation_data=None)
    return user


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
    try:
        user = _signed_in(context, site, req.client.id, record, claims)
    except Refused as refused:
        return render.error_page(context, site, request, str(refused), 401)
    except ServiceError as error:  # a trigger refused
        return render.error_page(context, site, request, error.message, 400)
    if not user.enabled:
        return render.error_page(context, site, request, "User is disabled.", 403)
    now = context.clock.now()
    earned = issue.Grant(user, "TokenGeneration_HostedAuth", now, scopes=req.scopes, nonce=req.nonce)
    completion.post_authentication(context, site.pool, req.client, earned, None)
    response = authorize.grant(context, site, req, user, now)
    sessions.start(context, site, user, now, response)
    return response


async def idpresponse(context: Context, site: Site, request: Request) -> Response:
    return await run_in_threadpool(_finish, context, site, request)
