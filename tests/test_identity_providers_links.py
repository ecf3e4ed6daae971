"""AdminLinkProviderForUser and AdminDisableProviderForUser, and app clients naming the pool's providers,
through boto3 against the live server (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of

GOOGLE = {"client_id": "g-id", "client_secret": "g-secret", "authorize_scopes": "openid email profile"}
PASSWORD = "Corr3ct-Horse!"


def _setup(cognito: Any, pool: str) -> None:
    cognito.create_identity_provider(
        UserPoolId=pool, ProviderName="Google", ProviderType="Google", ProviderDetails=GOOGLE
    )
    for name in ("alice", "bob"):
        cognito.admin_create_user(UserPoolId=pool, Username=name, MessageAction="SUPPRESS")
        cognito.admin_set_user_password(UserPoolId=pool, Username=name, Password=PASSWORD, Permanent=True)


def _link(cognito: Any, pool: str, username: str, value: str, provider: str = "Google", **source: str) -> None:
    cognito.admin_link_provider_for_user(
        UserPoolId=pool,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": username},
        SourceUser={
            "ProviderName": provider,
            "ProviderAttributeName": source.get("attribute", "Cognito_Subject"),
            "ProviderAttributeValue": value,
        },
    )


def test_link_and_unlink(cognito: Any, pool: str) -> None:
    _setup(cognito, pool)
    _link(cognito, pool, "alice", "g-123")
    _link(cognito, pool, "alice", "g-123")  # the same link again changes nothing
    with pytest.raises(ClientError) as other:
        _link(cognito, pool, "bob", "g-123")
    assert error_of(other)[0] == "AliasExistsException"
    cognito.admin_disable_provider_for_user(
        UserPoolId=pool,
        User={"ProviderName": "Google", "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": "g-123"},
    )
    _link(cognito, pool, "bob", "g-123")  # unlinked, so free to link elsewhere


def test_link_refusals(cognito: Any, pool: str) -> None:
    _setup(cognito, pool)
    cases: list[tuple[dict[str, str], dict[str, str], str]] = [
        ({"ProviderName": "Google", "ProviderAttributeValue": "alice"}, {}, "InvalidParameterException"),
        ({}, {"ProviderName": "Nope"}, "ResourceNotFoundException"),
        ({"ProviderAttributeValue": "nobody"}, {}, "UserNotFoundException"),
        ({}, {"ProviderAttributeName": "email"}, "InvalidParameterException"),
    ]
    for destination, source, code in cases:
        with pytest.raises(ClientError) as refused:
            cognito.admin_link_provider_for_user(
                UserPoolId=pool,
                DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "alice", **destination},
                SourceUser={
                    "ProviderName": "Google",
                    "ProviderAttributeName": "Cognito_Subject",
                    "ProviderAttributeValue": "g-1",
                    **source,
                },
            )
        assert error_of(refused)[0] == code, (destination, source)
    for n in range(5):
        _link(cognito, pool, "alice", f"g-{n}")
    with pytest.raises(ClientError) as too_many:
        _link(cognito, pool, "alice", "g-5")
    assert error_of(too_many)[0] == "LimitExceededException"


def test_disabling_a_native_user_stops_its_password(cognito: Any, pool: str) -> None:
    _setup(cognito, pool)
    client = cognito.create_user_pool_client(
        UserPoolId=pool,
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]

    def sign_in() -> Any:
        return cognito.admin_initiate_auth(
            UserPoolId=pool,
            ClientId=client,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
        )

    assert "AuthenticationResult" in sign_in()
    cognito.admin_disable_provider_for_user(
        UserPoolId=pool,
        User={"ProviderName": "Cognito", "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": "alice"},
    )
    with pytest.raises(ClientError) as refused:
        sign_in()
    assert error_of(refused)[0] == "NotAuthorizedException"


def test_clients_name_the_pools_providers(cognito: Any, pool: str) -> None:
    cognito.create_identity_provider(
        UserPoolId=pool, ProviderName="Google", ProviderType="Google", ProviderDetails=GOOGLE
    )
    made = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName="web", SupportedIdentityProviders=["COGNITO", "Google"]
    )["UserPoolClient"]
    assert made["SupportedIdentityProviders"] == ["COGNITO", "Google"]
    with pytest.raises(ClientError) as unknown:
        cognito.create_user_pool_client(UserPoolId=pool, ClientName="web", SupportedIdentityProviders=["Okta"])
    assert error_of(unknown) == ("InvalidParameterException", "The provider Okta does not exist for User Pool.")


def test_deleting_the_pool_or_user_takes_links_and_providers(cognito: Any, make_pool: Any) -> None:
    pool = make_pool()
    _setup(cognito, pool)
    _link(cognito, pool, "alice", "g-1")
    cognito.admin_delete_user(UserPoolId=pool, Username="alice")
    _link(cognito, pool, "bob", "g-1")  # alice's link went with her
    cognito.get_signing_certificate(UserPoolId=pool)
    cognito.delete_user_pool(UserPoolId=pool)
    with pytest.raises(ClientError) as gone:
        cognito.list_identity_providers(UserPoolId=pool)
    assert error_of(gone)[0] == "ResourceNotFoundException"
