"""Multi-factor authentication rules: a pool's MFA configuration, a user's MFA settings, and which
second factor a sign-in asks for. No I/O.

A pool keeps its MFA settings in its configuration: ``MfaConfiguration`` (OFF, ON, OPTIONAL),
``SmsAuthenticationMessage`` and ``SmsConfiguration`` (which DescribeUserPool shows too), and the
members only GetUserPoolMfaConfig shows: ``SmsMfaEnabled``, ``SoftwareTokenMfaConfiguration``,
``EmailMfaConfiguration`` and ``WebAuthnConfiguration``.

A user keeps its settings in ``User.mfa``: ``{"SMS_MFA": {...}, "SOFTWARE_TOKEN_MFA": {...},
"EMAIL_OTP": {...}}``, each ``{"enabled": bool, "preferred": bool}``; the software token also holds its
sealed secret, friendly name and the last time step accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from userpools.domain import sign_in_policy
from userpools.domain.errors import FeatureUnavailableInTierException, InvalidParameterException

SMS, TOTP, EMAIL = "SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"
TOTP_SEALED_AS = "totp-secret"  # the purpose TOTP seeds are sealed for (domain/sealing.py)
FACTORS = (SMS, TOTP, EMAIL)
_SETTINGS = {SMS: "SMSMfaSettings", TOTP: "SoftwareTokenMfaSettings", EMAIL: "EmailMfaSettings"}
_DESTINATION = {SMS: "phone_number", EMAIL: "email"}
POOL_ONLY_KEYS = ("SmsMfaEnabled", "SoftwareTokenMfaConfiguration", "EmailMfaConfiguration", "WebAuthnConfiguration")
DEFAULT_SMS_MESSAGE = "Your authentication code is {####}. "
DEFAULT_EMAIL_MESSAGE = "Your authentication code is {####}. "
DEFAULT_EMAIL_SUBJECT = "Your authentication code"
NONE_ENABLED = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration."
OFF_WITH_FACTOR = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
SMS_REQUIRED = "SMS configuration and Auto verification for phone_number are required when MFA is required/optional"


@dataclass(frozen=True)
class PoolMfa:
    """What a pool's configuration says about MFA."""

    mode: str
    sms: bool
    totp: bool
    email: bool

    @classmethod
    def of(cls, config: dict[str, Any]) -> PoolMfa:
        return cls(
            mode=str(config.get("MfaConfiguration") or "OFF"),
            sms=bool(config.get("SmsMfaEnabled")),
            totp=bool((config.get("SoftwareTokenMfaConfiguration") or {}).get("Enabled")),
            email=config.get("EmailMfaConfiguration") is not None,
        )

    @property
    def factors(self) -> list[str]:
        return [f for f, on in ((SMS, self.sms), (TOTP, self.totp), (EMAIL, self.email)) if on]


def _check_email_mfa(config: dict[str, Any]) -> None:
    """Email MFA needs Amazon SES (EmailSendingAccount DEVELOPER) and a tier above LITE (Cognito's docs)."""
    if config.get("UserPoolTier") == "LITE":
        raise FeatureUnavailableInTierException("Email MFA is not available in the LITE tier.")
    if (config.get("EmailConfiguration") or {}).get("EmailSendingAccount") != "DEVELOPER":
        raise InvalidParameterException("Email MFA requires an EmailConfiguration with EmailSendingAccount DEVELOPER.")


