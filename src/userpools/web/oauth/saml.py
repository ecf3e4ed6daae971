"""Sign-in through a SAML identity provider, and single logout.

SP-initiated: /oauth2/authorize?identity_provider=<SAML provider> redirects to the IdP's SingleSignOnService with
an AuthnRequest and an opaque single-use RelayState, which remembers the request's ID (for InResponseTo) and the
authorization request to resume. /saml2/idpresponse (POST binding) checks the response (saml_sp.py), refuses an
assertion ID seen before, signs the federated user in (federated.py, the same steps as OIDC) and sends the code to
the app's callback. IdP-initiated (IDPInit "true"): the RelayState is the authorization request's query
(client_id, redirect_uri, response_type, scope, identity_provider or idp_identifier), as Cognito documents.

Single logout (IDPSignout "true"): /logout sends a user signed in through SAML to the IdP's SingleLogoutService
with a signed LogoutRequest; the IdP's LogoutResponse comes back to /saml2/logout (POST), which goes on to the
logout's destination. An IdP's own LogoutRequest at /saml2/logout is not supported (Cognito documents only the
LogoutResponse)."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from urllib.parse import urlencode

import httpx
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from userpools.domain import tokens
from userpools.steps.context import Context
from userpools.storage.identity_providers import ProviderRecord
from userpools.web.login import render
from userpools.web.oauth import authorize, federated, saml_sp, sessions
from userpools.web.oauth.federated import Refused
from userpools.web.oauth.site import Site, form_value

STATE_VALIDITY = timedelta(minutes=10)
REPLAY_WINDOW = timedelta(minutes=10)  # an assertion ID is remembered at least this long, or to its NotOnOrAfter


def _key(kind: str, value: str) -> str:
    return tokens.hash_token(f"saml-{kind}:{value}")


def start(context: Context, site: Site, request: Request, record: ProviderRecord) -> Response:
    """The redirect to the IdP with an AuthnRequest."""
    relay = secrets.token_urlsafe(32)
    try:
        with saml_sp.client(context, site, request, record) as sp:
            request_id, location = saml_sp.authn_request(sp, record, relay)
    except Refused as refused:
        return render.error_page(context, site, request, str(refused), 502)
    with context.store.transaction() as tx:
        tx.identity_providers.add_state(
            _key("relay", relay),
            site.pool.id,
            record.name,
            request_id,
            urlencode(dict(request.query_params)),  # as authorize read it: a repeated parameter's last value
            context.clock.now() + STATE_VALIDITY,
        )
    return RedirectResponse(location, 302)


def _request_of(context: Context, site: Site, relay: str) -> tuple[dict[str, str], str | None, str | None] | str:
    """(the authorization query, the AuthnRequest ID or None for IdP-initiated, the provider the state names), or
    an error message."""
    with context.store.transaction() as tx:
        taken = tx.identity_providers.take_state(_key("relay", relay), context.clock.now())
    if taken is not None and taken[0] == site.pool.id:
        _, provider, request_id, resumed = taken
        return dict(httpx.QueryParams(resumed)), request_id, provider
    query = dict(httpx.QueryParams(relay))
    if "client_id" not in query:
        return "The sign-in has expired or was already used. Try again."
    return query, None, None


def _finish(context: Context, site: Site, request: Request, saml_response: str, relay: str) -> Response:
    found = _request_of(context, site, relay)
    if isinstance(found, str):
        return render.error_page(context, site, request, found)
    query, request_id, provider = found
    try:
        req = authorize.parse(context, site, query)
    except authorize.Invalid as invalid:
        return render.error_page(context, site, request, str(invalid))
    except authorize.Refused as refused:
        return refused.response()
    record = req.provider
    if record is None or record.type != "SAML" or (provider is not None and record.name != provider):
        return render.error_page(context, site, request, "The RelayState names no SAML provider of this client.")
    if request_id is None and record.details.get("IDPInit") != "true":
        return render.error_page(context, site, request, f"IdP-initiated sign-in is not enabled for {record.name}.")
    try:
        with saml_sp.client(context, site, request, record, unsolicited=request_id is None) as sp:
            encrypted = record.details.get("EncryptedResponses") == "true"
            checked = saml_sp.check_response(sp, saml_response, request_id, encrypted=encrypted)
        _spend(context, site, record, checked)
    except Refused as refused:
        return render.error_page(context, site, request, str(refused), 401)
    response, cookie = federated.finish(context, site, request, req, record, checked.identity)
    if cookie is not None:
        with context.store.transaction() as tx:  # what single logout will need
            tx.identity_providers.add_state(
                _key("session", cookie),
                site.pool.id,
                record.name,
                "",
                json.dumps({"name_id": checked.name_id, "session_index": checked.session_index}),
                context.clock.now() + sessions.VALIDITY,
            )
    return response


def _spend(context: Context, site: Site, record: ProviderRecord, checked: saml_sp.Checked) -> None:
    """Refuse an assertion already used (its ID is kept until it expires)."""
    now = context.clock.now()
    expires = max(now + REPLAY_WINDOW, now + timedelta(seconds=max(0, checked.not_on_or_after - now.timestamp())))
    with context.store.transaction() as tx:
        fresh = tx.identity_providers.remember_once(
            _key("assertion", f"{site.pool.id}:{record.name}:{checked.assertion_id}"),
            site.pool.id,
            record.name,
            "",
            expires,
        )
    if not fresh:
        raise Refused("Invalid SAML response received: this assertion was already used.")


async def idpresponse(context: Context, site: Site, request: Request) -> Response:
    form = await request.form()
    saml_response, relay = form_value(form, "SAMLResponse"), form_value(form, "RelayState")
    if not saml_response:
        return render.error_page(context, site, request, "SAMLResponse is missing.")
    return await run_in_threadpool(_finish, context, site, request, saml_response, relay)


def logout_redirect(context: Context, site: Site, request: Request, destination: str) -> Response | None:
    """For a session signed in through a SAML provider with IDPSignout, the redirect to the IdP's single logout
    (``destination`` is where /saml2/logout goes after); None otherwise."""
    cookie = request.cookies.get(sessions.COOKIE)
    if not cookie:
        return None
    with context.store.transaction() as tx:
        taken = tx.identity_providers.take_state(_key("session", cookie), context.clock.now())
        record = tx.identity_providers.get(site.pool.id, taken[1]) if taken and taken[0] == site.pool.id else None
    if taken is None or record is None or record.details.get("IDPSignout") != "true":
        return None
    session = json.loads(taken[3])
    relay = secrets.token_urlsafe(32)
    try:
        with saml_sp.client(context, site, request, record) as sp:
            request_id, location = saml_sp.logout_request(sp, session["name_id"], session["session_index"], relay)
    except Refused:
        return None  # the local session still ends
    with context.store.transaction() as tx:
        tx.identity_providers.add_state(
            _key("logout", relay),
            site.pool.id,
            record.name,
            request_id,
            destination,
            context.clock.now() + STATE_VALIDITY,
        )
    return RedirectResponse(location, 302)


def _logged_out(context: Context, site: Site, request: Request, saml_response: str, relay: str) -> Response:
    with context.store.transaction() as tx:
        taken = tx.identity_providers.take_state(_key("logout", relay), context.clock.now())
        record = tx.identity_providers.get(site.pool.id, taken[1]) if taken and taken[0] == site.pool.id else None
    if taken is None or record is None:
        return render.error_page(context, site, request, "The sign-out has expired or was already used.")
    try:
        with saml_sp.client(context, site, request, record) as sp:
            saml_sp.check_logout_response(sp, saml_response, taken[2])
    except Refused as refused:
        return render.error_page(context, site, request, str(refused), 401)
    return RedirectResponse(taken[3], 302)


async def logout(context: Context, site: Site, request: Request) -> Response:
    """/saml2/logout: the IdP's LogoutResponse (POST binding), then on to the sign-out's destination."""
    form = await request.form()
    saml_response, relay = form_value(form, "SAMLResponse"), form_value(form, "RelayState")
    if not saml_response:
        return render.error_page(context, site, request, "Only a SAML LogoutResponse is accepted here.")
    return await run_in_threadpool(_logged_out, context, site, request, saml_response, relay)
