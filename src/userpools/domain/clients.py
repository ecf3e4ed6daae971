"""App clients: settings, their defaults and limits, and which auth flows they allow."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from userpools.domain.errors import InvalidParameterException

# Members of Create/UpdateUserPoolClient stored as given and echoed in UserPoolClientType.
STORED_KEYS = (
    "RefreshTokenValidity",
    "AccessTokenValidity",
    "IdTokenValidity",
    "TokenValidityUnits",
    "ReadAttributes",
    "WriteAttributes",
    "ExplicitAuthFlows",
    "SupportedIdentityProviders",
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "AllowedOAuthFlowsUserPoolClient",
    "AnalyticsConfiguration",
    "PreventUserExistenceErrors",
    "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData",
    "AuthSessionValidity",
    "RefreshTokenRotation",
)
DEFAULTS: dict[str, Any] = {
    "RefreshTokenValidity": 30,
    "AccessTokenValidity": 60,
    "IdTokenValidity": 60,
    "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
    "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    "AllowedOAuthFlowsUserPoolClient": False,
    "PreventUserExistenceErrors": "LEGACY",
    "EnableTokenRevocation": True,
    "EnablePropagateAdditionalUserContextData": False,
    "AuthSessionValidity": 3,
}
_UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
_DEFAULT_UNITS = {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"}
_DEFAULT_SECONDS = {"AccessToken": 3600, "IdToken": 3600, "RefreshToken": 30 * 86400}
# Allowed ranges in seconds (Cognito: access/ID 5 minutes to 1 day; refresh 1 hour to 10 years).
_RANGES = {"AccessToken": (300, 86400), "IdToken": (300, 86400), "RefreshToken": (3600, 3650 * 86400)}
_LEGACY = {
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY": "ALLOW_CUSTOM_AUTH",
}
# AuthFlow of InitiateAuth/AdminInitiateAuth → the ExplicitAuthFlows value that enables it.
FLOW_FLAGS = {
    "USER_SRP_AUTH": "ALLOW_USER_SRP_AUTH",
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "REFRESH_TOKEN_AUTH": "ALLOW_REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN": "ALLOW_REFRESH_TOKEN_AUTH",
    "CUSTOM_AUTH": "ALLOW_CUSTOM_AUTH",
    "USER_AUTH": "ALLOW_USER_AUTH",
}


def new_secret() -> str:
    """A 51-character client secret in Cognito's alphabet."""
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(51))


def _token_validity(config: dict[str, Any]) -> None:
    units = {**_DEFAULT_UNITS, **(config.get("TokenValidityUnits") or {})}
    for kind, key in (
        ("AccessToken", "AccessTokenValidity"),
        ("IdToken", "IdTokenValidity"),
        ("RefreshToken", "RefreshTokenValidity"),
    ):
        value = config.get(key)
        if value is None:
            continue
        low, high = _RANGES[kind]
        if not low <= int(value) * _UNITS[units[kind]] <= high:
            raise InvalidParameterException(
                f"Invalid range for token validity: {key} {value} {units[kind]} is outside the allowed range."
            )


def _auth_flows(flows: list[str]) -> None:
    legacy = [f for f in flows if f in _LEGACY]
    if legacy and len(legacy) != len(flows):
        raise InvalidParameterException("ExplicitAuthFlows cannot mix legacy values with ALLOW_ values.")


def settings(params: dict[str, Any], previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored settings for Create (``previous`` None) or Update: omitted members take defaults."""
    given = {k: params[k] for k in STORED_KEYS if params.get(k) is not None}
    config = {**DEFAULTS, **given}
    units = config["TokenValidityUnits"] = {**_DEFAULT_UNITS, **given.get("TokenValidityUnits", {})}
    for kind, unit in units.items():  # an omitted validity is the default lifetime, in the chosen unit
        if f"{kind}Validity" not in given:
            config[f"{kind}Validity"] = max(1, _DEFAULT_SECONDS[kind] // _UNITS[unit])
    _token_validity(config)
    _auth_flows(list(config["ExplicitAuthFlows"]))
    if not 3 <= int(config["AuthSessionValidity"]) <= 15:
        raise InvalidParameterException("AuthSessionValidity must be between 3 and 15 minutes.")
    return config


@dataclass
class Client:
    id: str
    pool_id: str
    name: str
    secret: str | None
    config: dict[str, Any]
    created: datetime
    modified: datetime
    other_secrets: tuple[str, ...] = ()  # a rotated client's other active secret (AddUserPoolClientSecret)
    # A CIMD client (domain/cimd.py): the client_id URL it presents; ``id`` is its policy's app client.
    metadata_url: str | None = None

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every active secret: SECRET_HASH and the token endpoint accept any of them."""
        return (self.secret, *self.other_secrets) if self.secret is not None else ()

    @property
    def flows(self) -> set[str]:
        flows = list(self.config.get("ExplicitAuthFlows") or [])
        allowed = {_LEGACY.get(f, f) for f in flows}
        if any(f in _LEGACY for f in flows):  # legacy clients always had SRP and refresh
            allowed |= {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
        return allowed

    def allows(self, auth_flow: str) -> bool:
        return FLOW_FLAGS.get(auth_flow, "") in self.flows

    def validity(self, kind: str) -> timedelta:
        """Lifetime of ``AccessToken``, ``IdToken`` or ``RefreshToken``."""
        units = {**_DEFAULT_UNITS, **(self.config.get("TokenValidityUnits") or {})}
        value = int(self.config.get(f"{kind}Validity") or DEFAULTS[f"{kind}Validity"])
        return timedelta(seconds=value * _UNITS[units[kind]])

    @property
    def session_validity(self) -> timedelta:
        return timedelta(minutes=int(self.config.get("AuthSessionValidity") or 3))

    @property
    def prevents_user_existence_errors(self) -> bool:
        return self.config.get("PreventUserExistenceErrors") == "ENABLED"

    @property
    def revocation_enabled(self) -> bool:
        return bool(self.config.get("EnableTokenRevocation", True))

    @property
    def read_attributes(self) -> list[str] | None:
        return self.config.get("ReadAttributes") or None

    @property
    def write_attributes(self) -> list[str] | None:
        return self.config.get("WriteAttributes") or None

    def describe(self) -> dict[str, Any]:
        """UserPoolClientType."""
        out = {k: v for k, v in self.config.items() if v is not None}
        out.update(
            UserPoolId=self.pool_id,
            ClientName=self.name,
            ClientId=self.id,
            LastModifiedDate=self.modified,
            CreationDate=self.created,
        )
        if self.secret is not None:
            out["ClientSecret"] = self.secret
        return out
