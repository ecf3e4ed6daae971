"""Cognito's tokens: RS256 ID and access JWTs with Cognito's claims, opaque refresh tokens.

Pure: callers pass the time (``now``, aware datetimes) and may pass ``jti`` values; the only
randomness read here is RSA key generation and the defaults for ``jti`` and refresh tokens.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from userpools.domain.errors import NotAuthorizedException

ALGORITHM = "RS256"
ADMIN_SCOPE = "aws.cognito.signin.user.admin"
REFRESH_TOKEN_BYTES = 64
# Cognito renders these two attributes as JSON booleans in the ID token; every other attribute,
# custom:* included, stays the string it is stored as.
_BOOLEAN_ATTRIBUTES = frozenset({"email_verified", "phone_number_verified"})
_LABELS = {"access": "Access Token", "id": "ID Token"}

TokenUse = Literal["access", "id"]


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@dataclass(frozen=True, slots=True)
class SigningKey:
    """One RSA signing key of a pool, named by ``kid`` in token headers and the JWKS."""

    kid: str
    private_key: rsa.RSAPrivateKey

    def to_pem(self) -> str:
        """Unencrypted PKCS#8 PEM, for the database."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")

    @classmethod
    def from_pem(cls, kid: str, pem: str | bytes) -> SigningKey:
        key = serialization.load_pem_private_key(pem.encode() if isinstance(pem, str) else pem, None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("signing key PEM does not hold an RSA private key")
        return cls(kid, key)

    def public_jwk(self) -> dict[str, str]:
        numbers = self.private_key.public_key().public_numbers()
        return {
            "alg": ALGORITHM,
            "e": _b64url_uint(numbers.e),
            "kid": self.kid,
            "kty": "RSA",
            "n": _b64url_uint(numbers.n),
            "use": "sig",
        }


def key_id(public_key: rsa.RSAPublicKey) -> str:
    """A stable kid in Cognito's shape (44-character base64): SHA-256 of the public key's DER."""
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(der).digest()).decode("ascii")


def generate_signing_key() -> SigningKey:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return SigningKey(key_id(private_key.public_key()), private_key)


def jwks(keys: Iterable[SigningKey]) -> dict[str, list[dict[str, str]]]:
    """The ``/.well-known/jwks.json`` document."""
    return {"keys": [key.public_jwk() for key in keys]}


def issuer(region: str, pool_id: str, base_url: str | None = None) -> str:
    """Cognito's ``iss``; ``base_url`` replaces ``https://cognito-idp.{region}.amazonaws.com``."""
    base = base_url.rstrip("/") if base_url else f"https://cognito-idp.{region}.amazonaws.com"
    return f"{base}/{pool_id}"


