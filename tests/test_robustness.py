"""Input that once answered 500 (the audit of issue 15), each answered as Cognito answers it, over raw HTTP on
both databases: deep JSON, forged pagination tokens, lone surrogates, NUL, non-ASCII secret hashes, nulls in
lists, an empty custom attribute, SignUp without a password, unknown members."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.support import Server

TARGET = "AWSCognitoIdentityProviderService."


def call(server: Server, operation: str, body: dict[str, Any] | bytes | str) -> httpx.Response:
    if isinstance(body, dict):
        content = json.dumps(body).encode()  # ensure_ascii: "\ud800" travels as its \u escape
    elif isinstance(body, str):
        content = body.encode()
    else:
        content = body
    return httpx.post(
        server.url + "/",
        content=content,
        headers={"x-amz-target": TARGET + operation, "content-type": "application/x-amz-json-1.1"},
        timeout=30,
    )


def refused(answer: httpx.Response, kind: str, status: int = 400) -> str:
    assert answer.status_code == status, answer.text
    assert answer.json()["__type"] == kind, answer.text
    return str(answer.json()["message"])


@pytest.fixture
def world(server: Server, cognito: Any, pool: str) -> dict[str, str]:
    """A pool with a client with a secret, a user (who can sign in), a group the user is in."""
    client = cognito.create_user_pool_client(
        UserPoolId=pool,
        ClientName="c",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    cognito.admin_create_user(UserPoolId=pool, Username="alice", MessageAction="SUPPRESS")
    cognito.create_group(UserPoolId=pool, GroupName="g")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="alice", GroupName="g")
    return {"pool": pool, "client": client["ClientId"]}


@pytest.mark.parametrize("depth", [1025, 5000, 100_000])
def test_json_nested_too_deep(server: Server, depth: int) -> None:
    refused(
        call(server, "ListUserPools", '{"MaxResults": 1, "x": ' + "[" * depth + "]" * depth + "}"),
        "SerializationException",
    )


LISTINGS = [
    ("ListUserPools", "NextToken", {"MaxResults": 1}),
    ("ListGroups", "NextToken", {}),
    ("ListUserPoolClients", "NextToken", {}),
    ("AdminListGroupsForUser", "NextToken", {"Username": "alice"}),
    ("ListUsersInGroup", "NextToken", {"GroupName": "g"}),
    ("ListUsers", "PaginationToken", {}),
]


@pytest.mark.parametrize(("operation", "field", "extra"), LISTINGS)
@pytest.mark.parametrize("token", ["WzFd", "dHJ1ZQ==", "ab", "1.5", "WzFd.AAAAAAAAAAAAAAAAAAAAAA", "é.é", "x" * 500])
def test_forged_pagination_tokens(
    server: Server, world: dict[str, str], operation: str, field: str, extra: dict[str, Any], token: str
) -> None:
    body = {**extra, field: token}
    if operation != "ListUserPools":
        body["UserPoolId"] = world["pool"]
    message = refused(call(server, operation, body), "InvalidParameterException")
    assert message == "Invalid pagination token."


@pytest.mark.parametrize(("operation", "field", "extra"), LISTINGS)
def test_a_real_token_changed_by_a_byte_is_refused_and_the_real_one_pages(
    server: Server, cognito: Any, world: dict[str, str], operation: str, field: str, extra: dict[str, Any]
) -> None:
    pool = world["pool"]
    cognito.admin_create_user(UserPoolId=pool, Username="bob", MessageAction="SUPPRESS")
    cognito.create_group(UserPoolId=pool, GroupName="h")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="alice", GroupName="h")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="bob", GroupName="g")
    cognito.create_user_pool_client(UserPoolId=pool, ClientName="d")
    cognito.create_user_pool(PoolName="another")
    body: dict[str, Any] = {**extra}
    if operation != "ListUserPools":
        body["UserPoolId"] = pool
    body["MaxResults" if operation in ("ListUserPools", "ListUserPoolClients") else "Limit"] = 1
    first = call(server, operation, body)
    assert first.status_code == 200, first.text
    token = first.json()[field]
    second = call(server, operation, {**body, field: token})
    assert second.status_code == 200
    assert second.json() != first.json()
    changed = token[:3] + ("A" if token[3] != "A" else "B") + token[4:]
    assert (
        refused(call(server, operation, {**body, field: changed}), "InvalidParameterException")
        == "Invalid pagination token."
    )


def test_lone_surrogates(server: Server, cognito: Any, world: dict[str, str]) -> None:
    pool, client = world["pool"], world["client"]
    bad = "a\ud800b"
    cases: list[tuple[str, dict[str, Any]]] = [
        (
            "InitiateAuth",
            {
                "ClientId": client,
                "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": "alice", "PASSWORD": bad},
            },
        ),
        (
            "AdminUpdateUserAttributes",
            {"UserPoolId": pool, "Username": "alice", "UserAttributes": [{"Name": "name", "Value": bad}]},
        ),
        ("ListUsers", {"UserPoolId": pool, "Filter": f'name = "{bad}"'}),
        ("CreateGroup", {"UserPoolId": pool, "GroupName": "s", "Description": bad}),
        (
            "TagResource",
            {"ResourceArn": f"arn:aws:cognito-idp:us-east-1:000000000000:userpool/{pool}", "Tags": {"k": bad}},
        ),
    ]
    for operation, body in cases:
        refused(call(server, operation, body), "SerializationException")
    assert cognito.admin_get_user(UserPoolId=pool, Username="alice")["Username"] == "alice"


def test_nul_in_values(server: Server, cognito: Any, world: dict[str, str]) -> None:
    pool = world["pool"]
    cases: list[tuple[str, dict[str, Any]]] = [
        (
            "AdminUpdateUserAttributes",
            {"UserPoolId": pool, "Username": "alice", "UserAttributes": [{"Name": "name", "Value": "a\x00b"}]},
        ),
        (
            "AdminSetUserPassword",
            {"UserPoolId": pool, "Username": "alice", "Password": "Passw0rd!\x00", "Permanent": True},
        ),
        ("CreateGroup", {"UserPoolId": pool, "GroupName": "n", "Description": "a\x00b"}),
        ("AdminGetUser", {"UserPoolId": pool, "Username": "al\x00ice"}),
    ]
    for operation, body in cases:
        assert "Member must not contain the NUL character" in refused(
            call(server, operation, body), "InvalidParameterException"
        )


@pytest.mark.parametrize("operation", ["InitiateAuth", "ForgotPassword", "SignUp"])
def test_non_ascii_secret_hash(server: Server, world: dict[str, str], operation: str) -> None:
    body: dict[str, Any] = {"ClientId": world["client"]}
    if operation == "InitiateAuth":
        body |= {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "alice", "PASSWORD": "x", "SECRET_HASH": "é" * 44},
        }
    else:
        body |= {"Username": "alice", "SecretHash": "é" * 44}
    if operation == "SignUp":
        body |= {"Username": "newcomer", "Password": "Passw0rd!"}
    message = refused(call(server, operation, body), "NotAuthorizedException")
    assert message == f"Unable to verify secret hash for client {world['client']}"


def test_nulls_inside_lists(server: Server, world: dict[str, str]) -> None:
    pool = world["pool"]
    cases: list[tuple[str, dict[str, Any], str]] = [
        (
            "AdminCreateUser",
            {"UserPoolId": pool, "Username": "n1", "UserAttributes": [None]},
            "userAttributes.1.member",
        ),
        (
            "AdminCreateUser",
            {"UserPoolId": pool, "Username": "n2", "DesiredDeliveryMediums": [None]},
            "desiredDeliveryMediums",
        ),
        ("ListUsers", {"UserPoolId": pool, "AttributesToGet": [None]}, "attributesToGet"),
    ]
    for operation, body, where in cases:
        message = refused(call(server, operation, body), "InvalidParameterException")
        assert f"at '{where}' failed to satisfy constraint:" in message
        assert "Member must not be null" in message


def test_add_custom_attributes_without_a_name(server: Server, world: dict[str, str]) -> None:
    answer = call(server, "AddCustomAttributes", {"UserPoolId": world["pool"], "CustomAttributes": [{}]})
    refused(answer, "InvalidParameterException")


def test_sign_up_without_a_password(server: Server, cognito: Any, pool: str) -> None:
    client = cognito.create_user_pool_client(UserPoolId=pool, ClientName="open")["UserPoolClient"]["ClientId"]
    message = refused(call(server, "SignUp", {"ClientId": client, "Username": "nopass"}), "InvalidParameterException")
    assert (
        message
        == "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null"
    )
    assert cognito.list_users(UserPoolId=pool)["Users"] == []


@pytest.mark.parametrize("precedence", [2**31, 2**63, -(2**31) - 1])
def test_integers_past_javas_int(server: Server, world: dict[str, str], precedence: int) -> None:
    """The fuzz run at scale's finding: a Precedence past 2**31 reached the database (PostgreSQL's integer,
    SQLite's 64 bits) and answered 500."""
    for operation, group in [("CreateGroup", "big"), ("UpdateGroup", "g")]:
        body = {"UserPoolId": world["pool"], "GroupName": group, "Precedence": precedence}
        message = refused(call(server, operation, body), "SerializationException")
        assert message == "NUMBER_VALUE can not be converted to an Integer at 'precedence'"
    fits = call(server, "UpdateGroup", {"UserPoolId": world["pool"], "GroupName": "g", "Precedence": 2**31 - 1})
    assert fits.status_code == 200, fits.text


