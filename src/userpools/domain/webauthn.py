"""Passkeys (WebAuthn): the ceremonies' options and the verification of what an authenticator answers,
through the maintained ``webauthn`` library (Duo's py_webauthn), which does no I/O.

Which origins may use a relying party ID: ``https://<rp id>`` and its subdomains, as browsers allow;
plain ``http`` only for loopback names (``localhost``, ``*.localhost``, ``127.0.0.1``), as browsers
treat those as secure contexts. Errors are Cognito's classes (domain/errors.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url, parse_client_data_json
from webauthn.helpers.exceptions import (
    InvalidJSONStructure,
    UnsupportedAlgorithm,
    UnsupportedEC2Curve,
    UnsupportedPublicKey,
    UnsupportedPublicKeyType,
    WebAuthnException,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from userpools.domain.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    WebAuthnChallengeNotFoundException,
    WebAuthnCredentialNotSupportedException,
    WebAuthnOriginNotAllowedException,
    WebAuthnRelyingPartyMismatchException,
)

TIMEOUT_MS = 300_000  # the ceremony's timeout hint, and how long a registration challenge waits
_LOOPBACK = ("localhost", "127.0.0.1", "[::1]")
_UNSUPPORTED = (UnsupportedAlgorithm, UnsupportedEC2Curve, UnsupportedPublicKey, UnsupportedPublicKeyType)


@dataclass(frozen=True)
class Registered:
    """A verified new credential, ready to store."""

    credential_id: str
    public_key: str
    sign_count: int
    attachment: str | None
    transports: list[str]
    user_verified: bool


@dataclass(frozen=True)
class Asserted:
    """A verified assertion: the authenticator's new sign count, whether it verified the user."""

    sign_count: int
    user_verified: bool


def _requirement(user_verification: str) -> UserVerificationRequirement:
    return (
        UserVerificationRequirement.REQUIRED
        if user_verification == "required"
        else UserVerificationRequirement.PREFERRED
    )


def registration_options(
    *,
    rp_id: str,
    rp_name: str,
    user_handle: bytes,
    username: str,
    display_name: str,
    exclude: list[str],
    user_verification: str,
) -> tuple[dict[str, Any], str]:
    """CredentialCreationOptions (PublicKeyCredentialCreationOptionsJSON) and its challenge, base64url."""
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=rp_name,
        user_id=user_handle,
        user_name=username,
        user_display_name=display_name,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED, user_verification=_requirement(user_verification)
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(c)) for c in exclude],
    )
    shown: dict[str, Any] = json.loads(options_to_json(options))
    return shown, bytes_to_base64url(options.challenge)


def authentication_options(
    *, rp_id: str, allow: list[tuple[str, list[str]]], user_verification: str
) -> tuple[str, str]:
    """CREDENTIAL_REQUEST_OPTIONS (PublicKeyCredentialRequestOptionsJSON, as text) and its challenge."""
    from webauthn.helpers.structs import AuthenticatorTransport

    known = {t.value for t in AuthenticatorTransport}
    options = generate_authentication_options(
        rp_id=rp_id,
        timeout=TIMEOUT_MS,
        allow_credentials=[
            PublicKeyCredentialDescriptor(
                id=base64url_to_bytes(cid), transports=[AuthenticatorTransport(t) for t in transports if t in known]
            )
            for cid, transports in allow
        ],
        user_verification=_requirement(user_verification),
    )
    return options_to_json(options), bytes_to_base64url(options.challenge)


def origin_allowed(origin: str, rp_id: str) -> bool:
    parts = urlsplit(origin)
    host = (parts.hostname or "").lower()
    if not host or parts.path not in ("", "/"):
        return False
    if not (host == rp_id or host.endswith("." + rp_id)):
        return False
    if parts.scheme == "https":
        return True
    return parts.scheme == "http" and (host in _LOOPBACK or host.endswith(".localhost"))


def _client_data(credential: dict[str, Any], expected_challenge: str, rp_id: str) -> str:
    """The origin of the ceremony, once the challenge and origin are those expected."""
    try:
        raw = base64url_to_bytes(str(credential["response"]["clientDataJSON"]))
        data = parse_client_data_json(raw)
    except (KeyError, TypeError, ValueError, InvalidJSONStructure) as error:
        raise InvalidParameterException(f"The credential is not a valid WebAuthn response: {error}") from None
    if bytes_to_base64url(data.challenge) != expected_challenge:
        raise WebAuthnChallengeNotFoundException("The credential does not answer the challenge that was issued.")
    if not origin_allowed(data.origin, rp_id):
        raise WebAuthnOriginNotAllowedException(f"The origin {data.origin} is not allowed for relying party {rp_id}.")
    return str(data.origin)


def parse(text: Any) -> dict[str, Any]:
    """A credential given as a JSON document or as its text."""
    value = json.loads(text) if isinstance(text, str) else text
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("id"), str)
        or not isinstance(value.get("response"), dict)
    ):
        raise InvalidParameterException("The credential is not a valid WebAuthn response.")
    return value


def verify_registration(
    credential: dict[str, Any], *, challenge: str, rp_id: str, user_verification: str
) -> Registered:
    origin = _client_data(credential, challenge, rp_id)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id,
            expected_origin=origin,
            require_user_verification=user_verification == "required",
        )
    except _UNSUPPORTED as error:
        raise WebAuthnCredentialNotSupportedException(f"The credential is not supported: {error}") from None
    except WebAuthnException as error:
        if "RP ID" in str(error):
            raise WebAuthnRelyingPartyMismatchException(f"The credential is not for relying party {rp_id}.") from None
        raise InvalidParameterException(f"The credential could not be verified: {error}") from None
    transports = credential["response"].get("transports") or []
    attachment = credential.get("authenticatorAttachment")
    return Registered(
        bytes_to_base64url(verified.credential_id),
        bytes_to_base64url(verified.credential_public_key),
        verified.sign_count,
        attachment if isinstance(attachment, str) else None,
        [str(t) for t in transports] if isinstance(transports, list) else [],
        verified.user_verified,
    )


def verify_assertion(
    credential: dict[str, Any], *, challenge: str, rp_id: str, public_key: str, sign_count: int, user_verification: str
) -> Asserted:
    """A signed assertion for the stored key; a sign count that does not move forward (a cloned authenticator,
    or an assertion replayed) is refused, as is anything the library cannot verify."""
    origin = _client_data(credential, challenge, rp_id)
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=base64url_to_bytes(public_key),
            credential_current_sign_count=sign_count,
            require_user_verification=user_verification == "required",
        )
    except WebAuthnException as error:
        raise NotAuthorizedException(f"The passkey could not be verified: {error}") from None
    return Asserted(verified.new_sign_count, verified.user_verified)


def friendly_name(attachment: str | None, credential_id: str) -> str:
    kind = {"platform": "Platform passkey", "cross-platform": "Security key"}.get(attachment or "", "Passkey")
    return f"{kind} {credential_id[:8]}"
