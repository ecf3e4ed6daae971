"""Auth events through boto3: what sign-in, sign-up, password change and reset record in a pool with threat
protection, AdminListUserAuthEvents and its pages, and feedback on an event."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of
from tests.signin import NEW_PASSWORD, confirmed_user, make_client
from tests.support import Server

NOT_ENABLED = (
    "UserPoolAddOnNotEnabledException",
    "Threat protection (AdvancedSecurityMode AUDIT or ENFORCED) is not enabled for this user pool.",
)


def code(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


def sign_in(cognito: Any, client_id: str, password: str = NEW_PASSWORD, ip: str = "203.0.113.9") -> dict[str, Any]:
    return dict(
        cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": password},
            UserContextData={"IpAddress": ip},
        )
    )


def events(cognito: Any, pool: str, username: str = "alice") -> list[dict[str, Any]]:
    return list(cognito.admin_list_user_auth_events(UserPoolId=pool, Username=username)["AuthEvents"])


def test_events_are_recorded_newest_first(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = make_pool(UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"})
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    tokens = sign_in(cognito, client_id)["AuthenticationResult"]
    assert (
        code(
            cognito.initiate_auth,
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": "Wrong-Passw0rd"},
        )[0]
        == "NotAuthorizedException"
    )
    cognito.change_password(
        AccessToken=tokens["AccessToken"], PreviousPassword=NEW_PASSWORD, ProposedPassword="An0ther-Passw0rd!"
    )
    cognito.forgot_password(ClientId=client_id, Username="alice")
    cognito.sign_up(
        ClientId=client_id,
        Username="bob",
        Password="B0b-Passw0rd!",
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
    )
    listed = events(cognito, pool)
    assert [(e["EventType"], e["EventResponse"]) for e in listed] == [
        ("ForgotPassword", "Pass"),
        ("PasswordChange", "Pass"),
        ("SignIn", "Fail"),
        ("SignIn", "Pass"),
    ]
    first = listed[-1]
    assert first["EventContextData"]["IpAddress"] == "203.0.113.9" and first["EventContextData"]["DeviceName"]
    assert first["ChallengeResponses"] == [{"ChallengeName": "Password", "ChallengeResponse": "Success"}]
    assert first["EventRisk"] == {"RiskDecision": "NoRisk", "CompromisedCredentialsDetected": False}
    assert listed[-2]["ChallengeResponses"] == [{"ChallengeName": "Password", "ChallengeResponse": "Failure"}]
    assert [e["EventType"] for e in events(cognito, pool, "bob")] == ["SignUp"]
    # Pages of one.
    page = cognito.admin_list_user_auth_events(UserPoolId=pool, Username="alice", MaxResults=1)
    second = cognito.admin_list_user_auth_events(
        UserPoolId=pool, Username="alice", MaxResults=1, NextToken=page["NextToken"]
    )
    assert [page["AuthEvents"][0]["EventId"], second["AuthEvents"][0]["EventId"]] == [e["EventId"] for e in listed[:2]]
    # Feedback from an administrator.
    cognito.admin_update_auth_event_feedback(
        UserPoolId=pool, Username="alice", EventId=first["EventId"], FeedbackValue="Valid"
    )
    feedback = next(e for e in events(cognito, pool) if e["EventId"] == first["EventId"])["EventFeedback"]
    assert feedback["FeedbackValue"] == "Valid" and feedback["Provider"] == "Admin" and "FeedbackDate" in feedback
    assert code(
        cognito.admin_update_auth_event_feedback,
        UserPoolId=pool,
        Username="alice",
        EventId="nosuchevent",
        FeedbackValue="Valid",
    ) == ("ResourceNotFoundException", "Auth event not found.")
    assert code(
        cognito.update_auth_event_feedback,
        UserPoolId=pool,
        Username="alice",
        EventId=first["EventId"],
        FeedbackToken="forged",
        FeedbackValue="Invalid",
    ) == ("NotAuthorizedException", "Invalid feedback token.")


def test_without_threat_protection(server: Server, cognito: Any, pool: str) -> None:
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    sign_in(cognito, client_id)
    assert code(cognito.admin_list_user_auth_events, UserPoolId=pool, Username="alice") == NOT_ENABLED
    assert (
        code(
            cognito.admin_update_auth_event_feedback,
            UserPoolId=pool,
            Username="alice",
            EventId="e1",
            FeedbackValue="Valid",
        )
        == NOT_ENABLED
    )
