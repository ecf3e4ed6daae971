"""Invoking a trigger function and getting its JSON answer back, the way Cognito does.

Each attempt has a timeout (Cognito: 5 s); timeouts, connection errors and 5xx/429 answers are
tried again, up to 3 attempts in all, then ``TriggerUnreachable``. Function errors are final.

Invokers are blocking; an async caller runs them in a worker thread.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol
from urllib.parse import quote

from botocore.credentials import Credentials

from userpools import __version__
from userpools.outbound import HttpResponse, HttpUnreachable, post, sign_v4
from userpools.retry import RetryPolicy, retrying
from userpools.triggers.errors import InvalidTriggerResponse, TriggerFunctionError, TriggerUnreachable

log = logging.getLogger(__name__)

Event = Mapping[str, Any]
TIMEOUT = 5.0
ATTEMPTS = 3
USER_AGENT = f"userpools/{__version__}"


class Invoker(Protocol):
    def invoke(self, arn: str, event: Event) -> dict[str, Any]: ...


def default_retry() -> RetryPolicy:
    return RetryPolicy(attempts=ATTEMPTS, backoff=0.1)


def with_retries(arn: str, policy: RetryPolicy, attempt: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run ``attempt`` under ``policy``; a final retryable failure reports how many tries were made."""

    def retryable(exc: Exception) -> bool:
        if isinstance(exc, TriggerUnreachable) and exc.retryable:
            log.warning("trigger %s unreachable, will retry: %s", arn, exc)
            return True
        return False

    try:
        return retrying(attempt, policy, retryable)
    except TriggerUnreachable as exc:
        if not exc.retryable:
            raise
        raise TriggerUnreachable(
            f"{arn}: no answer after {policy.attempts} attempts: {exc}", attempts=policy.attempts
        ) from exc


class LambdaInvoker:
    """The AWS Lambda ``Invoke`` API (RequestResponse) at any endpoint, SigV4-signed like boto3."""

    def __init__(
        self,
        endpoint_url: str,
        region: str,
        credentials: Credentials,
        *,
        timeout: float = TIMEOUT,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.endpoint_url = endpoint_url.rstrip("/")
        self.region = region
        self.credentials = credentials
        self.timeout = timeout
        self.retry = retry or default_retry()

    def url_for(self, function: str) -> str:
        """``function`` is a name, a partial or a full ARN (with qualifier), quoted as one path label."""
        return f"{self.endpoint_url}/2015-03-31/functions/{quote(function, safe='')}/invocations"

    def invoke(self, arn: str, event: Event) -> dict[str, Any]:
        body = encode(event)
        return with_retries(arn, self.retry, lambda: self._invoke_once(arn, body))

    def _invoke_once(self, arn: str, body: bytes) -> dict[str, Any]:
        url = self.url_for(arn)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Amz-Invocation-Type": "RequestResponse",
        }
        headers = sign_v4(url, body, headers, "lambda", self.region, self.credentials)
        response = post_or_unreachable(url, body, headers, self.timeout)
        if response.header("X-Amz-Function-Error"):
            raise function_error(response)
        if 200 <= response.status < 300:
            return decode(response.body)
        raise unreachable(arn, response)


class HttpInvoker:
    """POST the event as JSON to a URL; the answer is the JSON response.

    A function error is signalled like Lambda's (an ``X-Amz-Function-Error`` header) or by a 4xx
    whose JSON body has ``errorMessage``; other 4xx answers mean the target refused the call.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = TIMEOUT,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.retry = retry or default_retry()
        self.headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **(headers or {})}

    def invoke(self, arn: str, event: Event) -> dict[str, Any]:
        body = encode(event)
        return with_retries(arn, self.retry, lambda: self._invoke_once(arn, body))

    def _invoke_once(self, arn: str, body: bytes) -> dict[str, Any]:
        response = post_or_unreachable(self.url, body, self.headers, self.timeout)
        if response.header("X-Amz-Function-Error") or (
            400 <= response.status < 500 and response.status != 429 and _error_message(response.body)
        ):
            raise function_error(response)
        if 200 <= response.status < 300:
            return decode(response.body)
        raise unreachable(arn, response)


def encode(event: Event) -> bytes:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()


def decode(body: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(body)
    except ValueError as exc:  # includes UnicodeDecodeError
        raise InvalidTriggerResponse("the trigger's response is not JSON") from exc
    if not isinstance(answer, dict):
        kind = type(answer).__name__
        raise InvalidTriggerResponse(f"the trigger's response is a JSON {kind}, not an object")
    return answer


def post_or_unreachable(url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> HttpResponse:
    try:
        return post(url, body, headers, timeout)
    except HttpUnreachable as exc:
        raise TriggerUnreachable(str(exc)) from exc


def function_error(response: HttpResponse) -> TriggerFunctionError:
    """Lambda's error payload: ``{"errorMessage", "errorType", "stackTrace"}``."""
    message = _error_message(response.body)
    error_type = response.header("X-Amz-Function-Error")
    try:
        payload = json.loads(response.body)
        if isinstance(payload, dict) and isinstance(payload.get("errorType"), str):
            error_type = payload["errorType"]
    except ValueError:
        pass
    return TriggerFunctionError(message or error_type or "Unhandled", error_type)


def unreachable(arn: str, response: HttpResponse) -> TriggerUnreachable:
    """A non-2xx answer that is not a function error: 5xx and 429 are worth another try."""
    kind = response.header("X-Amzn-ErrorType") or _error_type(response.body) or ""
    retryable = response.status >= 500 or response.status == 429
    return TriggerUnreachable(f"{arn}: HTTP {response.status} {kind}".rstrip(), retryable=retryable)


def _error_message(body: bytes) -> str | None:
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if isinstance(payload, dict):
        message = payload.get("errorMessage")
        return message if isinstance(message, str) else None
    return None


def _error_type(body: bytes) -> str | None:
    """The AWS error code in a JSON error body (``Type``/``__type``/``code``), if there is one."""
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if isinstance(payload, dict):
        for key in ("__type", "Type", "code"):
            if isinstance(payload.get(key), str):
                return str(payload[key])
    return None
