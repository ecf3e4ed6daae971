"""App clients through boto3: create, describe, update, delete, list; secrets; defaults."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of


def test_create_defaults_and_describe(cognito: Any, pool: str) -> None:
    client = cognito.create_user_pool_client(UserPoolId=pool, ClientName="web")["UserPoolClient"]
    assert client["ClientName"] == "web" and client["UserPoolId"] == pool
    assert "ClientSecret" not in client
    assert (client["AccessTokenValidity"], client["IdTokenValidity"], client["RefreshTokenValidity"]) == (60, 60, 30)
    assert client["TokenValidityUnits"] == {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"}
    assert client["EnableTokenRevocation"] is True
    assert client["PreventUserExistenceErrors"] == "LEGACY"
    described = cognito.describe_user_pool_client(UserPoolId=pool, ClientId=client["ClientId"])["UserPoolClient"]
    assert described == client


def test_generated_secret_is_shown_again(cognito: Any, pool: str) -> None:
    client = cognito.create_user_pool_client(UserPoolId=pool, ClientName="srv", GenerateSecret=True)["UserPoolClient"]
    assert len(client["ClientSecret"]) == 51
    described = cognito.describe_user_pool_client(UserPoolId=pool, ClientId=client["ClientId"])["UserPoolClient"]
    assert described["ClientSecret"] == client["ClientSecret"]


def test_update_resets_omitted_settings(cognito: Any, pool: str) -> None:
    client = cognito.create_user_pool_client(
        UserPoolId=pool,
        ClientName="web",
        AccessTokenValidity=2,
        TokenValidityUnits={"AccessToken": "hours"},
        ReadAttributes=["email"],
        PreventUserExistenceErrors="ENABLED",
    )["UserPoolClient"]
    assert client["TokenValidityUnits"]["AccessToken"] == "hours"
    updated = cognito.update_user_pool_client(
        UserPoolId=pool, ClientId=client["ClientId"], ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]
    assert updated["ClientName"] == "web"
    assert updated["ExplicitAuthFlows"] == ["ALLOW_USER_PASSWORD_AUTH"]
    assert updated["AccessTokenValidity"] == 60 and "ReadAttributes" not in updated


def test_invalid_token_validity(cognito: Any, pool: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.create_user_pool_client(
            UserPoolId=pool, ClientName="x", AccessTokenValidity=2, TokenValidityUnits={"AccessToken": "days"}
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_list_pages_and_delete(cognito: Any, pool: str) -> None:
    ids = {
        cognito.create_user_pool_client(UserPoolId=pool, ClientName=f"c{i}")["UserPoolClient"]["ClientId"]
        for i in range(3)
    }
    first = cognito.list_user_pool_clients(UserPoolId=pool, MaxResults=2)
    second = cognito.list_user_pool_clients(UserPoolId=pool, MaxResults=2, NextToken=first["NextToken"])
    assert "NextToken" not in second
    assert {c["ClientId"] for c in first["UserPoolClients"] + second["UserPoolClients"]} == ids
    gone = ids.pop()
    cognito.delete_user_pool_client(UserPoolId=pool, ClientId=gone)
    with pytest.raises(ClientError) as excinfo:
        cognito.describe_user_pool_client(UserPoolId=pool, ClientId=gone)
    assert error_of(excinfo) == ("ResourceNotFoundException", f"User pool client {gone} does not exist.")
