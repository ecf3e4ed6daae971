"""run_trigger: which ARN LambdaConfig names, and how invoker failures become Cognito's errors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from userpools.domain import custom_auth_events as auth_ev
from userpools.domain import trigger_events as ev
from userpools.domain.errors import (
    InvalidLambdaResponseException,
    UnexpectedLambdaException,
    UserLambdaValidationException,
)
from userpools.domain.pools import Pool
from userpools.settings import Settings
from userpools.steps.context import Context
from userpools.steps.triggers import run_trigger, token_generation_version, trigger_arn
from userpools.storage.engine import Store
from userpools.triggers import InvalidTriggerResponse, TriggerFunctionError, TriggerRouter, TriggerUnreachable

V1_ARN = "arn:aws:lambda:us-east-1:000000000000:function:tokens-v1"
V2_ARN = "arn:aws:lambda:us-east-1:000000000000:function:tokens-v2"


class Scripted:
    """An invoker that answers (or fails) as told and keeps what it was sent."""

    def __init__(self, outcome: dict[str, Any] | Exception) -> None:
        self.outcome = outcome
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def invoke(self, arn: str, event: Any) -> dict[str, Any]:
        self.calls.append((arn, dict(event)))
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def pool(**lambda_config: Any) -> Pool:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    return Pool("us-east-1_abc", "p", {"LambdaConfig": lambda_config}, now, now)


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store("sqlite://")
    yield s
    s.close()


def context(store: Store, invoker: Scripted) -> Context:
    return Context(store, Settings(), triggers=TriggerRouter(default=invoker))


def test_pre_token_generation_config_wins_and_sets_the_version() -> None:
    legacy = pool(PreTokenGeneration=V1_ARN)
    assert (trigger_arn(legacy, "PreTokenGeneration"), token_generation_version(legacy)) == (V1_ARN, "V1_0")
    versioned = pool(PreTokenGeneration=V1_ARN, PreTokenGenerationConfig={"LambdaVersion": "V2_0", "LambdaArn": V2_ARN})
    assert (trigger_arn(versioned, "PreTokenGeneration"), token_generation_version(versioned)) == (V2_ARN, "V2_0")
    assert trigger_arn(legacy, "PreAuthentication") is None


def test_returns_the_response_member(store: Store) -> None:
    invoker = Scripted({"response": {"answerCorrect": True}})
    p = pool(VerifyAuthChallengeResponse=V1_ARN)
    event = auth_ev.verify_auth_challenge(ev.Caller("us-east-1", p.id), "alice", {}, {"a": "4"}, "4")
    response = run_trigger(context(store, invoker), p, "VerifyAuthChallengeResponse", event)
    assert response == {"answerCorrect": True}
    assert invoker.calls == [(V1_ARN, event)]


def test_no_trigger_configured_is_none(store: Store) -> None:
    invoker = Scripted({})
    assert run_trigger(context(store, invoker), pool(), "PreAuthentication", {}) is None
    assert invoker.calls == []


@pytest.mark.parametrize(
    "failure,error,message",
    [
        (
            TriggerFunctionError("Not today"),
            UserLambdaValidationException,
            "PreAuthentication failed with error Not today.",
        ),
        (
            TriggerUnreachable("http://x: timed out after 3 attempts"),
            UnexpectedLambdaException,
            "PreAuthentication invocation failed due to error Socket timeout while invoking Lambda function.",
        ),
        (
            TriggerUnreachable("no invoker configured", retryable=False),
            UnexpectedLambdaException,
            "PreAuthentication invocation failed due to error Unable to invoke Lambda function.",
        ),
        (InvalidTriggerResponse("not JSON"), InvalidLambdaResponseException, "Unrecognizable lambda output"),
    ],
)
def test_failures_map_to_cognito_errors(store: Store, failure: Exception, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as excinfo:
        run_trigger(context(store, Scripted(failure)), pool(PreAuthentication=V1_ARN), "PreAuthentication", {})
    assert excinfo.value.message == message  # type: ignore[attr-defined]


def test_unknown_trigger_name_is_a_programming_error(store: Store) -> None:
    with pytest.raises(ValueError):
        run_trigger(context(store, Scripted({})), pool(), "PreSignup", {})
