"""The CIMDPolicy dynamic provider driven as the Pulumi engine drives it (over gRPC, tests/test_pulumi_provider.py),
against the live server."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pulumi")

from pulumi.runtime.proto import provider_pb2

from tests.test_pulumi_provider import Engine, stub  # noqa: F401
from userpools.pulumi import CIMDPolicy, CIMDPolicyArgs, CIMDPolicyProvider

PATTERNS = ["https://apps.example.com/*"]


def test_cimd_policy_lifecycle(stub: Any, cognito: Any, pool: str) -> None:  # noqa: F811
    client = cognito.create_user_pool_client(UserPoolId=pool, ClientName="app")["UserPoolClient"]["ClientId"]
    engine = Engine(stub, "CIMDPolicy", CIMDPolicyProvider())
    news = {"userPoolId": pool, "clientId": client, "policyName": "agents", "urlPatterns": PATTERNS}
    id_, state = engine.create(news)
    policy_id = state["cimdPolicyId"]
    assert id_ == f"{pool}|{policy_id}"
    described = cognito.describe_cimd_policy(UserPoolId=pool, CIMDPolicyId=policy_id)["CIMDPolicy"]
    assert described["URLPatterns"] == PATTERNS and described["PolicyName"] == "agents"
    assert engine.read(id_, state) == (id_, state)

    changed = {**news, "urlPatterns": [*PATTERNS, "https://tool.example.org/c.json"], "cacheDuration": 172800}
    diff = engine.diff(id_, state, changed)
    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME and list(diff.replaces) == []
    state = engine.update(id_, state, changed)
    described = cognito.describe_cimd_policy(UserPoolId=pool, CIMDPolicyId=policy_id)["CIMDPolicy"]
    assert len(described["URLPatterns"]) == 2 and described["CacheDuration"] == 172800
    assert list(engine.diff(id_, state, {**changed, "userPoolId": "us-east-1_other"}).replaces) == ["userPoolId"]

    engine.delete(id_, state)
    assert engine.read(id_, state)[0] == ""
    engine.delete(id_, state)


def test_cimd_policy_constructor_forms() -> None:
    args = CIMDPolicyArgs(user_pool_id="p", client_id="c", policy_name="n", url_patterns=PATTERNS)
    assert args.props() == {
        "user_pool_id": "p",
        "client_id": "c",
        "policy_name": "n",
        "url_patterns": PATTERNS,
        "cache_duration": None,
    }
    assert set(CIMDPolicyArgs.names().values()) == {
        "userPoolId",
        "clientId",
        "policyName",
        "urlPatterns",
        "cacheDuration",
    }
    with pytest.raises(TypeError, match="url_pattern"):
        CIMDPolicy("x", url_pattern=PATTERNS)  # type: ignore[call-overload]
