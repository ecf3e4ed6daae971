"""Several userpools processes on one database (PostgreSQL, or one SQLite file): what one writes, all see;
races have exact outcomes."""

from __future__ import annotations

import fcntl
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import client_for, error_of, post_json
from tests.support import Postgres, Server
from tests.support.race import race

RACERS = 8


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def pair(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres").create_database(f"multi_{uuid.uuid4().hex[:8]}")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('multi')}/shared.db"
    first, second = Server(url), Server(url)
    yield first, second
    first.stop()
    second.stop()


def clients(pair: tuple[Server, Server], count: int) -> list[Any]:
    """One boto3 client per racer, alternating between the two servers."""
    return [client_for(pair[i % 2].url) for i in range(count)]


def attrs(**values: str) -> list[dict[str, str]]:
    return [{"Name": k, "Value": v} for k, v in values.items()]


def test_user_created_on_one_is_visible_on_the_other(pair: tuple[Server, Server]) -> None:
    one, other = client_for(pair[0].url), client_for(pair[1].url)
    pool = one.create_user_pool(PoolName="shared")["UserPool"]["Id"]
    assert other.describe_user_pool(UserPoolId=pool)["UserPool"]["Name"] == "shared"
    one.admin_create_user(
        UserPoolId=pool, Username="alice", MessageAction="SUPPRESS", UserAttributes=attrs(email="alice@example.com")
    )
    got = other.admin_get_user(UserPoolId=pool, Username="alice")
    assert {a["Name"]: a["Value"] for a in got["UserAttributes"]}["email"] == "alice@example.com"
    other.admin_delete_user(UserPoolId=pool, Username="alice")
    with pytest.raises(ClientError) as excinfo:
        one.admin_get_user(UserPoolId=pool, Username="alice")
    assert excinfo.value.response["Error"]["Code"] == "UserNotFoundException"


@pytest.mark.parametrize("round_", range(3))
def test_same_username_on_both_instances_one_wins(pair: tuple[Server, Server], round_: int) -> None:
    racers = clients(pair, RACERS)
    pool = racers[0].create_user_pool(PoolName=f"race-{round_}")["UserPool"]["Id"]
    outcomes = race(
        [
            lambda c=c: c.admin_create_user(UserPoolId=pool, Username="bob", MessageAction="SUPPRESS")  # type: ignore[misc]
            for c in racers
        ]
    )
    assert sorted(kind for kind, _ in outcomes) == ["error"] * (RACERS - 1) + ["ok"]
    assert {code for kind, code in outcomes if kind == "error"} == {"UsernameExistsException"}
    listed = racers[1].list_users(UserPoolId=pool)["Users"]
    assert [u["Username"] for u in listed] == ["bob"]


@pytest.mark.parametrize("round_", range(3))
def test_username_attribute_race_one_wins(pair: tuple[Server, Server], round_: int) -> None:
    racers = clients(pair, RACERS)
    pool = racers[0].create_user_pool(PoolName=f"email-{round_}", UsernameAttributes=["email"])["UserPool"]["Id"]
    outcomes = race(
        [
            lambda c=c: c.admin_create_user(
                UserPoolId=pool,
                Username="carol@example.com",  # type: ignore[misc]
                MessageAction="SUPPRESS",
            )
            for c in racers
        ]
    )
    assert sorted(kind for kind, _ in outcomes) == ["error"] * (RACERS - 1) + ["ok"]
    assert {code for kind, code in outcomes if kind == "error"} == {"UsernameExistsException"}
    assert len(racers[1].list_users(UserPoolId=pool, Filter='email = "carol@example.com"')["Users"]) == 1


def _verified_owners(client: Any, pool: str, email: str) -> list[str]:
    users = client.list_users(UserPoolId=pool, Filter=f'email = "{email}"')["Users"]
    return [
        u["Username"] for u in users if {a["Name"]: a["Value"] for a in u["Attributes"]}.get("email_verified") == "true"
    ]


@pytest.mark.parametrize("round_", range(3))
def test_alias_claims_without_force_one_wins(pair: tuple[Server, Server], round_: int) -> None:
    racers = clients(pair, RACERS)
    pool = racers[0].create_user_pool(PoolName=f"alias-{round_}", AliasAttributes=["email"])["UserPool"]["Id"]
    email = "dave@example.com"
    outcomes = race(
        [
            lambda c=c, i=i: c.admin_create_user(  # type: ignore[misc]
                UserPoolId=pool,
                Username=f"dave{i}",
                MessageAction="SUPPRESS",
                UserAttributes=attrs(email=email, email_verified="true"),
            )
            for i, c in enumerate(racers)
        ]
    )
    assert sorted(kind for kind, _ in outcomes) == ["error"] * (RACERS - 1) + ["ok"]
    assert {code for kind, code in outcomes if kind == "error"} == {"AliasExistsException"}
    winner = next(r["User"]["Username"] for kind, r in outcomes if kind == "ok")
    for client in (client_for(pair[0].url), client_for(pair[1].url)):
        assert _verified_owners(client, pool, email) == [winner]
        assert client.admin_get_user(UserPoolId=pool, Username=email)["Username"] == winner


@pytest.mark.parametrize("round_", range(3))
def test_forced_alias_migrations_leave_one_owner(pair: tuple[Server, Server], round_: int) -> None:
    racers = clients(pair, RACERS)
    pool = racers[0].create_user_pool(PoolName=f"force-{round_}", AliasAttributes=["email"])["UserPool"]["Id"]
    email = "erin@example.com"
    racers[0].admin_create_user(
        UserPoolId=pool,
        Username="erin",
        MessageAction="SUPPRESS",
        UserAttributes=attrs(email=email, email_verified="true"),
    )
    outcomes = race(
        [
            lambda c=c, i=i: c.admin_create_user(  # type: ignore[misc]
                UserPoolId=pool,
                Username=f"erin{i}",
                MessageAction="SUPPRESS",
                ForceAliasCreation=True,
                UserAttributes=attrs(email=email, email_verified="true"),
            )
            for i, c in enumerate(racers)
        ]
    )
    assert [kind for kind, _ in outcomes] == ["ok"] * RACERS, [o for o in outcomes if o[0] == "error"]
    for client in (client_for(pair[0].url), client_for(pair[1].url)):
        owners = _verified_owners(client, pool, email)
        assert len(owners) == 1
        assert owners[0] != "erin"
        assert client.admin_get_user(UserPoolId=pool, Username=email)["Username"] == owners[0]
        assert len(client.list_users(UserPoolId=pool, Filter=f'email = "{email}"')["Users"]) == RACERS + 1


@pytest.mark.parametrize("round_", range(2))
def test_attribute_updates_claiming_one_alias(pair: tuple[Server, Server], round_: int) -> None:
    """AdminUpdateUserAttributes racing to verify the same email: exactly one holds it afterwards."""
    racers = clients(pair, RACERS)
    pool = racers[0].create_user_pool(PoolName=f"update-{round_}", AliasAttributes=["email"])["UserPool"]["Id"]
    for i in range(RACERS):
        racers[0].admin_create_user(UserPoolId=pool, Username=f"fay{i}", MessageAction="SUPPRESS")
    email = "fay@example.com"
    outcomes = race(
        [
            lambda c=c, i=i: c.admin_update_user_attributes(  # type: ignore[misc]
                UserPoolId=pool, Username=f"fay{i}", UserAttributes=attrs(email=email, email_verified="true")
            )
            for i, c in enumerate(racers)
        ]
    )
    assert sorted(kind for kind, _ in outcomes) == ["error"] * (RACERS - 1) + ["ok"]
    assert {code for kind, code in outcomes if kind == "error"} == {"AliasExistsException"}
    owners = _verified_owners(racers[1], pool, email)
    assert len(owners) == 1
    assert racers[1].admin_get_user(UserPoolId=pool, Username=email)["Username"] == owners[0]


def test_workers_option_serves_from_several_processes(postgres: Postgres) -> None:
    url = postgres.create_database(f"workers_{uuid.uuid4().hex[:8]}")
    server = Server(url, workers=2)
    try:
        racers = [client_for(server.url) for _ in range(RACERS)]
        pool = racers[0].create_user_pool(PoolName="workers")["UserPool"]["Id"]
        outcomes = race(
            [
                lambda c=c, i=i: c.admin_create_user(
                    UserPoolId=pool,
                    Username=f"w{i % 2}",  # type: ignore[misc]
                    MessageAction="SUPPRESS",
                )
                for i, c in enumerate(racers)
            ]
        )
        assert sorted(kind for kind, _ in outcomes) == ["error"] * (RACERS - 2) + ["ok", "ok"]
        names = sorted(u["Username"] for u in racers[3].list_users(UserPoolId=pool)["Users"])
        assert names == ["w0", "w1"]
    finally:
        server.stop()


def test_workers_option_on_sqlite(tmp_path: Any) -> None:
    server = Server(f"sqlite:///{tmp_path}/userpools.db", workers=2)
    try:
        racers = [client_for(server.url) for _ in range(4)]
        pool = racers[0].create_user_pool(PoolName="workers")["UserPool"]["Id"]
        outcomes = race(
            [
                lambda c=c: c.admin_create_user(
                    UserPoolId=pool,
                    Username="same",  # type: ignore[misc]
                    MessageAction="SUPPRESS",
                )
                for c in racers
            ]
        )
        assert sorted(kind for kind, _ in outcomes) == ["error"] * 3 + ["ok"]
    finally:
        server.stop()


def test_sqlite_writers_of_every_process_queue_on_one_file_lock(tmp_path: Any) -> None:
    """Processes sharing a SQLite file queue their writes on an flock of ``<database>-writer``, not in
    SQLite's busy handler (which sleeps up to 100 ms at a time): a write waits while another process holds it,
    on a thread, so the server's event loop goes on answering reads."""
    database = tmp_path / "queue.db"
    server = Server(f"sqlite:///{database}")
    try:
        cognito = client_for(server.url)
        pool = cognito.create_user_pool(PoolName="queue")["UserPool"]["Id"]
        with open(f"{database}-writer", "a+") as held, ThreadPoolExecutor(1) as executor:
            fcntl.flock(held, fcntl.LOCK_EX)
            pending = executor.submit(
                cognito.admin_create_user, UserPoolId=pool, Username="queued", MessageAction="SUPPRESS"
            )
            time.sleep(1)
            assert not pending.done()
            # The waiting create is on a thread, not the event loop (WriterBusy): reads are still answered.
            assert cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["EstimatedNumberOfUsers"] == 0
            with pytest.raises(ClientError) as excinfo:
                cognito.admin_get_user(UserPoolId=pool, Username="queued")
            assert error_of(excinfo)[0] == "UserNotFoundException"
            assert not pending.done()
            fcntl.flock(held, fcntl.LOCK_UN)
            assert pending.result(timeout=30)["User"]["Username"] == "queued"
        assert cognito.admin_get_user(UserPoolId=pool, Username="queued")["Username"] == "queued"
    finally:
        server.stop()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_reset_keeps_the_keys_every_process_shares(backend: str, database_url_for: Any) -> None:
    """After a reset, a process started later still accepts the pagination tokens of one started before it:
    the server's own secrets (server_secrets) survive the reset, as every running process has read them."""
    url = database_url_for(backend)
    before = Server(url)
    later: Server | None = None
    try:
        post_json(f"{before.url}/_userpools/reset", {})
        one = client_for(before.url)
        for i in range(3):
            one.create_user_pool(PoolName=f"after-reset-{i}")
        page = one.list_user_pools(MaxResults=1)
        later = Server(url)
        following = client_for(later.url).list_user_pools(MaxResults=1, NextToken=page["NextToken"])
        assert [p["Name"] for p in following["UserPools"]] != [p["Name"] for p in page["UserPools"]]
    finally:
        before.stop()
        if later is not None:
            later.stop()
