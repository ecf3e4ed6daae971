"""Choice-based sign-in settings of a pool: its feature plan (UserPoolTier), the first factors its
``Policies.SignInPolicy`` allows, and its passkey (WebAuthn) configuration. No I/O.

Cognito's plans: LITE allows only passwords as a first factor; ESSENTIALS (the default) and PLUS add
one-time codes by email and SMS and passkeys, email MFA, and passkeys that satisfy MFA.
"""

from __future__ import annotations

import re
from typing import Any

from userpools.domain.errors import FeatureUnavailableInTierException, InvalidParameterException

PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN = "PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"
FIRST_FACTORS = (PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN)
DEFAULT_POLICY = {"AllowedFirstAuthFactors": [PASSWORD]}
MULTI_FACTOR = "MULTI_FACTOR_WITH_USER_VERIFICATION"
_HOST = re.compile(r"^(?=.{1,127}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")


def tier(config: dict[str, Any]) -> str:
    return str(config.get("UserPoolTier") or "ESSENTIALS")


def allowed_first_factors(config: dict[str, Any]) -> list[str]:
    policy = (config.get("Policies") or {}).get("SignInPolicy") or DEFAULT_POLICY
    return list(policy.get("AllowedFirstAuthFactors") or [PASSWORD])


def allows_passwordless_sign_up(config: dict[str, Any]) -> bool:
    """SignUp without a password: only where a user can then sign in with a code (Cognito's documentation)."""
    allowed = allowed_first_factors(config)
    return EMAIL_OTP in allowed or SMS_OTP in allowed


def check_policy(config: dict[str, Any]) -> dict[str, Any]:
    """CreateUserPool / UpdateUserPool: the SignInPolicy checked, and set to its default when left out."""
    policies = dict(config.get("Policies") or {})
    given = policies.get("SignInPolicy")
    factors = list((given or DEFAULT_POLICY).get("AllowedFirstAuthFactors") or [])
    if "SOFTWARE_TOKEN" in factors:
        raise InvalidParameterException("SOFTWARE_TOKEN is not supported as a first authentication factor.")
    if len(set(factors)) != len(factors):
        raise InvalidParameterException("AllowedFirstAuthFactors must not repeat a factor.")
    if PASSWORD not in factors:
        raise InvalidParameterException("AllowedFirstAuthFactors must include PASSWORD.")
    if factors != [PASSWORD] and tier(config) == "LITE":
        raise FeatureUnavailableInTierException(
            "Passwordless sign-in (EMAIL_OTP, SMS_OTP, WEB_AUTHN) is not available in the LITE tier."
        )
    if EMAIL_OTP in factors and (config.get("EmailConfiguration") or {}).get("EmailSendingAccount") != "DEVELOPER":
        raise InvalidParameterException("EMAIL_OTP requires an EmailConfiguration with EmailSendingAccount DEVELOPER.")
    if SMS_OTP in factors and not config.get("SmsConfiguration"):
        raise InvalidParameterException("SMS_OTP requires an SmsConfiguration.")
    policies["SignInPolicy"] = {"AllowedFirstAuthFactors": factors}
    return {**config, "Policies": policies}


def check_webauthn(config: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """SetUserPoolMfaConfig's WebAuthnConfiguration: a bare host name as RelyingPartyId (left out: the pool's
    domain, resolved when a passkey is registered), UserVerification ``preferred`` by default."""
    out = {k: v for k, v in given.items() if v is not None}
    rp_id = out.get("RelyingPartyId")
    if rp_id is not None and not _HOST.match(str(rp_id).lower()):
        raise InvalidParameterException("RelyingPartyId must be a domain name, without scheme, port or path.")
    out.setdefault("UserVerification", "preferred")
    if out.get("FactorConfiguration") == MULTI_FACTOR and tier(config) == "LITE":
        raise FeatureUnavailableInTierException("Passkeys as a multi-factor method are not available in the LITE tier.")
    return out


def webauthn_config(config: dict[str, Any]) -> dict[str, Any]:
    return dict(config.get("WebAuthnConfiguration") or {"UserVerification": "preferred"})


def passkey_satisfies_mfa(config: dict[str, Any]) -> bool:
    return webauthn_config(config).get("FactorConfiguration") == MULTI_FACTOR


def configured_factors(
    config: dict[str, Any], attributes: dict[str, str], has_password: bool, has_passkey: bool
) -> list[str]:
    """GetUserAuthFactors' ConfiguredUserAuthFactors: the first factors the pool allows and the user has set up
    (a password, a verified email or phone number, a passkey)."""
    allowed = allowed_first_factors(config)
    have = {
        PASSWORD: has_password,
        EMAIL_OTP: bool(attributes.get("email")) and attributes.get("email_verified") == "true",
        SMS_OTP: bool(attributes.get("phone_number")) and attributes.get("phone_number_verified") == "true",
        WEB_AUTHN: has_passkey,
    }
    return [f for f in FIRST_FACTORS if f in allowed and have[f]]
