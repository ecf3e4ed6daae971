"""A user pool's configuration: what CreateUserPool/UpdateUserPool accept and DescribeUserPool returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from userpools.domain import identifiers, mfa, passwords, schema, sign_in_policy
from userpools.domain.errors import InvalidParameterException

# Members of CreateUserPool's input that are stored as given and echoed by DescribeUserPool.
STORED_KEYS = (
    "Policies",
    "DeletionProtection",
    "LambdaConfig",
    "AutoVerifiedAttributes",
    "AliasAttributes",
    "UsernameAttributes",
    "SmsVerificationMessage",
    "EmailVerificationMessage",
    "EmailVerificationSubject",
    "VerificationMessageTemplate",
    "SmsAuthenticationMessage",
    "MfaConfiguration",
    "UserAttributeUpdateSettings",
    "DeviceConfiguration",
    "EmailConfiguration",
    "SmsConfiguration",
    "UserPoolTags",
    "AdminCreateUserConfig",
    "UserPoolAddOns",
    "UsernameConfiguration",
    "AccountRecoverySetting",
    "UserPoolTier",
)
# Members UpdateUserPool may change; the rest (schema, username/alias attributes) are fixed at creation.
UPDATABLE_KEYS = tuple(
    k for k in STORED_KEYS if k not in ("AliasAttributes", "UsernameAttributes", "UsernameConfiguration")
)


@dataclass
class Pool:
    id: str
    name: str
    # Shared by every Pool read from the same stored text (storage.pools): replace it, never change it in place.
    config: dict[str, Any]
    created: datetime
    modified: datetime

    @property
    def short_name(self) -> str:
        """The part of the id after ``_``: what SRP calls the pool name."""
        return self.id.split("_", 1)[1]

    @property
    def case_sensitive(self) -> bool:
        setting = self.config.get("UsernameConfiguration") or {}
        return bool(setting.get("CaseSensitive", True))

    @property
    def username_attributes(self) -> list[str]:
        return list(self.config.get("UsernameAttributes") or [])

    @property
    def alias_attributes(self) -> list[str]:
        return list(self.config.get("AliasAttributes") or [])

    @property
    def schema(self) -> list[dict[str, Any]]:
        return list(self.config.get("SchemaAttributes") or [])

    @property
    def password_policy(self) -> dict[str, Any]:
        return passwords.effective((self.config.get("Policies") or {}).get("PasswordPolicy"))

    @property
    def invite_template(self) -> dict[str, Any]:
        return dict((self.config.get("AdminCreateUserConfig") or {}).get("InviteMessageTemplate") or {})

    @property
    def admin_only_recovery(self) -> bool:
        """AccountRecoverySetting's first choice is admin_only: no self-service password reset."""
        mechanisms = (self.config.get("AccountRecoverySetting") or {}).get("RecoveryMechanisms") or []
        first = min(mechanisms, key=lambda m: m.get("Priority", 0), default=None)
        return first is not None and first.get("Name") == "admin_only"

    @property
    def lambda_config(self) -> dict[str, Any]:
        return dict(self.config.get("LambdaConfig") or {})

    def arn(self, region: str, account: str) -> str:
        return f"arn:aws:cognito-idp:{region}:{account}:userpool/{self.id}"

    def username_key(self, username: str) -> str:
        return username if self.case_sensitive else username.lower()

    def describe(self, region: str, account: str, user_count: int) -> dict[str, Any]:
        out = {k: v for k, v in self.config.items() if v is not None and k not in mfa.POOL_ONLY_KEYS}
        out.update(
            Id=self.id,
            Name=self.name,
            Arn=self.arn(region, account),
            CreationDate=self.created,
            LastModifiedDate=self.modified,
            EstimatedNumberOfUsers=user_count,
        )
        return out


# The legacy verification-message members and the VerificationMessageTemplate member each mirrors.
_LEGACY_VERIFICATION = (
    ("SmsVerificationMessage", "SmsMessage"),
    ("EmailVerificationMessage", "EmailMessage"),
    ("EmailVerificationSubject", "EmailSubject"),
)


