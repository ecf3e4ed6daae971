"""userpools.pulumi accepts every constructor form of the seed page, checked with Pulumi's mocks."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pulumi
import pytest

from userpools.pulumi import UserPoolUser, UserPoolUserArgs, UserPoolUserAttributeTypeArgs


@contextmanager
def _thread_loop() -> Iterator[None]:
    """A fresh event loop for this thread, closed when the test is done."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        yield
    finally:
        asyncio.set_event_loop(None)
        loop.close()


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.created: list[Any] = []

    def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
        self.created.append(args)
        return f"us-east-1_Mock|{args.inputs.get('username')}", dict(args.inputs)

    def call(self, args: Any) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        return {}, []


@pytest.fixture
def mocks() -> Iterator[Mocks]:
    recorder = Mocks()
    with _thread_loop():  # pulumi.runtime.test runs on the thread's loop
        pulumi.runtime.set_mocks(recorder, preview=False)
        yield recorder


EXPECTED = {
    "userPoolId": "us-east-1_Mock",
    "username": "alice",
    "userAttributes": [{"name": "email", "value": "alice@example.com"}],
    "messageAction": "SUPPRESS",
    "clientMetadata": {"source": "test"},
    "desiredDeliveryMediums": ["EMAIL"],
    "forceAliasCreation": False,
    "validationData": [{"name": "k", "value": "v"}],
}


def _check(mocks: Mocks, user: UserPoolUser) -> Any:
    def verify(values: list[Any]) -> None:
        resource_id, username, attributes = values
        assert resource_id == "us-east-1_Mock|alice"
        assert username == "alice"
        assert attributes == [{"name": "email", "value": "alice@example.com"}]
        inputs = mocks.created[-1].inputs
        assert mocks.created[-1].typ == "pulumi-python:dynamic/cognito:UserPoolUser"
        assert {k: v for k, v in inputs.items() if k != "__provider"} == EXPECTED
        assert "__provider" in inputs

    return pulumi.Output.all(user.id, user.username, user.user_attributes).apply(verify)


@pulumi.runtime.test
def test_args_class(mocks: Mocks) -> Any:
    user = UserPoolUser(
        "alice",
        UserPoolUserArgs(
            user_pool_id="us-east-1_Mock",
            username="alice",
            user_attributes=[UserPoolUserAttributeTypeArgs(name="email", value="alice@example.com")],
            message_action="SUPPRESS",
            client_metadata={"source": "test"},
            desired_delivery_mediums=["EMAIL"],
            force_alias_creation=False,
            validation_data=[UserPoolUserAttributeTypeArgs(name="k", value="v")],
        ),
    )
    return _check(mocks, user)


@pulumi.runtime.test
def test_keywords(mocks: Mocks) -> Any:
    user = UserPoolUser(
        "alice",
        opts=pulumi.ResourceOptions(),
        user_pool_id="us-east-1_Mock",
        username="alice",
        user_attributes=[UserPoolUserAttributeTypeArgs(name="email", value="alice@example.com")],
        message_action="SUPPRESS",
        client_metadata={"source": "test"},
        desired_delivery_mediums=["EMAIL"],
        force_alias_creation=False,
        validation_data=[UserPoolUserAttributeTypeArgs(name="k", value="v")],
    )
    return _check(mocks, user)


@pulumi.runtime.test
def test_dict_literals(mocks: Mocks) -> Any:
    user = UserPoolUser(
        "alice",
        {
            "user_pool_id": "us-east-1_Mock",
            "username": "alice",
            "user_attributes": [{"name": "email", "value": "alice@example.com"}],
            "message_action": "SUPPRESS",
            "client_metadata": {"source": "test"},
            "desired_delivery_mediums": ["EMAIL"],
            "force_alias_creation": False,
            "validation_data": [{"name": "k", "value": "v"}],
        },
    )
    return _check(mocks, user)


