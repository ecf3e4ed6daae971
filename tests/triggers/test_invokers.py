"""Invokers against real loopback servers (Lambda Invoke API and plain HTTP) and in-process targets."""

from __future__ import annotations

import copy
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.credentials import Credentials

from tests.support.http import Recorded, Recorder, Reply, serve
from tests.support.net import free_port
from tests.support.sigv4 import assert_signed
from userpools.retry import RetryPolicy
from userpools.triggers import (
    HttpInvoker,
    InvalidTriggerResponse,
    LambdaInvoker,
    PythonInvoker,
    TriggerFunctionError,
    TriggerRouter,
    TriggerUnreachable,
)

ARN = "arn:aws:lambda:us-east-1:123456789012:function:pre-signup"
OTHER_ARN = "arn:aws:lambda:us-east-1:123456789012:function:custom-message:live"
CREDENTIALS = Credentials("AKIDEXAMPLE", "secret-example")
FAST = RetryPolicy(attempts=3, backoff=0.01)
JSON = {"Content-Type": "application/json"}
SECRET = "s3cr3t-validation-value"


def event() -> dict[str, Any]:
    return {
        "version": "1",
        "triggerSource": "PreSignUp_SignUp",
        "region": "us-east-1",
        "userPoolId": "us-east-1_abc",
        "userName": "alice",
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "client123"},
        "request": {
            "userAttributes": {"email": "alice@example.com", "name": "Ålice"},
            "validationData": {"token": SECRET},
            "clientMetadata": {"k": "v"},
        },
        "response": {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
    }


def confirm(request: Recorded) -> Reply:
    """A trigger function: confirm the user and echo the event back."""
    answer = json.loads(request.body)
    answer["response"]["autoConfirmUser"] = True
    return Reply(200, json.dumps(answer).encode(), JSON)


class Script:
    """Replies in order, then ``confirm``; a reply of None means: take too long to answer."""

    def __init__(self) -> None:
        self.replies: list[Reply | None] = []

    def __call__(self, request: Recorded) -> Reply:
        reply = self.replies.pop(0) if self.replies else confirm(request)
        if reply is None:
            time.sleep(0.5)
            return confirm(request)
        return reply


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
def server(script: Script) -> Iterator[Recorder]:
    with serve(script) as recorder:
        yield recorder


def lambda_invoker(url: str, **kwargs: Any) -> LambdaInvoker:
    kwargs.setdefault("retry", FAST)
    return LambdaInvoker(url, "us-east-1", CREDENTIALS, **kwargs)


# --- Lambda Invoke API -------------------------------------------------------------------------


def test_lambda_invoke_round_trips_the_event(server: Recorder) -> None:
    answer = lambda_invoker(server.url).invoke(ARN, event())

    assert answer == {**event(), "response": {**event()["response"], "autoConfirmUser": True}}
    [request] = server.requests
    quoted_arn = "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Apre-signup"
    assert request.path == f"/2015-03-31/functions/{quoted_arn}/invocations"
    assert request.headers["x-amz-invocation-type"] == "RequestResponse"
    assert json.loads(request.body) == event()
    assert_signed(request, CREDENTIALS, "lambda", "us-east-1")


@pytest.mark.parametrize("function", [ARN, OTHER_ARN, "pre-signup", "123456789012:function:pre-signup"])
def test_lambda_path_is_the_one_boto3_uses(server: Recorder, function: str) -> None:
    client = boto3.client(
        "lambda",
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS.access_key,
        aws_secret_access_key=CREDENTIALS.secret_key,
    )
    client.invoke(FunctionName=function, InvocationType="RequestResponse", Payload=json.dumps(event()))
    lambda_invoker(server.url).invoke(function, event())

    theirs, ours = server.requests
    assert ours.path == theirs.path
    assert json.loads(ours.body) == json.loads(theirs.body)
    assert_signed(theirs, CREDENTIALS, "lambda", "us-east-1")  # the verifier agrees with boto3's signer


def test_endpoint_with_trailing_slash(server: Recorder) -> None:
    lambda_invoker(server.url + "/").invoke(ARN, event())
    assert server.requests[0].path.startswith("/2015-03-31/functions/")


def test_function_error_carries_error_message_and_is_not_retried(server: Recorder, script: Script) -> None:
    payload = {"errorMessage": "Email domain not allowed", "errorType": "Error", "stackTrace": ["at x"]}
    script.replies.append(Reply(200, json.dumps(payload).encode(), {**JSON, "X-Amz-Function-Error": "Unhandled"}))

    with pytest.raises(TriggerFunctionError) as caught:
        lambda_invoker(server.url).invoke(ARN, event())

    assert str(caught.value) == "Email domain not allowed"
    assert caught.value.error_type == "Error"
    assert len(server.requests) == 1


