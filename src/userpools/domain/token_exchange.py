"""OAuth 2.0 Token Exchange (RFC 8693) as Cognito's GetDerivedToken does it: which scopes the issued token
gets, whom it is bound to, and the ``act`` claim of a delegation. No I/O: the tokens arrive verified.

Choices where Cognito's behaviour is not documented (the README says the same):
- An ID token carries no scopes: for an ID-token subject the scopes are the requesting client's own.
- Requested scopes none of which can be granted are refused (an issued token without scopes grants nothing).
- ``act`` is ``{"sub", "client_id"}`` of the actor token (a user's or a machine's), with the subject token's own
  ``act`` nested inside it (RFC 8693 section 4.1); a subject's ``may_act`` (section 4.4) names the actors
  allowed by ``sub``.
- The issued token lives for the requesting client's validity of its kind, but never past the subject token.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from userpools.domain.errors import InvalidParameterException, NotAuthorizedException

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange"
URN_PREFIX = "urn:ietf:params:oauth:token-type:"
# RFC 8693's token type identifiers and the model's TokenTypeIdentifierType, both ways.
URNS = {"ACCESS_TOKEN": "access_token", "ID_TOKEN": "id_token", "SAML2": "saml2"}
OF_URN = {URN_PREFIX + v: k for k, v in URNS.items()}
IMPERSONATION = "ALLOW_TOKEN_EXCHANGE_IMPERSONATION"
DELEGATION = "ALLOW_TOKEN_EXCHANGE_DELEGATION"


def urn(kind: str) -> str:
    return URN_PREFIX + URNS[kind]


def needed_flag(with_actor: bool) -> str:
    """The ExplicitAuthFlows value a client needs: delegation with an actor token, impersonation without."""
    return DELEGATION if with_actor else IMPERSONATION


def subject_scopes(claims: Mapping[str, Any], kind: str, client_scopes: Sequence[str]) -> list[str]:
    if kind == "ACCESS_TOKEN":
        return str(claims.get("scope", "")).split()
    return list(client_scopes)


def granted_scopes(requested: Sequence[str] | None, subject: Sequence[str], client_scopes: Sequence[str]) -> list[str]:
    """The requested scopes that both the subject token and the requesting client have; without a request,
    the subject token's own (as Cognito documents)."""
    if not requested:
        return list(subject)
    granted = [s for s in dict.fromkeys(requested) if s in subject and s in client_scopes]
    if not granted:
        raise InvalidParameterException("None of the requested scopes is in both the subject token and the app client.")
    return granted


def audience(audiences: Sequence[str] | None, resources: Sequence[str] | None) -> str | None:
    if audiences and resources:
        raise InvalidParameterException("You can't request both Audiences and Resources.")
    bound = list(audiences or []) + list(resources or [])
    return bound[0] if bound else None


def act_claim(actor: Mapping[str, Any], subject: Mapping[str, Any]) -> dict[str, Any]:
    """The issued token's ``act``: the actor, with any earlier actor of the subject nested."""
    may_act = subject.get("may_act")
    if isinstance(may_act, Mapping) and "sub" in may_act and may_act["sub"] != actor.get("sub"):
        raise NotAuthorizedException("The actor token's subject is not allowed to act for the subject token.")
    act: dict[str, Any] = {"sub": actor["sub"]}
    client_id = actor.get("client_id") or actor.get("aud")
    if isinstance(client_id, str):
        act["client_id"] = client_id
    if isinstance(subject.get("act"), Mapping):
        act["act"] = dict(subject["act"])
    return act


def lifetime(now: datetime, validity_seconds: int, subject_exp: int) -> int:
    """Seconds the issued token lives: the client's validity, cut at the subject token's expiry."""
    return max(1, min(validity_seconds, subject_exp - int(now.timestamp())))
