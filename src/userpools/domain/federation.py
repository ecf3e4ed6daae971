"""Identity provider rules, as Cognito checks CreateIdentityProvider and UpdateIdentityProvider: the names of
social providers, the ProviderDetails each type needs and allows, the details Cognito adds, and which are
secrets (kept sealed, never shown in clear at rest)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from userpools.domain.errors import InvalidParameterException

SOCIAL = ("Google", "Facebook", "LoginWithAmazon", "SignInWithApple")
TYPES = ("SAML", "OIDC", *SOCIAL)
SECRET_KEYS = ("client_secret", "private_key")
RESERVED_NAMES = ("cognito",)
# Details Cognito computes itself: accepted on input (what Describe returned) and computed again.
ADDED = (
    "attributes_url_add_attributes",
    "ActiveEncryptionCertificate",
    "SSORedirectBindingURI",
    "SLORedirectBindingURI",
)
OIDC_ENDPOINTS = ("authorize_url", "token_url", "attributes_url", "jwks_uri")

REQUIRED: dict[str, tuple[str, ...]] = {
    "OIDC": ("client_id", "attributes_request_method", "oidc_issuer", "authorize_scopes"),
    "Google": ("client_id", "client_secret", "authorize_scopes"),
    "Facebook": ("client_id", "client_secret", "authorize_scopes"),
    "LoginWithAmazon": ("client_id", "client_secret", "authorize_scopes"),
    "SignInWithApple": ("client_id", "team_id", "key_id", "private_key", "authorize_scopes"),
    "SAML": (),
}
OPTIONAL: dict[str, tuple[str, ...]] = {
    "OIDC": ("client_secret", *OIDC_ENDPOINTS),
    "Google": (),
    "Facebook": ("api_version",),
    "LoginWithAmazon": (),
    "SignInWithApple": (),
    "SAML": ("MetadataFile", "MetadataURL", "IDPSignout", "IDPInit", "EncryptedResponses", "RequestSigningAlgorithm"),
}

FACEBOOK_VERSION = "v17.0"


def social_endpoints(kind: str, details: Mapping[str, str]) -> dict[str, str]:
    """The endpoints Cognito adds to a social provider's details (Describe shows them)."""
    if kind == "Google":
        return {
            "attributes_url": "https://people.googleapis.com/v1/people/me?personFields=",
            "attributes_url_add_attributes": "true",
            "authorize_url": "https://accounts.google.com/o/oauth2/v2/auth",
            "oidc_issuer": "https://accounts.google.com",
            "token_request_method": "POST",
            "token_url": "https://www.googleapis.com/oauth2/v4/token",
        }
    if kind == "Facebook":
        version = details.get("api_version") or FACEBOOK_VERSION
        return {
            "api_version": version,
            "attributes_url": f"https://graph.facebook.com/{version}/me?fields=",
            "attributes_url_add_attributes": "true",
            "authorize_url": f"https://www.facebook.com/{version}/dialog/oauth",
            "token_request_method": "GET",
            "token_url": f"https://graph.facebook.com/{version}/oauth/access_token",
        }
    if kind == "LoginWithAmazon":
        return {
            "attributes_url": "https://api.amazon.com/user/profile",
            "attributes_url_add_attributes": "false",
            "authorize_url": "https://www.amazon.com/ap/oa",
            "token_request_method": "POST",
            "token_url": "https://api.amazon.com/auth/o2/token",
        }
    if kind == "SignInWithApple":
        return {
            "attributes_url_add_attributes": "false",
            "authorize_url": "https://appleid.apple.com/auth/authorize",
            "oidc_issuer": "https://appleid.apple.com",
            "token_request_method": "POST",
            "token_url": "https://appleid.apple.com/auth/token",
        }
    return {}


def check_name(name: str, kind: str) -> None:
    if kind in SOCIAL and name != kind:
        raise InvalidParameterException(f"ProviderName must be {kind} for a provider of type {kind}.")
    if kind not in SOCIAL and (name.lower() in RESERVED_NAMES or name in SOCIAL):
        raise InvalidParameterException(f"ProviderName {name} is reserved.")


def check_details(kind: str, details: Mapping[str, str]) -> dict[str, str]:
    """The details as given, less what Cognito adds itself; refused when a required one is missing or empty,
    or one is unknown to the type."""
    given = {k: v for k, v in details.items() if k not in ADDED and not (kind in SOCIAL and k in _SOCIAL_ADDED)}
    for key in REQUIRED[kind]:
        if not given.get(key, "").strip():
            raise InvalidParameterException(f"{key} is required for {kind} providers.")
    allowed = set(REQUIRED[kind]) | set(OPTIONAL[kind])
    unknown = sorted(k for k in given if k not in allowed)
    if unknown:
        raise InvalidParameterException(f"Invalid ProviderDetails for {kind}: {', '.join(unknown)}.")
    if kind == "OIDC":
        method = given["attributes_request_method"]
        if method not in ("GET", "POST"):
            raise InvalidParameterException("attributes_request_method must be GET or POST.")
        for key in ("oidc_issuer", *OIDC_ENDPOINTS):
            if key in given and not given[key].startswith(("https://", "http://")):
                raise InvalidParameterException(f"{key} must be an http(s) URL.")
    if kind == "SAML":
        if ("MetadataFile" in given) == ("MetadataURL" in given):
            raise InvalidParameterException(
                "Exactly one of MetadataFile and MetadataURL is required for SAML providers."
            )
        for flag in ("IDPSignout", "IDPInit", "EncryptedResponses"):
            if flag in given and given[flag] not in ("true", "false"):
                raise InvalidParameterException(f"{flag} must be true or false.")
        algorithm = given.get("RequestSigningAlgorithm")
        if algorithm is not None and algorithm != "rsa-sha256":
            raise InvalidParameterException("RequestSigningAlgorithm must be rsa-sha256.")
    return given


_SOCIAL_ADDED = ("attributes_url", "authorize_url", "oidc_issuer", "token_request_method", "token_url")


def check_identifiers(identifiers: list[str]) -> None:
    if len(set(identifiers)) != len(identifiers):
        raise InvalidParameterException("IdpIdentifiers must be unique.")


def check_mapping(kind: str, mapping: Mapping[str, str], attributes: set[str]) -> None:
    """Keys are pool attributes (standard or custom), or ``username`` for OIDC providers; ``sub`` is Cognito's."""
    for key in mapping:
        if key == "username" and kind == "OIDC":
            continue
        if key == "sub" or key not in attributes:
            raise InvalidParameterException(f"Invalid attribute mapping: {key} is not an attribute of the user pool.")


def split_secrets(details: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(public details, secret details)."""
    public = {k: v for k, v in details.items() if k not in SECRET_KEYS}
    secret = {k: v for k, v in details.items() if k in SECRET_KEYS}
    return public, secret


def signing_certificate(pool_id: str, now: datetime) -> tuple[str, str]:
    """A new self-signed RSA certificate for the pool's SAML requests, valid ten years as Cognito's:
    (certificate PEM, private key PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"urn:amazon:cognito:sp:{pool_id}")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode(), private.decode()