def test_timeouts_are_retried_three_times_then_unreachable(server: Recorder, script: Script) -> None:
    script.replies += [None, None, None]
    started = time.monotonic()

    with pytest.raises(TriggerUnreachable) as caught:
        LambdaInvoker(server.url, "us-east-1", CREDENTIALS, timeout=0.1).invoke(ARN, event())  # default retry

    assert caught.value.attempts == 3
    assert len(server.requests) == 3
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("invoker", [LambdaInvoker("http://x", "us-east-1", CREDENTIALS), HttpInvoker("http://x")])
def test_defaults_are_cognitos_calling_rules(invoker: LambdaInvoker | HttpInvoker) -> None:
    assert (invoker.timeout, invoker.retry.attempts) == (5.0, 3)


def test_a_timeout_then_an_answer_succeeds(server: Recorder, script: Script) -> None:
    script.replies.append(None)
    answer = lambda_invoker(server.url, timeout=0.1).invoke(ARN, event())
    assert answer["response"]["autoConfirmUser"] is True
    assert len(server.requests) == 2


def test_server_errors_are_retried(server: Recorder, script: Script) -> None:
    script.replies += [
        Reply(500, b'{"Type":"Service","message":"boom"}', {"X-Amzn-ErrorType": "ServiceException"}),
        Reply(429, b'{"message":"Rate exceeded"}', {"X-Amzn-ErrorType": "TooManyRequestsException"}),
    ]
    assert lambda_invoker(server.url).invoke(ARN, event())["response"]["autoConfirmUser"] is True
    assert len(server.requests) == 3


def test_invoke_api_refusal_is_not_retried(server: Recorder, script: Script) -> None:
    script.replies.append(
        Reply(
            404,
            b'{"Type":"User","message":"Function not found"}',
            {"X-Amzn-ErrorType": "ResourceNotFoundException"},
        )
    )
    with pytest.raises(TriggerUnreachable, match="ResourceNotFoundException") as caught:
        lambda_invoker(server.url).invoke(ARN, event())
    assert caught.value.retryable is False
    assert len(server.requests) == 1


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"text"', b"\xff\xfe"])
def test_answers_that_are_not_a_json_object_are_invalid(server: Recorder, script: Script, body: bytes) -> None:
    script.replies.append(Reply(200, body, JSON))
    with pytest.raises(InvalidTriggerResponse):
        lambda_invoker(server.url).invoke(ARN, event())
    assert len(server.requests) == 1


def test_connection_refused_is_unreachable_after_three_attempts() -> None:
    with pytest.raises(TriggerUnreachable) as caught:
        lambda_invoker(f"http://127.0.0.1:{free_port()}").invoke(ARN, event())
    assert caught.value.attempts == 3


def test_retries_do_not_log_the_event(server: Recorder, script: Script, caplog: pytest.LogCaptureFixture) -> None:
    script.replies += [Reply(503, b"{}"), None]
    with caplog.at_level(logging.DEBUG):
        lambda_invoker(server.url, timeout=0.1).invoke(ARN, event())
    ours = [r for r in caplog.records if r.name.startswith("userpools")]
    assert len(ours) == 2
    assert SECRET not in caplog.text and "alice" not in caplog.text


# --- plain HTTP -------------------------------------------------------------------------------


def test_http_target_round_trips_json(server: Recorder) -> None:
    answer = HttpInvoker(server.url + "/hooks/pre-signup", retry=FAST).invoke(ARN, event())

    assert answer["response"]["autoConfirmUser"] is True
    [request] = server.requests
    assert request.path == "/hooks/pre-signup"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == event()


def test_http_target_function_errors(server: Recorder, script: Script) -> None:
    script.replies += [
        Reply(400, b'{"errorMessage":"Not on the guest list","errorType":"Denied"}', JSON),
        Reply(200, b'{"errorMessage":"Handled error"}', {**JSON, "X-Amz-Function-Error": "Handled"}),
    ]
    invoker = HttpInvoker(server.url, retry=FAST)
    with pytest.raises(TriggerFunctionError, match="Not on the guest list"):
        invoker.invoke(ARN, event())
    with pytest.raises(TriggerFunctionError, match="Handled error"):
        invoker.invoke(ARN, event())
    assert len(server.requests) == 2


def test_http_target_timeouts_and_5xx_retry(server: Recorder, script: Script) -> None:
    script.replies += [None, Reply(502, b"bad gateway"), None]
    with pytest.raises(TriggerUnreachable) as caught:
        HttpInvoker(server.url, timeout=0.1, retry=FAST).invoke(ARN, event())
    assert caught.value.attempts == 3
    assert len(server.requests) == 3


