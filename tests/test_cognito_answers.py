"""Answers that must be Cognito's own (issue 21's list): schema validation at CreateUserPool and
AddCustomAttributes, the legacy verification messages kept in step, Booleans read case-insensitively,
and ForgotPassword refused where account recovery is admin-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of, outbox
from tests.signin import confirmed_user, make_client
from tests.support import Server


def refused(cognito: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        cognito.create_user_pool(PoolName="refused", **params)
    return error_of(excinfo)


def schema_of(cognito: Any, pool: str) -> dict[str, dict[str, Any]]:
    return {a["Name"]: a for a in cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["SchemaAttributes"]}


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        (
            [{"Name": "team"}],
            "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.",
        ),
        (
            [{"Name": "email", "AttributeDataType": "Number"}],
            "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email",
        ),
        (
            [{"Name": "email", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}],
            "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email",
        ),
        (
            [{"Name": "email", "AttributeDataType": "String", "StringAttributeConstraints": {"MaxLength": "many"}}],
            "Invalid StringAttributeConstraints for schema attribute email",
        ),
        (
            [{"Name": "email", "AttributeDataType": "String", "StringAttributeConstraints": {"MaxLength": "2049"}}],
            "user.email: String attributes cannot have a length of more than 2048",
        ),
        (
            [
                {
                    "Name": "email",
                    "AttributeDataType": "String",
                    "StringAttributeConstraints": {"MinLength": "10", "MaxLength": "5"},
                }
            ],
            "user.email: Max length cannot be less than min length.",
        ),
        (
            [
                {
                    "Name": "updated_at",
                    "AttributeDataType": "Number",
                    "NumberAttributeConstraints": {"MinValue": "10", "MaxValue": "5"},
                }
            ],
            "user.updated_at: Max value cannot be less than min value.",
        ),
        (
            [{"Name": "level", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "one"}}],
            "Invalid NumberAttributeConstraints for schema attribute custom:level",
        ),
    ],
)
def test_create_user_pool_refuses_a_bad_schema(cognito: Any, schema: list[dict[str, Any]], message: str) -> None:
    before = {p["Id"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"]}
    assert refused(cognito, Schema=schema) == ("InvalidParameterException", message)
    assert {p["Id"] for p in cognito.list_user_pools(MaxResults=60)["UserPools"]} <= before  # nothing written


def test_only_max_length_keeps_the_standard_min_length(cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(
        Schema=[
            {"Name": "birthdate", "AttributeDataType": "String", "StringAttributeConstraints": {"MaxLength": "12"}},
            {"Name": "name", "AttributeDataType": "String", "StringAttributeConstraints": {"MaxLength": "40"}},
        ]
    )
    schema = schema_of(cognito, pool)
    assert schema["birthdate"]["StringAttributeConstraints"] == {"MinLength": "10", "MaxLength": "12"}
    assert schema["name"]["StringAttributeConstraints"] == {"MinLength": "0", "MaxLength": "40"}


def test_custom_attributes_without_limits(cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(
        Schema=[
            {"Name": "score", "AttributeDataType": "Number"},
            {"Name": "team", "AttributeDataType": "String"},
        ]
    )
    schema = schema_of(cognito, pool)
    assert schema["custom:score"]["NumberAttributeConstraints"] == {}
    assert schema["custom:team"]["StringAttributeConstraints"] == {"MinLength": "0", "MaxLength": "2048"}


def test_add_custom_attributes_names_the_existing_attribute(cognito: Any, pool: str) -> None:
    cognito.add_custom_attributes(UserPoolId=pool, CustomAttributes=[{"Name": "banana", "AttributeDataType": "String"}])
    with pytest.raises(ClientError) as excinfo:
        cognito.add_custom_attributes(
            UserPoolId=pool, CustomAttributes=[{"Name": "banana", "AttributeDataType": "String"}]
        )
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "custom:banana: Existing attribute already has name custom:banana.",
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.add_custom_attributes(UserPoolId=pool, CustomAttributes=[{"Name": "cherry"}])
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.",
    )
    assert "custom:cherry" not in schema_of(cognito, pool)


def test_legacy_verification_messages_follow_the_template(cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(
        VerificationMessageTemplate={
            "EmailMessage": "Code {####}",
            "EmailSubject": "Your code",
            "SmsMessage": "SMS code {####}",
        }
    )
    described = cognito.describe_user_pool(UserPoolId=pool)["UserPool"]
    assert described["EmailVerificationMessage"] == "Code {####}"
    assert described["EmailVerificationSubject"] == "Your code"
    assert described["SmsVerificationMessage"] == "SMS code {####}"
    assert described["VerificationMessageTemplate"]["DefaultEmailOption"] == "CONFIRM_WITH_CODE"

    cognito.update_user_pool(
        UserPoolId=pool, EmailVerificationMessage="Legacy {####}", EmailVerificationSubject="Legacy subject"
    )
    described = cognito.describe_user_pool(UserPoolId=pool)["UserPool"]
    template = described["VerificationMessageTemplate"]
    assert template["EmailMessage"] == described["EmailVerificationMessage"] == "Legacy {####}"
    assert template["EmailSubject"] == described["EmailVerificationSubject"] == "Legacy subject"
    assert "SmsVerificationMessage" not in described  # UpdateUserPool resets what it is not given

    cognito.update_user_pool(
        UserPoolId=pool,
        EmailVerificationMessage="Legacy {####}",
        VerificationMessageTemplate={"EmailMessage": "Template {####}"},
    )
    described = cognito.describe_user_pool(UserPoolId=pool)["UserPool"]
    assert described["EmailVerificationMessage"] == "Template {####}"
    assert described["VerificationMessageTemplate"]["EmailMessage"] == "Template {####}"


def test_booleans_are_read_case_insensitively(cognito: Any, pool: str) -> None:
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="casey",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "casey@example.com"}, {"Name": "email_verified", "Value": "True"}],
    )
    attributes = {
        a["Name"]: a["Value"] for a in cognito.admin_get_user(UserPoolId=pool, Username="casey")["UserAttributes"]
    }
    assert attributes["email_verified"] == "true"
    cognito.admin_update_user_attributes(
        UserPoolId=pool, Username="casey", UserAttributes=[{"Name": "email_verified", "Value": "FALSE"}]
    )
    attributes = {
        a["Name"]: a["Value"] for a in cognito.admin_get_user(UserPoolId=pool, Username="casey")["UserAttributes"]
    }
    assert attributes["email_verified"] == "false"
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_update_user_attributes(
            UserPoolId=pool, Username="casey", UserAttributes=[{"Name": "email_verified", "Value": "yes"}]
        )
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "Attributes did not conform to the schema: email_verified: Attribute value must be true or false.\n",
    )


def test_forgot_password_refused_when_recovery_is_admin_only(
    server: Server, cognito: Any, make_pool: Callable[..., str]
) -> None:
    pool = make_pool(AccountRecoverySetting={"RecoveryMechanisms": [{"Name": "admin_only", "Priority": 1}]})
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    for username in ("alice", "nobody"):
        with pytest.raises(ClientError) as excinfo:
            cognito.forgot_password(ClientId=client_id, Username=username)
        assert error_of(excinfo) == ("NotAuthorizedException", "Contact administrator to reset password.")
    assert not [m for m in outbox(server, pool=pool) if m["kind"] == "FORGOT_PASSWORD"]
    cognito.admin_reset_user_password(UserPoolId=pool, Username="alice")  # the administrator still can


STANDARD_HEADER = [
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
]


def test_csv_header(cognito: Any, make_pool: Callable[..., str]) -> None:
    """Cognito's header (the AWS CLI reference's get-csv-header example): the standard attributes but sub,
    the custom ones, then cognito:mfa_enabled and cognito:username."""
    plain = make_pool()
    answer = cognito.get_csv_header(UserPoolId=plain)
    assert answer["UserPoolId"] == plain
    assert answer["CSVHeader"] == [*STANDARD_HEADER, "cognito:mfa_enabled", "cognito:username"]
    custom = make_pool(Schema=[{"Name": "id", "AttributeDataType": "String"}])
    cognito.add_custom_attributes(UserPoolId=custom, CustomAttributes=[{"Name": "rank", "AttributeDataType": "Number"}])
    header = cognito.get_csv_header(UserPoolId=custom)["CSVHeader"]
    assert header == [*STANDARD_HEADER, "custom:id", "custom:rank", "cognito:mfa_enabled", "cognito:username"]
    with pytest.raises(ClientError) as excinfo:
        cognito.get_csv_header(UserPoolId="us-east-1_missing1")
    assert error_of(excinfo) == ("ResourceNotFoundException", "User pool us-east-1_missing1 does not exist.")
