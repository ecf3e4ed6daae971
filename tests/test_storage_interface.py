"""The storage seam (storage/interface/): every repository of the unit of work is typed by its Protocol and
provides it, the seam imports no SQL, and the records the last row-returning repositories now give back
round-trip on SQLite and PostgreSQL."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import typing
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

from userpools.storage import interface
from userpools.storage.engine import Store
from userpools.storage.errors import Conflict
from userpools.storage.outbox import StoredMessage
from userpools.storage.resource_requests import ResourceRequest
from userpools.storage.unit import Tx

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def _repositories() -> dict[str, cached_property[object]]:
    return {name: member for name, member in vars(Tx).items() if isinstance(member, cached_property)}


def _protocol_members(protocol: type) -> set[str]:
    return {name for name in vars(protocol) if not name.startswith("_")}


def test_every_repository_of_the_unit_of_work_is_typed_by_its_protocol() -> None:
    declared = {
        name for name, member in vars(interface.UnitOfWork).items() if isinstance(member, property) and name != "write"
    }
    assert set(_repositories()) == declared
    for name, member in _repositories().items():
        protocol = typing.get_type_hints(member.func)["return"]
        assert protocol is typing.get_type_hints(getattr(interface.UnitOfWork, name).fget)["return"], name
        assert getattr(protocol, "_is_protocol", False), f"Tx.{name} is typed {protocol}, not a Protocol"


@pytest.mark.parametrize("name", sorted(_repositories()))
def test_each_repository_has_its_protocol_s_methods_with_their_parameters(name: str) -> None:
    """What mypy checks at each of Tx's properties, checked again where a ``type: ignore`` cannot hide it."""
    member = _repositories()[name]
    protocol = typing.get_type_hints(member.func)["return"]
    repository = type(member.func(object()))  # a repository only keeps the session it is given until used
    assert repository.__name__.endswith("Repository"), repository
    for method in _protocol_members(protocol):
        wanted = list(inspect.signature(getattr(protocol, method)).parameters)
        assert list(inspect.signature(getattr(repository, method)).parameters) == wanted, f"{name}.{method}"


def test_the_seam_imports_no_sql() -> None:
    code = "import sys, userpools.storage.interface; print(sorted({m.split('.')[0] for m in sys.modules}))"
    source = str(Path(interface.__file__).parents[3])  # this checkout's src/
    env = {**os.environ, "PYTHONPATH": source}
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert "sqlalchemy" not in loaded


def test_the_outbox_lists_stored_messages(store: Store) -> None:
    message: dict[str, Any] = {
        "pool_id": "us-east-1_seam",
        "username": "erin",
        "kind": "SIGN_UP",
        "medium": "EMAIL",
        "destination": "sealed-destination",
        "destination_key": "digest",
        "subject": None,
        "body": "",
        "code": "sealed-code",
        "status": "sent",
        "created": NOW,
    }
    with store.transaction() as tx:
        first = tx.outbox.add(**message)
        second = tx.outbox.add(**{**message, "username": "frank", "destination_key": None})
    with store.transaction(write=False) as tx:
        listed = tx.outbox.list(pool="us-east-1_seam")
        after = tx.outbox.list(after=first)
        erin = tx.outbox.list(usernames=["erin"], destination_key="digest")
    assert listed == [
        StoredMessage(id=first, **message),
        StoredMessage(id=second, **{**message, "username": "frank", "destination_key": None}),
    ]
    assert [m.id for m in after] == [second] and [m.id for m in erin] == [first]
    assert listed[0].created == NOW


def test_resource_requests_round_trip_and_refuse_a_client_token_twice(store: Store) -> None:
    def request(token: str, client_token: str | None, status: str = "SUCCESS") -> ResourceRequest:
        return ResourceRequest(
            request_token=token,
            client_token=client_token,
            fingerprint="f" * 64,
            type_name="AWS::Cognito::UserPool",
            identifier="us-east-1_seam",
            operation="CREATE",
            status=status,
            error_code=None,
            status_message=None,
            resource_model='{"UserPoolName":"seam"}',
            event_time=NOW,
        )

    with store.transaction() as tx:
        tx.resource_requests.insert(request("r1", "c1"))
        tx.resource_requests.insert(request("r2", None, "FAILED"))
    with pytest.raises(Conflict) as refused, store.transaction() as tx:
        tx.resource_requests.insert(request("r3", "c1"))
    assert refused.value.kind == "client_token"
    with store.transaction(write=False) as tx:
        by_request = tx.resource_requests.by_request_token("r1")
        by_client = tx.resource_requests.by_client_token("c1")
        newest_first = tx.resource_requests.page(None, 10, None, None)
        failed = tx.resource_requests.page(None, 10, ["CREATE"], ["FAILED"])
        missing = tx.resource_requests.by_request_token("r3")
    assert by_request is not None and by_request == by_client
    assert by_request.id is not None and by_request == ResourceRequest(
        **{**vars(request("r1", "c1")), "id": by_request.id}
    )
    assert [r.request_token for r in newest_first] == ["r2", "r1"]
    assert [r.request_token for r in failed] == ["r2"] and missing is None
    with store.transaction(write=False) as tx:
        assert [r.request_token for r in tx.resource_requests.page(newest_first[0].id, 10, None, None)] == ["r1"]
