"""The wire protocol: botocore round trips, validation wording, and clear errors for bad requests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from botocore.parsers import create_parser
from botocore.serialize import create_serializer

from tests.support import Server
from userpools.domain.errors import InvalidParameterException, UsernameExistsException
from userpools.protocol.dispatch import Service
from userpools.protocol.errors import SerializationException, UnknownOperationException
from userpools.protocol.model import requires_iam, service_model
from userpools.protocol.serialize import serialize

TARGET = "AWSCognitoIdentityProviderService"
MODEL = service_model("cognito-idp")


def service() -> Service:
    return Service(MODEL, validation_error=InvalidParameterException)


REQUESTS: dict[str, dict[str, Any]] = {
    "AdminCreateUser": {
        "UserPoolId": "us-east-1_abc123",
        "Username": "zoë",
        "MessageAction": "SUPPRESS",
        "UserAttributes": [{"Name": "email", "Value": "z@example.com"}],
        "ForceAliasCreation": True,
        "DesiredDeliveryMediums": ["EMAIL", "SMS"],
        "ClientMetadata": {"k": "v"},
        "ValidationData": [{"Name": "n", "Value": "v"}],
        "TemporaryPassword": "Aa1!aaaa",
    },
    "ListUsers": {
        "UserPoolId": "us-east-1_abc123",
        "Limit": 10,
        "Filter": 'email ^= "z"',
        "AttributesToGet": ["email"],
    },
    "CreateUserPool": {
        "PoolName": "p",
        "Policies": {"PasswordPolicy": {"MinimumLength": 12}},
        "Schema": [{"Name": "team", "AttributeDataType": "String"}],
    },
}


@pytest.mark.parametrize("operation", sorted(REQUESTS))
def test_botocore_serialized_requests_parse_back(operation: str) -> None:
    serializer = create_serializer("json")
    request = serializer.serialize_to_request(REQUESTS[operation], MODEL.operation_model(operation))
    call = service().parse(request["headers"]["X-Amz-Target"], request["body"])
    assert call.name == operation
    assert call.params == REQUESTS[operation]


def test_serialized_output_parses_in_botocore() -> None:
    operation = MODEL.operation_model("AdminCreateUser")
    when = datetime(2026, 11, 26, 12, 0, 30, tzinfo=UTC)
    user = {
        "Username": "u",
        "Attributes": [{"Name": "sub", "Value": "x"}],
        "UserCreateDate": when,
        "UserLastModifiedDate": when,
        "Enabled": True,
        "UserStatus": "CONFIRMED",
        "Unmodelled": 1,
    }
    body = json.dumps(serialize(operation.output_shape, {"User": user})).encode()
    parsed = create_parser("json").parse({"status_code": 200, "headers": {}, "body": body}, operation.output_shape)
    assert parsed["User"]["UserCreateDate"] == when
    assert "Unmodelled" not in parsed["User"]


def test_errors_parse_in_botocore() -> None:
    operation = MODEL.operation_model("AdminCreateUser")
    body = json.dumps(UsernameExistsException("User account already exists").body()).encode()
    parsed = create_parser("json").parse({"status_code": 400, "headers": {}, "body": body}, operation.output_shape)
    assert parsed["Error"] == {"Code": "UsernameExistsException", "Message": "User account already exists"}


def test_validation_collects_every_error() -> None:
    with pytest.raises(InvalidParameterException) as excinfo:
        service().parse(f"{TARGET}.AdminCreateUser", json.dumps({"Username": "", "UserPoolId": "bad id"}).encode())
    assert excinfo.value.message == (
        "3 validation errors detected: "
        "Value 'bad id' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression "
        "pattern: [\\w-]+_[0-9a-zA-Z]+; "
        "Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1; "
        "Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"
    )


def test_sensitive_values_are_not_echoed() -> None:
    with pytest.raises(InvalidParameterException) as excinfo:
        service().parse(
            f"{TARGET}.AdminCreateUser",
            json.dumps({"UserPoolId": "us-east-1_a", "Username": "u", "TemporaryPassword": "a b"}).encode(),
        )
    assert "a b" not in excinfo.value.message
    assert "Value at 'temporaryPassword' failed to satisfy constraint" in excinfo.value.message


def test_missing_required_member() -> None:
    with pytest.raises(InvalidParameterException) as excinfo:
        service().parse(f"{TARGET}.AdminGetUser", b'{"UserPoolId": "us-east-1_a"}')
    assert excinfo.value.message == (
        "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null"
    )


def test_integer_bounds() -> None:
    with pytest.raises(InvalidParameterException) as excinfo:
        service().parse(f"{TARGET}.ListUsers", b'{"UserPoolId": "us-east-1_a", "Limit": 61}')
    assert excinfo.value.message.endswith("Member must have value less than or equal to 60")


def test_wrong_json_types_are_serialization_errors() -> None:
    with pytest.raises(SerializationException):
        service().parse(f"{TARGET}.AdminGetUser", b'{"UserPoolId": 5, "Username": "u"}')
    with pytest.raises(SerializationException):
        service().parse(f"{TARGET}.AdminGetUser", b"[1, 2]")
    with pytest.raises(UnknownOperationException):
        service().parse("Other.AdminGetUser", b"{}")


def test_operations_know_who_may_call_them() -> None:
    assert requires_iam(MODEL.operation_model("AdminCreateUser"))
    assert requires_iam(MODEL.operation_model("CreateUserPool"))
    assert not requires_iam(MODEL.operation_model("InitiateAuth"))
    assert not requires_iam(MODEL.operation_model("SignUp"))


def post(server: Server, target: str | None, body: bytes) -> httpx.Response:
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    if target is not None:
        headers["X-Amz-Target"] = target
    return httpx.post(server.url + "/", content=body, headers=headers)


def test_malformed_json_over_http(server: Server) -> None:
    response = post(server, f"{TARGET}.ListUserPools", b"{not json")
    assert response.status_code == 400
    assert response.json()["__type"] == "SerializationException"
    assert response.headers["x-amzn-errortype"] == "SerializationException"


def test_missing_and_unknown_target_over_http(server: Server) -> None:
    missing = post(server, None, b"{}")
    unknown = post(server, f"{TARGET}.NoSuchOperation", b"{}")
    assert missing.status_code == unknown.status_code == 400
    assert missing.json()["__type"] == unknown.json()["__type"] == "UnknownOperationException"


def test_an_operation_without_a_handler_answers_501() -> None:
    """Every operation of the bundled model is built (tests/test_every_operation.py calls each one over HTTP);
    an operation a newer botocore adds before userpools builds it answers 501, as a service without handlers
    shows."""
    from userpools.protocol.dispatch import error_body
    from userpools.protocol.errors import NotImplementedException

    call = service().parse(f"{TARGET}.ListUserPools", b'{"MaxResults": 1}')
    with pytest.raises(NotImplementedException) as excinfo:
        service().invoke(call, None)
    assert error_body(excinfo.value) == (
        501,
        {
            "__type": "NotImplementedException",
            "message": "The operation ListUserPools is not implemented by userpools yet.",
        },
    )


def test_cors_preflight(server: Server) -> None:
    response = httpx.options(
        server.url + "/",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-user-agent",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in ("*", "http://localhost:3000")
    assert "x-amz-target" in response.headers["access-control-allow-headers"].lower()


def test_health(server: Server) -> None:
    assert httpx.get(server.url + "/health").status_code == 200