def _epoch(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("token times must be timezone-aware")
    return int(moment.timestamp())


def _attribute_claim(name: str, value: str) -> str | bool:
    return value == "true" if name in _BOOLEAN_ATTRIBUTES else value


def id_token_claims(
    *,
    issuer: str,
    client_id: str,
    sub: str,
    username: str,
    attributes: Mapping[str, str],
    auth_time: datetime,
    now: datetime,
    expires_in: timedelta,
    origin_jti: str,
    groups: Sequence[str] = (),
    jti: str | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """Claims of an ID token: the user's attributes plus Cognito's own claims.

    ``origin_jti`` is shared by every token of one authentication (and its refreshes).
    """
    claims: dict[str, Any] = {"sub": sub}
    if groups:
        claims["cognito:groups"] = list(groups)
    for name, value in attributes.items():
        if name != "sub":
            claims[name] = _attribute_claim(name, value)
    claims.update(
        {
            "iss": issuer,
            "cognito:username": username,
            "origin_jti": origin_jti,
            "aud": client_id,
        }
    )
    if event_id is not None:
        claims["event_id"] = event_id
    iat = _epoch(now)
    claims.update(
        {
            "token_use": "id",
            "auth_time": _epoch(auth_time),
            "exp": iat + int(expires_in.total_seconds()),
            "iat": iat,
            "jti": jti or str(uuid.uuid4()),
        }
    )
    return claims


def access_token_claims(
    *,
    issuer: str,
    client_id: str,
    sub: str,
    username: str,
    auth_time: datetime,
    now: datetime,
    expires_in: timedelta,
    origin_jti: str,
    groups: Sequence[str] = (),
    jti: str | None = None,
    event_id: str | None = None,
    device_key: str | None = None,
    scope: str = ADMIN_SCOPE,
) -> dict[str, Any]:
    """Claims of an access token as issued by InitiateAuth (scope ``aws.cognito.signin.user.admin``)."""
    claims: dict[str, Any] = {"sub": sub}
    if device_key is not None:
        claims["device_key"] = device_key
    if groups:
        claims["cognito:groups"] = list(groups)
    claims.update({"iss": issuer, "client_id": client_id, "origin_jti": origin_jti})
    if event_id is not None:
        claims["event_id"] = event_id
    iat = _epoch(now)
    claims.update(
        {
            "token_use": "access",
            "scope": scope,
            "auth_time": _epoch(auth_time),
            "exp": iat + int(expires_in.total_seconds()),
            "iat": iat,
            "jti": jti or str(uuid.uuid4()),
            "username": username,
        }
    )
    return claims


def sign(claims: Mapping[str, Any], key: SigningKey) -> str:
    """A compact RS256 JWS with header ``{"kid", "alg"}`` (no ``typ``, as Cognito)."""
    return jwt.encode(dict(claims), key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid, "typ": None})


def decode(
    token: str,
    keys: Iterable[SigningKey],
    issuer: str,
    now: datetime,
    token_use: TokenUse = "access",
) -> dict[str, Any]:
    """Verify signature, ``iss``, ``token_use`` and ``exp`` (against ``now``) and return the claims.

    Every failure is a NotAuthorizedException with Cognito's message: ``Invalid Access Token`` or
    ``Access Token has expired`` (``ID Token`` in place of ``Access Token`` for ID tokens).
    Revocation is the caller's check.
    """
    label = _LABELS[token_use]
    invalid = NotAuthorizedException(f"Invalid {label}")
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.PyJWTError:
        raise invalid from None
    key = next((k for k in keys if k.kid == kid), None)
    if key is None:
        raise invalid
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key.private_key.public_key(),
            algorithms=[ALGORITHM],
            issuer=issuer,
            # Time is checked below against the caller's clock, not PyJWT's.
            options={
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
                "verify_aud": False,
                "require": ["exp", "iss", "token_use"],
            },
        )
    except jwt.PyJWTError:
        raise invalid from None
    exp = claims["exp"]
    if claims["token_use"] != token_use or not isinstance(exp, int) or isinstance(exp, bool):
        raise invalid
    if _epoch(now) >= exp:
        raise NotAuthorizedException(f"{label} has expired")
    return claims


def at_hash(access_token: str) -> str:
    """OIDC's ``at_hash``: the left half of the access token's SHA-256, base64url without padding."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode("ascii")


def client_token_claims(
    *, issuer: str, client_id: str, scope: str, now: datetime, expires_in: timedelta, jti: str | None = None
) -> dict[str, Any]:
    """Claims of a client_credentials access token: the client is its own subject, no user, no ID token."""
    iat = _epoch(now)
    return {
        "sub": client_id,
        "token_use": "access",
        "scope": scope,
        "auth_time": iat,
        "iss": issuer,
        "exp": iat + int(expires_in.total_seconds()),
        "iat": iat,
        "version": 2,
        "jti": jti or str(uuid.uuid4()),
        "client_id": client_id,
    }


def new_refresh_token(nbytes: int = REFRESH_TOKEN_BYTES) -> str:
    """An opaque refresh token (URL-safe base64 characters, within RevokeToken's pattern)."""
    return secrets.token_urlsafe(nbytes)


def hash_token(token: str | bytes) -> str:
    """SHA-256 hex of a secret handed out (refresh token, Session, authorization code, cookie): what the database
    keeps instead of it. Unsalted, for each is random and long: a look-up key, not a password hash."""
    return hashlib.sha256(token.encode() if isinstance(token, str) else token).hexdigest()
