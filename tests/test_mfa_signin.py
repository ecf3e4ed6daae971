"""Second factors in sign-in through boto3 and pyotp: MFA_SETUP, SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP and
SELECT_MFA_TYPE after USER_PASSWORD_AUTH, USER_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH and NEW_PASSWORD_REQUIRED;
codes from the outbox, single use, expiring, counted towards the lockout."""

from __future__ import annotations

import json
from typing import Any

import pyotp
import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of, outbox
from tests.mfa import DEVELOPER_EMAIL, SMS_CONFIGURATION, code_at, database_text
from tests.signin import NEW_PASSWORD, confirmed_user, make_client, password_auth, srp_sign_in
from tests.support import Server

PHONE = "+15555550100"


def totp_pool(make_pool: Any, cognito: Any, mode: str = "ON") -> str:
    pool = str(make_pool())
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool, MfaConfiguration=mode, SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    return pool


def respond(cognito: Any, client_id: str, first: dict[str, Any], **responses: str) -> dict[str, Any]:
    return dict(
        cognito.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName=first["ChallengeName"],
            Session=first["Session"],
            ChallengeResponses={"USERNAME": "alice", **responses},
        )
    )


def enrolled(cognito: Any, pool: str, client_id: str) -> str:
    """Alice, required to set up MFA at sign-in, enrols an authenticator through MFA_SETUP: its secret."""
    first = password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    assert first["ChallengeName"] == "MFA_SETUP"
    assert json.loads(first["ChallengeParameters"]["MFAS_CAN_SETUP"]) == ["SOFTWARE_TOKEN_MFA"]
    associated = cognito.associate_software_token(Session=first["Session"])
    secret = associated["SecretCode"]
    verified = cognito.verify_software_token(
        Session=associated["Session"], UserCode=pyotp.TOTP(secret).now(), FriendlyDeviceName="phone"
    )
    assert verified["Status"] == "SUCCESS"
    with pytest.raises(ClientError) as excinfo:  # the first session was spent by the association
        respond(cognito, client_id, first)
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    done = respond(cognito, client_id, {"ChallengeName": "MFA_SETUP", "Session": verified["Session"]})
    assert done["AuthenticationResult"]["TokenType"] == "Bearer"
    return str(secret)


