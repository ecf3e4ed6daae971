"""The pre token generation trigger: its event as Cognito builds it (versions 1, 2 and 3), and the claims,
scopes and groups its answer changes in the tokens. Pure, like :mod:`userpools.domain.trigger_events`, whose
envelope and answer readers it uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from userpools.domain.errors import InvalidLambdaResponseException
from userpools.domain.trigger_events import (
    UNRECOGNIZABLE,
    Caller,
    check_source,
    envelope,
    optional_object,
    string_list,
    with_metadata,
)

TOKEN_GENERATION = (
    "TokenGeneration_HostedAuth",
    "TokenGeneration_Authentication",
    "TokenGeneration_NewPasswordChallenge",
    "TokenGeneration_AuthenticateDevice",
    "TokenGeneration_RefreshTokens",
    "TokenGeneration_ClientCredentials",
)

# Claims a pre token generation trigger may not add, override or suppress.
# Choice: Cognito's documented list; attempts to change them are ignored rather than rejected.
RESERVED_CLAIMS = frozenset(
    {
        "acr",
        "amr",
        "aud",
        "at_hash",
        "auth_time",
        "azp",
        "c_hash",
        "exp",
        "iat",
        "identities",
        "iss",
        "jti",
        "nbf",
        "nonce",
        "origin_jti",
        "sub",
        "token_use",
        "cognito:username",
        "client_id",
        "scope",
        "username",
        "event_id",
        "device_key",
    }
)


@dataclass(frozen=True)
class GroupConfiguration:
    groups: list[str] = field(default_factory=list)
    iam_roles: list[str] = field(default_factory=list)
    preferred_role: str | None = None

    def as_event(self) -> dict[str, Any]:
        return {
            "groupsToOverride": list(self.groups),
            "iamRolesToOverride": list(self.iam_roles),
            "preferredRole": self.preferred_role,
        }


def pre_token_generation(
    source: str,
    caller: Caller,
    username: str,
    user_attributes: Mapping[str, str],
    groups: GroupConfiguration,
    *,
    lambda_version: str = "V1_0",
    scopes: Sequence[str] = (),
    client_metadata: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """V1_0 (ID token only; event version "1") or V2_0/V3_0 (both tokens, ``scopes``; version "2"/"3")."""
    check_source(source, TOKEN_GENERATION)
    request: dict[str, Any] = {"userAttributes": dict(user_attributes), "groupConfiguration": groups.as_event()}
    if lambda_version == "V1_0":
        response: dict[str, Any] = {"claimsOverrideDetails": None}
        version = "1"
    elif lambda_version in ("V2_0", "V3_0"):
        request["scopes"] = list(scopes)
        response = {"claimsAndScopeOverrideDetails": None}
        version = lambda_version[1]
    else:
        raise ValueError(f"unknown pre token generation version {lambda_version!r}")
    return envelope(source, caller, username, with_metadata(request, client_metadata), response, version=version)


@dataclass(frozen=True)
class TokenChanges:
    """What to do to one token's claims (and, for access tokens, scopes)."""

    add_or_override: dict[str, Any] = field(default_factory=dict)
    suppress: list[str] = field(default_factory=list)
    scopes_to_add: list[str] = field(default_factory=list)
    scopes_to_suppress: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TokenOverrides:
    id_token: TokenChanges = field(default_factory=TokenChanges)
    access_token: TokenChanges = field(default_factory=TokenChanges)
    groups: GroupConfiguration | None = None  # None: keep the user's groups and roles


def read_pre_token_generation(response: Mapping[str, Any], lambda_version: str = "V1_0") -> TokenOverrides:
    """V1_0 reads ``claimsOverrideDetails`` (ID token); V2_0/V3_0 ``claimsAndScopeOverrideDetails``."""
    if lambda_version == "V1_0":
        details = optional_object(response, "claimsOverrideDetails")
        if details is None:
            return TokenOverrides()
        return TokenOverrides(id_token=_token_changes(details, scopes=False), groups=_group_override(details))
    details = optional_object(response, "claimsAndScopeOverrideDetails")
    if details is None:
        return TokenOverrides()
    id_part = optional_object(details, "idTokenGeneration") or {}
    access_part = optional_object(details, "accessTokenGeneration") or {}
    return TokenOverrides(
        id_token=_token_changes(id_part, scopes=False),
        access_token=_token_changes(access_part, scopes=True),
        groups=_group_override(details),
    )


def apply_token_changes(claims: Mapping[str, Any], changes: TokenChanges) -> dict[str, Any]:
    """Claims after suppressing then adding/overriding; reserved claims are left as they were.

    Added values are kept as given (string, number, boolean, list or object). Scopes change the
    space-separated ``scope`` claim of an access token.
    """
    out = dict(claims)
    for name in changes.suppress:
        if name not in RESERVED_CLAIMS:
            out.pop(name, None)
    for name, value in changes.add_or_override.items():
        if name not in RESERVED_CLAIMS:
            out[name] = value
    if "scope" in out and (changes.scopes_to_add or changes.scopes_to_suppress):
        scopes = [s for s in str(out["scope"]).split() if s not in set(changes.scopes_to_suppress)]
        scopes += [s for s in changes.scopes_to_add if s not in scopes]
        out["scope"] = " ".join(scopes)
    return out


def apply_group_override(claims: Mapping[str, Any], groups: GroupConfiguration | None) -> dict[str, Any]:
    """``cognito:groups``, ``cognito:roles`` and ``cognito:preferred_role`` as the override sets them."""
    out = dict(claims)
    if groups is None:
        return out
    for claim, value in (("cognito:groups", groups.groups), ("cognito:roles", groups.iam_roles)):
        if value:
            out[claim] = list(value)
        else:
            out.pop(claim, None)
    if groups.preferred_role:
        out["cognito:preferred_role"] = groups.preferred_role
    else:
        out.pop("cognito:preferred_role", None)
    return out


def _token_changes(details: Mapping[str, Any], *, scopes: bool) -> TokenChanges:
    add = optional_object(details, "claimsToAddOrOverride") or {}
    suppress = string_list(details, "claimsToSuppress")
    if not scopes:
        return TokenChanges(dict(add), suppress)
    return TokenChanges(
        dict(add), suppress, string_list(details, "scopesToAdd"), string_list(details, "scopesToSuppress")
    )


def _group_override(details: Mapping[str, Any]) -> GroupConfiguration | None:
    override = optional_object(details, "groupOverrideDetails")
    if override is None:
        return None
    role = override.get("preferredRole")
    if role is not None and not isinstance(role, str):
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    return GroupConfiguration(
        string_list(override, "groupsToOverride"), string_list(override, "iamRolesToOverride"), role
    )