def set_pool_mfa(config: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """SetUserPoolMfaConfig: the whole MFA configuration replaced (a factor left out is turned off; the
    mode left out is kept), checked as Cognito checks it."""
    mode = params.get("MfaConfiguration") or config.get("MfaConfiguration") or "OFF"
    out = {k: v for k, v in config.items() if k not in POOL_ONLY_KEYS}
    sms = params.get("SmsMfaConfiguration")
    totp = params.get("SoftwareTokenMfaConfiguration")
    email = params.get("EmailMfaConfiguration")
    enabling = (sms is not None) or bool((totp or {}).get("Enabled")) or (email is not None)
    if mode == "OFF" and enabling:
        raise InvalidParameterException(OFF_WITH_FACTOR)
    if mode != "OFF" and not enabling:
        raise InvalidParameterException(NONE_ENABLED)
    if sms is not None:
        sms_configuration = sms.get("SmsConfiguration") or config.get("SmsConfiguration")
        if not sms_configuration:
            raise InvalidParameterException("SmsConfiguration is required to enable SMS MFA.")
        out["SmsConfiguration"] = sms_configuration
        if sms.get("SmsAuthenticationMessage"):
            out["SmsAuthenticationMessage"] = sms["SmsAuthenticationMessage"]
        out["SmsMfaEnabled"] = True
    if totp is not None:
        out["SoftwareTokenMfaConfiguration"] = {"Enabled": bool(totp.get("Enabled"))}
    if email is not None:
        _check_email_mfa(config)
        out["EmailMfaConfiguration"] = dict(email)
    if params.get("WebAuthnConfiguration") is not None:
        out["WebAuthnConfiguration"] = sign_in_policy.check_webauthn(config, params["WebAuthnConfiguration"])
    elif config.get("WebAuthnConfiguration") is not None:
        out["WebAuthnConfiguration"] = config["WebAuthnConfiguration"]
    out["MfaConfiguration"] = mode
    return out


def pool_mfa_response(config: dict[str, Any]) -> dict[str, Any]:
    """GetUserPoolMfaConfig's (and SetUserPoolMfaConfig's) answer."""
    pool = PoolMfa.of(config)
    out: dict[str, Any] = {
        "MfaConfiguration": pool.mode,
        "SoftwareTokenMfaConfiguration": {"Enabled": pool.totp},
        "WebAuthnConfiguration": config.get("WebAuthnConfiguration") or {"UserVerification": "preferred"},
    }
    if pool.sms:
        sms: dict[str, Any] = {"SmsConfiguration": config.get("SmsConfiguration")}
        if config.get("SmsAuthenticationMessage"):
            sms["SmsAuthenticationMessage"] = config["SmsAuthenticationMessage"]
        out["SmsMfaConfiguration"] = sms
    if pool.email:
        out["EmailMfaConfiguration"] = config["EmailMfaConfiguration"]
    return out


def check_pool_settings(config: dict[str, Any], previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """CreateUserPool / UpdateUserPool: MfaConfiguration ON or OPTIONAL needs a factor. With an
    SmsConfiguration, SMS MFA is on (as Cognito turns it on); software-token and email MFA, set only
    through SetUserPoolMfaConfig, are kept from ``previous`` unless MFA is turned off."""
    out = dict(config)
    mode = out.get("MfaConfiguration") or "OFF"
    kept = {k: v for k, v in (previous or {}).items() if k in POOL_ONLY_KEYS and k != "SmsMfaEnabled"}
    if mode == "OFF":
        kept.pop("SoftwareTokenMfaConfiguration", None)
        kept.pop("EmailMfaConfiguration", None)
        out.pop("SmsMfaEnabled", None)
    out.update(kept)
    if mode != "OFF":
        if out.get("SmsConfiguration"):
            out["SmsMfaEnabled"] = True
        else:
            out.pop("SmsMfaEnabled", None)
        if not PoolMfa.of(out).factors:
            raise InvalidParameterException(SMS_REQUIRED)
    return out


# --- a user's settings ------------------------------------------------------------------------------


def enabled(user_mfa: dict[str, Any]) -> list[str]:
    return [f for f in FACTORS if (user_mfa.get(f) or {}).get("enabled")]


def preferred(user_mfa: dict[str, Any]) -> str | None:
    return next((f for f in FACTORS if (user_mfa.get(f) or {}).get("preferred")), None)


def user_fields(user_mfa: dict[str, Any]) -> dict[str, Any]:
    """AdminGetUser's / GetUser's MFAOptions, PreferredMfaSetting and UserMFASettingList (left out when empty)."""
    out: dict[str, Any] = {}
    if not user_mfa:  # most users: nothing set up
        return out
    on = enabled(user_mfa)
    if SMS in on:
        out["MFAOptions"] = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    if preferred(user_mfa):
        out["PreferredMfaSetting"] = preferred(user_mfa)
    if on:
        out["UserMFASettingList"] = on
    return out


def set_preference(user_mfa: dict[str, Any], attributes: dict[str, str], params: dict[str, Any]) -> dict[str, Any]:
    """(Admin)SetUserMFAPreference: each factor given is turned on or off; one preferred makes the others not."""
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in user_mfa.items()}
    for factor, member in _SETTINGS.items():
        given = params.get(member)
        if given is None:
            continue
        on = bool(given.get("Enabled"))
        wanted = bool(given.get("PreferredMfa"))
        if wanted and not on:
            raise InvalidParameterException(f"{factor} cannot be preferred while it is not enabled.")
        if on and not can_use(out, attributes, factor):
            raise InvalidParameterException(f"User does not have delivery config set to turn on {factor}")
        setting = dict(out.get(factor) or {})
        setting.update(enabled=on, preferred=wanted)
        out[factor] = setting
        if wanted:
            for other in FACTORS:
                if other != factor and other in out:
                    out[other] = {**out[other], "preferred": False}
    return out


def set_legacy_options(
    user_mfa: dict[str, Any], attributes: dict[str, str], options: list[dict[str, Any]]
) -> dict[str, Any]:
    """(Admin)SetUserSettings: MFAOptions with SMS turns SMS MFA on; an empty list turns it off."""
    out = dict(user_mfa)
    sms = any(o.get("DeliveryMedium") == "SMS" for o in options)
    for option in options:
        if option.get("DeliveryMedium") == "EMAIL":
            raise InvalidParameterException("Only SMS is supported as an MFA delivery medium in MFAOptions.")
    if sms and not can_use(out, attributes, SMS):
        raise InvalidParameterException(f"User does not have delivery config set to turn on {SMS}")
    setting = dict(out.get(SMS) or {})
    setting["enabled"] = sms
    if not sms:
        setting["preferred"] = False
    out[SMS] = setting
    return out


def can_use(user_mfa: dict[str, Any], attributes: dict[str, str], factor: str) -> bool:
    """A factor the user could receive or answer: a phone number, an email, a verified software token."""
    if factor == TOTP:
        return bool((user_mfa.get(TOTP) or {}).get("secret"))
    return bool(attributes.get(_DESTINATION[factor]))


# --- sign-in ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SecondFactor:
    """What follows a verified password: ``challenge`` is MFA_SETUP, SELECT_MFA_TYPE, or a factor's
    challenge; ``choices`` lists the factors set up or to choose from."""

    challenge: str
    choices: tuple[str, ...]


def risk_second_factor(pool: PoolMfa, user_mfa: dict[str, Any], attributes: dict[str, str]) -> SecondFactor | None:
    """The second factor an MFA_IF_CONFIGURED or MFA_REQUIRED account-takeover action asks of a sign-in the
    pool's MFA setting alone lets through: as if MFA were required, among the pool's active methods. None when
    no method is possible for this user (Cognito's example: SMS only, and no phone number)."""
    needed = second_factor(replace(pool, mode="ON"), user_mfa, attributes)
    if needed is not None and needed.challenge == "MFA_SETUP" and TOTP not in pool.factors:
        return None  # nothing the user could set up here (MFA_SETUP sets up an authenticator app)
    return needed


def second_factor(pool: PoolMfa, user_mfa: dict[str, Any], attributes: dict[str, str]) -> SecondFactor | None:
    """The second factor a sign-in needs, or None when the password is enough."""
    if pool.mode == "OFF":
        return None
    usable = [f for f in enabled(user_mfa) if f in pool.factors and can_use(user_mfa, attributes, f)]
    if not usable and pool.mode == "ON":
        # Required, and nothing chosen: SMS or email to the address the user has, else set up an authenticator.
        usable = [f for f in (SMS, EMAIL) if f in pool.factors and can_use(user_mfa, attributes, f)]
        if not usable:
            return SecondFactor("MFA_SETUP", tuple(f for f in pool.factors if f == TOTP) or tuple(pool.factors))
    if not usable:
        return None
    chosen = preferred(user_mfa)
    if chosen in usable:
        return SecondFactor(chosen, (chosen,))
    if len(usable) == 1:
        return SecondFactor(usable[0], (usable[0],))
    return SecondFactor("SELECT_MFA_TYPE", tuple(usable))
