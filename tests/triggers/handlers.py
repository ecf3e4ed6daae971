"""In-process trigger functions that the tests route to with ``python:tests.triggers.handlers:...``."""

from __future__ import annotations

from typing import Any


def auto_confirm(event: dict[str, Any], context: Any) -> dict[str, Any]:
    event["response"]["autoConfirmUser"] = True
    event["response"]["seen"] = {
        "function_name": context.function_name,
        "arn": context.invoked_function_arn,
        "remaining_ok": 0 < context.get_remaining_time_in_millis() <= 5000,
    }
    event["request"]["clientMetadata"]["mutated"] = "yes"
    return event


def reject(event: dict[str, Any], context: Any) -> dict[str, Any]:
    raise ValueError("Email domain not allowed")


def answer_list(event: dict[str, Any], context: Any) -> Any:
    return [event]


def answer_object(event: dict[str, Any], context: Any) -> Any:
    return {"response": {"when": object()}}


async def async_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    event["response"]["async"] = True
    return event


NOT_CALLABLE = 42
