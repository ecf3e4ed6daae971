"""Risk configuration through boto3: Describe/SetRiskConfiguration and their checks, compromised credentials
blocked as configured, and each account-takeover risk level triggered by README's deterministic rules."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import client_for, error_of, outbox
from tests.mfa import SMS_CONFIGURATION
from tests.signin import NEW_PASSWORD, confirmed_user, make_client
from tests.support import Server

BREACHED = "Password123!"  # in the shipped list, and passes the default password policy
BLOCKED = ("NotAuthorizedException", "Unable to login because of security reasons.")
SOURCE = "arn:aws:ses:us-east-1:111111111111:identity/security@example.com"


def code(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


def sign_in(cognito: Any, client_id: str, ip: str, password: str = NEW_PASSWORD) -> Any:
    return cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": password},
        UserContextData={"IpAddress": ip},
    )


def latest(cognito: Any, pool: str) -> dict[str, Any]:
    return dict(cognito.admin_list_user_auth_events(UserPoolId=pool, Username="alice")["AuthEvents"][0])


def test_describe_and_set_with_validation(cognito: Any, pool: str) -> None:
    client_id = make_client(cognito, pool)["ClientId"]
    assert cognito.describe_risk_configuration(UserPoolId=pool)["RiskConfiguration"] == {"UserPoolId": pool}
    pool_level = {
        "CompromisedCredentialsRiskConfiguration": {"EventFilter": ["SIGN_IN"], "Actions": {"EventAction": "BLOCK"}},
        "RiskExceptionConfiguration": {"BlockedIPRangeList": ["192.0.2.0/24"]},
    }
    saved = cognito.set_risk_configuration(UserPoolId=pool, **pool_level)["RiskConfiguration"]
    assert (
        saved["ClientId"] == "ALL" and saved["RiskExceptionConfiguration"] == pool_level["RiskExceptionConfiguration"]
    )
    shown = cognito.describe_risk_configuration(UserPoolId=pool, ClientId=client_id)["RiskConfiguration"]
    assert shown["ClientId"] == "ALL" and "LastModifiedDate" in shown  # the client has none of its own
    cognito.set_risk_configuration(
        UserPoolId=pool, ClientId=client_id, RiskExceptionConfiguration={"SkippedIPRangeList": ["10.0.0.0/8"]}
    )
    own = cognito.describe_risk_configuration(UserPoolId=pool, ClientId=client_id)["RiskConfiguration"]
    assert own["ClientId"] == client_id and own["RiskExceptionConfiguration"] == {"SkippedIPRangeList": ["10.0.0.0/8"]}
    assert code(
        cognito.set_risk_configuration,
        UserPoolId=pool,
        RiskExceptionConfiguration={"BlockedIPRangeList": ["not-an-ip"]},
    ) == ("InvalidParameterException", "not-an-ip is not a valid IP range in CIDR notation.")
    assert code(
        cognito.set_risk_configuration,
        UserPoolId=pool,
        AccountTakeoverRiskConfiguration={"Actions": {"HighAction": {"Notify": True, "EventAction": "BLOCK"}}},
    ) == ("InvalidParameterException", "NotifyConfiguration is required when an action notifies the user.")
    assert code(cognito.describe_risk_configuration, UserPoolId=pool, ClientId="nosuchclient") == (
        "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.",
    )


def test_compromised_credentials_blocked_as_configured(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = make_pool(UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"})
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool, password=BREACHED)
    assert "AuthenticationResult" in sign_in(cognito, client_id, "203.0.113.1", BREACHED)  # no configuration yet
    event = latest(cognito, pool)
    assert event["EventRisk"]["CompromisedCredentialsDetected"] is True and event["EventResponse"] == "Pass"
    cognito.set_risk_configuration(
        UserPoolId=pool,
        CompromisedCredentialsRiskConfiguration={
            "EventFilter": ["SIGN_IN", "SIGN_UP"],
            "Actions": {"EventAction": "BLOCK"},
        },
    )
    assert code(sign_in, cognito=cognito, client_id=client_id, ip="203.0.113.1", password=BREACHED) == (
        "NotAuthorizedException",
        "Password compromised",
    )
    assert latest(cognito, pool)["EventRisk"]["RiskDecision"] == "Block"
    assert code(
        cognito.sign_up,
        ClientId=client_id,
        Username="bob",
        Password=BREACHED,
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
    ) == ("InvalidPasswordException", "Password compromised")
    # PASSWORD_CHANGE is not in the filter: a change to a breached password is allowed.
    cognito.admin_set_user_password(UserPoolId=pool, Username="alice", Password=NEW_PASSWORD, Permanent=True)
    tokens = sign_in(cognito, client_id, "203.0.113.1")["AuthenticationResult"]
    cognito.change_password(AccessToken=tokens["AccessToken"], PreviousPassword=NEW_PASSWORD, ProposedPassword=BREACHED)


def test_account_takeover_levels_and_actions(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = make_pool(UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"})
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    cognito.set_risk_configuration(
        UserPoolId=pool,
        AccountTakeoverRiskConfiguration={
            "NotifyConfiguration": {
                "SourceArn": SOURCE,
                "NoActionEmail": {"Subject": "New sign-in", "TextBody": "Was it you?"},
            },
            "Actions": {
                "LowAction": {"Notify": False, "EventAction": "NO_ACTION"},
                "MediumAction": {"Notify": True, "EventAction": "NO_ACTION"},
                "HighAction": {"Notify": False, "EventAction": "BLOCK"},
            },
        },
        RiskExceptionConfiguration={"BlockedIPRangeList": ["192.0.2.0/24"], "SkippedIPRangeList": ["198.51.100.0/24"]},
    )
    sign_in(cognito, client_id, "203.0.113.1")  # the first sign-in: nothing to compare with
    assert latest(cognito, pool)["EventRisk"]["RiskDecision"] == "NoRisk"
    sign_in(cognito, client_id, "203.0.113.1")  # known address and device
    assert latest(cognito, pool)["EventRisk"]["RiskDecision"] == "NoRisk"
    sign_in(cognito, client_id, "203.0.113.2")  # a new address, the same device: Medium, notified
    medium = latest(cognito, pool)
    assert medium["EventRisk"] == {
        "RiskDecision": "AccountTakeover",
        "RiskLevel": "Medium",
        "CompromisedCredentialsDetected": False,
    }
    [mail] = [m for m in outbox(server, pool=pool, username="alice") if m["kind"] == "risk-notification"]
    assert mail["subject"] == "New sign-in" and mail["destination"] == "alice@example.com"
    cognito.update_auth_event_feedback(
        UserPoolId=pool, Username="alice", EventId=medium["EventId"], FeedbackToken=mail["code"], FeedbackValue="Valid"
    )
    assert latest(cognito, pool)["EventFeedback"]["Provider"] == "User"
    assert code(sign_in, cognito=cognito, client_id=client_id, ip="192.0.2.7") == BLOCKED  # a blocked range
    assert latest(cognito, pool)["EventRisk"]["RiskDecision"] == "Block"
    sign_in(cognito, client_id, "198.51.100.4")  # a skipped range: no risk whatever the history
    assert latest(cognito, pool)["EventRisk"]["RiskDecision"] == "NoRisk"


def test_low_and_high_from_a_new_device(server: Server, cognito: Any, make_pool: Any) -> None:
    """AdminInitiateAuth's ContextData names the device (its user-agent header) as well as the address."""
    pool = make_pool(UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"})
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    cognito.set_risk_configuration(
        UserPoolId=pool,
        AccountTakeoverRiskConfiguration={
            "Actions": {
                "LowAction": {"Notify": False, "EventAction": "NO_ACTION"},
                "HighAction": {"Notify": False, "EventAction": "BLOCK"},
            }
        },
    )

    def admin_sign_in(ip: str, agent: str) -> Any:
        return cognito.admin_initiate_auth(
            UserPoolId=pool,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": NEW_PASSWORD},
            ContextData={
                "IpAddress": ip,
                "ServerName": "app.example.com",
                "ServerPath": "/login",
                "HttpHeaders": [{"headerName": "User-Agent", "headerValue": agent}],
            },
        )

    firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    chrome = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
    )
    admin_sign_in("203.0.113.1", firefox)
    admin_sign_in("203.0.113.1", chrome)  # the address is known, the device new: Low
    low = latest(cognito, pool)
    assert low["EventRisk"]["RiskLevel"] == "Low" and low["EventContextData"]["DeviceName"] == "Chrome on Windows"
    assert code(admin_sign_in, ip="203.0.113.99", agent="curl/8.5.0") == BLOCKED  # both new: High, BLOCK
    assert latest(cognito, pool)["EventRisk"]["RiskLevel"] == "High"


