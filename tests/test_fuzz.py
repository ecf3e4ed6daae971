"""The audit as a test: model-driven, seeded fuzzing of every operation userpools implements, over raw HTTP,
on both databases, on a server of its own. Inputs are built from botocore's shapes: mostly valid-ish values
(real pool, client, user and group names), mixed with wrong types, nulls, boundary lengths, NUL, lone
surrogates, huge numbers and broken bodies. Every answer must be below 500 and, if an error, carry a JSON
``__type``. USERPOOLS_FUZZ_SECONDS (default 20) bounds each database's run, USERPOOLS_FUZZ_REQUESTS (default 0)
makes it send at least that many requests; USERPOOLS_FUZZ_SEED picks the seed. The run at scale is in SECURITY.md."""

from __future__ import annotations

import base64
import json
import os
import random
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from botocore.model import Shape

from tests.conftest import BACKENDS, client_for
from tests.support import Server
from userpools.cloudcontrol.handlers import HANDLERS as CLOUDCONTROL
from userpools.operations import COGNITO
from userpools.protocol.model import service_model

SECONDS = float(os.environ.get("USERPOOLS_FUZZ_SECONDS", "20"))
SEED = int(os.environ.get("USERPOOLS_FUZZ_SEED", "15"))
REFRESH = 500  # requests between fresh pools, users and tokens
AT_LEAST = int(os.environ.get("USERPOOLS_FUZZ_REQUESTS", "0"))
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "a\udfffb",
    "é" * 3,
    "😀",
    "a_" * 40 + "!",
    "@" * 300,
    "x" * 2100,
    "%s{}",
    "'\"",
]
WRONG = [None, 0, -1, 1.5, 2**70, "1", True, [], {}, [None], {"a": None}]


class Fuzzer:
    def __init__(self, rng: random.Random, names: dict[str, list[str]]) -> None:
        self.rng = rng
        self.names = names  # member name -> real values (UserPoolId, ClientId, Username, GroupName, ...)
        self.wild = False  # this request's values: valid-ish (False) or anything (True)

    def value(self, shape: Shape, name: str, depth: int = 0) -> Any:
        rng = self.rng
        if self.wild and rng.random() < 0.05:
            return rng.choice(WRONG)
        kind = shape.type_name
        if kind == "structure":
            if depth > 6:
                return {}
            required = set(shape.required_members)
            return {
                member: self.value(sub, member, depth + 1)
                for member, sub in shape.members.items()
                if rng.random() < (0.9 if member in required else 0.35)
            }
        if kind == "list":
            return [self.value(shape.member, name, depth + 1) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
        if kind == "map":
            return {
                self.string(shape.key, "key"): self.value(shape.value, name, depth + 1)
                for _ in range(rng.choice([0, 1, 2]))
            }
        if kind == "string":
            return self.string(shape, name)
        if kind in ("integer", "long"):
            low, high = shape.metadata.get("min", 0), shape.metadata.get("max", 100)
            fair = rng.randint(low, min(high, low + 100))
            return rng.choice([low, high, low - 1, high + 1, fair, 2**31, 2**63]) if self.wild else fair
        if kind == "boolean":
            return rng.random() < 0.5
        if kind in ("double", "float", "timestamp"):
            return rng.choice([0, 1.5, -1, 1e308, 1700000000])
        if kind == "blob":
            return base64.b64encode(rng.randbytes(rng.randint(0, 40))).decode()
        return None

    def string(self, shape: Shape, name: str) -> str:
        rng = self.rng
        real = self.names.get(name)
        roll = rng.random()
        if real and roll < 0.6:
            return rng.choice(real)
        if shape.enum and roll < 0.8:
            return str(rng.choice(shape.enum))
        if self.wild and roll < 0.9:
            return rng.choice(NASTY)
        low, high = shape.metadata.get("min", 1), min(shape.metadata.get("max", 24), 300)
        return "".join(rng.choice("abcXYZ019_-.") for _ in range(rng.randint(min(low, high), high)))

    def body(self, shape: Shape | None) -> bytes:
        rng = self.rng
        roll = rng.random()
        self.wild = roll < 0.4
        if roll < 0.02:
            return rng.choice([b"{", b"[]", b"null", b'{"a": NaN}', b"\xff\xfe", b"[" * 3000 + b"]" * 3000])
        params = self.value(shape, "input") if shape is not None else {}
        return json.dumps(params).encode()  # ensure_ascii: lone surrogates travel as \\u escapes


@pytest.fixture(scope="module", params=BACKENDS)
def fuzzed(request: pytest.FixtureRequest, database_url_for: Callable[[str], str]) -> Iterator[Server]:
    live = Server(database_url_for(request.param))
    yield live
    live.stop()


def _names(cognito: Any) -> dict[str, list[str]]:
    pool = cognito.create_user_pool(PoolName="fuzz", AliasAttributes=["email"])["UserPool"]["Id"]
    secret = cognito.create_user_pool_client(UserPoolId=pool, ClientName="s", GenerateSecret=True)["UserPoolClient"]
    public = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName="p", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]
    cognito.admin_create_user(UserPoolId=pool, Username="alice", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool, Username="alice", Password="Passw0rd!", Permanent=True)
    cognito.create_group(UserPoolId=pool, GroupName="g")
    tokens = cognito.initiate_auth(
        ClientId=public["ClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": "Passw0rd!"},
    )["AuthenticationResult"]
    arn = f"arn:aws:cognito-idp:us-east-1:000000000000:userpool/{pool}"
    return {
        "UserPoolId": [pool],
        "ClientId": [public["ClientId"], secret["ClientId"]],
        "Username": ["alice", "bob"],
        "GroupName": ["g", "h"],
        "ResourceArn": [arn],
        "TypeName": ["AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient", "AWS::Cognito::UserPoolGroup"],
        "Password": ["Passw0rd!", "short"],
        "ProposedPassword": ["N3w-Passw0rd!"],
        "PreviousPassword": ["Passw0rd!"],
        "Name": ["email", "name", "custom:x", "phone_number"],
        "Value": ["a@example.com", "+15555550100", "true"],
        "AccessToken": [tokens["AccessToken"]],
        "RefreshToken": [tokens["RefreshToken"]],
        "Token": [tokens["RefreshToken"]],
    }


