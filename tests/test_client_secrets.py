"""Client secret rotation through boto3: AddUserPoolClientSecret, ListUserPoolClientSecrets,
DeleteUserPoolClientSecret, and SECRET_HASH accepting either active secret."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of
from tests.signin import NEW_PASSWORD, confirmed_user, make_client, password_auth, secret_hash
from tests.support import Server


def signs_in(cognito: Any, client_id: str, secret: str) -> bool:
    try:
        password_auth(cognito, client_id, "alice", NEW_PASSWORD, SECRET_HASH=secret_hash(secret, "alice", client_id))
    except ClientError as error:
        assert error.response["Error"]["Code"] == "NotAuthorizedException"
        return False
    return True


def test_rotate_a_client_secret(server: Server, cognito: Any, pool: str) -> None:
    client = make_client(cognito, pool, GenerateSecret=True)
    client_id, first = client["ClientId"], client["ClientSecret"]
    confirmed_user(server, cognito, pool)

    listed = cognito.list_user_pool_client_secrets(UserPoolId=pool, ClientId=client_id)["ClientSecrets"]
    assert len(listed) == 1 and "ClientSecretValue" not in listed[0]
    first_id = listed[0]["ClientSecretId"]
    assert first_id.startswith(f"{client_id}--") and first_id.split("--")[1].isdigit()

    added = cognito.add_user_pool_client_secret(UserPoolId=pool, ClientId=client_id)["ClientSecretDescriptor"]
    second = added["ClientSecretValue"]  # generated: shown this once
    assert second != first and len(second) == 51
    assert signs_in(cognito, client_id, first) and signs_in(cognito, client_id, second)
    assert not signs_in(cognito, client_id, "not-a-secret-of-this-client")

    listed = cognito.list_user_pool_client_secrets(UserPoolId=pool, ClientId=client_id)["ClientSecrets"]
    assert [s["ClientSecretId"] for s in listed] == [first_id, added["ClientSecretId"]]
    assert all("ClientSecretValue" not in s for s in listed)

    with pytest.raises(ClientError) as excinfo:  # two at most
        cognito.add_user_pool_client_secret(UserPoolId=pool, ClientId=client_id)
    assert error_of(excinfo) == ("LimitExceededException", f"Client {client_id} already has 2 client secrets.")

    cognito.delete_user_pool_client_secret(UserPoolId=pool, ClientId=client_id, ClientSecretId=first_id)
    assert not signs_in(cognito, client_id, first) and signs_in(cognito, client_id, second)
    described = cognito.describe_user_pool_client(UserPoolId=pool, ClientId=client_id)["UserPoolClient"]
    assert described["ClientSecret"] == second  # the remaining secret takes the deleted one's place

    with pytest.raises(ClientError) as excinfo:
        cognito.delete_user_pool_client_secret(
            UserPoolId=pool, ClientId=client_id, ClientSecretId=added["ClientSecretId"]
        )
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "You cannot delete the last remaining secret for an app client.",
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.delete_user_pool_client_secret(UserPoolId=pool, ClientId=client_id, ClientSecretId=first_id)
    assert error_of(excinfo) == ("ResourceNotFoundException", f"Client secret {first_id} does not exist.")


def test_a_given_secret_is_not_echoed(server: Server, cognito: Any, pool: str) -> None:
    client = make_client(cognito, pool, GenerateSecret=True)
    client_id = client["ClientId"]
    confirmed_user(server, cognito, pool)
    mine = "my_own_secret_value_0123456789"
    added = cognito.add_user_pool_client_secret(UserPoolId=pool, ClientId=client_id, ClientSecret=mine)
    assert "ClientSecretValue" not in added["ClientSecretDescriptor"]
    assert signs_in(cognito, client_id, mine) and signs_in(cognito, client_id, client["ClientSecret"])
    # deleting the second keeps the first as DescribeUserPoolClient shows it
    cognito.delete_user_pool_client_secret(
        UserPoolId=pool, ClientId=client_id, ClientSecretId=added["ClientSecretDescriptor"]["ClientSecretId"]
    )
    described = cognito.describe_user_pool_client(UserPoolId=pool, ClientId=client_id)["UserPoolClient"]
    assert described["ClientSecret"] == client["ClientSecret"]
    assert not signs_in(cognito, client_id, mine)


def test_client_secret_errors(cognito: Any, pool: str) -> None:
    public = make_client(cognito, pool)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        cognito.add_user_pool_client_secret(UserPoolId=pool, ClientId=public)
    assert error_of(excinfo) == (
        "InvalidParameterException",
        f"Client {public} is not a confidential client: it has no client secret.",
    )
    assert cognito.list_user_pool_client_secrets(UserPoolId=pool, ClientId=public)["ClientSecrets"] == []
    with pytest.raises(ClientError) as excinfo:
        cognito.list_user_pool_client_secrets(UserPoolId=pool, ClientId="nosuchclient")
    assert error_of(excinfo) == ("ResourceNotFoundException", "User pool client nosuchclient does not exist.")
    with pytest.raises(ClientError) as excinfo:
        cognito.add_user_pool_client_secret(UserPoolId=pool, ClientId=public, ClientSecret="x" * 65)
    assert error_of(excinfo)[0] == "InvalidParameterException"  # 24-64 characters, the model's bounds
    confidential = make_client(cognito, pool, GenerateSecret=True)
    with pytest.raises(ClientError) as excinfo:
        cognito.add_user_pool_client_secret(
            UserPoolId=pool, ClientId=confidential["ClientId"], ClientSecret=confidential["ClientSecret"]
        )
    assert error_of(excinfo) == ("InvalidParameterException", "The client secret is already a secret of this client.")
    listed = cognito.list_user_pool_client_secrets(UserPoolId=pool, ClientId=confidential["ClientId"])
    assert len(listed["ClientSecrets"]) == 1  # the refused request left nothing behind


def test_get_tokens_from_refresh_token_accepts_either_secret(server: Server, cognito: Any, pool: str) -> None:
    client = make_client(cognito, pool, GenerateSecret=True)
    client_id, first = client["ClientId"], client["ClientSecret"]
    confirmed_user(server, cognito, pool)
    refresh = password_auth(
        cognito, client_id, "alice", NEW_PASSWORD, SECRET_HASH=secret_hash(first, "alice", client_id)
    )["AuthenticationResult"]["RefreshToken"]
    second = cognito.add_user_pool_client_secret(UserPoolId=pool, ClientId=client_id)["ClientSecretDescriptor"][
        "ClientSecretValue"
    ]
    for secret in (first, second):
        result = cognito.get_tokens_from_refresh_token(RefreshToken=refresh, ClientId=client_id, ClientSecret=secret)
        assert "AccessToken" in result["AuthenticationResult"]
    with pytest.raises(ClientError) as excinfo:
        cognito.get_tokens_from_refresh_token(RefreshToken=refresh, ClientId=client_id, ClientSecret="w" * 51)
    assert error_of(excinfo) == ("NotAuthorizedException", f"Unable to verify secret for client {client_id}")
