"""Trigger events as Cognito builds them, and reading the answers (pure: no server)."""

from __future__ import annotations

from typing import Any

import pytest

from userpools.domain import custom_auth_events as auth_ev
from userpools.domain import token_events
from userpools.domain import trigger_events as ev
from userpools.domain.errors import InvalidLambdaResponseException

ADMIN = ev.Caller("eu-west-1", "eu-west-1_abc", None, "Boto3/1.34.0 md/Botocore#1.34.0")
APP = ev.Caller("eu-west-1", "eu-west-1_abc", "client123", "aws-sdk-js/3.614.0 ua/2.0 os/linux")
ATTRS = {"sub": "s-1", "email": "a@example.com"}


def test_envelope_for_admin_call() -> None:
    event = ev.pre_sign_up(
        "PreSignUp_AdminCreateUser",
        ADMIN,
        "alice",
        {"email": "a@example.com"},
        validation_data={"k": "v"},
        client_metadata={"m": "1"},
    )
    assert event == {
        "version": "1",
        "triggerSource": "PreSignUp_AdminCreateUser",
        "region": "eu-west-1",
        "userPoolId": "eu-west-1_abc",
        "userName": "alice",
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "CLIENT_ID_NOT_APPLICABLE"},
        "request": {
            "userAttributes": {"email": "a@example.com"},
            "validationData": {"k": "v"},
            "clientMetadata": {"m": "1"},
        },
        "response": {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
    }


def test_caller_context_for_app_client() -> None:
    event = ev.post_confirmation("PostConfirmation_ConfirmSignUp", APP, "alice", ATTRS)
    assert event["callerContext"] == {"awsSdkVersion": "aws-sdk-js-3.614.0", "clientId": "client123"}
    assert event["request"] == {"userAttributes": ATTRS}  # no clientMetadata when none was sent
    assert event["response"] == {}


def test_validation_data_null_when_absent_and_name_values() -> None:
    event = ev.pre_sign_up("PreSignUp_SignUp", APP, "alice", {})
    assert event["request"]["validationData"] is None
    assert ev.name_values([{"Name": "a", "Value": "1"}, {"Name": "b"}]) == {"a": "1", "b": ""}
    assert ev.name_values(None) is None


def test_unknown_source_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        ev.pre_sign_up("PreSignUp_Nope", ADMIN, "alice", {})


def test_pre_sign_up_flags_ignored_for_admin_create_user_honoured_for_sign_up() -> None:
    answer = {"autoConfirmUser": True, "autoVerifyEmail": True, "autoVerifyPhone": False}
    assert ev.read_pre_sign_up(answer, "PreSignUp_AdminCreateUser") == ev.PreSignUpAnswer(False, False, False)
    assert ev.read_pre_sign_up(answer, "PreSignUp_SignUp") == ev.PreSignUpAnswer(True, True, False)
    with pytest.raises(InvalidLambdaResponseException, match="Unrecognizable lambda output"):
        ev.read_pre_sign_up({"autoConfirmUser": "yes"}, "PreSignUp_SignUp")


@pytest.mark.parametrize("source", ev.CUSTOM_MESSAGE)
def test_custom_message_every_source(source: str) -> None:
    event = ev.custom_message(source, APP, "alice", ATTRS, client_metadata={"x": "y"})
    request = event["request"]
    assert request["codeParameter"] == "{####}"
    assert request["usernameParameter"] == ("{username}" if source == "CustomMessage_AdminCreateUser" else None)
    assert request["clientMetadata"] == {"x": "y"}
    assert event["response"] == {"smsMessage": None, "emailMessage": None, "emailSubject": None}


def test_read_custom_message() -> None:
    text = ev.read_custom_message(
        {"emailMessage": "Hi {username}, {####}", "emailSubject": "Welcome", "smsMessage": None}
    )
    assert text == ev.CustomText(None, "Hi {username}, {####}", "Welcome")
    assert text.body("EMAIL") == "Hi {username}, {####}" and text.body("SMS") is None
    with pytest.raises(InvalidLambdaResponseException, match=r"emailMessage .* codeParameter \{####\}"):
        ev.read_custom_message({"emailMessage": "no code here"})
    with pytest.raises(InvalidLambdaResponseException, match="smsMessage"):
        ev.read_custom_message({"smsMessage": "no code"})
    with pytest.raises(InvalidLambdaResponseException):
        ev.read_custom_message({"emailSubject": 42})