def _verification_in_step(config: dict[str, Any]) -> None:
    """Cognito keeps the legacy members and VerificationMessageTemplate showing the same messages:
    each side is filled from the other, and where both are given and differ the template wins."""
    template = dict(config.get("VerificationMessageTemplate") or {})
    for legacy, member in _LEGACY_VERIFICATION:
        value = template.get(member) or config.get(legacy)
        if value:
            template[member] = value
            config[legacy] = value
    template.setdefault("DefaultEmailOption", "CONFIRM_WITH_CODE")
    config["VerificationMessageTemplate"] = template


def _check_username_settings(params: dict[str, Any]) -> None:
    if params.get("AliasAttributes") and params.get("UsernameAttributes"):
        raise InvalidParameterException(
            "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool."
        )


def new_config(params: dict[str, Any], previous: dict[str, Any] | None = None) -> dict[str, Any]:
    _check_username_settings(params)
    config = {k: params[k] for k in STORED_KEYS if params.get(k) is not None}
    policy = dict((config.get("Policies") or {}).get("PasswordPolicy") or {})
    config["Policies"] = {
        **(config.get("Policies") or {}),
        "PasswordPolicy": {**passwords.DEFAULT_POLICY, **policy},
    }
    config["SchemaAttributes"] = schema.build(params.get("Schema"))
    config.setdefault("AdminCreateUserConfig", {"AllowAdminCreateUserOnly": False})
    config.setdefault("MfaConfiguration", "OFF")
    config.setdefault("UserPoolTier", "ESSENTIALS")
    config.setdefault("DeletionProtection", "INACTIVE")
    config.setdefault("EmailConfiguration", {"EmailSendingAccount": "COGNITO_DEFAULT"})
    _verification_in_step(config)
    config = sign_in_policy.check_policy(config)
    return mfa.check_pool_settings(config, previous)


def updated_config(pool: Pool, params: dict[str, Any]) -> dict[str, Any]:
    """UpdateUserPool replaces each updatable setting: omitted ones go back to their defaults."""
    # PointInTimeRecovery: a recovery in progress (storage/history.py), not a setting.
    kept = ("AliasAttributes", "UsernameAttributes", "UsernameConfiguration", "SchemaAttributes", "PointInTimeRecovery")
    fixed: dict[str, Any] = {k: pool.config[k] for k in kept if k in pool.config}
    fresh = new_config({k: params.get(k) for k in UPDATABLE_KEYS}, pool.config)
    fresh.update(fixed)
    if "UserPoolTags" not in params and "UserPoolTags" in pool.config:
        fresh["UserPoolTags"] = pool.config["UserPoolTags"]
    return fresh


def sign_in_name(pool: Pool, username: str) -> tuple[str, str | None]:
    """The stored username for a new user named ``username`` and, in username-attribute pools, which
    attribute the given name fills (the stored name is then a new sub)."""
    allowed = pool.username_attributes
    if allowed:
        if "email" in allowed and identifiers.is_email(username):
            return identifiers.new_sub(), "email"
        if "phone_number" in allowed and identifiers.is_phone(username):
            return identifiers.new_sub(), "phone_number"
        if allowed == ["email"]:
            raise InvalidParameterException("Username should be an email.")
        if allowed == ["phone_number"]:
            raise InvalidParameterException("Username should be a phone number.")
        raise InvalidParameterException("Username should be either an email or a phone number.")
    if "email" in pool.alias_attributes and identifiers.is_email(username):
        raise InvalidParameterException(
            "Username cannot be of email format, since user pool is configured for email alias."
        )
    if "phone_number" in pool.alias_attributes and identifiers.is_phone(username):
        raise InvalidParameterException(
            "Username cannot be of phone number format, since user pool is configured for phone number alias."
        )
    return username, None