def _bad(answer: httpx.Response) -> bool:
    """A 5xx, an answer that is not a JSON object, or an error without a string ``__type``."""
    if answer.status_code >= 500:
        return True
    try:
        parsed = answer.json()
    except ValueError:
        return True
    if not isinstance(parsed, dict):
        return True
    return answer.status_code != 200 and not isinstance(parsed.get("__type"), str)


def test_no_answer_is_a_5xx(fuzzed: Server) -> None:
    rng = random.Random(SEED)
    cognito = client_for(fuzzed.url)
    fuzzer = Fuzzer(rng, _names(cognito))
    gone = f"User pool {fuzzer.names['UserPoolId'][0]} does not exist."
    services = [
        ("AWSCognitoIdentityProviderService", service_model("cognito-idp"), sorted(COGNITO), "1.1"),
        ("CloudApiService", service_model("cloudcontrol"), sorted(CLOUDCONTROL), "1.0"),
    ]
    operations = [(prefix, model, name, version) for prefix, model, names, version in services for name in names]
    sent, failures = 0, []
    statuses: dict[int, int] = {}
    deadline = time.monotonic() + SECONDS
    with httpx.Client(base_url=fuzzed.url, timeout=30) as http:
        while time.monotonic() < deadline or sent < max(len(operations), AT_LEAST):
            prefix, model, name, version = (
                operations[sent % len(operations)] if sent < len(operations) else rng.choice(operations)
            )
            body = fuzzer.body(model.operation_model(name).input_shape)
            headers = {"x-amz-target": f"{prefix}.{name}", "content-type": f"application/x-amz-json-{version}"}
            answer = http.post("/", content=body, headers=headers)
            sent += 1
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
            spent = answer.status_code == 400 and (gone in answer.text or "has been revoked" in answer.text)
            if sent % REFRESH == 0 or spent:
                # DeleteUserPool, GlobalSignOut, AdminDeleteUser... spent the real names: fresh ones
                fuzzer.names = _names(cognito)
                gone = f"User pool {fuzzer.names['UserPoolId'][0]} does not exist."
            if _bad(answer):
                failures.append((name, answer.status_code, body[:300], answer.text[:300]))
    print(f"\nfuzz seed {SEED}: {sent} requests, {len(failures)} bad, statuses {dict(sorted(statuses.items()))}")
    assert sent >= len(operations)
    assert failures == [], f"{len(failures)} of {sent} answers were 5xx or had no __type; first: {failures[:5]}"
