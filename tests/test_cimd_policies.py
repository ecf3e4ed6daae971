"""CIMD policies through boto3 against the live server (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import client_for, error_of
from tests.support import Server

PATTERNS = ["https://apps.example.com/*", "https://tool.example.org/client.json"]


def _client(cognito: Any, pool: str) -> str:
    return str(cognito.create_user_pool_client(UserPoolId=pool, ClientName="app")["UserPoolClient"]["ClientId"])


def test_cimd_policy_lifecycle(cognito: Any, pool: str) -> None:
    client = _client(cognito, pool)
    made = cognito.create_cimd_policy(UserPoolId=pool, ClientId=client, PolicyName="agents", URLPatterns=PATTERNS)
    policy = made["CIMDPolicy"]
    assert policy["UserPoolId"] == pool and policy["ClientId"] == client and policy["PolicyName"] == "agents"
    assert policy["URLPatterns"] == PATTERNS and policy["CacheDuration"] == 86400
    policy_id = policy["CIMDPolicyId"]
    assert cognito.describe_cimd_policy(UserPoolId=pool, CIMDPolicyId=policy_id)["CIMDPolicy"] == policy
    other = _client(cognito, pool)
    updated = cognito.update_cimd_policy(
        UserPoolId=pool, CIMDPolicyId=policy_id, ClientId=other, URLPatterns=PATTERNS[:1], CacheDuration=172800
    )["CIMDPolicy"]
    assert updated["ClientId"] == other and updated["URLPatterns"] == PATTERNS[:1]
    assert updated["CacheDuration"] == 172800 and updated["PolicyName"] == "agents"
    second = cognito.create_cimd_policy(UserPoolId=pool, ClientId=client, PolicyName="b", URLPatterns=PATTERNS)
    first_page = cognito.list_cimd_policies(UserPoolId=pool, MaxResults=1)
    assert len(first_page["CIMDPolicies"]) == 1 and "NextToken" in first_page
    rest = cognito.list_cimd_policies(UserPoolId=pool, NextToken=first_page["NextToken"])
    listed = first_page["CIMDPolicies"] + rest["CIMDPolicies"]
    assert {p["CIMDPolicyId"] for p in listed} == {policy_id, second["CIMDPolicy"]["CIMDPolicyId"]}
    assert "URLPatterns" not in listed[0]
    cognito.delete_user_pool_client(UserPoolId=pool, ClientId=other)
    gone = cognito.describe_cimd_policy(UserPoolId=pool, CIMDPolicyId=policy_id)["CIMDPolicy"]
    assert "ClientId" not in gone  # Cognito omits it once the app client no longer exists
    cognito.delete_cimd_policy(UserPoolId=pool, CIMDPolicyId=policy_id)
    with pytest.raises(ClientError) as excinfo:
        cognito.describe_cimd_policy(UserPoolId=pool, CIMDPolicyId=policy_id)
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_cimd_policy_errors(cognito: Any, pool: str) -> None:
    client = _client(cognito, pool)
    cases: list[dict[str, Any]] = [
        {"URLPatterns": ["http://apps.example.com/*"]},  # https only
        {"URLPatterns": PATTERNS * 3},  # at most five
        {"URLPatterns": PATTERNS[:1] * 2},  # unique
    ]
    for case in cases:
        with pytest.raises(ClientError) as excinfo:
            cognito.create_cimd_policy(UserPoolId=pool, ClientId=client, PolicyName="p", **case)
        assert error_of(excinfo)[0] == "InvalidParameterException", case
    with pytest.raises(ClientError) as excinfo:
        cognito.create_cimd_policy(UserPoolId=pool, ClientId="nosuchclient123", PolicyName="p", URLPatterns=PATTERNS)
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
    for call in (cognito.describe_cimd_policy, cognito.delete_cimd_policy):
        with pytest.raises(ClientError) as excinfo:
            call(UserPoolId=pool, CIMDPolicyId="nosuchpolicy")
        assert error_of(excinfo)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        cognito.update_cimd_policy(UserPoolId=pool, CIMDPolicyId="nosuchpolicy", ClientId=client, URLPatterns=PATTERNS)
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        cognito.list_cimd_policies(UserPoolId="us-east-1_nosuchpool")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_cimd_policy_through_cloud_control(server: Server, cognito: Any, pool: str) -> None:
    cc = client_for(server.url, "cloudcontrol")
    client = _client(cognito, pool)
    kind = "AWS::Cognito::CIMDPolicy"
    state = {"UserPoolId": pool, "ClientId": client, "PolicyName": "agents", "URLPatterns": PATTERNS}
    event = cc.create_resource(TypeName=kind, DesiredState=json.dumps(state))["ProgressEvent"]
    assert event["OperationStatus"] == "SUCCESS", event
    identifier = event["Identifier"]
    policy_id = identifier.split("|")[1]
    assert identifier == f"{pool}|{policy_id}"
    props = json.loads(cc.get_resource(TypeName=kind, Identifier=identifier)["ResourceDescription"]["Properties"])
    assert props == {**state, "CIMDPolicyId": policy_id, "CacheDuration": 86400}
    patch = [
        {"op": "replace", "path": "/URLPatterns", "value": PATTERNS[:1]},
        {"op": "add", "path": "/CacheDuration", "value": 172800},
    ]
    updated = cc.update_resource(TypeName=kind, Identifier=identifier, PatchDocument=json.dumps(patch))
    assert updated["ProgressEvent"]["OperationStatus"] == "SUCCESS", updated
    described = cognito.describe_cimd_policy(UserPoolId=pool, CIMDPolicyId=policy_id)["CIMDPolicy"]
    assert described["URLPatterns"] == PATTERNS[:1] and described["CacheDuration"] == 172800
    listed = cc.list_resources(TypeName=kind, ResourceModel=json.dumps({"UserPoolId": pool}))
    assert [d["Identifier"] for d in listed["ResourceDescriptions"]] == [identifier]
    bad = {**state, "URLPatterns": ["http://plain.example.com/*"]}
    failed = cc.create_resource(TypeName=kind, DesiredState=json.dumps(bad))["ProgressEvent"]
    assert (failed["OperationStatus"], failed["ErrorCode"]) == ("FAILED", "InvalidRequest")
    assert cc.delete_resource(TypeName=kind, Identifier=identifier)["ProgressEvent"]["OperationStatus"] == "SUCCESS"
    with pytest.raises(ClientError) as excinfo:
        cognito.describe_cimd_policy(UserPoolId=pool, CIMDPolicyId=policy_id)
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
