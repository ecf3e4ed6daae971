"""/signup and /confirm: SignUp with the pool's required attributes, then ConfirmSignUp with the code sent
(or ResendConfirmationCode) — Cognito's own operations, their triggers and messages.

For choice-based sign-in (outcomes.py, choice.py) the password is optional where the pool allows passwordless
sign-up (EMAIL_OTP or SMS_OTP), and a confirmed sign-up signs the user in at once with ConfirmSignUp's Session
(USER_AUTH, as Amplify's autoSignIn does); otherwise, and if that sign-in fails, the sign-in page follows."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from userpools.domain import sign_in_policy
from userpools.errors import ServiceError
from userpools.web.login import calls, outcomes, texts
from userpools.web.login.visit import Visit

_NOT_ASKED = ("sub", "email_verified", "phone_number_verified")
_TYPES = {"email": "email", "phone_number": "tel", "birthdate": "date"}


def _username_attribute(visit: Visit) -> str | None:
    """With UsernameAttributes, the email (or phone number) people sign up with."""
    names = visit.site.pool.username_attributes
    return names[0] if names else None


def _fields(visit: Visit) -> list[dict[str, Any]]:
    own = _username_attribute(visit)
    fields = []
    for attribute in visit.site.pool.schema:
        name = attribute["Name"]
        if attribute.get("Required") and name not in _NOT_ASKED and name != own:
            fields.append({"name": name, "type": _TYPES.get(name, "text"), "value": visit.field(name)})
    return fields


# Managed login's lang codes and the terms documents' language names (CreateTerms Links).
_TERMS_LANGUAGES = {
    "nl": "dutch",
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "de": "german",
    "id": "bahasa-indonesia",
    "it": "italian",
    "ja": "japanese",
    "ko": "korean",
    "pt": "portuguese-brazil",
    "zh": "chinese-simplified",
}


def _terms(visit: Visit) -> list[dict[str, str]]:
    """The terms-of-use and privacy-policy links in the page's language (else cognito:default), shown only
    when the client has both, as Cognito's CreateTerms documentation says."""
    with visit.context.store.transaction(write=False) as tx:
        found = {r.name: r.links for r in tx.terms.for_client(visit.site.pool.id, visit.auth.client.id)}
    if set(found) != {"terms-of-use", "privacy-policy"}:
        return []
    requested = (visit.request.query_params.get("lang") or "en").lower()
    name = "chinese-traditional" if requested in ("zh-tw", "zh-hk") else _TERMS_LANGUAGES.get(texts.language(requested))
    links = []
    for kind, label in (("terms-of-use", "Terms of use"), ("privacy-policy", "Privacy policy")):
        url = found[kind].get(f"cognito:{name}") or found[kind].get("cognito:default")
        if url:
            links.append({"kind": kind, "label": label, "url": url})
    return links if len(links) == 2 else []


def _passwordless(visit: Visit) -> bool:
    return visit.choice_based and sign_in_policy.allows_passwordless_sign_up(visit.site.pool.config)


def show(visit: Visit, error: str | None = None, status: int = 200) -> Response:
    own = _username_attribute(visit)
    return visit.show(
        "signup.html",
        status=status,
        error=error,
        username_label=own or "username",
        username_type=_TYPES.get(own or "", "text"),
        username=visit.field("username"),
        fields=_fields(visit),
        terms=_terms(visit),
        passwordless=_passwordless(visit),
    )


def sign_up(visit: Visit) -> Response:
    username, password = visit.field("username"), visit.field("password")
    client = visit.auth.client
    attributes = [{"Name": f["name"], "Value": f["value"]} for f in _fields(visit) if f["value"]]
    own = _username_attribute(visit)
    if own and username:
        attributes.append({"Name": own, "Value": username})
    params = {
        "ClientId": client.id,
        "SecretHash": calls.secret_hash(client, username),
        "Username": username,
        "Password": (password or None) if _passwordless(visit) else password,
        "UserAttributes": attributes,
    }
    try:
        result = calls.invoke(visit.context, "SignUp", params)
    except ServiceError as error:
        return show(visit, error.message, 400)
    if result.get("UserConfirmed"):
        return visit.go("/login", login_hint=username)
    return visit.go("/confirm", username=username)


def confirm_form(visit: Visit, error: str | None = None, status: int = 200, notice: str | None = None) -> Response:
    username = visit.field("username") or visit.request.query_params.get("username", "")
    return visit.show("confirm.html", status=status, error=error, notice=notice, username=username)


def confirm(visit: Visit) -> Response:
    username, code = visit.field("username"), visit.field("code")
    client = visit.auth.client
    params: dict[str, Any] = {
        "ClientId": client.id,
        "SecretHash": calls.secret_hash(client, username),
        "Username": username,
    }
    try:
        if visit.field("resend"):
            calls.invoke(visit.context, "ResendConfirmationCode", params)
            return confirm_form(visit, notice="A new code is on its way.")
        confirmed = calls.invoke(visit.context, "ConfirmSignUp", {**params, "ConfirmationCode": code})
    except ServiceError as error:
        return confirm_form(visit, error.message, 400)
    if confirmed.get("Session") and visit.choice_based:
        try:
            outcome = outcomes.initiate(visit, "USER_AUTH", username, {}, session=confirmed["Session"])
            return outcomes.follow(visit, outcome, username)
        except ServiceError:
            pass
    return visit.go("/login", login_hint=username)
