"""Lambda trigger events as Cognito builds them, and what Cognito makes of the answers.

Pure: no I/O. ``steps/triggers.py`` looks up the pool's LambdaConfig and invokes; this module
builds each ``event`` and reads each ``response`` (pre token generation's: ``domain/token_events.py``, custom
authentication's: ``domain/custom_auth_events.py``). An answer that cannot be read the way Cognito
reads it raises ``InvalidLambdaResponseException``.

Every event has the same envelope::

    {"version", "triggerSource", "region", "userPoolId", "userName",
     "callerContext": {"awsSdkVersion", "clientId"}, "request": {...}, "response": {...}}

Choices where Cognito's behaviour is not documented are marked "Choice:".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from userpools.domain.errors import InvalidLambdaResponseException

CLIENT_ID_NOT_APPLICABLE = "CLIENT_ID_NOT_APPLICABLE"
CODE_PARAMETER = "{####}"
USERNAME_PARAMETER = "{username}"
LINK_PARAMETER = "{##Click Here##}"
UNRECOGNIZABLE = "Unrecognizable lambda output"

# Sources per LambdaConfig key, as Cognito names them (triggerSource).
PRE_SIGN_UP = ("PreSignUp_SignUp", "PreSignUp_AdminCreateUser", "PreSignUp_ExternalProvider")
CUSTOM_MESSAGE = (
    "CustomMessage_SignUp",
    "CustomMessage_AdminCreateUser",
    "CustomMessage_ResendCode",
    "CustomMessage_ForgotPassword",
    "CustomMessage_UpdateUserAttribute",
    "CustomMessage_VerifyUserAttribute",
    "CustomMessage_Authentication",
)
POST_CONFIRMATION = ("PostConfirmation_ConfirmSignUp", "PostConfirmation_ConfirmForgotPassword")
USER_MIGRATION = ("UserMigration_Authentication", "UserMigration_ForgotPassword")


_SDK = re.compile(r"aws-sdk-([a-z0-9-]+?)/([0-9][\w.-]*)", re.IGNORECASE)


def sdk_version(user_agent: str | None) -> str:
    """callerContext.awsSdkVersion: ``aws-sdk-js-3.614.0`` from an ``aws-sdk-js/3.614.0`` user agent.

    Choice: agents that do not name an ``aws-sdk-<language>/<version>`` (boto3, the CLI) give
    ``aws-sdk-unknown-unknown``, the value Cognito is seen to send for them.
    """
    match = _SDK.search(user_agent or "")
    if match is None:
        return "aws-sdk-unknown-unknown"
    return f"aws-sdk-{match[1].lower()}-{match[2]}"


@dataclass(frozen=True)
class Caller:
    """Where the event happens: the pool, the region, and who called (for callerContext)."""

    region: str
    pool_id: str
    client_id: str | None = None  # None for admin operations: CLIENT_ID_NOT_APPLICABLE
    user_agent: str | None = None


def envelope(
    source: str,
    caller: Caller,
    username: str | None,
    request: dict[str, Any],
    response: dict[str, Any],
    *,
    version: str = "1",
) -> dict[str, Any]:
    return {
        "version": version,
        "triggerSource": source,
        "region": caller.region,
        "userPoolId": caller.pool_id,
        "userName": username,
        "callerContext": {
            "awsSdkVersion": sdk_version(caller.user_agent),
            "clientId": caller.client_id or CLIENT_ID_NOT_APPLICABLE,
        },
        "request": request,
        "response": response,
    }


def name_values(pairs: Sequence[Mapping[str, Any]] | None) -> dict[str, str] | None:
    """``[{"Name", "Value"}]`` (ValidationData, UserAttributes) as a name → value map; None stays None."""
    if pairs is None:
        return None
    return {str(p["Name"]): str(p.get("Value") or "") for p in pairs}


def with_metadata(request: dict[str, Any], client_metadata: Mapping[str, str] | None) -> dict[str, Any]:
    """Choice: ``clientMetadata`` is left out when the caller sent none (as Cognito does)."""
    if client_metadata is not None:
        request["clientMetadata"] = dict(client_metadata)
    return request


def check_source(source: str, allowed: tuple[str, ...]) -> None:
    if source not in allowed:
        raise ValueError(f"{source!r} is not one of {allowed}")


# --- Pre sign-up ------------------------------------------------------------------------------


def pre_sign_up(
    source: str,
    caller: Caller,
    username: str,
    user_attributes: Mapping[str, str],
    *,
    validation_data: Mapping[str, str] | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    check_source(source, PRE_SIGN_UP)
    request = {"userAttributes": dict(user_attributes), "validationData": _map_or_none(validation_data)}
    response = {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False}
    return envelope(source, caller, username, with_metadata(request, client_metadata), response)


@dataclass(frozen=True)
class PreSignUpAnswer:
    auto_confirm_user: bool = False
    auto_verify_email: bool = False
    auto_verify_phone: bool = False


def read_pre_sign_up(response: Mapping[str, Any], source: str) -> PreSignUpAnswer:
    """For PreSignUp_AdminCreateUser the flags are ignored: admin-created users are never auto-confirmed."""
    if source == "PreSignUp_AdminCreateUser":
        return PreSignUpAnswer()
    confirm = flag(response, "autoConfirmUser")
    return PreSignUpAnswer(confirm, flag(response, "autoVerifyEmail"), flag(response, "autoVerifyPhone"))


# --- Custom message ---------------------------------------------------------------------------


def custom_message(
    source: str,
    caller: Caller,
    username: str,
    user_attributes: Mapping[str, str],
    *,
    client_metadata: Mapping[str, str] | None = None,
    code_parameter: str = CODE_PARAMETER,
) -> dict[str, Any]:
    """``usernameParameter`` is set for CustomMessage_AdminCreateUser only (null otherwise);
    ``linkParameter`` carries the link placeholder for sources that may send a confirmation link."""
    check_source(source, CUSTOM_MESSAGE)
    request: dict[str, Any] = {
        "userAttributes": dict(user_attributes),
        "codeParameter": code_parameter,
        "linkParameter": LINK_PARAMETER,
        "usernameParameter": USERNAME_PARAMETER if source == "CustomMessage_AdminCreateUser" else None,
    }
    response = {"smsMessage": None, "emailMessage": None, "emailSubject": None}
    return envelope(source, caller, username, with_metadata(request, client_metadata), response)


@dataclass(frozen=True)
class CustomText:
    """Replacements for the pool's message; None keeps the pool's own text."""

    sms_message: str | None = None
    email_message: str | None = None
    email_subject: str | None = None

    def body(self, medium: str) -> str | None:
        return self.email_message if medium == "EMAIL" else self.sms_message


def read_custom_message(response: Mapping[str, Any], code_parameter: str = CODE_PARAMETER) -> CustomText:
    """A message the function returns replaces the pool's, and must keep the code placeholder."""
    sms = optional_text(response, "smsMessage")
    email = optional_text(response, "emailMessage")
    subject = optional_text(response, "emailSubject")
    for name, text in (("smsMessage", sms), ("emailMessage", email)):
        if text is not None and code_parameter not in text:
            raise InvalidLambdaResponseException(
                f"The {name} returned by the CustomMessage trigger must include the codeParameter {code_parameter}."
            )
    return CustomText(sms, email, subject)


