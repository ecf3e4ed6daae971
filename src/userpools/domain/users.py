"""A user as the domain sees it, and how it is shown (UserType)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from userpools.domain import mfa


class UserStatus(StrEnum):
    UNCONFIRMED = "UNCONFIRMED"
    CONFIRMED = "CONFIRMED"
    ARCHIVED = "ARCHIVED"
    COMPROMISED = "COMPROMISED"
    UNKNOWN = "UNKNOWN"
    RESET_REQUIRED = "RESET_REQUIRED"
    FORCE_CHANGE_PASSWORD = "FORCE_CHANGE_PASSWORD"
    EXTERNAL_PROVIDER = "EXTERNAL_PROVIDER"


@dataclass
class Credentials:
    """What is kept of a password: the SRP salt and verifier, never the password."""

    salt: str
    verifier: str
    expires: datetime | None = None  # temporary passwords only


@dataclass
class User:
    pool_id: str
    username: str
    sub: str
    status: UserStatus
    enabled: bool
    attributes: dict[str, str]
    created: datetime
    modified: datetime
    credentials: Credentials | None = None
    mfa: dict[str, Any] = field(default_factory=dict)
    id: int | None = None  # storage's row id

    def attribute(self, name: str) -> str | None:
        return self.attributes.get(name)

    def verified(self, name: str) -> bool:
        return self.attributes.get(f"{name}_verified") == "true"

    def attribute_list(self, only: list[str] | None = None) -> list[dict[str, str]]:
        items = self.attributes.items()
        if only is not None:
            wanted = set(only)
            items = [(k, v) for k, v in items if k in wanted]  # type: ignore[assignment]
        return [{"Name": k, "Value": v} for k, v in items]

    def as_user_type(self, only: list[str] | None = None) -> dict[str, Any]:
        """UserType, as AdminCreateUser and ListUsers return it (MFAOptions when SMS MFA is on)."""
        shown = {
            "Username": self.username,
            "Attributes": self.attribute_list(only),
            "UserCreateDate": self.created,
            "UserLastModifiedDate": self.modified,
            "Enabled": self.enabled,
            "UserStatus": self.status.value,
        }
        options = mfa.user_fields(self.mfa).get("MFAOptions")
        if options:
            shown["MFAOptions"] = options
        return shown

    def as_admin_get(self) -> dict[str, Any]:
        """AdminGetUserResponse."""
        return {
            "Username": self.username,
            "UserAttributes": self.attribute_list(),
            "UserCreateDate": self.created,
            "UserLastModifiedDate": self.modified,
            "Enabled": self.enabled,
            "UserStatus": self.status.value,
            **mfa.user_fields(self.mfa),
        }