def test_required_mfa_sets_up_an_authenticator_then_asks_for_it(
    server: Server, cognito: Any, make_pool: Any, move_clock: Any
) -> None:
    pool = totp_pool(make_pool, cognito)
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    secret = enrolled(cognito, pool, client_id)
    assert cognito.admin_get_user(UserPoolId=pool, Username="alice")["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]

    first = password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    assert first["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert first["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"] == "phone"
    assert "AuthenticationResult" not in first
    with pytest.raises(ClientError) as excinfo:  # the code that enrolled it is not accepted again
        respond(cognito, client_id, first, SOFTWARE_TOKEN_MFA_CODE=code_at(secret))
    assert error_of(excinfo) == ("CodeMismatchException", "Invalid code received for user")
    with pytest.raises(ClientError) as excinfo:  # and the session went with the wrong answer
        respond(cognito, client_id, first, SOFTWARE_TOKEN_MFA_CODE=code_at(secret))
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    move_clock(30)
    first = password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    done = respond(cognito, client_id, first, SOFTWARE_TOKEN_MFA_CODE=code_at(secret, 30))
    assert done["AuthenticationResult"]["AccessToken"]
    stored = database_text(server)
    assert secret not in stored


def test_mfa_setup_needs_the_verified_session(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = totp_pool(make_pool, cognito)
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    first = password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        respond(cognito, client_id, first)
    assert error_of(excinfo)[0] == "InvalidParameterException"
    first = password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    associated = cognito.associate_software_token(Session=first["Session"])
    with pytest.raises(ClientError) as excinfo:
        cognito.verify_software_token(Session=associated["Session"], UserCode=code_at(associated["SecretCode"], -300))
    assert error_of(excinfo)[0] == "EnableSoftwareTokenMFAException"
    assert "UserMFASettingList" not in cognito.admin_get_user(UserPoolId=pool, Username="alice")


def test_srp_sign_in_asks_for_the_software_token(server: Server, cognito: Any, make_pool: Any, move_clock: Any) -> None:
    pool = totp_pool(make_pool, cognito, "OPTIONAL")
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    tokens = srp_sign_in(cognito, pool, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"]  # none set up
    secret = cognito.associate_software_token(AccessToken=tokens["AccessToken"])["SecretCode"]
    cognito.verify_software_token(AccessToken=tokens["AccessToken"], UserCode=code_at(secret))
    move_clock(30)
    first = srp_sign_in(cognito, pool, client_id, "alice", NEW_PASSWORD)
    assert first["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert respond(cognito, client_id, first, SOFTWARE_TOKEN_MFA_CODE=code_at(secret, 30))["AuthenticationResult"]


def sms_pool(make_pool: Any, cognito: Any, mode: str = "ON") -> str:
    return str(
        make_pool(MfaConfiguration=mode, SmsConfiguration=SMS_CONFIGURATION, SmsAuthenticationMessage="Code: {####}")
    )


def with_phone(server: Server, cognito: Any, pool: str, username: str = "alice") -> None:
    confirmed_user(server, cognito, pool, username)
    cognito.admin_update_user_attributes(
        UserPoolId=pool, Username=username, UserAttributes=[{"Name": "phone_number", "Value": PHONE}]
    )


def test_admin_sign_in_with_an_sms_code(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = sms_pool(make_pool, cognito)
    client_id = make_client(cognito, pool)["ClientId"]
    with_phone(server, cognito, pool)

    def initiate() -> dict[str, Any]:
        return dict(
            cognito.admin_initiate_auth(
                UserPoolId=pool,
                ClientId=client_id,
                AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": "alice", "PASSWORD": NEW_PASSWORD},
            )
        )

    first = initiate()
    assert first["ChallengeName"] == "SMS_MFA"
    assert first["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"
    assert first["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "+*******0100"
    message = outbox(server, pool=pool, username="alice")[-1]
    assert (message["medium"], message["destination"]) == ("SMS", PHONE)
    assert message["body"] == f"Code: {message['code']}"
    done = cognito.admin_respond_to_auth_challenge(
        UserPoolId=pool,
        ClientId=client_id,
        ChallengeName="SMS_MFA",
        Session=first["Session"],
        ChallengeResponses={"USERNAME": "alice", "SMS_MFA_CODE": message["code"]},
    )
    assert done["AuthenticationResult"]["IdToken"]


def test_wrong_codes_count_towards_the_lockout(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = sms_pool(make_pool, cognito)
    client_id = make_client(cognito, pool)["ClientId"]
    with_phone(server, cognito, pool)
    for _ in range(5):
        first = password_auth(cognito, client_id, "alice", NEW_PASSWORD)
        code = outbox(server, pool=pool, username="alice")[-1]["code"]
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        with pytest.raises(ClientError) as excinfo:
            respond(cognito, client_id, first, SMS_MFA_CODE=wrong)
        assert error_of(excinfo) == ("CodeMismatchException", "Invalid code received for user")
    with pytest.raises(ClientError) as excinfo:
        password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    assert error_of(excinfo) == ("NotAuthorizedException", "Password attempts exceeded")


def test_sms_code_expires_with_the_session(server: Server, cognito: Any, make_pool: Any, move_clock: Any) -> None:
    pool = sms_pool(make_pool, cognito)
    client_id = make_client(cognito, pool, AuthSessionValidity=3)["ClientId"]
    with_phone(server, cognito, pool)
    first = password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    code = outbox(server, pool=pool, username="alice")[-1]["code"]
    move_clock(181)
    with pytest.raises(ClientError) as excinfo:
        respond(cognito, client_id, first, SMS_MFA_CODE=code)
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid session for the user, session is expired.")


def test_email_otp_as_a_second_factor(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = str(make_pool(EmailConfiguration=DEVELOPER_EMAIL))
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool,
        MfaConfiguration="OPTIONAL",
        EmailMfaConfiguration={"Message": "Sign in with {####}", "Subject": "Your code"},
    )
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    assert password_auth(cognito, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"]  # optional, not chosen
    cognito.admin_set_user_mfa_preference(UserPoolId=pool, Username="alice", EmailMfaSettings={"Enabled": True})
    first = password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    assert first["ChallengeName"] == "EMAIL_OTP"
    assert first["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    assert first["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "a***@e***"
    message = outbox(server, pool=pool, username="alice")[-1]
    assert (message["subject"], message["body"]) == ("Your code", f"Sign in with {message['code']}")
    assert respond(cognito, client_id, first, EMAIL_OTP_CODE=message["code"])["AuthenticationResult"]


def test_select_mfa_type_when_several_and_none_preferred(
    server: Server, cognito: Any, make_pool: Any, move_clock: Any
) -> None:
    pool = sms_pool(make_pool, cognito, "OPTIONAL")
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool,
        SmsMfaConfiguration={"SmsConfiguration": SMS_CONFIGURATION},
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    client_id = make_client(cognito, pool)["ClientId"]
    with_phone(server, cognito, pool)
    tokens = password_auth(cognito, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"]
    secret = cognito.associate_software_token(AccessToken=tokens["AccessToken"])["SecretCode"]
    cognito.verify_software_token(AccessToken=tokens["AccessToken"], UserCode=code_at(secret))
    cognito.set_user_mfa_preference(AccessToken=tokens["AccessToken"], SMSMfaSettings={"Enabled": True})
    first = password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    assert first["ChallengeName"] == "SELECT_MFA_TYPE"
    assert json.loads(first["ChallengeParameters"]["MFAS_CAN_CHOOSE"]) == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    chosen = respond(cognito, client_id, first, ANSWER="SOFTWARE_TOKEN_MFA")
    assert chosen["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    move_clock(30)
    assert respond(cognito, client_id, chosen, SOFTWARE_TOKEN_MFA_CODE=code_at(secret, 30))["AuthenticationResult"]
    first = password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    chosen = respond(cognito, client_id, first, ANSWER="SMS_MFA")
    assert chosen["ChallengeName"] == "SMS_MFA"
    code = outbox(server, pool=pool, username="alice")[-1]["code"]
    assert respond(cognito, client_id, chosen, SMS_MFA_CODE=code)["AuthenticationResult"]
    cognito.set_user_mfa_preference(
        AccessToken=tokens["AccessToken"], SMSMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    assert password_auth(cognito, client_id, "alice", NEW_PASSWORD)["ChallengeName"] == "SMS_MFA"


def test_new_password_then_the_second_factor(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = sms_pool(make_pool, cognito)
    client_id = make_client(cognito, pool)["ClientId"]
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="alice",
        TemporaryPassword="Temp-Passw0rd!",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "phone_number", "Value": PHONE}],
    )
    first = password_auth(cognito, client_id, "alice", "Temp-Passw0rd!")
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    second = respond(cognito, client_id, first, NEW_PASSWORD=NEW_PASSWORD)
    assert second["ChallengeName"] == "SMS_MFA" and "AuthenticationResult" not in second
    code = outbox(server, pool=pool, username="alice")[-1]["code"]
    assert respond(cognito, client_id, second, SMS_MFA_CODE=code)["AuthenticationResult"]


def test_required_mfa_never_issues_tokens_without_a_second_factor(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = sms_pool(make_pool, cognito)  # SMS only, and the user has no phone number
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    for flow in ("password", "srp"):
        if flow == "password":
            first = password_auth(cognito, client_id, "alice", NEW_PASSWORD)
        else:
            first = srp_sign_in(cognito, pool, client_id, "alice", NEW_PASSWORD)
        assert first["ChallengeName"] == "MFA_SETUP" and "AuthenticationResult" not in first
        with pytest.raises(ClientError):
            respond(cognito, client_id, first)
