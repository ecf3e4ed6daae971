"""MFA codes through the configured senders and triggers: SMS through an SNS endpoint, email through SMTP,
both shaped by CustomMessage_Authentication; CUSTOM_AUTH followed by the second factor. Fixtures and
helpers come from test_triggers_delivery."""

from __future__ import annotations

import re
from typing import Any

from tests import test_triggers_delivery as delivery
from tests.mfa import DEVELOPER_EMAIL, SMS_CONFIGURATION
from tests.signin import ALL_FLOWS, NEW_PASSWORD, confirmed_user, make_client, password_auth
from tests.test_signin_triggers import _define
from tests.test_triggers_delivery import Live, answer, arn, new_pool

live_env = delivery.live_env
live = delivery.live
PHONE = "+15555550123"


def _respond(live: Live, client: str, first: dict[str, Any], **responses: str) -> dict[str, Any]:
    return dict(
        live.cognito.respond_to_auth_challenge(
            ClientId=client,
            ChallengeName=first["ChallengeName"],
            Session=first["Session"],
            ChallengeResponses={"USERNAME": "jon", **responses},
        )
    )


def test_sms_code_through_sns_and_custom_message(live: Live) -> None:
    pool = new_pool(
        live,
        MfaConfiguration="ON",
        SmsConfiguration=SMS_CONFIGURATION,
        LambdaConfig={"CustomMessage": arn("msg")},
    )
    client = make_client(live.cognito, pool, ExplicitAuthFlows=ALL_FLOWS)["ClientId"]
    confirmed_user(live.server, live.cognito, pool, "jon")
    live.cognito.admin_update_user_attributes(
        UserPoolId=pool, Username="jon", UserAttributes=[{"Name": "phone_number", "Value": PHONE}]
    )
    live.lambdas.handlers["msg"] = lambda e: answer(e, smsMessage=f"jon, your code is {e['request']['codeParameter']}")
    live.lambdas.events.clear()
    first = dict(
        live.cognito.initiate_auth(
            ClientId=client,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "jon", "PASSWORD": NEW_PASSWORD},
        )
    )
    assert first["ChallengeName"] == "SMS_MFA"
    (event,) = live.lambdas.seen("msg")
    assert event["triggerSource"] == "CustomMessage_Authentication"
    assert event["callerContext"]["clientId"] == client
    (published,) = live.published()
    assert published["PhoneNumber"] == PHONE
    code = published["Message"].rsplit(" ", 1)[-1]
    assert published["Message"] == f"jon, your code is {code}"
    assert _respond(live, client, first, SMS_MFA_CODE=code)["AuthenticationResult"]


def test_email_code_through_smtp(live: Live) -> None:
    pool = new_pool(live, EmailConfiguration=DEVELOPER_EMAIL)
    live.cognito.set_user_pool_mfa_config(
        UserPoolId=pool, MfaConfiguration="ON", EmailMfaConfiguration={"Message": "Use {####}", "Subject": "Code"}
    )
    client = make_client(live.cognito, pool, ExplicitAuthFlows=ALL_FLOWS)["ClientId"]
    confirmed_user(live.server, live.cognito, pool, "jon")
    first = password_auth(live.cognito, client, "jon", NEW_PASSWORD)
    assert first["ChallengeName"] == "EMAIL_OTP"  # required, not chosen: the email the user has
    ((_sender, recipients, message),) = live.mailbox.received
    assert recipients == ["jon@example.com"] and message["Subject"] == "Code"
    code = message.get_content().strip().rsplit(" ", 1)[-1]
    assert _respond(live, client, first, EMAIL_OTP_CODE=code)["AuthenticationResult"]


def test_custom_auth_then_the_second_factor(live: Live) -> None:
    pool = new_pool(
        live,
        MfaConfiguration="ON",
        SmsConfiguration=SMS_CONFIGURATION,
        LambdaConfig={
            "DefineAuthChallenge": arn("define"),
            "CreateAuthChallenge": arn("create"),
            "VerifyAuthChallengeResponse": arn("verify"),
        },
    )
    client = make_client(live.cognito, pool, ExplicitAuthFlows=[*ALL_FLOWS, "ALLOW_CUSTOM_AUTH"])["ClientId"]
    confirmed_user(live.server, live.cognito, pool, "jon")
    live.cognito.admin_update_user_attributes(
        UserPoolId=pool, Username="jon", UserAttributes=[{"Name": "phone_number", "Value": PHONE}]
    )
    live.lambdas.handlers["define"] = _define
    live.lambdas.handlers["create"] = lambda e: answer(
        e, publicChallengeParameters={"q": "2+2?"}, privateChallengeParameters={"a": "4"}
    )
    live.lambdas.handlers["verify"] = lambda e: answer(e, answerCorrect=e["request"]["challengeAnswer"] == "4")
    first = dict(
        live.cognito.initiate_auth(ClientId=client, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "jon"})
    )
    second = _respond(live, client, first, ANSWER="4")
    assert second["ChallengeName"] == "SMS_MFA" and "AuthenticationResult" not in second
    message = live.published()[-1]["Message"]
    code = re.search(r"\d{6}", message).group(0)  # type: ignore[union-attr]
    assert message == f"Your authentication code is {code}. "
    assert _respond(live, client, second, SMS_MFA_CODE=code)["AuthenticationResult"]
