"""The OAuth side's rules: domain names, scopes, redirect URLs, and an app client's OAuth settings.

Messages are Cognito's where known (README, "OAuth 2.0, OIDC and managed login", lists the chosen ones).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from userpools.domain.errors import (
    InvalidOAuthFlowException,
    InvalidParameterException,
    ScopeDoesNotExistException,
)

STANDARD_SCOPES = ("openid", "email", "phone", "profile", "aws.cognito.signin.user.admin")
PREFIX_PATTERN = r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$"
_PREFIX = re.compile(PREFIX_PATTERN)
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
# What the API accepts in Domain: a prefix, or a custom domain's dotted name.
DOMAIN_PATTERN = rf"^{_LABEL}(?:\.{_LABEL})*$"
_RESERVED = ("aws", "amazon", "cognito")
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
MANAGED_LOGIN_VERSIONS = (1, 2)


def check_prefix(prefix: str) -> None:
    if _PREFIX.fullmatch(prefix) is None:
        raise InvalidParameterException(
            "The domain name contains an invalid character. Domain names can only contain lower-case letters, "
            f"numbers, and hyphens. Please enter a different name that follows this format: {PREFIX_PATTERN}"
        )
    for word in _RESERVED:
        if word in prefix:
            raise InvalidParameterException(f"Domain cannot contain reserved word: {word}")


def check_custom_domain(domain: str) -> None:
    if "." not in domain:
        raise InvalidParameterException(
            "A custom domain must be a fully qualified domain name, such as auth.example.com."
        )


def check_managed_login_version(version: int | None) -> int:
    chosen = 1 if version is None else version
    if chosen not in MANAGED_LOGIN_VERSIONS:
        raise InvalidParameterException("ManagedLoginVersion must be 1 or 2.")
    return chosen


def redirect_url_allowed(url: str) -> bool:
    """https anywhere, http only for localhost; other schemes (myapp://) for native apps."""
    parts = urlsplit(url)
    if not parts.scheme or "#" in url:
        return False
    if parts.scheme == "http":
        return parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme == "https":
        return bool(parts.hostname)
    return True


def _check_urls(urls: Iterable[str], what: str) -> None:
    for url in urls:
        if not redirect_url_allowed(url):
            raise InvalidParameterException(f"Invalid {what} URL: {url}")


def check_scopes(scopes: Iterable[str], custom: set[str]) -> None:
    for scope in scopes:
        if scope not in STANDARD_SCOPES and scope not in custom:
            raise ScopeDoesNotExistException(f"Invalid scope requested: {scope}")


def check_client(
    config: dict[str, Any], has_secret: bool, custom_scopes: set[str], attributes: set[str], creating: bool
) -> None:
    """Cognito's checks of Create/UpdateUserPoolClient's OAuth and attribute settings."""
    verb = "creating" if creating else "updating"
    read = config.get("ReadAttributes") or []
    write = config.get("WriteAttributes") or []
    if any(name not in attributes for name in read):
        raise InvalidParameterException(f"Invalid read attributes specified while {verb} a client")
    if any(name not in attributes or name == "sub" for name in write):
        raise InvalidParameterException(f"Invalid write attributes specified while {verb} a client")
    flows = list(config.get("AllowedOAuthFlows") or [])
    scopes = list(config.get("AllowedOAuthScopes") or [])
    callbacks = list(config.get("CallbackURLs") or [])
    _check_urls(callbacks, "callback")
    _check_urls(config.get("LogoutURLs") or [], "logout")
    default = config.get("DefaultRedirectURI")
    if default is not None:
        _check_urls([default], "default redirect")
        if default not in callbacks:
            raise InvalidParameterException("DefaultRedirectURI must be one of the CallbackURLs.")
    check_scopes(scopes, custom_scopes)
    if "client_credentials" in flows:
        if len(flows) > 1:
            raise InvalidOAuthFlowException(
                "client_credentials flow can not be selected along with code flow or implicit flow."
            )
        if not has_secret:
            raise InvalidOAuthFlowException(
                "client_credentials flow can not be selected if client does not have a client secret."
            )
        if any(scope in STANDARD_SCOPES for scope in scopes):
            raise InvalidOAuthFlowException("client_credentials flow can only be used with custom scopes.")
    if not config.get("AllowedOAuthFlowsUserPoolClient"):
        return
    if not flows:
        raise InvalidOAuthFlowException("AllowedOAuthFlows is required when AllowedOAuthFlowsUserPoolClient is true.")
    if not scopes:
        raise InvalidOAuthFlowException("AllowedOAuthScopes is required when AllowedOAuthFlowsUserPoolClient is true.")
    if ("code" in flows or "implicit" in flows) and not callbacks:
        raise InvalidParameterException("CallbackURLs is required for the code and implicit flows.")


def check_identity_providers(names: Iterable[str], known: set[str]) -> None:
    for name in names:
        if name != "COGNITO" and name not in known:
            raise InvalidParameterException(f"The provider {name} does not exist for User Pool.")
