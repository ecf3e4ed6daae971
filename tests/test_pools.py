"""Pool operations and tags through boto3."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of


def test_create_and_describe_full_configuration(cognito: Any) -> None:
    created = cognito.create_user_pool(
        PoolName="full",
        Policies={"PasswordPolicy": {"MinimumLength": 12, "RequireSymbols": False, "TemporaryPasswordValidityDays": 3}},
        AliasAttributes=["email", "preferred_username"],
        AutoVerifiedAttributes=["email"],
        UsernameConfiguration={"CaseSensitive": False},
        AdminCreateUserConfig={
            "AllowAdminCreateUserOnly": True,
            "InviteMessageTemplate": {"EmailSubject": "Hi", "EmailMessage": "{username} {####}"},
        },
        EmailConfiguration={
            "EmailSendingAccount": "DEVELOPER",
            "From": "noreply@example.com",
            "SourceArn": "arn:aws:ses:us-east-1:000000000000:identity/example.com",
        },
        SmsConfiguration={"SnsCallerArn": "arn:aws:iam::000000000000:role/sms", "ExternalId": "x"},
        LambdaConfig={"PreSignUp": "arn:aws:lambda:us-east-1:000000000000:function:pre"},
        Schema=[
            {"Name": "team", "AttributeDataType": "String", "Mutable": True},
            {"Name": "email", "AttributeDataType": "String", "Required": True},
        ],
        UserPoolTags={"env": "test"},
    )["UserPool"]
    pool_id = created["Id"]
    assert re.fullmatch(r"us-east-1_[0-9a-zA-Z]{9}", pool_id)
    assert created["Arn"] == f"arn:aws:cognito-idp:us-east-1:000000000000:userpool/{pool_id}"
    described = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    policy = described["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == 12 and policy["RequireSymbols"] is False
    assert policy["TemporaryPasswordValidityDays"] == 3 and policy["RequireUppercase"] is True
    assert described["AliasAttributes"] == ["email", "preferred_username"]
    assert described["AutoVerifiedAttributes"] == ["email"]
    assert described["UsernameConfiguration"] == {"CaseSensitive": False}
    assert described["AdminCreateUserConfig"]["InviteMessageTemplate"]["EmailSubject"] == "Hi"
    assert described["EmailConfiguration"]["From"] == "noreply@example.com"
    assert described["SmsConfiguration"]["ExternalId"] == "x"
    assert described["LambdaConfig"]["PreSignUp"].endswith(":pre")
    assert described["UserPoolTags"] == {"env": "test"}
    schema = {a["Name"]: a for a in described["SchemaAttributes"]}
    assert schema["email"]["Required"] is True
    assert schema["custom:team"]["AttributeDataType"] == "String"
    assert schema["sub"]["Mutable"] is False
    assert described["EstimatedNumberOfUsers"] == 0


def test_estimated_number_of_users_follows_creates_sign_ups_and_deletes(cognito: Any, make_pool: Any) -> None:
    pool = make_pool()
    client_id = cognito.create_user_pool_client(UserPoolId=pool, ClientName="c")["UserPoolClient"]["ClientId"]
    for name in ("a", "b", "c"):
        cognito.admin_create_user(UserPoolId=pool, Username=name, MessageAction="SUPPRESS")
    cognito.sign_up(ClientId=client_id, Username="d", Password="Passw0rd!x")
    with pytest.raises(ClientError):
        cognito.admin_create_user(UserPoolId=pool, Username="a", MessageAction="SUPPRESS")  # exists: not counted
    cognito.admin_delete_user(UserPoolId=pool, Username="b")
    assert cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["EstimatedNumberOfUsers"] == 3
    assert cognito.describe_user_pool(UserPoolId=make_pool())["UserPool"]["EstimatedNumberOfUsers"] == 0


def test_describe_missing_pool(cognito: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.describe_user_pool(UserPoolId="us-east-1_missing1")
    assert error_of(excinfo) == ("ResourceNotFoundException", "User pool us-east-1_missing1 does not exist.")


def test_username_and_alias_attributes_are_exclusive(cognito: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.create_user_pool(PoolName="x", AliasAttributes=["email"], UsernameAttributes=["email"])
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_update_replaces_settings_and_keeps_fixed_ones(cognito: Any, make_pool: Any) -> None:
    pool = make_pool(AliasAttributes=["email"], Policies={"PasswordPolicy": {"MinimumLength": 12}})
    cognito.update_user_pool(
        UserPoolId=pool, AutoVerifiedAttributes=["email"], Policies={"PasswordPolicy": {"MinimumLength": 9}}
    )
    described = cognito.describe_user_pool(UserPoolId=pool)["UserPool"]
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 9
    assert described["AliasAttributes"] == ["email"]
    assert described["AutoVerifiedAttributes"] == ["email"]
    assert described["LastModifiedDate"] >= described["CreationDate"]


def test_delete_pool_and_deletion_protection(cognito: Any, make_pool: Any) -> None:
    protected = make_pool(DeletionProtection="ACTIVE")
    with pytest.raises(ClientError) as excinfo:
        cognito.delete_user_pool(UserPoolId=protected)
    assert error_of(excinfo)[0] == "InvalidParameterException"
    pool = make_pool()
    cognito.admin_create_user(UserPoolId=pool, Username="gone", MessageAction="SUPPRESS")
    cognito.delete_user_pool(UserPoolId=pool)
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_get_user(UserPoolId=pool, Username="gone")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_list_user_pools_paginates(cognito: Any, make_pool: Any) -> None:
    made = {make_pool() for _ in range(5)}
    seen: list[str] = []
    for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=2):
        assert len(page["UserPools"]) <= 2
        seen.extend(p["Id"] for p in page["UserPools"])
    assert made <= set(seen)
    assert len(seen) == len(set(seen))


def test_add_custom_attributes(cognito: Any, pool: str) -> None:
    cognito.add_custom_attributes(
        UserPoolId=pool,
        CustomAttributes=[
            {"Name": "level", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "1"}}
        ],
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.add_custom_attributes(
            UserPoolId=pool, CustomAttributes=[{"Name": "level", "AttributeDataType": "String"}]
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(
            UserPoolId=pool, Username="n", UserAttributes=[{"Name": "custom:level", "Value": "0"}]
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"
    cognito.admin_create_user(
        UserPoolId=pool, Username="n", MessageAction="SUPPRESS", UserAttributes=[{"Name": "custom:level", "Value": "3"}]
    )


def test_tags(cognito: Any, pool: str) -> None:
    arn = cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["Arn"]
    cognito.tag_resource(ResourceArn=arn, Tags={"a": "1", "b": "2"})
    cognito.untag_resource(ResourceArn=arn, TagKeys=["a"])
    assert cognito.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"b": "2"}
    with pytest.raises(ClientError) as excinfo:
        cognito.list_tags_for_resource(ResourceArn=arn.replace(pool, "us-east-1_nothere1"))
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