def test_wrong_keyword_is_refused() -> None:
    with pytest.raises(TypeError, match="user_pool"):
        UserPoolUser("x", user_pool="p")  # type: ignore[call-overload]


# UserPool, UserPoolClient, UserPoolGroup: the same three constructor forms.

from userpools.pulumi import (  # noqa: E402
    UserPool,
    UserPoolArgs,
    UserPoolClient,
    UserPoolClientArgs,
    UserPoolClientProvider,
    UserPoolGroup,
    UserPoolGroupArgs,
    UserPoolGroupProvider,
    UserPoolProvider,
    UserPoolUserProvider,
)

POOL = {
    "user_pool_name": "p",
    "username_attributes": ["email"],
    "policies": {"password_policy": {"minimum_length": 8}},
    "user_pool_tags": {"team": "x"},
}
CLIENT = {
    "user_pool_id": "us-east-1_Mock",
    "client_name": "web",
    "generate_secret": True,
    "explicit_auth_flows": ["ALLOW_USER_SRP_AUTH"],
    "access_token_validity": 1,
    "allowed_o_auth_flows": ["code"],
    "callback_urls": ["https://a/cb"],
}
GROUP = {"user_pool_id": "us-east-1_Mock", "group_name": "admins", "description": "Admins", "precedence": 1}
WIRE = {
    "UserPool": {
        "userPoolName": "p",
        "usernameAttributes": ["email"],
        "policies": {"password_policy": {"minimum_length": 8}},  # nested keys: as given
        "userPoolTags": {"team": "x"},
    },
    "UserPoolClient": {
        "userPoolId": "us-east-1_Mock",
        "clientName": "web",
        "generateSecret": True,
        "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH"],
        "accessTokenValidity": 1,
        "allowedOAuthFlows": ["code"],
        "callbackUrls": ["https://a/cb"],
    },
    "UserPoolGroup": {"userPoolId": "us-east-1_Mock", "groupName": "admins", "description": "Admins", "precedence": 1},
}
OUTPUTS = {
    "UserPool": {
        "userPoolId": "us-east-1_Mock",
        "arn": "arn:aws:cognito-idp:us-east-1:000000000000:userpool/x",
        "providerName": "cognito-idp.us-east-1.amazonaws.com/us-east-1_Mock",
        "providerUrl": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Mock",
    },
    "UserPoolClient": {"clientId": "c1", "clientSecret": "s1", "name": "web"},
    "UserPoolGroup": {},
}


class TypedMocks(Mocks):
    def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
        self.created.append(args)
        kind = args.typ.rsplit(":", 1)[-1]
        return f"{kind}-id", {**args.inputs, **OUTPUTS[kind]}


@pytest.fixture
def typed_mocks() -> Iterator[TypedMocks]:
    recorder = TypedMocks()
    with _thread_loop():
        pulumi.runtime.set_mocks(recorder, preview=False)
        yield recorder


def _check_typed(mocks: TypedMocks, kind: str, resource: Any, outputs: dict[str, Any]) -> Any:
    names = sorted(outputs)

    def verify(values: list[Any]) -> None:
        assert values[0] == f"{kind}-id"
        assert dict(zip(names, values[1:], strict=True)) == outputs
        created = mocks.created[-1]
        assert created.typ == f"pulumi-python:dynamic/cognito:{kind}"
        assert {k: v for k, v in created.inputs.items() if k != "__provider"} == WIRE[kind]

    return pulumi.Output.all(resource.id, *[getattr(resource, n) for n in names]).apply(verify)


FORMS: dict[str, tuple[Any, Any, dict[str, Any], dict[str, Any]]] = {
    "UserPool": (
        UserPool,
        UserPoolArgs,
        POOL,
        {"user_pool_id": "us-east-1_Mock", "user_pool_name": "p", "provider_url": OUTPUTS["UserPool"]["providerUrl"]},
    ),
    "UserPoolClient": (
        UserPoolClient,
        UserPoolClientArgs,
        CLIENT,
        {"client_id": "c1", "client_secret": "s1", "callback_urls": ["https://a/cb"]},
    ),
    "UserPoolGroup": (UserPoolGroup, UserPoolGroupArgs, GROUP, {"group_name": "admins", "precedence": 1}),
}