# --- Post confirmation, pre and post authentication -------------------------------------------


def post_confirmation(
    source: str,
    caller: Caller,
    username: str,
    user_attributes: Mapping[str, str],
    *,
    client_metadata: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    check_source(source, POST_CONFIRMATION)
    request = with_metadata({"userAttributes": dict(user_attributes)}, client_metadata)
    return envelope(source, caller, username, request, {})


def pre_authentication(
    caller: Caller,
    username: str,
    user_attributes: Mapping[str, str],
    *,
    validation_data: Mapping[str, str] | None = None,
    user_not_found: bool = False,
) -> dict[str, Any]:
    """``validationData`` is what the sign-in call's ClientMetadata carried (Cognito's naming).
    ``userNotFound`` is true when PreventUserExistenceErrors hides a missing user."""
    request: dict[str, Any] = {
        "userAttributes": dict(user_attributes),
        "validationData": _map_or_none(validation_data),
        "userNotFound": user_not_found,
    }
    return envelope("PreAuthentication_Authentication", caller, username, request, {})


def post_authentication(
    caller: Caller,
    username: str,
    user_attributes: Mapping[str, str],
    *,
    new_device_used: bool = False,
    client_metadata: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    request = {"userAttributes": dict(user_attributes), "newDeviceUsed": new_device_used}
    return envelope("PostAuthentication_Authentication", caller, username, with_metadata(request, client_metadata), {})


# --- User migration ---------------------------------------------------------------------------


def user_migration(
    source: str,
    caller: Caller,
    username: str,
    *,
    password: str | None = None,
    validation_data: Mapping[str, str] | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """UserMigration_Authentication carries the password the user typed; ForgotPassword does not."""
    check_source(source, USER_MIGRATION)
    request: dict[str, Any] = {"validationData": _map_or_none(validation_data)}
    if source == "UserMigration_Authentication":
        request["password"] = password
    response = {
        "userAttributes": None,
        "finalUserStatus": None,
        "messageAction": None,
        "desiredDeliveryMediums": None,
        "forceAliasCreation": None,
        "enableSMSMFA": None,
    }
    return envelope(source, caller, username, with_metadata(request, client_metadata), response)


@dataclass(frozen=True)
class MigratedUser:
    attributes: dict[str, str]
    final_status: str  # CONFIRMED | RESET_REQUIRED
    message_action: str | None  # SUPPRESS | RESEND | None
    delivery_mediums: list[str]
    force_alias_creation: bool
    enable_sms_mfa: bool


def read_user_migration(response: Mapping[str, Any], source: str) -> MigratedUser:
    """The user to create. Choice: no ``userAttributes`` object means the function found no user
    (the caller answers UserNotFoundException)."""
    attributes = optional_object(response, "userAttributes")
    if attributes is None:
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    status = response.get("finalUserStatus") or (
        "RESET_REQUIRED" if source == "UserMigration_ForgotPassword" else "CONFIRMED"
    )
    if status not in ("CONFIRMED", "RESET_REQUIRED"):
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    action = response.get("messageAction")
    if action not in (None, "SUPPRESS", "RESEND"):
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    mediums = string_list(response, "desiredDeliveryMediums")
    if any(m not in ("EMAIL", "SMS") for m in mediums):
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    return MigratedUser(
        {str(k): str(v) for k, v in attributes.items()},
        status,
        action,
        mediums,
        flag(response, "forceAliasCreation"),
        flag(response, "enableSMSMFA"),
    )


# --- Reading answers --------------------------------------------------------------------------


def response_of(answer: Mapping[str, Any]) -> dict[str, Any]:
    """The ``response`` member of what the function returned (the whole event, as Lambda handlers do).

    Choice: a missing or null ``response`` reads as an empty one; anything else that is not an
    object is unrecognizable.
    """
    response = answer.get("response")
    if response is None:
        return {}
    if not isinstance(response, dict):
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    return response


def _map_or_none(values: Mapping[str, str] | None) -> dict[str, str] | None:
    return None if values is None else dict(values)


def flag(response: Mapping[str, Any], name: str) -> bool:
    value = response.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    return value


def optional_text(response: Mapping[str, Any], name: str) -> str | None:
    value = response.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    return value


def optional_object(response: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    value = response.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    return value


def string_list(response: Mapping[str, Any], name: str) -> list[str]:
    value = response.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    return list(value)
