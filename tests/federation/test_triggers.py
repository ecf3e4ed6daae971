"""A federated sign-in runs the pool's triggers: PreSignUp_ExternalProvider and PostConfirmation the first time,
PreAuthentication and PostAuthentication each time, PreTokenGeneration (TokenGeneration_HostedAuth) at the
token endpoint; a PreSignUp that refuses keeps the user out."""

from __future__ import annotations

from typing import Any

import httpx

from tests import test_triggers_delivery as delivery
from tests.federation.test_oidc_signin import _through_provider, _tokens, authorize_url, setup
from tests.test_triggers_delivery import Live, arn, new_pool

live_env = delivery.live_env
live = delivery.live
NAMES = ("PreSignUp", "PostConfirmation", "PreAuthentication", "PostAuthentication", "PreTokenGeneration")


def _pools(live: Live) -> Any:
    made: list[str] = []

    def make(**config: Any) -> str:
        extra = {"LambdaConfig": {name: arn(name) for name in NAMES}} if made else {}
        made.append(new_pool(live, **config, **extra))
        return made[-1]

    return make


def test_federated_sign_in_runs_the_triggers(live: Live) -> None:
    env = setup(live.server, live.cognito, _pools(live))
    with httpx.Client() as http:
        callback, _ = _through_provider(http, authorize_url(live.server, env))
    _tokens(live.server, env, callback)
    sources = [e["triggerSource"] for _, e in live.lambdas.events]
    assert sources == [
        "PreSignUp_ExternalProvider",
        "PostConfirmation_ConfirmSignUp",
        "PreAuthentication_Authentication",
        "PostAuthentication_Authentication",
        "TokenGeneration_HostedAuth",
    ], sources
    assert live.lambdas.seen("PreSignUp")[0]["userName"].startswith("Upstream_")
    live.lambdas.events.clear()
    with httpx.Client() as http:
        callback, _ = _through_provider(http, authorize_url(live.server, env))
    _tokens(live.server, env, callback)
    assert [e["triggerSource"] for _, e in live.lambdas.events] == [
        "PreAuthentication_Authentication",
        "PostAuthentication_Authentication",
        "TokenGeneration_HostedAuth",
    ]
