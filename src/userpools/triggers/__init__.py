"""Invoking Lambda triggers: the Lambda Invoke API, plain HTTP, or in-process Python callables."""

from userpools.triggers.errors import (
    InvalidTriggerResponse,
    TriggerError,
    TriggerFunctionError,
    TriggerUnreachable,
)
from userpools.triggers.invokers import HttpInvoker, Invoker, LambdaInvoker
from userpools.triggers.python_invoker import LambdaContext, PythonInvoker
from userpools.triggers.router import TriggerRouter

__all__ = [
    "HttpInvoker",
    "InvalidTriggerResponse",
    "Invoker",
    "LambdaContext",
    "LambdaInvoker",
    "PythonInvoker",
    "TriggerError",
    "TriggerFunctionError",
    "TriggerRouter",
    "TriggerUnreachable",
]