def test_http_target_404_is_a_refusal_not_a_function_error(server: Recorder, script: Script) -> None:
    script.replies.append(Reply(404, b"Not Found"))
    with pytest.raises(TriggerUnreachable) as caught:
        HttpInvoker(server.url, retry=FAST).invoke(ARN, event())
    assert caught.value.retryable is False


# --- in-process Python ------------------------------------------------------------------------


def test_python_target_gets_event_and_context() -> None:
    original = event()
    sent = copy.deepcopy(original)
    answer = PythonInvoker("python:tests.triggers.handlers:auto_confirm").invoke(OTHER_ARN, sent)

    assert answer["response"]["autoConfirmUser"] is True
    assert answer["response"]["seen"] == {
        "function_name": "custom-message",
        "arn": OTHER_ARN,
        "remaining_ok": True,
    }
    assert sent == original  # the function worked on its own copy


def test_python_target_exception_is_a_function_error() -> None:
    with pytest.raises(TriggerFunctionError, match="Email domain not allowed") as caught:
        PythonInvoker("python:tests.triggers.handlers:reject").invoke(ARN, event())
    assert caught.value.error_type == "ValueError"


@pytest.mark.parametrize("handler", ["answer_list", "answer_object"])
def test_python_target_bad_answers_are_invalid(handler: str) -> None:
    with pytest.raises(InvalidTriggerResponse):
        PythonInvoker(f"python:tests.triggers.handlers:{handler}").invoke(ARN, event())


def test_python_target_may_be_async() -> None:
    answer = PythonInvoker("python:tests.triggers.handlers:async_handler").invoke(ARN, event())
    assert answer["response"]["async"] is True


@pytest.mark.parametrize(
    "target",
    [
        "python:tests.triggers.handlers",
        "python:tests.triggers.handlers:missing",
        "python:tests.triggers.handlers:NOT_CALLABLE",
        "tests.triggers.handlers:reject",
    ],
)
def test_python_target_is_checked_at_configuration(target: str) -> None:
    with pytest.raises(ValueError):
        PythonInvoker(target)


# --- routing ----------------------------------------------------------------------------------


def write_config(tmp_path: Path, routes: dict[str, str]) -> Path:
    path = tmp_path / "triggers.json"
    path.write_text(json.dumps(routes))
    return path


def test_router_sends_every_arn_to_the_lambda_endpoint(server: Recorder) -> None:
    router = TriggerRouter.from_env({"USERPOOLS_LAMBDA_ENDPOINT": server.url})
    router.invoke(ARN, event())
    router.invoke(OTHER_ARN, event())
    assert [r.path.split("/")[3] for r in server.requests] == [
        "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Apre-signup",
        "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Acustom-message%3Alive",
    ]


def test_config_routes_win_over_the_endpoint(server: Recorder, tmp_path: Path) -> None:
    config = write_config(
        tmp_path, {ARN: "python:tests.triggers.handlers:reject", OTHER_ARN: server.url + "/http-target"}
    )
    router = TriggerRouter.from_env({"USERPOOLS_LAMBDA_ENDPOINT": server.url, "USERPOOLS_TRIGGERS_CONFIG": str(config)})
    with pytest.raises(TriggerFunctionError):
        router.invoke(ARN, event())
    router.invoke(OTHER_ARN, event())
    router.invoke(ARN.replace("pre-signup", "post-confirmation"), event())

    assert [r.path for r in server.requests] == [
        "/http-target",
        "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Apost-confirmation/invocations",
    ]


def test_config_path_argument_overrides_env(tmp_path: Path) -> None:
    config = write_config(tmp_path, {ARN: "python:tests.triggers.handlers:auto_confirm"})
    router = TriggerRouter.from_env({"USERPOOLS_TRIGGERS_CONFIG": str(tmp_path / "absent.json")}, config)
    assert router.invoke(ARN, event())["response"]["autoConfirmUser"] is True


def test_unrouted_arn_is_unreachable_without_retry() -> None:
    router = TriggerRouter.from_env({})
    assert not router.can_invoke(ARN)
    with pytest.raises(TriggerUnreachable, match="no invoker configured") as caught:
        router.invoke(ARN, event())
    assert caught.value.retryable is False


@pytest.mark.parametrize("content", ['{"arn": 1}', "[]", "{not json", '{"arn": "ftp://x"}'])
def test_bad_config_is_rejected(tmp_path: Path, content: str) -> None:
    path = tmp_path / "triggers.json"
    path.write_text(content)
    with pytest.raises(ValueError):
        TriggerRouter.from_env({"USERPOOLS_TRIGGERS_CONFIG": str(path)})
