"""Which invoker answers for a trigger ARN.

``USERPOOLS_LAMBDA_ENDPOINT`` sends every ARN to that Lambda Invoke API. A JSON file named by
``USERPOOLS_TRIGGERS_CONFIG`` maps single ARNs to other targets and wins over the endpoint::

    {"arn:aws:lambda:us-east-1:123456789012:function:pre-signup": "http://127.0.0.1:8000/pre-signup",
     "arn:aws:lambda:us-east-1:123456789012:function:custom-message": "python:hooks.messages:handler"}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from userpools.outbound import credentials_from_env, region_from_env
from userpools.retry import RetryPolicy
from userpools.triggers.errors import TriggerUnreachable
from userpools.triggers.invokers import TIMEOUT, Event, HttpInvoker, Invoker, LambdaInvoker
from userpools.triggers.python_invoker import PREFIX, PythonInvoker


class TriggerRouter:
    def __init__(self, routes: Mapping[str, Invoker] | None = None, default: Invoker | None = None) -> None:
        self.routes = dict(routes or {})
        self.default = default

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str],
        config_path: str | Path | None = None,
        *,
        timeout: float = TIMEOUT,
        retry: RetryPolicy | None = None,
    ) -> TriggerRouter:
        """``config_path`` overrides ``USERPOOLS_TRIGGERS_CONFIG``; bad configuration is a ValueError."""
        default = None
        if env.get("USERPOOLS_LAMBDA_ENDPOINT"):
            default = LambdaInvoker(
                env["USERPOOLS_LAMBDA_ENDPOINT"],
                region_from_env(env),
                credentials_from_env(env),
                timeout=timeout,
                retry=retry,
            )
        path = config_path or env.get("USERPOOLS_TRIGGERS_CONFIG")
        routes = load_config(Path(path), timeout=timeout, retry=retry) if path else {}
        return cls(routes, default)

    def invoker_for(self, arn: str) -> Invoker | None:
        return self.routes.get(arn, self.default)

    def can_invoke(self, arn: str) -> bool:
        return self.invoker_for(arn) is not None

    def invoke(self, arn: str, event: Event) -> dict[str, Any]:
        invoker = self.invoker_for(arn)
        if invoker is None:
            raise TriggerUnreachable(
                f"{arn}: no invoker configured (set USERPOOLS_LAMBDA_ENDPOINT or USERPOOLS_TRIGGERS_CONFIG)",
                retryable=False,
            )
        return invoker.invoke(arn, event)


def load_config(path: Path, *, timeout: float = TIMEOUT, retry: RetryPolicy | None = None) -> dict[str, Invoker]:
    try:
        config = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read trigger config {path}: {exc}") from exc
    if not isinstance(config, dict) or not all(isinstance(v, str) for v in config.values()):
        raise ValueError(f"trigger config {path} must be a JSON object of ARN -> target string")
    return {arn: target_invoker(target, timeout=timeout, retry=retry) for arn, target in config.items()}


def target_invoker(target: str, *, timeout: float = TIMEOUT, retry: RetryPolicy | None = None) -> Invoker:
    if target.startswith(("http://", "https://")):
        return HttpInvoker(target, timeout=timeout, retry=retry)
    if target.startswith(PREFIX):
        return PythonInvoker(target)
    raise ValueError(f"unknown trigger target {target!r}: expected http(s)://... or python:module:function")
