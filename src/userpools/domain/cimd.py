"""Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document) as Cognito uses them: an
``https`` URL as ``client_id``, matched against a CIMD policy's URL patterns, whose JSON document is the
client's registration, bounded by the policy's app client. No I/O here: the fetch is operations/cimd_documents.py.

Choices where Cognito's behaviour is not documented (the README says the same):
- ``*`` in a pattern matches any run of characters except ``/ ? # @`` inside the host and port, and anything
  but ``#`` after them, so ``https://*.example.com/*`` never matches ``https://evil.test/.example.com/x``.
- The document must say ``token_endpoint_auth_method: none`` (RFC 7591's default, ``client_secret_basic``, is
  a shared secret, which Cognito does not support for CIMD).
- The client's grant types, scopes and flows are those both the app client and the document allow;
  its callback URLs are the document's ``redirect_uris``, its sign-out URLs ``post_logout_redirect_uris``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from userpools.domain.clients import Client

MAX_URL = 256  # MetadataURLType
MAX_DOCUMENT_BYTES = 5 * 1024  # the draft's suggested bound on a document
MIN_CACHE = 86_400  # a Cache-Control max-age is used when it falls between one day and one year
MAX_CACHE = 31_556_952
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)\"?", re.IGNORECASE)


class DocumentRefused(Exception):
    """The URL or its document cannot stand for a client; the message says why."""


def is_metadata_url(client_id: str | None) -> bool:
    """An ``https`` URL names a CIMD client; an ``http`` one is refused as one (check_url says why)."""
    return bool(client_id) and str(client_id).startswith(("https://", "http://"))


def check_url(url: str) -> None:
    """The draft's rules for a client identifier URL."""
    if len(url) > MAX_URL:
        raise DocumentRefused(f"The client_id URL is longer than {MAX_URL} characters.")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise DocumentRefused("The client_id URL must be an https URL with a host.")
    if parts.username is not None or parts.password is not None:
        raise DocumentRefused("The client_id URL must not contain a username or password.")
    if parts.fragment or url.endswith("#"):
        raise DocumentRefused("The client_id URL must not contain a fragment.")
    segments = parts.path.split("/")
    if parts.path in ("", "/") or any(s in (".", "..") for s in segments):
        raise DocumentRefused("The client_id URL must have a path without . or .. segments.")


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    scheme, _, rest = pattern.partition("://")
    authority, slash, path = rest.partition("/")
    host = "[^/?#@]*".join(re.escape(p) for p in authority.split("*"))
    tail = "[^#]*".join(re.escape(p) for p in path.split("*"))
    return re.compile(f"{re.escape(scheme)}://{host}{slash and '/'}{tail}")


def matches(pattern: str, url: str) -> bool:
    return _pattern_regex(pattern).fullmatch(url) is not None


def cache_lifetime(cache_control: str | None, policy_seconds: int) -> timedelta:
    """The document's max-age when it is between one day and one year, else the policy's CacheDuration."""
    found = _MAX_AGE.search(cache_control or "")
    if found and MIN_CACHE <= int(found.group(1)) <= MAX_CACHE:
        return timedelta(seconds=int(found.group(1)))
    return timedelta(seconds=policy_seconds)


def _strings(document: dict[str, Any], name: str, default: list[str] | None = None) -> list[str]:
    value = document.get(name, default)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise DocumentRefused(f"{name} must be an array of strings.")
    return list(value)


def check_document(url: str, document: Any) -> dict[str, Any]:
    """The document, checked as the draft and Cognito require: a JSON object naming ``url`` as its
    client_id, a public client (no secret, ``token_endpoint_auth_method`` none), redirect URIs given."""
    if not isinstance(document, dict):
        raise DocumentRefused("The client metadata document must be a JSON object.")
    if document.get("client_id") != url:
        raise DocumentRefused("The document's client_id must be exactly the URL it was fetched from.")
    if "client_secret" in document or "client_secret_expires_at" in document:
        raise DocumentRefused("A client metadata document must not contain a client_secret.")
    method = document.get("token_endpoint_auth_method")
    if method != "none":
        shown = method if isinstance(method, str) else "absent" if method is None else "not a string"
        raise DocumentRefused(f"token_endpoint_auth_method must be none (CIMD clients are public), not {shown}.")
    if not _strings(document, "redirect_uris"):
        raise DocumentRefused("The document must list redirect_uris.")
    _strings(document, "post_logout_redirect_uris")
    _strings(document, "grant_types", ["authorization_code"])
    _strings(document, "response_types", ["code"])
    if "scope" in document and not isinstance(document["scope"], str):
        raise DocumentRefused("scope must be a space-separated string.")
    if "client_name" in document and not isinstance(document["client_name"], str):
        raise DocumentRefused("client_name must be a string.")
    return document


@dataclass(frozen=True)
class Grants:
    """What a document asks for, in app client terms."""

    oauth_flows: list[str]
    refresh: bool


def _grants(document: dict[str, Any]) -> Grants:
    grant_types = set(_strings(document, "grant_types", ["authorization_code"]))
    response_types = set(_strings(document, "response_types", ["code"]))
    flows = []
    if "authorization_code" in grant_types and "code" in response_types:
        flows.append("code")
    if "implicit" in grant_types and "token" in response_types:
        flows.append("implicit")
    return Grants(flows, "refresh_token" in grant_types)


def client_for(app_client: Client, url: str, document: dict[str, Any]) -> Client:
    """The CIMD client: the app client's settings narrowed by the document, known by ``url``."""
    config = dict(app_client.config)
    wanted = _grants(document)
    config["AllowedOAuthFlows"] = [f for f in config.get("AllowedOAuthFlows") or [] if f in wanted.oauth_flows]
    allowed = list(config.get("AllowedOAuthScopes") or [])
    if isinstance(document.get("scope"), str):
        asked = document["scope"].split()
        allowed = [s for s in allowed if s in asked]
    config["AllowedOAuthScopes"] = allowed
    flows = list(config.get("ExplicitAuthFlows") or [])
    if not wanted.refresh:
        flows = [f for f in flows if f != "ALLOW_REFRESH_TOKEN_AUTH"]
    config["ExplicitAuthFlows"] = flows
    config["CallbackURLs"] = _strings(document, "redirect_uris")
    config["LogoutURLs"] = _strings(document, "post_logout_redirect_uris")
    config.pop("DefaultRedirectURI", None)
    name = document.get("client_name") or app_client.name
    # The app client's secret stays with it for the managed login pages' SECRET_HASH (server side); the token
    # endpoint asks a CIMD client for none (web/oauth/clients.py).
    return replace(app_client, name=str(name), config=config, metadata_url=url)