def test_pre_and_post_authentication() -> None:
    pre = ev.pre_authentication(APP, "alice", ATTRS, validation_data={"ip": "1"}, user_not_found=True)
    assert pre["triggerSource"] == "PreAuthentication_Authentication"
    assert pre["request"] == {"userAttributes": ATTRS, "validationData": {"ip": "1"}, "userNotFound": True}
    post = ev.post_authentication(APP, "alice", ATTRS, new_device_used=True, client_metadata={"a": "b"})
    assert post["triggerSource"] == "PostAuthentication_Authentication"
    assert post["request"] == {"userAttributes": ATTRS, "newDeviceUsed": True, "clientMetadata": {"a": "b"}}


def test_pre_token_generation_v1_event_and_answer() -> None:
    groups = token_events.GroupConfiguration(["admins"], ["arn:role/a"], "arn:role/a")
    event = token_events.pre_token_generation("TokenGeneration_Authentication", APP, "alice", ATTRS, groups)
    assert event["version"] == "1"
    assert event["request"]["groupConfiguration"] == {
        "groupsToOverride": ["admins"],
        "iamRolesToOverride": ["arn:role/a"],
        "preferredRole": "arn:role/a",
    }
    assert "scopes" not in event["request"]
    assert event["response"] == {"claimsOverrideDetails": None}

    overrides = token_events.read_pre_token_generation(
        {
            "claimsOverrideDetails": {
                "claimsToAddOrOverride": {"tier": "gold", "email": "x@example.com", "sub": "hijack"},
                "claimsToSuppress": ["email_verified", "iss"],
                "groupOverrideDetails": {
                    "groupsToOverride": ["readers"],
                    "iamRolesToOverride": [],
                    "preferredRole": None,
                },
            }
        }
    )
    claims = {
        "sub": "s-1",
        "iss": "https://issuer",
        "email": "a@example.com",
        "email_verified": True,
        "cognito:groups": ["admins"],
        "cognito:roles": ["arn:role/a"],
    }
    out = token_events.apply_group_override(
        token_events.apply_token_changes(claims, overrides.id_token), overrides.groups
    )
    assert out == {
        "sub": "s-1",
        "iss": "https://issuer",
        "email": "x@example.com",
        "tier": "gold",
        "cognito:groups": ["readers"],
    }
    assert token_events.read_pre_token_generation({"claimsOverrideDetails": None}) == token_events.TokenOverrides()


def test_pre_token_generation_v2_claims_and_scopes() -> None:
    event = token_events.pre_token_generation(
        "TokenGeneration_RefreshTokens",
        APP,
        "alice",
        ATTRS,
        token_events.GroupConfiguration(),
        lambda_version="V2_0",
        scopes=["openid", "aws.cognito.signin.user.admin"],
    )
    assert event["version"] == "2"
    assert event["request"]["scopes"] == ["openid", "aws.cognito.signin.user.admin"]
    assert event["response"] == {"claimsAndScopeOverrideDetails": None}
    overrides = token_events.read_pre_token_generation(
        {
            "claimsAndScopeOverrideDetails": {
                "idTokenGeneration": {"claimsToAddOrOverride": {"tenant": "t1"}},
                "accessTokenGeneration": {
                    "claimsToAddOrOverride": {"tenant": "t1", "client_id": "evil"},
                    "claimsToSuppress": ["username"],
                    "scopesToAdd": ["api/read"],
                    "scopesToSuppress": ["aws.cognito.signin.user.admin"],
                },
            }
        },
        "V2_0",
    )
    access = {"client_id": "c", "username": "alice", "scope": "openid aws.cognito.signin.user.admin"}
    assert token_events.apply_token_changes(access, overrides.access_token) == {
        "client_id": "c",
        "username": "alice",
        "scope": "openid api/read",
        "tenant": "t1",
    }
    assert token_events.apply_token_changes({"sub": "s"}, overrides.id_token) == {"sub": "s", "tenant": "t1"}
    assert overrides.groups is None
    with pytest.raises(InvalidLambdaResponseException):
        token_events.read_pre_token_generation(
            {"claimsAndScopeOverrideDetails": {"accessTokenGeneration": {"scopesToAdd": "api/read"}}}, "V2_0"
        )


