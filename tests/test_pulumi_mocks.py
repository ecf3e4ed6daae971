"""userpools.pulumi accepts every constructor form of the seed page, checked with Pulumi's mocks."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

pulumi = pytest.importorskip("pulumi")

from userpools.pulumi import UserPoolUser, UserPoolUserArgs, UserPoolUserAttributeTypeArgs  # noqa: E402


class Mocks(pulumi.runtime.Mocks):  # type: ignore[misc]
    def __init__(self) -> None:
        self.created: list[Any] = []

    def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
        self.created.append(args)
        return f"us-east-1_Mock|{args.inputs.get('username')}", dict(args.inputs)

    def call(self, args: Any) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        return {}, []


@pytest.fixture
def mocks() -> Mocks:
    recorder = Mocks()
    asyncio.set_event_loop(asyncio.new_event_loop())  # pulumi.runtime.test runs on the thread's loop
    pulumi.runtime.set_mocks(recorder, preview=False)
    return recorder


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
    user = UserPoolUser("alice", UserPoolUserArgs(
        user_pool_id="us-east-1_Mock", username="alice",
        user_attributes=[UserPoolUserAttributeTypeArgs(name="email", value="alice@example.com")],
        message_action="SUPPRESS", client_metadata={"source": "test"}, desired_delivery_mediums=["EMAIL"],
        force_alias_creation=False, validation_data=[UserPoolUserAttributeTypeArgs(name="k", value="v")],
    ))
    return _check(mocks, user)


@pulumi.runtime.test
def test_keywords(mocks: Mocks) -> Any:
    user = UserPoolUser(
        "alice", opts=pulumi.ResourceOptions(), user_pool_id="us-east-1_Mock", username="alice",
        user_attributes=[UserPoolUserAttributeTypeArgs(name="email", value="alice@example.com")],
        message_action="SUPPRESS", client_metadata={"source": "test"}, desired_delivery_mediums=["EMAIL"],
        force_alias_creation=False, validation_data=[UserPoolUserAttributeTypeArgs(name="k", value="v")],
    )
    return _check(mocks, user)


@pulumi.runtime.test
def test_dict_literals(mocks: Mocks) -> Any:
    user = UserPoolUser("alice", {
        "user_pool_id": "us-east-1_Mock", "username": "alice",
        "user_attributes": [{"name": "email", "value": "alice@example.com"}],
        "message_action": "SUPPRESS", "client_metadata": {"source": "test"}, "desired_delivery_mediums": ["EMAIL"],
        "force_alias_creation": False, "validation_data": [{"name": "k", "value": "v"}],
    })
    return _check(mocks, user)


def test_wrong_keyword_is_refused() -> None:
    with pytest.raises(TypeError, match="user_pool"):
        UserPoolUser("x", user_pool="p")
