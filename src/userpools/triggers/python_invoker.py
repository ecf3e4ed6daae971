"""In-process triggers: ``python:package.module:function`` called as ``function(event, context)``.

The event goes in and the answer comes out through JSON, so a Python trigger sees and returns
exactly what a Lambda function would; an exception it raises is a function error. There is no
timeout: a thread cannot be stopped.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from userpools.triggers.errors import InvalidTriggerResponse, TriggerFunctionError
from userpools.triggers.invokers import TIMEOUT, Event, decode, encode

PREFIX = "python:"
Handler = Callable[[dict[str, Any], Any], Any]


@dataclass
class LambdaContext:
    """The attributes and method of Lambda's Python context object that handlers commonly use."""

    function_name: str
    invoked_function_arn: str
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 128
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = ""
    deadline: float = field(default_factory=lambda: time.monotonic() + TIMEOUT)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


class PythonInvoker:
    def __init__(self, target: str) -> None:
        """Import the function now, so a bad target fails at configuration time."""
        self.target = target
        self.handler = resolve(target)

    def invoke(self, arn: str, event: Event) -> dict[str, Any]:
        function_name = arn.split(":function:", 1)[-1].split(":", 1)[0]
        context = LambdaContext(function_name=function_name, invoked_function_arn=arn)
        try:
            result = self.handler(json.loads(encode(event)), context)
            if inspect.isawaitable(result):
                result = asyncio.run(_wait(result))
        except Exception as exc:
            raise TriggerFunctionError(str(exc), type(exc).__name__) from exc
        try:
            answer = encode(result)
        except (TypeError, ValueError) as exc:
            raise InvalidTriggerResponse("the trigger's response is not JSON-serializable") from exc
        return decode(answer)


def resolve(target: str) -> Handler:
    if not target.startswith(PREFIX) or target.count(":") != 2:
        raise ValueError(f"expected python:package.module:function, got {target!r}")
    module_name, function_name = target[len(PREFIX) :].split(":")
    module = importlib.import_module(module_name)
    handler = getattr(module, function_name, None)
    if not callable(handler):
        raise ValueError(f"{target}: {module_name} has no callable {function_name!r}")
    found: Callable[[dict[str, Any], Any], Any] = handler
    return found


async def _wait(awaitable: Any) -> Any:
    return await awaitable
