"""Choice-based sign-in (USER_AUTH) through boto3: pool and client settings, SELECT_CHALLENGE and
PREFERRED_CHALLENGE, one-time codes by email and SMS from the outbox (single use, expiring), the password and
SRP, MFA after each first factor, passwordless sign-up with ConfirmSignUp's Session, and the auth factors."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from tests.conftest import error_of, outbox
from tests.mfa import DEVELOPER_EMAIL, SMS_CONFIGURATION
from tests.passwordless import (
    PHONE,
    answer,
    passwordless_pool,
    user_auth,
    user_auth_client,
    verified_user,
)
from tests.signin import NEW_PASSWORD, make_client, password_auth
from tests.support import Server


def _code(server: Server, pool: str, username: str = "alice") -> str:
    return str(outbox(server, pool=pool, username=username)[-1]["code"])


def _policy(factors: list[str]) -> dict[str, Any]:
    return {"SignInPolicy": {"AllowedFirstAuthFactors": factors}}


# --- pool and client settings ------------------------------------------------------------------------


def test_a_pool_allows_passwords_first_by_default_and_shows_its_sign_in_policy(cognito: Any, pool: str) -> None:
    described = cognito.describe_user_pool(UserPoolId=pool)["UserPool"]
    assert described["Policies"]["SignInPolicy"] == {"AllowedFirstAuthFactors": ["PASSWORD"]}
    assert described["UserPoolTier"] == "ESSENTIALS"


@pytest.mark.parametrize(
    ("config", "code", "fragment"),
    [
        (
            {"UserPoolTier": "LITE", "Policies": _policy(["PASSWORD", "WEB_AUTHN"])},
            "FeatureUnavailableInTierException",
            "LITE",
        ),
        ({"Policies": _policy(["EMAIL_OTP"])}, "InvalidParameterException", "must include PASSWORD"),
        ({"Policies": _policy(["PASSWORD", "SOFTWARE_TOKEN"])}, "InvalidParameterException", "SOFTWARE_TOKEN"),
        ({"Policies": _policy(["PASSWORD", "EMAIL_OTP"])}, "InvalidParameterException", "DEVELOPER"),
        ({"Policies": _policy(["PASSWORD", "SMS_OTP"])}, "InvalidParameterException", "SmsConfiguration"),
        ({"Policies": _policy(["PASSWORD", "PASSWORD"])}, "InvalidParameterException", "repeat"),
    ],
)
def test_sign_in_policies_cognito_refuses(make_pool: Any, config: dict[str, Any], code: str, fragment: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        make_pool(**config)
    assert error_of(excinfo)[0] == code
    assert fragment in error_of(excinfo)[1]


def test_a_lite_pool_cannot_be_moved_to_passwordless_and_an_essentials_one_can(cognito: Any, make_pool: Any) -> None:
    pool = make_pool(UserPoolTier="LITE")
    with pytest.raises(ClientError) as excinfo:
        cognito.update_user_pool(UserPoolId=pool, UserPoolTier="LITE", Policies=_policy(["PASSWORD", "WEB_AUTHN"]))
    assert error_of(excinfo)[0] == "FeatureUnavailableInTierException"
    cognito.update_user_pool(UserPoolId=pool, UserPoolTier="ESSENTIALS", Policies=_policy(["PASSWORD", "WEB_AUTHN"]))
    policy = cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["Policies"]["SignInPolicy"]
    assert policy == {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}


def test_webauthn_configuration_is_checked_and_defaulted(cognito: Any, make_pool: Any) -> None:
    pool = make_pool()
    shown = cognito.get_user_pool_mfa_config(UserPoolId=pool)["WebAuthnConfiguration"]
    assert shown == {"UserVerification": "preferred"}
    with pytest.raises(ClientError) as excinfo:
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool, WebAuthnConfiguration={"RelyingPartyId": "https://example.com/"}
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"
    cognito.set_user_pool_mfa_config(UserPoolId=pool, WebAuthnConfiguration={"RelyingPartyId": "auth.example.com"})
    shown = cognito.get_user_pool_mfa_config(UserPoolId=pool)["WebAuthnConfiguration"]
    assert shown == {"RelyingPartyId": "auth.example.com", "UserVerification": "preferred"}
    lite = make_pool(UserPoolTier="LITE")
    with pytest.raises(ClientError) as excinfo:
        cognito.set_user_pool_mfa_config(
            UserPoolId=lite, WebAuthnConfiguration={"FactorConfiguration": "MULTI_FACTOR_WITH_USER_VERIFICATION"}
        )
    assert error_of(excinfo)[0] == "FeatureUnavailableInTierException"


def test_user_auth_needs_allow_user_auth_on_the_client(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = passwordless_pool(make_pool, cognito)
    verified_user(cognito, pool)
    client_id = make_client(cognito, pool)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        user_auth(cognito, client_id)
    assert error_of(excinfo) == ("InvalidParameterException", "USER_AUTH flow not enabled for this client")
    client = cognito.describe_user_pool_client(UserPoolId=pool, ClientId=user_auth_client(cognito, pool))
    assert "ALLOW_USER_AUTH" in client["UserPoolClient"]["ExplicitAuthFlows"]


# --- SELECT_CHALLENGE and the codes -----------------------------------------------------------------


def test_select_challenge_lists_what_pool_and_user_have_then_an_email_code_signs_in(
    server: Server, cognito: Any, make_pool: Any
) -> None:
    pool = passwordless_pool(make_pool, cognito)
    client_id = user_auth_client(cognito, pool)
    verified_user(cognito, pool)
    first = user_auth(cognito, client_id)
    assert first["ChallengeName"] == "SELECT_CHALLENGE"
    # no passkey registered yet: WEB_AUTHN is not offered
    assert first["AvailableChallenges"] == ["EMAIL_OTP", "SMS_OTP", "PASSWORD", "PASSWORD_SRP"]
    sent = answer(cognito, client_id, first, ANSWER="EMAIL_OTP")
    assert sent["ChallengeName"] == "EMAIL_OTP"
    assert sent["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    assert sent["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "a***@e***"
    message = outbox(server, pool=pool, username="alice")[-1]
    assert message["medium"] == "EMAIL" and message["destination"] == "alice@example.com"
    assert message["code"] in message["body"]
    done = answer(cognito, client_id, sent, EMAIL_OTP_CODE=message["code"])
    assert done["AuthenticationResult"]["TokenType"] == "Bearer"
    with pytest.raises(ClientError) as excinfo:  # single use: the session is spent
        answer(cognito, client_id, sent, EMAIL_OTP_CODE=message["code"])
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_preferred_sms_otp_goes_straight_to_the_code(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = passwordless_pool(make_pool, cognito)
    client_id = user_auth_client(cognito, pool)
    verified_user(cognito, pool)
    sent = user_auth(cognito, client_id, PREFERRED_CHALLENGE="SMS_OTP")
    assert sent["ChallengeName"] == "SMS_OTP"
    assert sent["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"
    message = outbox(server, pool=pool, username="alice")[-1]
    assert message["medium"] == "SMS" and message["destination"] == PHONE
    done = answer(cognito, client_id, sent, SMS_OTP_CODE=message["code"])
    assert "AccessToken" in done["AuthenticationResult"]


def test_a_wrong_code_is_refused_and_spends_the_session(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = passwordless_pool(make_pool, cognito)
    client_id = user_auth_client(cognito, pool)
    verified_user(cognito, pool)
    sent = user_auth(cognito, client_id, PREFERRED_CHALLENGE="EMAIL_OTP")
    right = _code(server, pool)
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(ClientError) as excinfo:
        answer(cognito, client_id, sent, EMAIL_OTP_CODE=wrong)
    assert error_of(excinfo)[0] == "CodeMismatchException"
    with pytest.raises(ClientError) as excinfo:
        answer(cognito, client_id, sent, EMAIL_OTP_CODE=right)
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_a_code_expires_with_the_clients_auth_session_validity(
    server: Server, cognito: Any, make_pool: Any, move_clock: Any
) -> None:
    pool = passwordless_pool(make_pool, cognito)
    client_id = user_auth_client(cognito, pool, AuthSessionValidity=3)
    verified_user(cognito, pool)
    sent = user_auth(cognito, client_id, PREFERRED_CHALLENGE="EMAIL_OTP")
    move_clock(181)
    with pytest.raises(ClientError) as excinfo:
        answer(cognito, client_id, sent, EMAIL_OTP_CODE=_code(server, pool))
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid session for the user, session is expired.")


def test_a_factor_the_pool_does_not_allow_is_neither_offered_nor_accepted(
    server: Server, cognito: Any, make_pool: Any
) -> None:
    pool = passwordless_pool(make_pool, cognito, ["PASSWORD", "EMAIL_OTP"])
    client_id = user_auth_client(cognito, pool)
    verified_user(cognito, pool)
    first = user_auth(cognito, client_id, PREFERRED_CHALLENGE="SMS_OTP")  # not allowed: the choice instead
    assert first["ChallengeName"] == "SELECT_CHALLENGE"
    assert first["AvailableChallenges"] == ["EMAIL_OTP", "PASSWORD", "PASSWORD_SRP"]
    with pytest.raises(ClientError) as excinfo:
        answer(cognito, client_id, first, ANSWER="SMS_OTP")
    assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        user_auth(cognito, client_id, PREFERRED_CHALLENGE="FINGERPRINT")
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_an_unverified_email_gets_no_email_code(cognito: Any, make_pool: Any) -> None:
    pool = passwordless_pool(make_pool, cognito, ["PASSWORD", "EMAIL_OTP"])
    client_id = user_auth_client(cognito, pool)
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="alice",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
    )
    cognito.admin_set_user_password(UserPoolId=pool, Username="alice", Password=NEW_PASSWORD, Permanent=True)
    first = user_auth(cognito, client_id, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert first["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]


# --- the password through USER_AUTH ------------------------------------------------------------------


def test_preferred_password_signs_in_and_a_wrong_one_is_refused(cognito: Any, make_pool: Any) -> None:
    pool = passwordless_pool(make_pool, cognito)
    client_id = user_auth_client(cognito, pool)
    verified_user(cognito, pool)
    done = user_auth(cognito, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=NEW_PASSWORD)
    assert done["AuthenticationResult"]["TokenType"] == "Bearer"
    with pytest.raises(ClientError) as excinfo:
        user_auth(cognito, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Wr0ng-Passw0rd!")
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    first = user_auth(cognito, client_id)
    done = answer(cognito, client_id, first, ANSWER="PASSWORD", PASSWORD=NEW_PASSWORD)
    assert "IdToken" in done["AuthenticationResult"]


def test_password_srp_chosen_in_select_challenge_then_password_verifier(cognito: Any, make_pool: Any) -> None:
    pool = passwordless_pool(make_pool, cognito)
    client_id = user_auth_client(cognito, pool)
    verified_user(cognito, pool)
    aws = AWSSRP(username="alice", password=NEW_PASSWORD, pool_id=pool, client_id=client_id, client=cognito)
    params = aws.get_auth_params()
    first = user_auth(cognito, client_id)
    verifier = answer(cognito, client_id, first, ANSWER="PASSWORD_SRP", SRP_A=params["SRP_A"])
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"
    responses = aws.process_challenge(verifier["ChallengeParameters"], params)
    done = cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=responses
    )
    assert "AccessToken" in done["AuthenticationResult"]
    # and PREFERRED_CHALLENGE PASSWORD_SRP with SRP_A, as Amplify sends it
    params = aws.get_auth_params()
    verifier = user_auth(cognito, client_id, PREFERRED_CHALLENGE="PASSWORD_SRP", SRP_A=params["SRP_A"])
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"


def test_admin_initiate_auth_offers_the_same_choice(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = passwordless_pool(make_pool, cognito)
    client_id = user_auth_client(cognito, pool)
    verified_user(cognito, pool)
    sent = cognito.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters={"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"},
    )
    assert sent["ChallengeName"] == "EMAIL_OTP"
    done = cognito.admin_respond_to_auth_challenge(
        UserPoolId=pool,
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=sent["Session"],
        ChallengeResponses={"USERNAME": "alice", "EMAIL_OTP_CODE": _code(server, pool)},
    )
    assert "AccessToken" in done["AuthenticationResult"]


# --- MFA after the first factor ----------------------------------------------------------------------


def test_mfa_follows_a_password_but_not_a_one_time_code(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = passwordless_pool(make_pool, cognito)
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
        WebAuthnConfiguration={"RelyingPartyId": "login.example.com"},
    )
    client_id = user_auth_client(cognito, pool)
    verified_user(cognito, pool)
    tokens = password_auth(cognito, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"]
    secret = cognito.associate_software_token(AccessToken=tokens["AccessToken"])["SecretCode"]
    cognito.verify_software_token(AccessToken=tokens["AccessToken"], UserCode=pyotp.TOTP(secret).now())
    cognito.set_user_mfa_preference(
        AccessToken=tokens["AccessToken"], SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    by_password = user_auth(cognito, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=NEW_PASSWORD)
    assert by_password["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    sent = user_auth(cognito, client_id, PREFERRED_CHALLENGE="EMAIL_OTP")
    done = answer(cognito, client_id, sent, EMAIL_OTP_CODE=_code(server, pool))
    assert "AccessToken" in done["AuthenticationResult"]


# --- passwordless sign-up and ConfirmSignUp's Session ------------------------------------------------


def test_sign_up_without_a_password_then_confirm_signs_in_with_the_session(
    server: Server, cognito: Any, make_pool: Any
) -> None:
    pool = passwordless_pool(make_pool, cognito, ["PASSWORD", "EMAIL_OTP"])
    client_id = user_auth_client(cognito, pool)
    signed_up = cognito.sign_up(
        ClientId=client_id, Username="alice", UserAttributes=[{"Name": "email", "Value": "alice@example.com"}]
    )
    assert signed_up["UserConfirmed"] is False
    with pytest.raises(ClientError) as excinfo:  # not confirmed yet
        user_auth(cognito, client_id, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert error_of(excinfo)[0] in ("UserNotConfirmedException", "NotAuthorizedException")
    confirmed = cognito.confirm_sign_up(ClientId=client_id, Username="alice", ConfirmationCode=_code(server, pool))
    session = confirmed["Session"]
    done = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "alice"}, Session=session
    )
    assert "AccessToken" in done["AuthenticationResult"]
    with pytest.raises(ClientError) as excinfo:  # the session signs in once
        cognito.initiate_auth(
            ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "alice"}, Session=session
        )
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    # no password: the email code, never the password
    first = user_auth(cognito, client_id)
    assert first["AvailableChallenges"] == ["EMAIL_OTP"]
    with pytest.raises(ClientError) as excinfo:
        password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    sent = answer(cognito, client_id, first, ANSWER="EMAIL_OTP")
    assert "AccessToken" in answer(cognito, client_id, sent, EMAIL_OTP_CODE=_code(server, pool))["AuthenticationResult"]


def test_sign_up_without_a_password_needs_a_pool_with_codes(cognito: Any, make_pool: Any) -> None:
    pool = make_pool(EmailConfiguration=DEVELOPER_EMAIL, SmsConfiguration=SMS_CONFIGURATION)
    client_id = user_auth_client(cognito, pool)
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(
            ClientId=client_id, Username="bob", UserAttributes=[{"Name": "email", "Value": "b@example.com"}]
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_confirm_sign_up_gives_no_session_to_a_client_without_user_auth(
    server: Server, cognito: Any, make_pool: Any
) -> None:
    pool = make_pool(AutoVerifiedAttributes=["email"])
    client_id = make_client(cognito, pool)["ClientId"]
    cognito.sign_up(
        ClientId=client_id,
        Username="carol",
        Password=NEW_PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "carol@example.com"}],
    )
    code = _code(server, pool, "carol")
    assert "Session" not in cognito.confirm_sign_up(ClientId=client_id, Username="carol", ConfirmationCode=code)


# --- auth factors ------------------------------------------------------------------------------------


def test_get_user_auth_factors_and_the_admin_form(cognito: Any, make_pool: Any) -> None:
    pool = passwordless_pool(make_pool, cognito, ["PASSWORD", "EMAIL_OTP"])
    client_id = user_auth_client(cognito, pool)
    verified_user(cognito, pool)
    tokens = user_auth(cognito, client_id, PREFERRED_CHALLENGE="PASSWORD", PASSWORD=NEW_PASSWORD)
    mine = cognito.get_user_auth_factors(AccessToken=tokens["AuthenticationResult"]["AccessToken"])
    assert mine["Username"] == "alice"
    assert mine["ConfiguredUserAuthFactors"] == ["PASSWORD", "EMAIL_OTP"]
    assert "PreferredMfaSetting" not in mine
    admin = cognito.admin_get_user_auth_factors(UserPoolId=pool, Username="alice")
    assert admin["ConfiguredUserAuthFactors"] == ["PASSWORD", "EMAIL_OTP"]
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_get_user_auth_factors(UserPoolId=pool, Username="nobody")
    assert error_of(excinfo)[0] == "UserNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        cognito.get_user_auth_factors(AccessToken="not-a-token")
    assert error_of(excinfo)[0] == "NotAuthorizedException"