def _mfa_action_pool(cognito: Any, make_pool: Any, action: str) -> tuple[str, str]:
    """An ENFORCED pool whose own MFA is OPTIONAL with SMS (nobody has chosen it), and whose Medium risk (a new
    address, the same device) takes ``action``."""
    pool = make_pool(
        UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"},
        MfaConfiguration="OPTIONAL",
        SmsConfiguration=SMS_CONFIGURATION,
    )
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool, MfaConfiguration="OPTIONAL", SmsMfaConfiguration={"SmsConfiguration": SMS_CONFIGURATION}
    )
    cognito.set_risk_configuration(
        UserPoolId=pool,
        AccountTakeoverRiskConfiguration={
            "Actions": {
                "LowAction": {"Notify": False, "EventAction": "NO_ACTION"},
                "MediumAction": {"Notify": False, "EventAction": action},
                "HighAction": {"Notify": False, "EventAction": "BLOCK"},
            }
        },
    )
    return pool, make_client(cognito, pool)["ClientId"]


def test_mfa_if_configured_asks_a_possible_second_factor_and_else_lets_in(
    server: Server, cognito: Any, make_pool: Any
) -> None:
    pool, client_id = _mfa_action_pool(cognito, make_pool, "MFA_IF_CONFIGURED")
    confirmed_user(server, cognito, pool)
    assert "AuthenticationResult" in sign_in(cognito, client_id, "203.0.113.1")  # no history: no risk
    assert "AuthenticationResult" in sign_in(cognito, client_id, "203.0.113.2")  # Medium, but no phone: let in
    assert latest(cognito, pool)["EventRisk"]["RiskLevel"] == "Medium"
    cognito.admin_update_user_attributes(
        UserPoolId=pool, Username="alice", UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}]
    )
    assert "AuthenticationResult" in sign_in(cognito, client_id, "203.0.113.1")  # known: no MFA, chosen by none
    asked = sign_in(cognito, client_id, "203.0.113.3")  # Medium again: SMS is possible now
    assert asked["ChallengeName"] == "SMS_MFA"
    assert latest(cognito, pool)["EventResponse"] == "InProgress"
    message = outbox(server, pool=pool, username="alice")[-1]
    done = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SMS_MFA",
        Session=asked["Session"],
        ChallengeResponses={"USERNAME": "alice", "SMS_MFA_CODE": message["code"]},
        UserContextData={"IpAddress": "203.0.113.3"},
    )
    assert done["AuthenticationResult"]["AccessToken"]


