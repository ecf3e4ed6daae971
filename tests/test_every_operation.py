"""Every operation of botocore's cognito-idp model is built: each is called over HTTP with input that passes
the model's checks (made from its shapes), and none answers 501 NotImplementedException. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import httpx
import regex
from botocore.model import ListShape, MapShape, Shape, StructureShape

from tests.support import Server
from userpools.operations import COGNITO
from userpools.protocol.model import service_model
from userpools.protocol.validate import validate

MODEL = service_model("cognito-idp")
TARGET = "AWSCognitoIdentityProviderService"
# Strings tried in order for a string shape: the first that fits its pattern and length is used.
CANDIDATES = [
    "abc",
    "us-east-1_abcdefghi",
    "us-east-1_0123abcd-ef",
    "a" * 26,
    "abcdef0123456789",
    "https://example.com/client",
    "12345678-1234-4234-8234-123456789012",
    "terms-of-use",
    "import-abc123",
    "eu-west-1",
    "arn:aws:iam::123456789012:role/example",
    "arn:aws:lambda:us-east-1:123456789012:function:example",
    "alice@example.com",
    "+12065550100",
    "123456",
    "Passw0rd!",
    "a" * 64,
    "abc.def.ghi",
    "tkn" + "a" * 25,
]


def _string(shape: Shape, member: str) -> str:
    if shape.enum:
        return str(shape.enum[0])
    pattern, low, high = shape.metadata.get("pattern"), shape.metadata.get("min", 0), shape.metadata.get("max", 10**6)
    for candidate in CANDIDATES:
        value = candidate if len(candidate) >= low else candidate + "a" * (low - len(candidate))
        if len(value) <= high and (pattern is None or regex.fullmatch(pattern, value)):
            return value
    raise AssertionError(f"no sample string fits {member} ({shape.name}: {pattern}, {low}..{high})")


def sample(shape: Shape, member: str = "") -> Any:
    """The smallest input the model accepts for ``shape``: required members only, lists at their minimum."""
    if isinstance(shape, StructureShape):
        return {name: sample(shape.members[name], name) for name in shape.required_members}
    if isinstance(shape, ListShape):
        return [sample(shape.member, member) for _ in range(int(shape.metadata.get("min", 0)))]
    if isinstance(shape, MapShape):
        return {}
    kind = shape.type_name
    if kind == "string":
        return _string(shape, member)
    if kind in ("integer", "long"):
        return int(shape.metadata.get("min", 1))
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return 0
    if kind == "blob":
        return ""
    raise AssertionError(f"unexpected shape type {kind} for {member}")


def test_the_registry_has_every_operation() -> None:
    assert sorted(set(MODEL.operation_names) - set(COGNITO)) == []


def test_no_operation_answers_501(server: Server) -> None:
    answered: dict[str, int] = {}
    with httpx.Client(timeout=30) as http:
        for name in sorted(MODEL.operation_names):
            shape = MODEL.operation_model(name).input_shape
            body = sample(shape) if shape is not None else {}
            assert validate(shape, body) == [], (name, body)
            response = http.post(
                server.url + "/",
                content=json.dumps(body).encode(),
                headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"{TARGET}.{name}"},
            )
            assert response.status_code != 501 and response.json().get("__type") != "NotImplementedException", name
            assert response.status_code < 500, (name, response.text)
            answered[name] = response.status_code
    assert len(answered) == len(MODEL.operation_names)