def test_user_migration() -> None:
    auth = ev.user_migration(
        "UserMigration_Authentication", APP, "alice", password="pw", validation_data=None, client_metadata={"c": "d"}
    )
    assert auth["request"] == {"validationData": None, "password": "pw", "clientMetadata": {"c": "d"}}
    forgot = ev.user_migration("UserMigration_ForgotPassword", APP, "alice")
    assert "password" not in forgot["request"]
    migrated = ev.read_user_migration(
        {
            "userAttributes": {"email": "a@example.com", "email_verified": "true"},
            "finalUserStatus": "CONFIRMED",
            "messageAction": "SUPPRESS",
        },
        "UserMigration_Authentication",
    )
    assert migrated.attributes["email"] == "a@example.com" and migrated.final_status == "CONFIRMED"
    assert migrated.message_action == "SUPPRESS" and migrated.delivery_mediums == []
    assert ev.read_user_migration({"userAttributes": {}}, "UserMigration_ForgotPassword").final_status == (
        "RESET_REQUIRED"
    )
    for bad in (
        {},
        {"userAttributes": {}, "finalUserStatus": "UNCONFIRMED"},
        {"userAttributes": {}, "desiredDeliveryMediums": ["FAX"]},
    ):
        with pytest.raises(InvalidLambdaResponseException):
            ev.read_user_migration(bad, "UserMigration_Authentication")


def test_custom_auth_trio() -> None:
    session = [auth_ev.ChallengeResult("SRP_A", True), auth_ev.ChallengeResult("CUSTOM_CHALLENGE", False, "CAPTCHA")]
    define = auth_ev.define_auth_challenge(APP, "alice", ATTRS, session)
    assert define["triggerSource"] == "DefineAuthChallenge_Authentication"
    assert define["request"]["session"] == [
        {"challengeName": "SRP_A", "challengeResult": True, "challengeMetadata": None},
        {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": False, "challengeMetadata": "CAPTCHA"},
    ]
    assert define["request"]["userNotFound"] is False
    decision = auth_ev.read_define_auth_challenge(
        {"challengeName": "CUSTOM_CHALLENGE", "issueTokens": False, "failAuthentication": False}
    )
    assert decision == auth_ev.Decision("CUSTOM_CHALLENGE", False, False)
    assert auth_ev.read_define_auth_challenge({"issueTokens": True}) == auth_ev.Decision(None, True, False)
    for bad in ({}, {"issueTokens": True, "failAuthentication": True}, {"challengeName": "NOPE"}):
        with pytest.raises(InvalidLambdaResponseException):
            auth_ev.read_define_auth_challenge(bad)

    create = auth_ev.create_auth_challenge(APP, "alice", ATTRS, "CUSTOM_CHALLENGE", session, client_metadata={"a": "b"})
    assert create["triggerSource"] == "CreateAuthChallenge_Authentication"
    assert create["request"]["challengeName"] == "CUSTOM_CHALLENGE"
    challenge = auth_ev.read_create_auth_challenge(
        {
            "publicChallengeParameters": {"q": "2+2"},
            "privateChallengeParameters": {"answer": "4"},
            "challengeMetadata": "MATH",
        }
    )
    assert challenge == auth_ev.Challenge({"q": "2+2"}, {"answer": "4"}, "MATH")

    verify = auth_ev.verify_auth_challenge(APP, "alice", ATTRS, {"answer": "4"}, "4")
    assert verify["triggerSource"] == "VerifyAuthChallengeResponse_Authentication"
    assert verify["request"]["privateChallengeParameters"] == {"answer": "4"}
    assert verify["request"]["challengeAnswer"] == "4"
    assert verify["response"] == {"answerCorrect": None}
    assert auth_ev.read_verify_auth_challenge({"answerCorrect": True}) is True
    assert auth_ev.read_verify_auth_challenge({}) is False


@pytest.mark.parametrize("answer,expected", [({}, {}), ({"response": None}, {}), ({"response": {"a": 1}}, {"a": 1})])
def test_response_of(answer: dict[str, Any], expected: dict[str, Any]) -> None:
    assert ev.response_of(answer) == expected


def test_response_of_rejects_non_objects() -> None:
    with pytest.raises(InvalidLambdaResponseException, match="Unrecognizable lambda output"):
        ev.response_of({"response": [1]})
