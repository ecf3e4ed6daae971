"""Token exchange rules without I/O: scopes, audience, the act claim, the lifetime."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from userpools.domain import token_exchange as exchange
from userpools.domain.errors import InvalidParameterException, NotAuthorizedException


def test_scopes_are_the_intersection_or_the_subjects() -> None:
    assert exchange.granted_scopes(["a", "b", "c"], ["a", "b"], ["b", "c"]) == ["b"]
    assert exchange.granted_scopes(None, ["a", "b"], ["c"]) == ["a", "b"]
    with pytest.raises(InvalidParameterException):
        exchange.granted_scopes(["c"], ["a"], ["c"])
    assert exchange.subject_scopes({"scope": "x y"}, "ACCESS_TOKEN", ["z"]) == ["x", "y"]
    assert exchange.subject_scopes({}, "ID_TOKEN", ["z"]) == ["z"]


def test_one_audience_or_resource() -> None:
    assert exchange.audience(["billing"], None) == "billing"
    assert exchange.audience(None, ["orders"]) == "orders"
    assert exchange.audience(None, None) is None
    with pytest.raises(InvalidParameterException):
        exchange.audience(["a"], ["b"])


def test_act_nests_earlier_actors_and_honours_may_act() -> None:
    actor = {"sub": "svc", "client_id": "svc"}
    assert exchange.act_claim(actor, {"act": {"sub": "first"}}) == {
        "sub": "svc",
        "client_id": "svc",
        "act": {"sub": "first"},
    }
    assert exchange.act_claim({"sub": "u2", "aud": "web"}, {}) == {"sub": "u2", "client_id": "web"}
    assert exchange.act_claim(actor, {"may_act": {"sub": "svc"}})["sub"] == "svc"
    with pytest.raises(NotAuthorizedException):
        exchange.act_claim(actor, {"may_act": {"sub": "someone-else"}})


def test_lifetime_never_passes_the_subject_token() -> None:
    now = datetime(2026, 12, 2, tzinfo=UTC)
    assert exchange.lifetime(now, 3600, int(now.timestamp()) + 600) == 600
    assert exchange.lifetime(now, 300, int(now.timestamp()) + 600) == 300
    assert exchange.needed_flag(True) == "ALLOW_TOKEN_EXCHANGE_DELEGATION"
    assert exchange.urn("ID_TOKEN") == "urn:ietf:params:oauth:token-type:id_token"
