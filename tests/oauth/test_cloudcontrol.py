"""AWS::Cognito::UserPoolDomain and AWS::Cognito::UserPoolResourceServer through boto3's cloudcontrol client."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import client_for, error_of
from tests.support import Server

DOMAIN = "AWS::Cognito::UserPoolDomain"
SERVER = "AWS::Cognito::UserPoolResourceServer"


@pytest.fixture
def cc(server: Server) -> Any:
    return client_for(server.url, "cloudcontrol")


def _create(cc: Any, type_name: str, **state: Any) -> dict[str, Any]:
    return cc.create_resource(TypeName=type_name, DesiredState=json.dumps(state))["ProgressEvent"]  # type: ignore[no-any-return]


def _properties(cc: Any, type_name: str, identifier: str) -> dict[str, Any]:
    return json.loads(cc.get_resource(TypeName=type_name, Identifier=identifier)["ResourceDescription"]["Properties"])  # type: ignore[no-any-return]


def test_user_pool_domain(cc: Any, cognito: Any, pool: str) -> None:
    prefix = f"cc-{uuid.uuid4().hex[:10]}"
    event = _create(cc, DOMAIN, UserPoolId=pool, Domain=prefix, ManagedLoginVersion=2)
    assert event["OperationStatus"] == "SUCCESS" and event["Identifier"] == f"{pool}|{prefix}", event
    props = _properties(cc, DOMAIN, f"{pool}|{prefix}")
    assert props["ManagedLoginVersion"] == 2 and props["Domain"] == prefix and props["CloudFrontDistribution"]
    patch = [{"op": "replace", "path": "/ManagedLoginVersion", "value": 1}]
    updated = cc.update_resource(TypeName=DOMAIN, Identifier=f"{pool}|{prefix}", PatchDocument=json.dumps(patch))
    assert updated["ProgressEvent"]["OperationStatus"] == "SUCCESS", updated
    assert cognito.describe_user_pool_domain(Domain=prefix)["DomainDescription"]["ManagedLoginVersion"] == 1
    again = _create(cc, DOMAIN, UserPoolId=pool, Domain=prefix)
    assert (again["OperationStatus"], again["ErrorCode"]) == ("FAILED", "InvalidRequest")
    assert (
        cc.delete_resource(TypeName=DOMAIN, Identifier=f"{pool}|{prefix}")["ProgressEvent"]["OperationStatus"]
        == "SUCCESS"
    )
    with pytest.raises(ClientError) as excinfo:
        cc.get_resource(TypeName=DOMAIN, Identifier=f"{pool}|{prefix}")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_user_pool_resource_server(cc: Any, cognito: Any, pool: str) -> None:
    scopes = [{"ScopeName": "read", "ScopeDescription": "Read"}]
    event = _create(cc, SERVER, UserPoolId=pool, Identifier="https://api.example.com", Name="api", Scopes=scopes)
    identifier = f"{pool}|https://api.example.com"
    assert event["OperationStatus"] == "SUCCESS" and event["Identifier"] == identifier, event
    assert _properties(cc, SERVER, identifier)["Scopes"] == scopes
    patch = [{"op": "add", "path": "/Scopes/1", "value": {"ScopeName": "write", "ScopeDescription": "Write"}}]
    cc.update_resource(TypeName=SERVER, Identifier=identifier, PatchDocument=json.dumps(patch))
    described = cognito.describe_resource_server(UserPoolId=pool, Identifier="https://api.example.com")
    assert [s["ScopeName"] for s in described["ResourceServer"]["Scopes"]] == ["read", "write"]
    listed = cc.list_resources(TypeName=SERVER, ResourceModel=json.dumps({"UserPoolId": pool}))
    assert [d["Identifier"] for d in listed["ResourceDescriptions"]] == [identifier]
    assert cc.delete_resource(TypeName=SERVER, Identifier=identifier)["ProgressEvent"]["OperationStatus"] == "SUCCESS"
