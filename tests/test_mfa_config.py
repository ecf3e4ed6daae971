"""MFA configuration through boto3: a pool's (SetUserPoolMfaConfig, GetUserPoolMfaConfig, CreateUserPool,
UpdateUserPool, DescribeUserPool) and a user's (SetUserMFAPreference, AdminSetUserMFAPreference,
SetUserSettings, AdminSetUserSettings, AdminGetUser, GetUser)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of
from tests.mfa import DEVELOPER_EMAIL, SMS_CONFIGURATION, signed_in
from tests.support import Server

NONE_ENABLED = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration."
OFF_WITH_FACTOR = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."


def test_a_new_pool_has_mfa_off(cognito: Any, pool: str) -> None:
    got = cognito.get_user_pool_mfa_config(UserPoolId=pool)
    assert got["MfaConfiguration"] == "OFF"
    assert got["SoftwareTokenMfaConfiguration"] == {"Enabled": False}
    assert "SmsMfaConfiguration" not in got and "EmailMfaConfiguration" not in got


def test_set_and_get_every_factor(cognito: Any, make_pool: Any) -> None:
    pool = make_pool(EmailConfiguration=DEVELOPER_EMAIL)
    answer = cognito.set_user_pool_mfa_config(
        UserPoolId=pool,
        MfaConfiguration="OPTIONAL",
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Code {####}", "SmsConfiguration": SMS_CONFIGURATION},
        SoftwareTokenMfaConfiguration={"Enabled": True},
        EmailMfaConfiguration={"Message": "Your code: {####}", "Subject": "Sign-in code"},
        WebAuthnConfiguration={"RelyingPartyId": "example.com", "UserVerification": "required"},
    )
    got = cognito.get_user_pool_mfa_config(UserPoolId=pool)
    for shown in (answer, got):
        assert shown["MfaConfiguration"] == "OPTIONAL"
        assert shown["SmsMfaConfiguration"] == {
            "SmsAuthenticationMessage": "Code {####}",
            "SmsConfiguration": SMS_CONFIGURATION,
        }
        assert shown["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
        assert shown["EmailMfaConfiguration"] == {"Message": "Your code: {####}", "Subject": "Sign-in code"}
        assert shown["WebAuthnConfiguration"] == {"RelyingPartyId": "example.com", "UserVerification": "required"}
    described = cognito.describe_user_pool(UserPoolId=pool)["UserPool"]
    assert described["MfaConfiguration"] == "OPTIONAL"
    assert described["SmsAuthenticationMessage"] == "Code {####}"
    assert described["SmsConfiguration"] == SMS_CONFIGURATION


def test_a_factor_left_out_is_turned_off(cognito: Any, pool: str) -> None:
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool,
        MfaConfiguration="ON",
        SmsMfaConfiguration={"SmsConfiguration": SMS_CONFIGURATION},
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    cognito.set_user_pool_mfa_config(UserPoolId=pool, SoftwareTokenMfaConfiguration={"Enabled": True})
    got = cognito.get_user_pool_mfa_config(UserPoolId=pool)
    assert got["MfaConfiguration"] == "ON"  # the mode left out is kept
    assert "SmsMfaConfiguration" not in got


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"MfaConfiguration": "ON"}, NONE_ENABLED),
        ({"MfaConfiguration": "OPTIONAL", "SoftwareTokenMfaConfiguration": {"Enabled": False}}, NONE_ENABLED),
        ({"MfaConfiguration": "OFF", "SoftwareTokenMfaConfiguration": {"Enabled": True}}, OFF_WITH_FACTOR),
        ({"MfaConfiguration": "OFF", "SmsMfaConfiguration": {"SmsConfiguration": SMS_CONFIGURATION}}, OFF_WITH_FACTOR),
        ({"MfaConfiguration": "ON", "SmsMfaConfiguration": {}}, "SmsConfiguration is required to enable SMS MFA."),
        (
            {"MfaConfiguration": "ON", "EmailMfaConfiguration": {"Message": "Code {####}"}},
            "Email MFA requires an EmailConfiguration with EmailSendingAccount DEVELOPER.",
        ),
    ],
)
def test_set_user_pool_mfa_config_refuses(cognito: Any, pool: str, settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.set_user_pool_mfa_config(UserPoolId=pool, **settings)
    assert error_of(excinfo) == ("InvalidParameterException", message)
    assert cognito.get_user_pool_mfa_config(UserPoolId=pool)["MfaConfiguration"] == "OFF"


def test_email_mfa_is_not_in_the_lite_tier(cognito: Any, make_pool: Any) -> None:
    pool = make_pool(EmailConfiguration=DEVELOPER_EMAIL, UserPoolTier="LITE")
    with pytest.raises(ClientError) as excinfo:
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool, MfaConfiguration="ON", EmailMfaConfiguration={"Message": "Code {####}"}
        )
    assert error_of(excinfo)[0] == "FeatureUnavailableInTierException"


def test_unknown_pool(cognito: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.get_user_pool_mfa_config(UserPoolId="us-east-1_nothere")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_create_user_pool_with_mfa(cognito: Any, make_pool: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        make_pool(MfaConfiguration="ON")
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "SMS configuration and Auto verification for phone_number are required when MFA is required/optional",
    )
    pool = make_pool(MfaConfiguration="ON", SmsConfiguration=SMS_CONFIGURATION, SmsAuthenticationMessage="{####}!")
    got = cognito.get_user_pool_mfa_config(UserPoolId=pool)
    assert got["MfaConfiguration"] == "ON"
    assert got["SmsMfaConfiguration"]["SmsAuthenticationMessage"] == "{####}!"


def test_update_user_pool_keeps_software_tokens_unless_mfa_goes_off(cognito: Any, pool: str) -> None:
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    cognito.update_user_pool(UserPoolId=pool, MfaConfiguration="OPTIONAL")
    got = cognito.get_user_pool_mfa_config(UserPoolId=pool)
    assert (got["MfaConfiguration"], got["SoftwareTokenMfaConfiguration"]) == ("OPTIONAL", {"Enabled": True})
    assert cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["MfaConfiguration"] == "OPTIONAL"
    cognito.update_user_pool(UserPoolId=pool)  # omitted: back to OFF, as every omitted setting
    got = cognito.get_user_pool_mfa_config(UserPoolId=pool)
    assert (got["MfaConfiguration"], got["SoftwareTokenMfaConfiguration"]) == ("OFF", {"Enabled": False})
    with pytest.raises(ClientError) as excinfo:
        cognito.update_user_pool(UserPoolId=pool, MfaConfiguration="ON")
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_user_mfa_preferences(server: Server, cognito: Any, pool: str) -> None:
    session = signed_in(server, cognito, pool, phone_number="+15555550100")
    user = cognito.admin_get_user(UserPoolId=pool, Username="alice")
    assert "UserMFASettingList" not in user and "PreferredMfaSetting" not in user and "MFAOptions" not in user
    cognito.set_user_mfa_preference(
        AccessToken=session["AccessToken"],
        SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
        EmailMfaSettings={"Enabled": True},
    )
    user = cognito.admin_get_user(UserPoolId=pool, Username="alice")
    assert user["UserMFASettingList"] == ["SMS_MFA", "EMAIL_OTP"]
    assert user["PreferredMfaSetting"] == "SMS_MFA"
    assert user["MFAOptions"] == [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    cognito.admin_set_user_mfa_preference(
        UserPoolId=pool, Username="alice", EmailMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    got = cognito.get_user(AccessToken=session["AccessToken"])
    assert got["PreferredMfaSetting"] == "EMAIL_OTP"  # one preferred makes the others not
    assert got["UserMFASettingList"] == ["SMS_MFA", "EMAIL_OTP"]
    cognito.admin_set_user_mfa_preference(UserPoolId=pool, Username="alice", SMSMfaSettings={"Enabled": False})
    got = cognito.get_user(AccessToken=session["AccessToken"])
    assert got["UserMFASettingList"] == ["EMAIL_OTP"] and "MFAOptions" not in got


def test_preferences_need_what_the_factor_needs(server: Server, cognito: Any, pool: str) -> None:
    session = signed_in(server, cognito, pool)  # an email, no phone number, no authenticator
    for settings, factor in (("SMSMfaSettings", "SMS_MFA"), ("SoftwareTokenMfaSettings", "SOFTWARE_TOKEN_MFA")):
        with pytest.raises(ClientError) as excinfo:
            cognito.set_user_mfa_preference(AccessToken=session["AccessToken"], **{settings: {"Enabled": True}})
        assert error_of(excinfo) == (
            "InvalidParameterException",
            f"User does not have delivery config set to turn on {factor}",
        )
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_set_user_mfa_preference(
            UserPoolId=pool, Username="alice", EmailMfaSettings={"Enabled": False, "PreferredMfa": True}
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"
    assert "UserMFASettingList" not in cognito.admin_get_user(UserPoolId=pool, Username="alice")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_set_user_mfa_preference(UserPoolId=pool, Username="bob", EmailMfaSettings={"Enabled": True})
    assert error_of(excinfo)[0] == "UserNotFoundException"


def test_legacy_user_settings(server: Server, cognito: Any, pool: str) -> None:
    session = signed_in(server, cognito, pool, phone_number="+15555550100")
    sms = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    cognito.set_user_settings(AccessToken=session["AccessToken"], MFAOptions=sms)
    user = cognito.admin_get_user(UserPoolId=pool, Username="alice")
    assert user["MFAOptions"] == sms and user["UserMFASettingList"] == ["SMS_MFA"]
    (listed,) = cognito.list_users(UserPoolId=pool)["Users"]
    assert listed["MFAOptions"] == sms
    cognito.admin_set_user_settings(UserPoolId=pool, Username="alice", MFAOptions=[])
    assert "MFAOptions" not in cognito.admin_get_user(UserPoolId=pool, Username="alice")
    with pytest.raises(ClientError) as excinfo:
        cognito.set_user_settings(AccessToken="not-a-token", MFAOptions=sms)
    assert error_of(excinfo)[0] == "NotAuthorizedException"