@pytest.mark.parametrize("form", ["args", "keywords", "dict"])
@pytest.mark.parametrize("kind", sorted(FORMS))
@pulumi.runtime.test
def test_constructor_forms(typed_mocks: TypedMocks, kind: str, form: str) -> Any:
    resource_type, args_type, inputs, outputs = FORMS[kind]
    if form == "args":
        resource = resource_type("r", args_type(**inputs), pulumi.ResourceOptions())
    elif form == "keywords":
        resource = resource_type("r", opts=pulumi.ResourceOptions(), **inputs)
    else:
        resource = resource_type("r", dict(inputs))
    return _check_typed(typed_mocks, kind, resource, outputs)


def test_new_classes_refuse_wrong_keywords() -> None:
    with pytest.raises(TypeError, match="pool_name"):
        UserPool("x", pool_name="p")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="allowed_oauth_flows"):
        UserPoolClient("x", user_pool_id="p", allowed_oauth_flows=["code"])  # type: ignore[call-overload]


class LiveMocks(pulumi.runtime.Mocks):
    """Each resource made by its real provider against the live server: check, then create."""

    def __init__(self, endpoint: str) -> None:
        self.providers = {
            kind: provider(endpoint_url=endpoint)
            for kind, provider in (
                ("UserPool", UserPoolProvider),
                ("UserPoolClient", UserPoolClientProvider),
                ("UserPoolGroup", UserPoolGroupProvider),
                ("UserPoolUser", UserPoolUserProvider),
            )
        }

    def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
        provider = self.providers[args.typ.rsplit(":", 1)[-1]]
        checked = provider.check({}, {k: v for k, v in args.inputs.items() if k != "__provider"})
        assert checked.failures == []
        created = provider.create(checked.inputs)
        return created.id, created.outs or {}

    def call(self, args: Any) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        return {}, []


@pytest.fixture
def live_mocks(server: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveMocks]:
    for key, value in (
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_REGION", "us-east-1"),
    ):
        monkeypatch.setenv(key, value)
    recorder = LiveMocks(server.url)
    with _thread_loop():
        pulumi.runtime.set_mocks(recorder, preview=False)
        yield recorder


@pulumi.runtime.test
def test_whole_program(live_mocks: LiveMocks, cognito: Any) -> Any:
    pool = UserPool(
        "pool",
        user_pool_name="program",
        auto_verified_attributes=["email"],
        admin_create_user_config={"allow_admin_create_user_only": True},
    )
    client = UserPoolClient(
        "client",
        UserPoolClientArgs(
            user_pool_id=pool.user_pool_id,
            client_name="web",
            generate_secret=True,
            explicit_auth_flows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        ),
    )
    group = UserPoolGroup("admins", {"user_pool_id": pool.user_pool_id, "group_name": "admins", "precedence": 1})
    user = UserPoolUser(
        "alice",
        user_pool_id=pool.user_pool_id,
        username="alice",
        message_action="SUPPRESS",
        user_attributes=[{"name": "email", "value": "alice@example.com"}],
    )

    def verify(values: list[Any]) -> None:
        pool_id, client_id, secret, group_name, user_id = values
        described = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
        assert described["Name"] == "program"
        assert described["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
        web = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
        assert web["ClientName"] == "web" and web["ClientSecret"] == secret
        assert cognito.get_group(UserPoolId=pool_id, GroupName=group_name)["Group"]["Precedence"] == 1
        assert user_id == f"{pool_id}|alice"
        assert cognito.admin_get_user(UserPoolId=pool_id, Username="alice")["Username"] == "alice"

    return pulumi.Output.all(
        pool.user_pool_id, client.client_id, client.client_secret, group.group_name, user.id
    ).apply(verify)