def test_unknown_and_null_members_are_ignored(server: Server, cognito: Any, pool: str) -> None:
    body = {
        "UserPoolId": pool,
        "ClientName": "units",
        "AccessTokenValidity": 2,
        "TokenValidityUnits": {"AccessToken": "hours", "Bogus": "days"},
        "Unheard": {"of": 1},
        "RefreshTokenValidity": None,
    }
    answer = call(server, "CreateUserPoolClient", body)
    assert answer.status_code == 200, answer.text
    client = answer.json()["UserPoolClient"]
    assert client["TokenValidityUnits"]["AccessToken"] == "hours"
    assert "Bogus" not in client["TokenValidityUnits"]
    described = cognito.describe_user_pool_client(UserPoolId=pool, ClientId=client["ClientId"])["UserPoolClient"]
    assert described["TokenValidityUnits"] == client["TokenValidityUnits"]


def test_database_errors_are_logged_without_their_values(caplog: pytest.LogCaptureFixture) -> None:
    """What reaches the log when a database error becomes a 500: its class and where, never the statement's
    parameters or PostgreSQL's DETAIL (which quotes the key's values)."""
    from sqlalchemy.exc import IntegrityError

    from userpools.protocol.dispatch import internal_error_body

    class Orig(Exception):
        pass

    try:
        raise IntegrityError(
            "INSERT INTO aliases VALUES (%(v)s)",
            {"v": "alice@example.com"},
            Orig("duplicate key\nDETAIL:  Key (value)=(alice@example.com) already exists."),
        )
    except IntegrityError as error:
        with caplog.at_level("ERROR", logger="userpools.protocol"):
            assert internal_error_body(error) == (
                500,
                {"__type": "InternalErrorException", "message": "Internal server error."},
            )
    assert "sqlalchemy.exc.IntegrityError" in caplog.text
    assert "alice@example.com" not in caplog.text
