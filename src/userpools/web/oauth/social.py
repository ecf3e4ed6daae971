"""What sign-in through a social provider type (Google, Facebook, LoginWithAmazon, SignInWithApple) needs beyond
the OIDC steps: the endpoints Cognito documents for each (stored in the provider's details at create), the JWKS
of the two that send ID tokens, where the subject is for the two that do not (Facebook's ``id``, Amazon's
``user_id``, read from their profile endpoint), Sign in with Apple's client secret (a JWT signed with the
provider's private key), and USERPOOLS_SOCIAL_ENDPOINTS, which serves a type's endpoints from another origin
(a provider on loopback, for tests)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import jwt

from userpools.operations import identity_providers
from userpools.steps.context import Context
from userpools.storage.identity_providers import ProviderRecord

JWKS = {
    "Google": "https://www.googleapis.com/oauth2/v3/certs",
    "SignInWithApple": "https://appleid.apple.com/auth/keys",
}
SUBJECT_CLAIM = {"Facebook": "id", "LoginWithAmazon": "user_id"}  # the types without an ID token
URL_KEYS = ("authorize_url", "token_url", "attributes_url", "jwks_uri", "oidc_issuer")
APPLE_AUDIENCE = "https://appleid.apple.com"
APPLE_SECRET_VALIDITY = timedelta(minutes=5)


def _moved(url: str, base: str) -> str:
    parts = urlsplit(url)
    rest = parts.path + (f"?{parts.query}" if parts.query else "")
    return f"{base}{rest}" if rest not in ("", "/") else base


def endpoints(context: Context, record: ProviderRecord) -> dict[str, str]:
    """Every endpoint sign-in uses, with USERPOOLS_SOCIAL_ENDPOINTS applied to a social type's."""
    found = identity_providers.endpoints_of(record)
    if record.type in JWKS:
        found.setdefault("jwks_uri", JWKS[record.type])
    base = context.settings.social_endpoints.get(record.type)
    if base:
        found.update({key: _moved(found[key], base) for key in URL_KEYS if key in found})
    return found


def attributes_url(record: ProviderRecord, url: str) -> str:
    """Facebook's profile URL asks for the mapped fields (``attributes_url_add_attributes``), and its ``id``."""
    if record.details.get("attributes_url_add_attributes") != "true" or record.type != "Facebook":
        return url
    fields = sorted({"id", *record.attribute_mapping.values()})
    return url + ",".join(fields)


def client_secret(context: Context, record: ProviderRecord, details: dict[str, str]) -> str | None:
    """The client secret for the token endpoint: Sign in with Apple's is an ES256 JWT made from the team ID, key ID
    and private key, as Apple documents; the others' is the stored one."""
    if record.type != "SignInWithApple":
        return details.get("client_secret") or None
    now = context.clock.now()
    claims = {
        "iss": details["team_id"],
        "iat": int(now.timestamp()),
        "exp": int((now + APPLE_SECRET_VALIDITY).timestamp()),
        "aud": APPLE_AUDIENCE,
        "sub": details["client_id"],
    }
    return jwt.encode(claims, details["private_key"], algorithm="ES256", headers={"kid": details["key_id"]})
