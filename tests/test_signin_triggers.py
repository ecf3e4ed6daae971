"""Sign-up, confirmation and sign-in with real triggers: a loopback Lambda Invoke endpoint answers per
test and records every event; confirmation codes arrive by SMTP (aiosmtpd). Fixtures and helpers come
from test_triggers_delivery."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError

from tests import test_triggers_delivery as delivery
from tests.conftest import error_of, outbox
from tests.signin import ALL_FLOWS, NEW_PASSWORD, confirmed_user, make_client, password_auth
from tests.test_triggers_delivery import Live, answer, arn, attrs, function_error, new_pool, usernames

live_env = delivery.live_env  # the fixtures: one live server per backend for this module
live = delivery.live

FLOWS = [*ALL_FLOWS, "ALLOW_CUSTOM_AUTH"]
SIGN_IN = {name: arn(name) for name in ("PreAuthentication", "PostAuthentication", "PreTokenGeneration")}


def claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def sources(live: Live) -> list[str]:
    return [e["triggerSource"] for _, e in live.lambdas.events]


def sign_up_pool(live: Live, **lambdas: str) -> tuple[str, str]:
    pool = new_pool(live, AutoVerifiedAttributes=["email"], LambdaConfig=lambdas)
    return pool, make_client(live.cognito, pool, ExplicitAuthFlows=FLOWS)["ClientId"]


def test_sign_up_runs_pre_sign_up_custom_message_and_post_confirmation(live: Live) -> None:
    pool, client = sign_up_pool(live, PreSignUp=arn("pre"), CustomMessage=arn("msg"), PostConfirmation=arn("post"))
    live.lambdas.handlers["msg"] = lambda e: answer(
        e, emailSubject="Welcome", emailMessage=f"Confirm with {e['request']['codeParameter']} please"
    )
    metadata = {"campaign": "spring", "lang": "fr"}
    result = live.cognito.sign_up(
        ClientId=client,
        Username="alice",
        Password=NEW_PASSWORD,
        UserAttributes=attrs(email="alice@example.com"),
        ValidationData=attrs(ticket="T-1"),
        ClientMetadata=metadata,
    )
    assert result["UserConfirmed"] is False
    assert result["CodeDeliveryDetails"] == {
        "Destination": "a***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    (pre,) = live.lambdas.seen("pre")
    assert pre["triggerSource"] == "PreSignUp_SignUp"
    assert pre["callerContext"]["clientId"] == client
    assert pre["request"] == {
        "userAttributes": {"email": "alice@example.com"},
        "validationData": {"ticket": "T-1"},
        "clientMetadata": metadata,
    }
    (msg,) = live.lambdas.seen("msg")
    assert msg["triggerSource"] == "CustomMessage_SignUp"
    assert msg["request"]["userAttributes"]["cognito:user_status"] == "UNCONFIRMED"
    ((_, rcpt, mail),) = live.mailbox.received
    (row,) = outbox(live.server, pool=pool)
    assert rcpt == ["alice@example.com"]
    assert (mail["Subject"], mail.get_content().strip()) == ("Welcome", f"Confirm with {row['code']} please")
    assert row["status"] == "SENT"
    assert live.lambdas.seen("post") == []

    live.cognito.confirm_sign_up(
        ClientId=client, Username="alice", ConfirmationCode=row["code"], ClientMetadata={"step": "confirm"}
    )
    (post,) = live.lambdas.seen("post")
    assert post["triggerSource"] == "PostConfirmation_ConfirmSignUp"
    assert post["callerContext"]["clientId"] == client
    assert post["request"]["clientMetadata"] == {"step": "confirm"}
    assert post["request"]["userAttributes"]["email_verified"] == "true"
    assert post["request"]["userAttributes"]["cognito:user_status"] == "CONFIRMED"


def test_pre_sign_up_auto_confirms_and_verifies(live: Live) -> None:
    pool, client = sign_up_pool(live, PreSignUp=arn("pre"), PostConfirmation=arn("post"))
    live.lambdas.handlers["pre"] = lambda e: answer(e, autoConfirmUser=True, autoVerifyEmail=True)
    result = live.cognito.sign_up(
        ClientId=client, Username="bob", Password=NEW_PASSWORD, UserAttributes=attrs(email="bob@example.com")
    )
    assert result["UserConfirmed"] is True
    assert "CodeDeliveryDetails" not in result
    user = live.cognito.admin_get_user(UserPoolId=pool, Username="bob")
    assert user["UserStatus"] == "CONFIRMED"
    assert {a["Name"]: a["Value"] for a in user["UserAttributes"]}["email_verified"] == "true"
    assert live.mailbox.received == [] and outbox(live.server, pool=pool) == []
    assert sources(live) == ["PreSignUp_SignUp", "PostConfirmation_ConfirmSignUp"]
    assert "AccessToken" in password_auth(live.cognito, client, "bob", NEW_PASSWORD)["AuthenticationResult"]


def test_pre_sign_up_veto_creates_nothing(live: Live) -> None:
    pool, client = sign_up_pool(live, PreSignUp=arn("pre"))
    live.lambdas.handlers["pre"] = function_error("Invitation only")
    with pytest.raises(ClientError) as excinfo:
        live.cognito.sign_up(
            ClientId=client, Username="cat", Password=NEW_PASSWORD, UserAttributes=attrs(email="cat@example.com")
        )
    assert error_of(excinfo) == ("UserLambdaValidationException", "PreSignUp failed with error Invitation only.")
    assert usernames(live, pool) == [] and live.mailbox.received == []


def test_post_confirmation_error_fails_the_call_but_keeps_the_confirmation(live: Live) -> None:
    pool, client = sign_up_pool(live, PostConfirmation=arn("post"))
    live.cognito.sign_up(
        ClientId=client, Username="dan", Password=NEW_PASSWORD, UserAttributes=attrs(email="dan@example.com")
    )
    live.lambdas.handlers["post"] = function_error("CRM down")
    with pytest.raises(ClientError) as excinfo:
        live.cognito.admin_confirm_sign_up(UserPoolId=pool, Username="dan")
    assert error_of(excinfo) == ("UserLambdaValidationException", "PostConfirmation failed with error CRM down.")
    (post,) = live.lambdas.seen("post")
    assert (post["triggerSource"], post["callerContext"]["clientId"]) == (
        "PostConfirmation_ConfirmSignUp",
        "CLIENT_ID_NOT_APPLICABLE",
    )
    assert live.cognito.admin_get_user(UserPoolId=pool, Username="dan")["UserStatus"] == "CONFIRMED"


def test_forgot_password_custom_message_and_post_confirmation(live: Live) -> None:
    pool, client = sign_up_pool(live, CustomMessage=arn("msg"), PostConfirmation=arn("post"))
    confirmed_user(live.server, live.cognito, pool, "eve")
    live.lambdas.handlers["msg"] = lambda e: answer(e, emailMessage=f"Reset: {e['request']['codeParameter']}")
    result = live.cognito.forgot_password(ClientId=client, Username="eve")
    assert result["CodeDeliveryDetails"]["Destination"] == "e***@e***"
    (row,) = outbox(live.server, pool=pool)
    ((_, _, mail),) = live.mailbox.received
    assert mail.get_content().strip() == f"Reset: {row['code']}"
    live.cognito.confirm_forgot_password(
        ClientId=client, Username="eve", ConfirmationCode=row["code"], Password="Other-Passw0rd!"
    )
    assert sources(live) == ["CustomMessage_ForgotPassword", "PostConfirmation_ConfirmForgotPassword"]


def test_sign_in_triggers_in_order_and_v1_claims(live: Live) -> None:
    pool, client = sign_up_pool(live, **SIGN_IN)
    confirmed_user(live.server, live.cognito, pool, "fay")
    live.lambdas.handlers["PreTokenGeneration"] = lambda e: answer(
        e, claimsOverrideDetails={"claimsToAddOrOverride": {"tier": "gold"}, "claimsToSuppress": ["email"]}
    )
    tokens = live.cognito.initiate_auth(
        ClientId=client,
        AuthFlow="USER_PASSWORD_AUTH",
        ClientMetadata={"device": "kiosk"},
        AuthParameters={"USERNAME": "fay", "PASSWORD": NEW_PASSWORD},
    )["AuthenticationResult"]
    assert sources(live) == [
        "PreAuthentication_Authentication",
        "TokenGeneration_Authentication",
        "PostAuthentication_Authentication",
    ]
    pre = live.lambdas.seen("PreAuthentication")[0]
    assert pre["request"]["validationData"] == {"device": "kiosk"}
    assert pre["request"]["userNotFound"] is False
    token_event = live.lambdas.seen("PreTokenGeneration")[0]
    assert token_event["version"] == "1"
    id_claims = claims(tokens["IdToken"])
    assert id_claims["tier"] == "gold" and "email" not in id_claims
    assert "tier" not in claims(tokens["AccessToken"])

    live.lambdas.events.clear()
    refreshed = live.cognito.initiate_auth(
        ClientId=client, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]}
    )
    assert sources(live) == ["TokenGeneration_RefreshTokens"]
    assert claims(refreshed["AuthenticationResult"]["IdToken"])["tier"] == "gold"


def test_v2_pre_token_generation_changes_the_access_token(live: Live) -> None:
    pool = new_pool(live, LambdaConfig={"PreTokenGenerationConfig": {"LambdaArn": arn("v2"), "LambdaVersion": "V2_0"}})
    client = make_client(live.cognito, pool)["ClientId"]
    confirmed_user(live.server, live.cognito, pool, "gus")
    live.lambdas.handlers["v2"] = lambda e: answer(
        e,
        claimsAndScopeOverrideDetails={
            "accessTokenGeneration": {"claimsToAddOrOverride": {"tenant": "t-1"}, "scopesToAdd": ["reports/read"]},
            "idTokenGeneration": {"claimsToAddOrOverride": {"nickname": "g"}},
        },
    )
    tokens = live.cognito.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=client,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "gus", "PASSWORD": NEW_PASSWORD},
    )
    result = tokens["AuthenticationResult"]
    (event,) = live.lambdas.seen("v2")
    assert event["version"] == "2" and event["request"]["scopes"] == ["aws.cognito.signin.user.admin"]
    access = claims(result["AccessToken"])
    assert access["tenant"] == "t-1"
    assert access["scope"].split() == ["aws.cognito.signin.user.admin", "reports/read"]
    assert claims(result["IdToken"])["nickname"] == "g"


def test_pre_authentication_veto(live: Live) -> None:
    pool, client = sign_up_pool(live, **SIGN_IN)
    confirmed_user(live.server, live.cognito, pool, "hal")
    live.lambdas.handlers["PreAuthentication"] = function_error("Outside business hours")
    with pytest.raises(ClientError) as excinfo:
        password_auth(live.cognito, client, "hal", NEW_PASSWORD)
    assert error_of(excinfo) == (
        "UserLambdaValidationException",
        "PreAuthentication failed with error Outside business hours.",
    )
    assert sources(live) == ["PreAuthentication_Authentication"]


def test_user_migration_on_sign_in(live: Live) -> None:
    pool = new_pool(live, LambdaConfig={"UserMigration": arn("migrate")})
    client = make_client(live.cognito, pool)["ClientId"]

    def migrate(event: dict[str, Any]) -> Any:
        if event["request"]["password"] != "Legacy-Passw0rd":
            return function_error("Bad password")(event)
        return answer(
            event,
            userAttributes={"email": "ivy@example.com", "email_verified": "true"},
            finalUserStatus="CONFIRMED",
            messageAction="SUPPRESS",
        )

    live.lambdas.handlers["migrate"] = migrate
    with pytest.raises(ClientError) as excinfo:
        password_auth(live.cognito, client, "ivy", "Wrong-Passw0rd")
    assert error_of(excinfo)[0] == "UserLambdaValidationException"
    assert usernames(live, pool) == []
    tokens = password_auth(live.cognito, client, "ivy", "Legacy-Passw0rd")["AuthenticationResult"]
    assert claims(tokens["IdToken"])["email"] == "ivy@example.com"
    (event,) = [e for e in live.lambdas.seen("migrate") if e["request"]["password"] == "Legacy-Passw0rd"]
    assert event["triggerSource"] == "UserMigration_Authentication" and event["userName"] == "ivy"
    user = live.cognito.admin_get_user(UserPoolId=pool, Username="ivy")
    assert user["UserStatus"] == "CONFIRMED"
    live.lambdas.events.clear()
    password_auth(live.cognito, client, "ivy", "Legacy-Passw0rd")  # now a user of the pool
    assert live.lambdas.seen("migrate") == []


CUSTOM = {
    "DefineAuthChallenge": arn("define"),
    "CreateAuthChallenge": arn("create"),
    "VerifyAuthChallengeResponse": arn("verify"),
}


def _define(event: dict[str, Any]) -> Any:
    session = event["request"]["session"]
    if not session:
        return answer(event, challengeName="CUSTOM_CHALLENGE", issueTokens=False, failAuthentication=False)
    right = session[-1]["challengeResult"]
    return answer(event, issueTokens=right, failAuthentication=not right)


def _custom_pool(live: Live) -> tuple[str, str]:
    pool = new_pool(live, LambdaConfig=CUSTOM)
    client = make_client(live.cognito, pool, ExplicitAuthFlows=FLOWS)["ClientId"]
    confirmed_user(live.server, live.cognito, pool, "jon")
    live.lambdas.handlers["define"] = _define
    live.lambdas.handlers["create"] = lambda e: answer(
        e,
        publicChallengeParameters={"question": "2+2?"},
        privateChallengeParameters={"answer": "4"},
        challengeMetadata="MATH",
    )
    live.lambdas.handlers["verify"] = lambda e: answer(
        e, answerCorrect=e["request"]["challengeAnswer"] == e["request"]["privateChallengeParameters"]["answer"]
    )
    return pool, client


@pytest.mark.parametrize("reply", ["4", "5"])
def test_custom_auth_one_question(live: Live, reply: str) -> None:
    _pool, client = _custom_pool(live)
    first = live.cognito.initiate_auth(ClientId=client, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "jon"})
    assert first["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert first["ChallengeParameters"] == {"question": "2+2?", "USERNAME": "jon"}

    def respond() -> Any:
        return live.cognito.respond_to_auth_challenge(
            ClientId=client,
            ChallengeName="CUSTOM_CHALLENGE",
            Session=first["Session"],
            ChallengeResponses={"USERNAME": "jon", "ANSWER": reply},
            ClientMetadata={"via": "app"},
        )

    if reply == "5":
        with pytest.raises(ClientError) as excinfo:
            respond()
        assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
        assert sources(live)[-1] == "DefineAuthChallenge_Authentication"
        return
    tokens = respond()["AuthenticationResult"]
    assert claims(tokens["AccessToken"])["username"] == "jon"
    assert sources(live) == [
        "DefineAuthChallenge_Authentication",
        "CreateAuthChallenge_Authentication",
        "VerifyAuthChallengeResponse_Authentication",
        "DefineAuthChallenge_Authentication",
    ]
    last = live.lambdas.seen("define")[-1]
    assert last["request"]["session"] == [
        {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": True, "challengeMetadata": "MATH"}
    ]
    assert last["request"]["clientMetadata"] == {"via": "app"}
    with pytest.raises(ClientError) as excinfo:  # the Session is single-use
        respond()
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_resend_and_attribute_codes_go_through_custom_message(live: Live) -> None:
    pool, client = sign_up_pool(live, CustomMessage=arn("msg"), **SIGN_IN)
    live.lambdas.handlers["msg"] = lambda e: answer(
        e, emailSubject=e["triggerSource"], emailMessage=f"code {e['request']['codeParameter']}"
    )
    live.cognito.sign_up(
        ClientId=client, Username="kim", Password=NEW_PASSWORD, UserAttributes=attrs(email="kim@example.com")
    )
    resent = live.cognito.resend_confirmation_code(ClientId=client, Username="kim")
    assert resent["CodeDeliveryDetails"]["Destination"] == "k***@e***"
    code = outbox(live.server, pool=pool)[-1]["code"]
    live.cognito.confirm_sign_up(ClientId=client, Username="kim", ConfirmationCode=code)
    access = password_auth(live.cognito, client, "kim", NEW_PASSWORD)["AuthenticationResult"]["AccessToken"]
    changed = live.cognito.update_user_attributes(AccessToken=access, UserAttributes=attrs(email="kim@new.example"))
    assert changed["CodeDeliveryDetailsList"] == [
        {"Destination": "k***@n***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    ]
    live.cognito.get_user_attribute_verification_code(AccessToken=access, AttributeName="email")
    mails = [(m["Subject"], rcpt) for _, rcpt, m in live.mailbox.received]
    assert mails == [
        ("CustomMessage_SignUp", ["kim@example.com"]),
        ("CustomMessage_ResendCode", ["kim@example.com"]),
        ("CustomMessage_UpdateUserAttribute", ["kim@new.example"]),
        ("CustomMessage_VerifyUserAttribute", ["kim@new.example"]),
    ]
    live.cognito.verify_user_attribute(
        AccessToken=access, AttributeName="email", Code=outbox(live.server, pool=pool)[-1]["code"]
    )
    user = live.cognito.get_user(AccessToken=access)
    assert {a["Name"]: a["Value"] for a in user["UserAttributes"]}["email_verified"] == "true"


def test_new_password_challenge_token_generation(live: Live) -> None:
    pool, client = sign_up_pool(live, **SIGN_IN)
    live.cognito.admin_create_user(
        UserPoolId=pool, Username="lea", TemporaryPassword="Temp-Passw0rd!", MessageAction="SUPPRESS"
    )
    first = password_auth(live.cognito, client, "lea", "Temp-Passw0rd!")
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    live.cognito.respond_to_auth_challenge(
        ClientId=client,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=first["Session"],
        ChallengeResponses={"USERNAME": "lea", "NEW_PASSWORD": NEW_PASSWORD},
    )
    assert sources(live) == [
        "PreAuthentication_Authentication",
        "TokenGeneration_NewPasswordChallenge",
        "PostAuthentication_Authentication",
    ]
