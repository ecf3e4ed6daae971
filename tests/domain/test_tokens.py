"""Tokens verified the way a relying party does it: PyJWT with the published JWKS."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from userpools.domain import tokens
from userpools.domain.errors import NotAuthorizedException

ISS = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123"
CLIENT_ID = "3n4b5urk1ft4fl3mg5e62d9ado"
SUB = "5f3a1c2e-7b9d-4e6f-8a1b-2c3d4e5f6a7b"
AUTH_TIME = datetime(2026, 3, 3, 4, 5, 6, tzinfo=UTC)
NOW = AUTH_TIME + timedelta(minutes=10)
HOUR = timedelta(hours=1)


@pytest.fixture(scope="module")
def key() -> tokens.SigningKey:
    return tokens.generate_signing_key()


@pytest.fixture(scope="module")
def other_key() -> tokens.SigningKey:
    return tokens.generate_signing_key()


def id_claims(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "issuer": ISS,
        "client_id": CLIENT_ID,
        "sub": SUB,
        "username": "alice",
        "attributes": {
            "sub": SUB,
            "email": "alice@example.com",
            "email_verified": "true",
            "phone_number": "+15555550100",
            "phone_number_verified": "false",
            "custom:tier": "7",
            "name": "Alice",
        },
        "groups": ["admins", "readers"],
        "auth_time": AUTH_TIME,
        "now": NOW,
        "expires_in": HOUR,
        "origin_jti": "origin-1",
        "jti": "jti-id-1",
        "event_id": "event-1",
    }
    args.update(overrides)
    return tokens.id_token_claims(**args)


def access_claims(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "issuer": ISS,
        "client_id": CLIENT_ID,
        "sub": SUB,
        "username": "alice",
        "groups": ["admins"],
        "auth_time": AUTH_TIME,
        "now": NOW,
        "expires_in": HOUR,
        "origin_jti": "origin-1",
        "jti": "jti-access-1",
    }
    args.update(overrides)
    return tokens.access_token_claims(**args)


def verify_with_jwks(token: str, key: tokens.SigningKey, **kwargs: Any) -> dict[str, Any]:
    """What a relying party does: pick the JWK by kid from the JWKS document and verify."""
    document = json.loads(json.dumps(tokens.jwks([key])))
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = next(k for k in jwt.PyJWKSet.from_dict(document).keys if k.key_id == kid)
    decoded: dict[str, Any] = jwt.decode(
        token, jwk.key, algorithms=["RS256"], options={"verify_exp": False, "verify_iat": False}, **kwargs
    )
    return decoded


def test_jwks_document(key: tokens.SigningKey) -> None:
    (jwk,) = tokens.jwks([key])["keys"]
    assert set(jwk) == {"kty", "alg", "use", "kid", "n", "e"}
    assert (jwk["kty"], jwk["alg"], jwk["use"], jwk["kid"], jwk["e"]) == (
        "RSA",
        "RS256",
        "sig",
        key.kid,
        "AQAB",
    )
    n = int.from_bytes(base64.urlsafe_b64decode(jwk["n"] + "=" * (-len(jwk["n"]) % 4)), "big")
    assert n == key.private_key.public_key().public_numbers().n
    assert n.bit_length() == 2048
    assert "=" not in jwk["n"]


def test_kid_is_cognito_shaped_and_stable(key: tokens.SigningKey, other_key: tokens.SigningKey) -> None:
    assert len(key.kid) == 44 and key.kid.endswith("=")
    assert key.kid == tokens.key_id(key.private_key.public_key())
    assert key.kid != other_key.kid


def test_pem_round_trip(key: tokens.SigningKey) -> None:
    pem = key.to_pem()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    restored = tokens.SigningKey.from_pem(key.kid, pem)
    assert restored.kid == key.kid
    assert restored.public_jwk() == key.public_jwk()
    token = tokens.sign(access_claims(), restored)
    assert verify_with_jwks(token, key)["jti"] == "jti-access-1"


def test_from_pem_rejects_non_rsa() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ValueError, match="RSA"):
        tokens.SigningKey.from_pem("k", pem)


def test_header_has_kid_and_alg_only(key: tokens.SigningKey) -> None:
    token = tokens.sign(access_claims(), key)
    assert jwt.get_unverified_header(token) == {"kid": key.kid, "alg": "RS256"}


def test_id_token_claims(key: tokens.SigningKey) -> None:
    claims = verify_with_jwks(tokens.sign(id_claims(), key), key, audience=CLIENT_ID, issuer=ISS)
    iat = int(NOW.timestamp())
    assert claims == {
        "sub": SUB,
        "cognito:groups": ["admins", "readers"],
        "email": "alice@example.com",
        "email_verified": True,
        "phone_number": "+15555550100",
        "phone_number_verified": False,
        "custom:tier": "7",
        "name": "Alice",
        "iss": ISS,
        "cognito:username": "alice",
        "origin_jti": "origin-1",
        "aud": CLIENT_ID,
        "event_id": "event-1",
        "token_use": "id",
        "auth_time": 1772510706,
        "exp": iat + 3600,
        "iat": iat,
        "jti": "jti-id-1",
    }
    assert iat == 1772510706 + 600


def test_id_token_omits_empty_groups_and_event_id() -> None:
    claims = id_claims(groups=[], event_id=None, attributes={"email": "a@b.c"})
    assert "cognito:groups" not in claims
    assert "event_id" not in claims
    assert claims["email"] == "a@b.c"
    assert "email_verified" not in claims


def test_access_token_claims(key: tokens.SigningKey) -> None:
    claims = verify_with_jwks(tokens.sign(access_claims(event_id="event-1"), key), key, issuer=ISS)
    iat = int(NOW.timestamp())
    assert claims == {
        "sub": SUB,
        "cognito:groups": ["admins"],
        "iss": ISS,
        "client_id": CLIENT_ID,
        "origin_jti": "origin-1",
        "event_id": "event-1",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": 1772510706,
        "exp": iat + 3600,
        "iat": iat,
        "jti": "jti-access-1",
        "username": "alice",
    }


def test_access_token_optional_claims() -> None:
    claims = access_claims(groups=(), device_key="eu-west-1_dev")
    assert "cognito:groups" not in claims and "event_id" not in claims and "aud" not in claims
    assert claims["device_key"] == "eu-west-1_dev"


def test_jti_defaults_to_fresh_uuid() -> None:
    first, second = access_claims(jti=None)["jti"], access_claims(jti=None)["jti"]
    assert first != second and len(first) == 36


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        access_claims(now=datetime(2026, 1, 1))


def test_decode_accepts_valid_token(key: tokens.SigningKey, other_key: tokens.SigningKey) -> None:
    token = tokens.sign(access_claims(), key)
    claims = tokens.decode(token, [other_key, key], ISS, NOW)
    assert claims["username"] == "alice"
    assert tokens.decode(tokens.sign(id_claims(), key), [key], ISS, NOW, token_use="id")["aud"] == CLIENT_ID


@pytest.mark.parametrize(("offset", "expired"), [(3599, False), (3600, True), (86400, True)])
def test_decode_expiry(key: tokens.SigningKey, offset: int, expired: bool) -> None:
    token = tokens.sign(access_claims(), key)
    later = NOW + timedelta(seconds=offset)
    if expired:
        with pytest.raises(NotAuthorizedException) as caught:
            tokens.decode(token, [key], ISS, later)
        assert caught.value.message == "Access Token has expired"
        assert caught.value.body() == {
            "__type": "NotAuthorizedException",
            "message": "Access Token has expired",
        }
    else:
        assert tokens.decode(token, [key], ISS, later)["exp"] == int(NOW.timestamp()) + 3600


def test_decode_expired_id_token(key: tokens.SigningKey) -> None:
    with pytest.raises(NotAuthorizedException, match=r"^ID Token has expired$"):
        tokens.decode(tokens.sign(id_claims(), key), [key], ISS, NOW + 2 * HOUR, token_use="id")


def _tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["username"] = "mallory"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def _unsigned(token: str) -> str:
    header = base64.urlsafe_b64encode(b'{"alg":"none","kid":"x"}').rstrip(b"=").decode()
    return f"{header}.{token.split('.')[1]}."


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda k, o: "not-a-jwt", id="garbage"),
        pytest.param(lambda k, o: "", id="empty"),
        pytest.param(lambda k, o: tokens.sign(access_claims(), o), id="unknown-kid"),
        pytest.param(lambda k, o: _tamper(tokens.sign(access_claims(), k)), id="tampered"),
        pytest.param(lambda k, o: _unsigned(tokens.sign(access_claims(), k)), id="alg-none"),
        pytest.param(lambda k, o: tokens.sign(access_claims(issuer=ISS + "x"), k), id="wrong-issuer"),
        pytest.param(lambda k, o: tokens.sign(id_claims(), k), id="id-token-as-access"),
        pytest.param(
            lambda k, o: tokens.sign(access_claims(), tokens.SigningKey(k.kid, o.private_key)),
            id="kid-of-other-key",
        ),
    ],
)
def test_decode_rejects_invalid_tokens(key: tokens.SigningKey, other_key: tokens.SigningKey, make: Any) -> None:
    with pytest.raises(NotAuthorizedException) as caught:
        tokens.decode(make(key, other_key), [key], ISS, NOW)
    assert caught.value.message == "Invalid Access Token"


def test_decode_rejects_access_token_as_id(key: tokens.SigningKey) -> None:
    with pytest.raises(NotAuthorizedException, match=r"^Invalid ID Token$"):
        tokens.decode(tokens.sign(access_claims(), key), [key], ISS, NOW, token_use="id")


def test_issuer() -> None:
    assert tokens.issuer("eu-west-1", "eu-west-1_AbCdEf123") == ISS
    assert tokens.issuer("eu-west-1", "eu-west-1_X", "http://localhost:9229/") == "http://localhost:9229/eu-west-1_X"


def test_refresh_tokens_are_opaque_and_hashed() -> None:
    import re

    first, second = tokens.new_refresh_token(), tokens.new_refresh_token()
    assert first != second
    assert re.fullmatch(r"[A-Za-z0-9\-_=.]+", first) and len(first) >= 80
    assert tokens.hash_token("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert tokens.hash_token(first) != tokens.hash_token(second)
