"""The UserPoolUser dynamic provider driven the way the Pulumi engine drives it, without the CLI:
``python -m pulumi.dynamic`` serves it over gRPC; requests carry the dill-pickled provider in
``__provider``, serialized with Pulumi's own rpc module; the provider talks to the live server."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

pulumi = pytest.importorskip("pulumi")
grpc = pytest.importorskip("grpc")

from pulumi.dynamic.dynamic import serialize_provider  # noqa: E402
from pulumi.runtime import rpc  # noqa: E402
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc  # noqa: E402

from tests.support import Server  # noqa: E402
from userpools.pulumi import (  # noqa: E402
    UserPoolClientProvider,
    UserPoolGroupProvider,
    UserPoolProvider,
    UserPoolUserProvider,
)

URN = "urn:pulumi:dev::seed::pulumi-python:dynamic/cognito:UserPoolUser::user"


def to_struct(props: dict[str, Any]) -> Any:
    loop = asyncio.new_event_loop()  # as pulumi.dynamic does; asyncio.run would unset the thread's loop
    try:
        return loop.run_until_complete(rpc.serialize_properties(props, {}))
    finally:
        loop.close()


def from_struct(struct: Any) -> dict[str, Any]:
    return rpc.deserialize_properties(struct)  # type: ignore[no-any-return]


@pytest.fixture
def stub(server: Server) -> Iterator[Any]:
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_REGION": "us-east-1",
        "PULUMI_PROJECT": "seed",
    }
    process = subprocess.Popen([sys.executable, "-m", "pulumi.dynamic"], stdout=subprocess.PIPE, env=env)
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline().decode().strip())
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        client = provider_pb2_grpc.ResourceProviderStub(channel)
        client.Configure(provider_pb2.ConfigureRequest(args=to_struct({"userpools:endpoint": server.url})))
        yield client
        channel.close()
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


def test_engine_lifecycle(stub: Any, cognito: Any, pool: str) -> None:
    provider = serialize_provider(UserPoolUserProvider())
    news = {
        "userPoolId": pool,
        "username": "alice",
        "messageAction": "SUPPRESS",
        "userAttributes": [{"name": "email", "value": "alice@example.com"}],
        "__provider": provider,
    }

    bad = stub.Check(
        provider_pb2.CheckRequest(
            urn=URN,
            olds=to_struct({}),
            news=to_struct({"userPoolId": pool, "messageAction": "NOPE", "__provider": provider}),
        )
    )
    assert {(f.property, f.reason) for f in bad.failures} == {
        ("username", "username is required"),
        ("messageAction", "messageAction must be RESEND or SUPPRESS"),
    }

    checked = stub.Check(provider_pb2.CheckRequest(urn=URN, olds=to_struct({}), news=to_struct(news)))
    assert list(checked.failures) == []

    created = stub.Create(provider_pb2.CreateRequest(urn=URN, properties=checked.inputs))
    assert created.id == f"{pool}|alice"
    state = from_struct(created.properties)
    assert state["messageAction"] == "SUPPRESS"  # write-only inputs stay in state
    assert cognito.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "FORCE_CHANGE_PASSWORD"

    read = stub.Read(provider_pb2.ReadRequest(id=created.id, urn=URN, properties=created.properties))
    assert read.id == created.id
    assert from_struct(read.properties)["userAttributes"] == [{"name": "email", "value": "alice@example.com"}]

    same = stub.Diff(provider_pb2.DiffRequest(id=created.id, urn=URN, olds=created.properties, news=to_struct(news)))
    assert same.changes == provider_pb2.DiffResponse.DIFF_NONE

    renamed = {**news, "username": "alice2"}
    diff = stub.Diff(provider_pb2.DiffRequest(id=created.id, urn=URN, olds=created.properties, news=to_struct(renamed)))
    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(diff.replaces) == ["username"]
    assert diff.deleteBeforeReplace is True

    # The engine replaces delete-first: Delete the old user, then Create the new one.
    stub.Delete(provider_pb2.DeleteRequest(id=created.id, urn=URN, properties=created.properties))
    replaced = stub.Create(provider_pb2.CreateRequest(urn=URN, properties=to_struct(renamed)))
    assert replaced.id == f"{pool}|alice2"
    names = [u["Username"] for u in cognito.list_users(UserPoolId=pool)["Users"]]
    assert names == ["alice2"]

    # Deleted outside Pulumi: Read reports it gone (empty id), Delete is quiet.
    cognito.admin_delete_user(UserPoolId=pool, Username="alice2")
    gone = stub.Read(provider_pb2.ReadRequest(id=replaced.id, urn=URN, properties=replaced.properties))
    assert gone.id == ""
    stub.Delete(provider_pb2.DeleteRequest(id=replaced.id, urn=URN, properties=replaced.properties))


def urn(kind: str) -> str:
    return f"urn:pulumi:dev::seed::pulumi-python:dynamic/cognito:{kind}::{kind.lower()}"


class Engine:
    """The engine's calls for one resource: check + create, read, diff, update, delete."""

    def __init__(self, stub: Any, kind: str, provider: Any) -> None:
        self.stub, self.urn, self.provider = stub, urn(kind), serialize_provider(provider)

    def check(self, news: dict[str, Any], olds: dict[str, Any] | None = None) -> Any:
        return self.stub.Check(
            provider_pb2.CheckRequest(
                urn=self.urn, olds=to_struct(olds or {}), news=to_struct({**news, "__provider": self.provider})
            )
        )

    def create(self, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        checked = self.check(news)
        assert list(checked.failures) == []
        created = self.stub.Create(provider_pb2.CreateRequest(urn=self.urn, properties=checked.inputs))
        return created.id, from_struct(created.properties)

    def read(self, id_: str, state: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        read = self.stub.Read(provider_pb2.ReadRequest(id=id_, urn=self.urn, properties=to_struct(state)))
        return read.id, from_struct(read.properties)

    def diff(self, id_: str, state: dict[str, Any], news: dict[str, Any]) -> Any:
        checked = from_struct(self.check(news, state).inputs)
        return self.stub.Diff(
            provider_pb2.DiffRequest(id=id_, urn=self.urn, olds=to_struct(state), news=to_struct(checked))
        )

    def update(self, id_: str, state: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        checked = self.check(news, state).inputs
        updated = self.stub.Update(
            provider_pb2.UpdateRequest(id=id_, urn=self.urn, olds=to_struct(state), news=checked)
        )
        return from_struct(updated.properties)

    def delete(self, id_: str, state: dict[str, Any]) -> None:
        self.stub.Delete(provider_pb2.DeleteRequest(id=id_, urn=self.urn, properties=to_struct(state)))


def test_user_pool_lifecycle(stub: Any, cognito: Any) -> None:
    engine = Engine(stub, "UserPool", UserPoolProvider())
    news = {
        "userPoolName": "engine-pool",
        "policies": {"passwordPolicy": {"minimumLength": 10, "requireSymbols": False}},
        "usernameAttributes": ["email"],
        "autoVerifiedAttributes": ["email"],
        "adminCreateUserConfig": {"allow_admin_create_user_only": True},  # snake_case is matched too
        "schema": [{"name": "team", "attributeDataType": "String", "mutable": True}],
        "userPoolTags": {"Team_Name": "x"},  # map keys are kept as given
    }
    pool_id, state = engine.create(news)
    assert state["userPoolId"] == pool_id
    assert state["arn"].endswith(f":userpool/{pool_id}")
    assert state["providerName"] == f"cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    assert state["providerUrl"] == f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["Name"] == "engine-pool"
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert pool["UserPoolTags"] == {"Team_Name": "x"}
    assert "custom:team" in {a["Name"] for a in pool["SchemaAttributes"]}

    read_id, read = engine.read(pool_id, state)
    assert (read_id, read["userPoolName"], read["arn"]) == (pool_id, "engine-pool", state["arn"])
    assert engine.diff(pool_id, state, news).changes == provider_pb2.DiffResponse.DIFF_NONE

    # In place: a new password policy, a new name, one more custom attribute; the omitted
    # adminCreateUserConfig returns to its default (UpdateUserPool is sent the whole desired set).
    changed = {
        **news,
        "userPoolName": "engine-pool-2",
        "policies": {"passwordPolicy": {"minimumLength": 12}},
        "adminCreateUserConfig": None,
        "schema": [*news["schema"], {"name": "level", "attributeDataType": "Number"}],
    }
    diff = engine.diff(pool_id, state, changed)
    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(diff.replaces) == []
    state = engine.update(pool_id, state, changed)
    assert state["userPoolId"] == pool_id and state["userPoolName"] == "engine-pool-2"
    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["Name"] == "engine-pool-2"
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False
    assert {"custom:team", "custom:level"} <= {a["Name"] for a in pool["SchemaAttributes"]}

    # Create-only: username attributes, or a schema attribute removed.
    assert list(engine.diff(pool_id, state, {**changed, "usernameAttributes": ["phone_number"]}).replaces) == [
        "usernameAttributes"
    ]
    assert list(engine.diff(pool_id, state, {**changed, "schema": news["schema"]}).replaces) == ["schema"]

    engine.delete(pool_id, state)
    assert engine.read(pool_id, state)[0] == ""  # gone
    engine.delete(pool_id, state)  # quiet

    generated_id, generated = engine.create({})  # no name: one is generated, as aws-native does
    assert generated["userPoolName"].startswith("userpool-")
    engine.delete(generated_id, generated)


def test_user_pool_client_lifecycle(stub: Any, cognito: Any, pool: str) -> None:
    engine = Engine(stub, "UserPoolClient", UserPoolClientProvider())
    assert {(f.property, f.reason) for f in engine.check({}).failures} == {("userPoolId", "userPoolId is required")}
    news = {
        "userPoolId": pool,
        "clientName": "web",
        "generateSecret": True,
        "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "accessTokenValidity": 2,
        "tokenValidityUnits": {"accessToken": "hours"},
        "callbackUrls": ["https://a/cb"],
        "allowedOAuthFlows": ["code"],
        "allowedOAuthScopes": ["openid"],
        "allowedOAuthFlowsUserPoolClient": True,
        "supportedIdentityProviders": ["COGNITO"],
    }
    id_, state = engine.create(news)
    client_id = state["clientId"]
    assert id_ == f"{pool}|{client_id}" and state["clientSecret"] and state["name"] == "web"
    client = cognito.describe_user_pool_client(UserPoolId=pool, ClientId=client_id)["UserPoolClient"]
    assert client["AccessTokenValidity"] == 2 and client["TokenValidityUnits"]["AccessToken"] == "hours"
    assert client["CallbackURLs"] == ["https://a/cb"] and client["ClientSecret"] == state["clientSecret"]

    assert engine.read(id_, state) == (id_, state)
    assert engine.diff(id_, state, news).changes == provider_pb2.DiffResponse.DIFF_NONE

    changed = {
        **news,
        "clientName": "web2",
        "explicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"],
        "accessTokenValidity": None,
        "tokenValidityUnits": None,
    }
    diff = engine.diff(id_, state, changed)
    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME and list(diff.replaces) == []
    state = engine.update(id_, state, changed)
    assert (state["clientId"], state["name"]) == (client_id, "web2")
    client = cognito.describe_user_pool_client(UserPoolId=pool, ClientId=client_id)["UserPoolClient"]
    assert client["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]
    assert client["AccessTokenValidity"] == 60  # omitted: back to the default, as UpdateUserPoolClient does
    assert client["CallbackURLs"] == ["https://a/cb"]  # kept: sent again

    assert list(engine.diff(id_, state, {**changed, "generateSecret": False}).replaces) == ["generateSecret"]

    cognito.delete_user_pool_client(UserPoolId=pool, ClientId=client_id)
    assert engine.read(id_, state)[0] == ""
    engine.delete(id_, state)


def test_user_pool_group_lifecycle(stub: Any, cognito: Any, pool: str) -> None:
    engine = Engine(stub, "UserPoolGroup", UserPoolGroupProvider())
    news = {"userPoolId": pool, "groupName": "admins", "description": "Admins", "precedence": 1}
    id_, state = engine.create(news)
    assert id_ == f"{pool}|admins" and state["groupName"] == "admins"
    assert cognito.get_group(UserPoolId=pool, GroupName="admins")["Group"]["Precedence"] == 1
    assert engine.read(id_, state) == (id_, state)

    changed = {**news, "description": None, "precedence": 5, "roleArn": "arn:aws:iam::123456789012:role/admins"}
    diff = engine.diff(id_, state, changed)
    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME and list(diff.replaces) == []
    state = engine.update(id_, state, changed)
    group = cognito.get_group(UserPoolId=pool, GroupName="admins")["Group"]
    assert (group["Precedence"], group["RoleArn"], group.get("Description") or None) == (
        5,
        "arn:aws:iam::123456789012:role/admins",
        None,
    )

    assert list(engine.diff(id_, state, {**changed, "groupName": "owners"}).replaces) == ["groupName"]

    engine.delete(id_, state)
    assert engine.read(id_, state)[0] == ""
    engine.delete(id_, state)
