"""AWS::Cognito::UserPoolIdentityProvider through boto3's cloudcontrol client (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import client_for
from tests.support import Server

TYPE = "AWS::Cognito::UserPoolIdentityProvider"
GOOGLE = {"client_id": "g-id", "client_secret": "g-secret", "authorize_scopes": "openid email"}


def test_identity_provider_resource(server: Server, cognito: Any, pool: str) -> None:
    cc = client_for(server.url, "cloudcontrol")
    state = {
        "UserPoolId": pool,
        "ProviderName": "Google",
        "ProviderType": "Google",
        "ProviderDetails": GOOGLE,
        "AttributeMapping": {"email": "email"},
    }
    event = cc.create_resource(TypeName=TYPE, DesiredState=json.dumps(state))["ProgressEvent"]
    identifier = f"{pool}|Google"
    assert event["OperationStatus"] == "SUCCESS" and event["Identifier"] == identifier, event
    props = json.loads(cc.get_resource(TypeName=TYPE, Identifier=identifier)["ResourceDescription"]["Properties"])
    assert props["ProviderDetails"]["authorize_url"] == "https://accounts.google.com/o/oauth2/v2/auth"
    assert props["AttributeMapping"] == {"email": "email"}
    patch = [{"op": "replace", "path": "/AttributeMapping", "value": {"email": "email", "name": "name"}}]
    updated = cc.update_resource(TypeName=TYPE, Identifier=identifier, PatchDocument=json.dumps(patch))
    assert updated["ProgressEvent"]["OperationStatus"] == "SUCCESS", updated
    described = cognito.describe_identity_provider(UserPoolId=pool, ProviderName="Google")["IdentityProvider"]
    assert described["AttributeMapping"] == {"email": "email", "name": "name"}
    again = cc.create_resource(TypeName=TYPE, DesiredState=json.dumps(state))["ProgressEvent"]
    assert (again["OperationStatus"], again["ErrorCode"]) == ("FAILED", "AlreadyExists")
    listed = cc.list_resources(TypeName=TYPE, ResourceModel=json.dumps({"UserPoolId": pool}))
    assert [d["Identifier"] for d in listed["ResourceDescriptions"]] == [identifier]
    assert cc.delete_resource(TypeName=TYPE, Identifier=identifier)["ProgressEvent"]["OperationStatus"] == "SUCCESS"
    assert cognito.list_identity_providers(UserPoolId=pool)["Providers"] == []
