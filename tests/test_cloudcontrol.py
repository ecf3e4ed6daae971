"""Cloud Control API through boto3's cloudcontrol client, against the live server."""

from __future__ import annotations

import json
import tempfile
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import client_for, error_of
from tests.support import Server

USER = "AWS::Cognito::UserPoolUser"


@pytest.fixture
def cc(server: Server) -> Any:
    return client_for(server.url, "cloudcontrol")


def create(cc: Any, type_name: str, **state: Any) -> dict[str, Any]:
    event: dict[str, Any] = cc.create_resource(TypeName=type_name, DesiredState=json.dumps(state))["ProgressEvent"]
    return event


def properties(cc: Any, type_name: str, identifier: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(
        cc.get_resource(TypeName=type_name, Identifier=identifier)["ResourceDescription"]["Properties"]
    )
    return found


def test_user_create_get_list_delete(cc: Any, cognito: Any, pool: str) -> None:
    event = create(
        cc,
        USER,
        UserPoolId=pool,
        Username="alice",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
    )
    assert event["OperationStatus"] == "SUCCESS", event
    assert event["Operation"] == "CREATE"
    assert event["Identifier"] == f"{pool}|alice"
    assert cognito.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "FORCE_CHANGE_PASSWORD"

    props = properties(cc, USER, f"{pool}|alice")
    assert props["UserPoolId"] == pool and props["Username"] == "alice"
    assert {"Name": "email", "Value": "alice@example.com"} in props["UserAttributes"]
    assert "MessageAction" not in props  # write-only

    listed = cc.list_resources(TypeName=USER, ResourceModel=json.dumps({"UserPoolId": pool}))
    assert [d["Identifier"] for d in listed["ResourceDescriptions"]] == [f"{pool}|alice"]

    deleted = cc.delete_resource(TypeName=USER, Identifier=f"{pool}|alice")["ProgressEvent"]
    assert deleted["OperationStatus"] == "SUCCESS"
    with pytest.raises(ClientError) as excinfo:
        cc.get_resource(TypeName=USER, Identifier=f"{pool}|alice")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
    again = cc.delete_resource(TypeName=USER, Identifier=f"{pool}|alice")["ProgressEvent"]
    assert (again["OperationStatus"], again["ErrorCode"]) == ("FAILED", "NotFound")


def test_user_duplicate_is_already_exists(cc: Any, pool: str) -> None:
    create(cc, USER, UserPoolId=pool, Username="bob", MessageAction="SUPPRESS")
    event = create(cc, USER, UserPoolId=pool, Username="bob", MessageAction="SUPPRESS")
    assert (event["OperationStatus"], event["ErrorCode"]) == ("FAILED", "AlreadyExists")
    assert event["StatusMessage"] == "User account already exists"
    status = cc.get_resource_request_status(RequestToken=event["RequestToken"])["ProgressEvent"]
    assert status["ErrorCode"] == "AlreadyExists"


def test_user_update_is_not_updatable(cc: Any, pool: str) -> None:
    create(cc, USER, UserPoolId=pool, Username="carol", MessageAction="SUPPRESS")
    patch = [{"op": "replace", "path": "/Username", "value": "carol2"}]
    event = cc.update_resource(TypeName=USER, Identifier=f"{pool}|carol", PatchDocument=json.dumps(patch))[
        "ProgressEvent"
    ]
    assert (event["OperationStatus"], event["ErrorCode"]) == ("FAILED", "NotUpdatable")
    assert "/properties/Username" in event["StatusMessage"]


def test_validation_and_unknown_types(cc: Any, pool: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        create(cc, USER, Username="x")
    assert error_of(excinfo) == (
        "ValidationException",
        "Model validation failed (#: required key [UserPoolId] not found)",
    )
    with pytest.raises(ClientError) as excinfo:
        create(cc, "AWS::S3::Bucket", BucketName="b")
    assert error_of(excinfo)[0] == "TypeNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        cc.list_resources(TypeName=USER)
    assert error_of(excinfo)[0] == "InvalidRequestException"
    event = create(cc, USER, UserPoolId=pool, Username="d", MessageAction="NOPE")
    assert (event["OperationStatus"], event["ErrorCode"]) == ("FAILED", "InvalidRequest")


def test_waiter_and_client_token(cc: Any, pool: str) -> None:
    token = str(uuid.uuid4())
    state = json.dumps({"UserPoolId": pool, "Username": "dave", "MessageAction": "SUPPRESS"})
    first = cc.create_resource(TypeName=USER, DesiredState=state, ClientToken=token)["ProgressEvent"]
    cc.get_waiter("resource_request_success").wait(
        RequestToken=first["RequestToken"], WaiterConfig={"Delay": 1, "MaxAttempts": 2}
    )
    retry = cc.create_resource(TypeName=USER, DesiredState=state, ClientToken=token)["ProgressEvent"]
    assert retry["RequestToken"] == first["RequestToken"]
    assert retry["OperationStatus"] == "SUCCESS"
    with pytest.raises(ClientError) as excinfo:
        cc.create_resource(TypeName=USER, DesiredState=state.replace("dave", "erin"), ClientToken=token)
    assert error_of(excinfo)[0] == "ClientTokenConflictException"
    with pytest.raises(ClientError) as excinfo:
        cc.cancel_resource_request(RequestToken=first["RequestToken"])
    assert error_of(excinfo)[0] == "ConcurrentModificationException"
    with pytest.raises(ClientError) as excinfo:
        cc.get_resource_request_status(RequestToken="nope")
    assert error_of(excinfo)[0] == "RequestTokenNotFoundException"
    listed = cc.list_resource_requests(
        ResourceRequestStatusFilter={"Operations": ["CREATE"], "OperationStatuses": ["SUCCESS"]}
    )
    tokens = [s["RequestToken"] for s in listed["ResourceRequestStatusSummaries"]]
    assert first["RequestToken"] in tokens


def test_pool_group_and_attachment(cc: Any, cognito: Any) -> None:
    name = f"pool-{uuid.uuid4().hex[:6]}"
    event = create(cc, "AWS::Cognito::UserPool", UserPoolName=name, Policies={"PasswordPolicy": {"MinimumLength": 10}})
    assert event["OperationStatus"] == "SUCCESS", event
    pool = event["Identifier"]
    props = properties(cc, "AWS::Cognito::UserPool", pool)
    assert props["UserPoolName"] == name and props["Arn"].endswith(pool)
    assert props["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
    updated = cc.update_resource(
        TypeName="AWS::Cognito::UserPool",
        Identifier=pool,
        PatchDocument=json.dumps([{"op": "replace", "path": "/Policies/PasswordPolicy/MinimumLength", "value": 12}]),
    )["ProgressEvent"]
    assert updated["OperationStatus"] == "SUCCESS", updated
    assert cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    listed = [
        d["Identifier"]
        for page in cc.get_paginator("list_resources").paginate(TypeName="AWS::Cognito::UserPool")
        for d in page["ResourceDescriptions"]
    ]  # every page: the shared server holds however many pools other tests made
    assert pool in listed

    group = create(cc, "AWS::Cognito::UserPoolGroup", UserPoolId=pool, GroupName="admins", Precedence=1)
    assert group["Identifier"] == f"{pool}|admins"
    patch = json.dumps([{"op": "add", "path": "/Description", "value": "Admins"}])
    cc.update_resource(TypeName="AWS::Cognito::UserPoolGroup", Identifier=f"{pool}|admins", PatchDocument=patch)
    assert properties(cc, "AWS::Cognito::UserPoolGroup", f"{pool}|admins")["Description"] == "Admins"
    groups = cc.list_resources(TypeName="AWS::Cognito::UserPoolGroup", ResourceModel=json.dumps({"UserPoolId": pool}))
    assert [d["Identifier"] for d in groups["ResourceDescriptions"]] == [f"{pool}|admins"]

    create(cc, USER, UserPoolId=pool, Username="frank", MessageAction="SUPPRESS")
    attach = "AWS::Cognito::UserPoolUserToGroupAttachment"
    event = create(cc, attach, UserPoolId=pool, GroupName="admins", Username="frank")
    assert event["Identifier"] == f"{pool}|admins|frank" and event["OperationStatus"] == "SUCCESS"
    duplicate = create(cc, attach, UserPoolId=pool, GroupName="admins", Username="frank")
    assert duplicate["ErrorCode"] == "AlreadyExists"
    assert cognito.admin_list_groups_for_user(UserPoolId=pool, Username="frank")["Groups"][0]["GroupName"] == "admins"
    cc.delete_resource(TypeName=attach, Identifier=f"{pool}|admins|frank")
    with pytest.raises(ClientError) as excinfo:
        cc.get_resource(TypeName=attach, Identifier=f"{pool}|admins|frank")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"

    assert (
        cc.delete_resource(TypeName="AWS::Cognito::UserPoolGroup", Identifier=f"{pool}|admins")["ProgressEvent"][
            "OperationStatus"
        ]
        == "SUCCESS"
    )
    assert (
        cc.delete_resource(TypeName="AWS::Cognito::UserPool", Identifier=pool)["ProgressEvent"]["OperationStatus"]
        == "SUCCESS"
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.describe_user_pool(UserPoolId=pool)
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_request_status_survives_restart() -> None:
    url = f"sqlite:///{tempfile.mkdtemp(prefix='userpools-db-')}/userpools.db"
    first = Server(url)
    try:
        cc = client_for(first.url, "cloudcontrol")
        pool = create(cc, "AWS::Cognito::UserPool", UserPoolName="restart")["Identifier"]
        token = create(cc, USER, UserPoolId=pool, Username="zoe", MessageAction="SUPPRESS")["RequestToken"]
    finally:
        first.stop()
    second = Server(url)
    try:
        cc = client_for(second.url, "cloudcontrol")
        event = cc.get_resource_request_status(RequestToken=token)["ProgressEvent"]
        assert (event["OperationStatus"], event["Identifier"]) == ("SUCCESS", f"{pool}|zoe")
    finally:
        second.stop()


def test_user_pool_client(cc: Any, pool: str) -> None:
    client = "AWS::Cognito::UserPoolClient"
    event = create(cc, client, UserPoolId=pool, ClientName="web")
    assert event["OperationStatus"] == "SUCCESS", event
    assert event["Identifier"].startswith(f"{pool}|")
    assert properties(cc, client, event["Identifier"])["ClientName"] == "web"
    listed = cc.list_resources(TypeName=client, ResourceModel=json.dumps({"UserPoolId": pool}))
    assert [d["Identifier"] for d in listed["ResourceDescriptions"]] == [event["Identifier"]]
    deleted = cc.delete_resource(TypeName=client, Identifier=event["Identifier"])["ProgressEvent"]
    assert deleted["OperationStatus"] == "SUCCESS"


def test_user_pool_mfa(cc: Any, cognito: Any) -> None:
    event = create(
        cc,
        "AWS::Cognito::UserPool",
        UserPoolName="mfa",
        MfaConfiguration="ON",
        EnabledMfas=["SOFTWARE_TOKEN_MFA"],
    )
    assert event["OperationStatus"] == "SUCCESS", event
    pool = event["Identifier"]
    got = cognito.get_user_pool_mfa_config(UserPoolId=pool)
    assert (got["MfaConfiguration"], got["SoftwareTokenMfaConfiguration"]) == ("ON", {"Enabled": True})
    props = properties(cc, "AWS::Cognito::UserPool", pool)
    assert props["MfaConfiguration"] == "ON" and "EnabledMfas" not in props  # write-only
    patch = [
        {"op": "add", "path": "/EnabledMfas", "value": ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]},
        {"op": "replace", "path": "/MfaConfiguration", "value": "OPTIONAL"},
        {"op": "add", "path": "/SmsConfiguration", "value": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms"}},
    ]
    updated = cc.update_resource(TypeName="AWS::Cognito::UserPool", Identifier=pool, PatchDocument=json.dumps(patch))
    assert updated["ProgressEvent"]["OperationStatus"] == "SUCCESS", updated
    got = cognito.get_user_pool_mfa_config(UserPoolId=pool)
    assert got["MfaConfiguration"] == "OPTIONAL" and "SmsMfaConfiguration" in got
    refused = create(cc, "AWS::Cognito::UserPool", UserPoolName="bad", MfaConfiguration="OFF", EnabledMfas=["SMS_MFA"])
    assert (refused["OperationStatus"], refused["ErrorCode"]) == ("FAILED", "InvalidRequest")
    names = [
        p["Name"]
        for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=60)
        for p in page["UserPools"]
    ]
    assert "bad" not in names  # nothing half-made
    cognito.delete_user_pool(UserPoolId=pool)
