"""Races under concurrency answer Cognito's errors, never a 500: two worker processes, threads of boto3
clients, on both databases (the audit found these on PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.conftest import BACKENDS, client_for
from tests.support import Server
from tests.support.race import race


@pytest.fixture(scope="module", params=BACKENDS)
def workers(request: pytest.FixtureRequest, database_url_for: Callable[[str], str]) -> Iterator[Server]:
    live = Server(database_url_for(request.param), workers=2)
    yield live
    live.stop()


def adder(client: Any, pool: str, name: str) -> Callable[[], Any]:
    return lambda: client.admin_add_user_to_group(UserPoolId=pool, Username=name, GroupName="g")


@pytest.mark.parametrize("round_", range(5))
def test_delete_group_racing_add_user_to_group(workers: Server, round_: int) -> None:
    cognito = client_for(workers.url)
    pool = cognito.create_user_pool(PoolName=f"race-{uuid.uuid4().hex[:6]}")["UserPool"]["Id"]
    names = [f"u{i}" for i in range(8)]
    for name in names:
        cognito.admin_create_user(UserPoolId=pool, Username=name, MessageAction="SUPPRESS")
    cognito.create_group(UserPoolId=pool, GroupName="g")
    racers = [client_for(workers.url) for _ in range(len(names) + 1)]
    calls: list[Callable[[], Any]] = [lambda: racers[-1].delete_group(UserPoolId=pool, GroupName="g")]
    calls += [adder(c, pool, n) for c, n in zip(racers, names, strict=False)]
    outcomes = race(calls)
    assert outcomes[0][0] == "ok"
    assert {o if o == "ok" else code for o, code in outcomes[1:]} <= {"ok", "ResourceNotFoundException"}
    for name in names:
        assert cognito.admin_list_groups_for_user(UserPoolId=pool, Username=name)["Groups"] == []


def test_force_alias_creation_under_contention_always_moves_the_alias(workers: Server) -> None:
    cognito = client_for(workers.url)
    pool = cognito.create_user_pool(PoolName="alias-race", AliasAttributes=["email"])["UserPool"]["Id"]
    racers = [client_for(workers.url) for _ in range(50)]
    email = [{"Name": "email", "Value": "shared@example.com"}, {"Name": "email_verified", "Value": "true"}]

    def create(client: Any, name: str) -> Callable[[], Any]:
        return lambda: client.admin_create_user(
            UserPoolId=pool, Username=name, MessageAction="SUPPRESS", UserAttributes=email, ForceAliasCreation=True
        )

    outcomes = race([create(c, f"user{i}") for i, c in enumerate(racers)])
    assert [o for o in outcomes if o[0] != "ok"] == []
    holders = [
        u["Username"]
        for u in cognito.list_users(UserPoolId=pool, Limit=60)["Users"]
        if {a["Name"]: a["Value"] for a in u["Attributes"]}.get("email_verified") == "true"
    ]
    assert len(holders) == 1  # the alias ended on one user; the others' email is unverified
    got = cognito.admin_get_user(UserPoolId=pool, Username="shared@example.com")
    assert got["Username"] == holders[0]