def test_mfa_required_refuses_a_user_with_no_second_factor(server: Server, cognito: Any, make_pool: Any) -> None:
    pool, client_id = _mfa_action_pool(cognito, make_pool, "MFA_REQUIRED")
    confirmed_user(server, cognito, pool)
    assert "AuthenticationResult" in sign_in(cognito, client_id, "203.0.113.1")
    assert code(sign_in, cognito=cognito, client_id=client_id, ip="203.0.113.2") == BLOCKED
    assert latest(cognito, pool)["EventResponse"] == "Fail"
    assert "AuthenticationResult" in sign_in(cognito, client_id, "203.0.113.1")  # a known address: no risk


def test_cloud_control_risk_configuration_attachment(server: Server, cognito: Any, make_pool: Any) -> None:
    """AWS::Cognito::UserPoolRiskConfigurationAttachment: the pool's (ClientId ALL) and a client's own."""
    cc = client_for(server.url, "cloudcontrol")
    kind = "AWS::Cognito::UserPoolRiskConfigurationAttachment"
    pool = make_pool(UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"})
    client_id = make_client(cognito, pool)["ClientId"]
    blocked = {"BlockedIPRangeList": ["192.0.2.0/24"]}
    state = {"UserPoolId": pool, "ClientId": "ALL", "RiskExceptionConfiguration": blocked}
    event = cc.create_resource(TypeName=kind, DesiredState=json.dumps(state))["ProgressEvent"]
    assert (event["OperationStatus"], event["Identifier"]) == ("SUCCESS", f"{pool}|ALL"), event
    shown = cognito.describe_risk_configuration(UserPoolId=pool)["RiskConfiguration"]
    assert shown["RiskExceptionConfiguration"] == blocked
    again = cc.create_resource(TypeName=kind, DesiredState=json.dumps(state))["ProgressEvent"]
    assert (again["OperationStatus"], again["ErrorCode"]) == ("FAILED", "AlreadyExists")
    with pytest.raises(ClientError) as excinfo:  # the client has none of its own: it inherits the pool's
        cc.get_resource(TypeName=kind, Identifier=f"{pool}|{client_id}")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
    credentials = {"Actions": {"EventAction": "BLOCK"}, "EventFilter": ["SIGN_IN"]}
    own = {"UserPoolId": pool, "ClientId": client_id, "CompromisedCredentialsRiskConfiguration": credentials}
    assert cc.create_resource(TypeName=kind, DesiredState=json.dumps(own))["ProgressEvent"]["OperationStatus"] == (
        "SUCCESS"
    )
    described = cc.get_resource(TypeName=kind, Identifier=f"{pool}|{client_id}")["ResourceDescription"]
    assert json.loads(described["Properties"]) == own
    patch = [
        {"op": "replace", "path": "/CompromisedCredentialsRiskConfiguration/Actions/EventAction", "value": "NO_ACTION"}
    ]
    cc.update_resource(TypeName=kind, Identifier=f"{pool}|{client_id}", PatchDocument=json.dumps(patch))
    shown = cognito.describe_risk_configuration(UserPoolId=pool, ClientId=client_id)["RiskConfiguration"]
    assert shown["CompromisedCredentialsRiskConfiguration"]["Actions"] == {"EventAction": "NO_ACTION"}
    deleted = cc.delete_resource(TypeName=kind, Identifier=f"{pool}|{client_id}")["ProgressEvent"]
    assert deleted["OperationStatus"] == "SUCCESS", deleted
    shown = cognito.describe_risk_configuration(UserPoolId=pool, ClientId=client_id)["RiskConfiguration"]
    assert shown["RiskExceptionConfiguration"] == blocked  # the client falls back to the pool's
    with pytest.raises(ClientError) as excinfo:
        cc.get_resource(TypeName=kind, Identifier=f"{pool}|{client_id}")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
