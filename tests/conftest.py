"""Shared fixtures: a live userpools server per database backend, boto3 clients, fresh pools."""

from __future__ import annotations

import json
import tempfile
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from tests.support import Postgres, Server
from userpools.storage.engine import Store

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A real PostgreSQL the tests start themselves. If it cannot start, that is a failure, not a skip."""
    cluster = Postgres()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def database_url_for(postgres_lazy: Callable[[], Postgres]) -> Callable[[str], str]:
    def url(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tempfile.mkdtemp(prefix='userpools-db-')}/userpools.db"
        return postgres_lazy().create_database(f"t_{uuid.uuid4().hex[:12]}")

    return url


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, database_url_for: Callable[[str], str]) -> Iterator[Store]:
    """A migrated Store of its own, on each backend (storage-level tests)."""
    store = Store(database_url_for(request.param))
    store.migrate()
    yield store
    store.close()


@pytest.fixture(scope="session")
def postgres_lazy(request: pytest.FixtureRequest) -> Callable[[], Postgres]:
    return lambda: request.getfixturevalue("postgres")


@pytest.fixture(scope="session", params=BACKENDS)
def server(request: pytest.FixtureRequest, database_url_for: Callable[[str], str]) -> Iterator[Server]:
    live = Server(database_url_for(request.param))
    yield live
    live.stop()


def client_for(url: str, service: str = "cognito-idp") -> Any:
    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(retries={"max_attempts": 1}),
    )


@pytest.fixture
def cognito(server: Server) -> Any:
    return client_for(server.url)


@pytest.fixture
def make_pool(cognito: Any) -> Callable[..., str]:
    def make(**config: Any) -> str:
        return str(cognito.create_user_pool(PoolName=f"pool-{uuid.uuid4().hex[:8]}", **config)["UserPool"]["Id"])

    return make


@pytest.fixture
def pool(make_pool: Callable[..., str]) -> str:
    return make_pool()


def outbox(server: Server, **filters: str) -> list[dict[str, Any]]:
    from urllib.parse import urlencode

    with urllib.request.urlopen(f"{server.url}/_userpools/outbox?{urlencode(filters)}") as response:
        return json.load(response)  # type: ignore[no-any-return]


def last_code(server: Server, pool: str, username: str, kind: str) -> str:
    """The code of the latest message of ``kind`` (SIGN_UP, FORGOT_PASSWORD, ...) to ``username``."""
    return str([m for m in outbox(server, pool=pool, username=username) if m["kind"] == kind][-1]["code"])


def error_of(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def post_json(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"content-type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)


@pytest.fixture
def move_clock(server: Server) -> Iterator[Callable[[float], None]]:
    """Move the live server's clock forward by some seconds; it is put back when the test ends."""

    def move(seconds: float) -> None:
        post_json(f"{server.url}/_userpools/clock", {"advance": seconds})

    yield move
    post_json(f"{server.url}/_userpools/clock", {"offset": 0})
