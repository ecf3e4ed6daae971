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
from userpools.pulumi import UserPoolUserProvider  # noqa: E402

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
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret",
           "AWS_REGION": "us-east-1", "PULUMI_PROJECT": "seed"}
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


def test_engine_lifecycle(stub: Any, cognito: Any, pool: str) -> None:
    provider = serialize_provider(UserPoolUserProvider())
    news = {"userPoolId": pool, "username": "alice", "messageAction": "SUPPRESS",
            "userAttributes": [{"name": "email", "value": "alice@example.com"}], "__provider": provider}

    bad = stub.Check(provider_pb2.CheckRequest(urn=URN, olds=to_struct({}), news=to_struct(
        {"userPoolId": pool, "messageAction": "NOPE", "__provider": provider})))
    assert {(f.property, f.reason) for f in bad.failures} == {
        ("username", "username is required"), ("messageAction", "messageAction must be RESEND or SUPPRESS")}

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

    same = stub.Diff(provider_pb2.DiffRequest(id=created.id, urn=URN, olds=created.properties,
                                              news=to_struct(news)))
    assert same.changes == provider_pb2.DiffResponse.DIFF_NONE

    renamed = {**news, "username": "alice2"}
    diff = stub.Diff(provider_pb2.DiffRequest(id=created.id, urn=URN, olds=created.properties,
                                              news=to_struct(renamed)))
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
