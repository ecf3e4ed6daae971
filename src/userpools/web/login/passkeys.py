"""Adding a passkey on managed login: offered once a choice-based sign-in is done, to a user who has none
where the pool allows passkeys, and at ``/passkeys/add`` (Cognito's managed login path) for a signed-in user.

The offer comes after PostAuthentication, with the domain's session already started, so "Not now" and a
registered passkey both go on to the callback as a signed-in visit of /oauth2/authorize does. The page runs
Start/CompleteWebAuthnRegistration's own steps (operations/webauthn.py) for the session's user, as
Cognito's page does for its signed-in user; the browser's ``navigator.credentials.create`` makes the passkey.

Choices where Cognito's behaviour is not known: the offer is made at every such sign-in while the user has no
passkey (nothing is remembered of a "Not now"); it is not made after a passkey sign-in or on classic (version 1)
domains; ``/passkeys/add`` needs the authorization request's parameters (client_id, redirect_uri,
response_type, ...) and, once the passkey is added or skipped, answers that request."""

from __future__ import annotations

import json

from starlette.responses import Response

from userpools.domain import webauthn as ceremonies
from userpools.errors import ServiceError
from userpools.operations import webauthn as registration
from userpools.operations.auth import completion, issue
from userpools.web.login.visit import Visit
from userpools.web.oauth import authorize, sessions


def _options(visit: Visit, user_id: int) -> str | None:
    """CredentialCreationOptions for the user (as JSON text), or None where a passkey cannot be added."""
    with visit.context.store.transaction() as tx:
        user = tx.users.get_by_id(user_id)
        if user is None or not registration.enabled(visit.site.pool):
            return None
        try:
            options = registration.begin_registration(visit.context, tx, visit.site.pool, user, visit.auth.client.id)
        except ServiceError:  # no relying party, or the user's 20 passkeys: nothing to offer
            return None
    return json.dumps(options)


def after_sign_in(visit: Visit, earned: issue.Grant) -> Response:
    """The callback, or first the offer to add a passkey (choice-based sign-in, passkeys allowed, none yet)."""
    user = earned.user
    assert user.id is not None
    if not visit.choice_based:
        return visit.signed_in(earned)
    with visit.context.store.transaction(write=False) as tx:
        has_passkey = tx.webauthn.has_any(user.id)
    options = None if has_passkey else _options(visit, user.id)
    if options is None:
        return visit.signed_in(earned)
    completion.post_authentication(visit.context, visit.site.pool, visit.auth.client, earned, None)
    response = visit.show("passkey_add.html", options=options, offer=True, error=None)
    sessions.start(visit.context, visit.site, user, earned.auth_time, response, visit.auth.client.id)
    return response


def add_form(visit: Visit) -> Response:
    """GET /passkeys/add: the page for the signed-in user, else the sign-in page first."""
    signed_in = sessions.current(visit.context, visit.site, visit.request, visit.auth.client.id)
    if signed_in is None:
        return visit.go("/login")
    user = signed_in[0]
    assert user.id is not None
    options = _options(visit, user.id)
    if options is None:
        return visit.show(
            "message.html", status=400, title_key="error_title", message="Passkeys are not available here."
        )
    return visit.show("passkey_add.html", options=options, offer=False, error=None)


def add(visit: Visit) -> Response:
    """POST /passkeys/add: the authenticator's attestation verified and stored, or skipped; then the callback."""
    signed_in = sessions.current(visit.context, visit.site, visit.request, visit.auth.client.id)
    if signed_in is None:
        return visit.go("/login")
    user, auth_time = signed_in
    assert user.id is not None
    if not visit.field("skip"):
        pool, client_id = visit.site.pool, visit.auth.client.id
        try:
            credential = ceremonies.parse(visit.field("credential"))
            with visit.context.store.transaction() as tx:
                row = registration.take_registration(visit.context, tx, pool, user)
            registration.finish_registration(visit.context, pool, user, client_id, row, credential)
        except ServiceError as error:
            options = _options(visit, user.id)
            if options is None:
                return authorize.grant(visit.context, visit.site, visit.auth, user, auth_time)
            offer = bool(visit.field("offer"))
            return visit.show("passkey_add.html", status=400, options=options, offer=offer, error=error.message)
    return authorize.grant(visit.context, visit.site, visit.auth, user, auth_time)
