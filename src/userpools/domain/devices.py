"""Remembered devices: their keys, the SRP verifier ConfirmDevice sends, and DeviceType. No I/O.

Device SRP is the user's SRP with the device group key in place of the pool name, the device key in
place of USER_ID_FOR_SRP and a random device password (amazon-cognito-identity-js, pycognito), so the
same arithmetic (domain/srp.py) checks it.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import uuid
from typing import Any

from userpools.domain.errors import InvalidParameterException


def tracks_devices(pool_config: dict[str, Any]) -> bool:
    """Whether the pool remembers devices at all: it has a DeviceConfiguration."""
    return pool_config.get("DeviceConfiguration") is not None


def remembered_on_confirm(pool_config: dict[str, Any]) -> bool:
    """ConfirmDevice remembers the device at once unless the user is to be asked (DeviceOnlyRememberedOnUserPrompt)."""
    return not (pool_config.get("DeviceConfiguration") or {}).get("DeviceOnlyRememberedOnUserPrompt")


def new_keys(region: str) -> tuple[str, str]:
    """A DeviceKey ``<region>_<uuid>`` and a DeviceGroupKey."""
    return f"{region}_{uuid.uuid4()}", f"-{secrets.token_urlsafe(9)}"


def verifier_config(config: dict[str, Any] | None) -> tuple[str, str]:
    """DeviceSecretVerifierConfig's Salt and PasswordVerifier (base64 of their bytes) as hex."""
    config = config or {}
    try:
        salt = base64.b64decode(config.get("Salt") or "", validate=True).hex()
        verifier = base64.b64decode(config.get("PasswordVerifier") or "", validate=True).hex()
    except (binascii.Error, ValueError):
        raise InvalidParameterException("DeviceSecretVerifierConfig is not valid base64.") from None
    if not salt or not verifier or int(verifier, 16) == 0:
        raise InvalidParameterException("DeviceSecretVerifierConfig needs a Salt and a PasswordVerifier.")
    return salt, verifier


def device_type(key: str, name: str | None, remembered: bool, created: Any, modified: Any, last: Any) -> dict[str, Any]:
    """DeviceType, its attributes as Cognito names them."""
    attributes = [
        {"Name": "device_status", "Value": "valid"},
        {"Name": "dev:device_remembered_status", "Value": "remembered" if remembered else "not_remembered"},
    ]
    if name:
        attributes.insert(0, {"Name": "device_name", "Value": name})
    out: dict[str, Any] = {
        "DeviceKey": key,
        "DeviceAttributes": attributes,
        "DeviceCreateDate": created,
        "DeviceLastModifiedDate": modified,
    }
    if last is not None:
        out["DeviceLastAuthenticatedDate"] = last
    return out
