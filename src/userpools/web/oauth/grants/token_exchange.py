"""grant_type=urn:ietf:params:oauth:grant-type:token-exchange (RFC 8693 section 2): GetDerivedToken at the token
endpoint, the client authenticated as for any grant. ``scope`` is space-separated; ``audience`` and ``resource``
are one value each; token types are RFC 8693's URNs. Errors: RFC 8693's ``invalid_target`` for an unknown
resource, ``invalid_scope``, ``unauthorized_client`` for a client without the exchange flag, ``invalid_grant``
for a subject or actor token that does not verify, ``invalid_request`` otherwise."""

from __future__ import annotations

from typing import Any

from userpools.domain import token_exchange
from userpools.domain.clients import Client
from userpools.domain.errors import InvalidParameterException, ResourceNotFoundException
from userpools.errors import ServiceError
from userpools.operations.derived_tokens import Exchange, derive
from userpools.steps.context import Context
from userpools.web.oauth.errors import InvalidGrant, InvalidRequest, InvalidScope, OAuth2Error, UnauthorizedClient
from userpools.web.oauth.site import Site, form_value


class InvalidTarget(OAuth2Error):  # type: ignore[misc]
    error = "invalid_target"


def _kind(form: Any, name: str, *, required: bool) -> str | None:
    value = form_value(form, name)
    if not value and not required:
        return None
    kind = token_exchange.OF_URN.get(value)
    if kind is None:
        raise InvalidRequest(f"{name} must be an access_token, id_token or saml2 token type URN.")
    return kind


def _refusal(error: ServiceError) -> OAuth2Error:
    message = str(error)
    if isinstance(error, ResourceNotFoundException):
        return InvalidTarget(message)
    if isinstance(error, InvalidParameterException):
        if "scope" in message:
            return InvalidScope(message)
        if "not enabled" in message:
            return UnauthorizedClient(message)
        return InvalidRequest(message)
    return InvalidGrant(message)


def exchange(context: Context, site: Site, client: Client, form: Any) -> dict[str, Any]:
    subject = form_value(form, "subject_token")
    if not subject:
        raise InvalidRequest("subject_token is required.")
    requested = _kind(form, "requested_token_type", required=False) or "ACCESS_TOKEN"
    if requested == "SAML2":
        raise InvalidRequest("requested_token_type must be an access_token or id_token URN.")
    audience, resource = form_value(form, "audience"), form_value(form, "resource")
    request = Exchange(
        subject,
        str(_kind(form, "subject_token_type", required=True)),
        form_value(form, "actor_token") or None,
        _kind(form, "actor_token_type", required=bool(form_value(form, "actor_token"))),
        form_value(form, "scope").split() or None,
        [audience] if audience else None,
        [resource] if resource else None,
        requested,
    )
    try:
        result = derive(context, site.pool, client, request)
    except ServiceError as error:
        raise _refusal(error) from None
    body: dict[str, Any] = {
        "access_token": result["IssuedToken"],
        "issued_token_type": token_exchange.urn(result["IssuedTokenType"]),
        "token_type": "Bearer",
        "expires_in": result["ExpiresIn"],
    }
    if "Scopes" in result:
        body["scope"] = " ".join(result["Scopes"])
    return body
