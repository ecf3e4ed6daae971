"""SnsSender against a loopback server that records Publish requests and answers like SNS."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs

import boto3
import pytest
from botocore.credentials import Credentials

from tests.support.http import Recorded, Recorder, Reply, Responder, serve
from tests.support.net import free_port
from tests.support.sigv4 import assert_signed
from userpools.delivery import DeliveryError, Message, SnsSender
from userpools.retry import RetryPolicy

CREDENTIALS = Credentials("AKIDEXAMPLE", "secret-example")
FAST = RetryPolicy(attempts=3, backoff=0.01)
PUBLISHED = (
    b'<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>'
    b"<MessageId>5f1c-msg</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId>"
    b"</ResponseMetadata></PublishResponse>"
)


def sns_error(status: int, code: str, text: str) -> Reply:
    body = (
        f'<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>'
        f"<Code>{code}</Code><Message>{text}</Message></Error><RequestId>r-2</RequestId></ErrorResponse>"
    )
    return Reply(status, body.encode(), {"Content-Type": "text/xml"})


def responder(script: list[Reply]) -> Responder:
    def respond(request: Recorded) -> Reply:
        return script.pop(0) if script else Reply(200, PUBLISHED, {"Content-Type": "text/xml"})

    return respond


@pytest.fixture
def script() -> list[Reply]:
    return []


@pytest.fixture
def sns(script: list[Reply]) -> Iterator[Recorder]:
    with serve(responder(script)) as recorder:
        yield recorder


def form(request: Recorded) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.body.decode(), keep_blank_values=True).items()}


def sms(destination: str = "+15555550100", sender: str | None = None) -> Message:
    return Message("us-east-1_abc", "bob", "SMS", destination, None, "Your code is 123456", sender)


def test_publish_is_a_signed_query_protocol_request(sns: Recorder) -> None:
    message_id = SnsSender(sns.url, "eu-west-1", CREDENTIALS).publish("+15555550100", "Your code is 123456")

    [request] = sns.requests
    assert message_id == "5f1c-msg"
    assert request.method == "POST" and request.path == "/"
    assert request.headers["content-type"].startswith("application/x-www-form-urlencoded")
    fields = form(request)
    assert fields["Action"] == "Publish"
    assert fields["Version"] == "2010-03-31"
    assert fields["PhoneNumber"] == "+15555550100"
    assert fields["Message"] == "Your code is 123456"
    assert fields["MessageAttributes.entry.1.Name"] == "AWS.SNS.SMS.SMSType"
    assert fields["MessageAttributes.entry.1.Value.StringValue"] == "Transactional"
    assert_signed(request, CREDENTIALS, "sns", "eu-west-1")


def test_fields_match_what_boto3_sends(sns: Recorder) -> None:
    client = boto3.client(
        "sns",
        endpoint_url=sns.url,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS.access_key,
        aws_secret_access_key=CREDENTIALS.secret_key,
    )
    client.publish(PhoneNumber="+15555550100", Message="Hi & bye = ünïcode")
    SnsSender(sns.url, "us-east-1", CREDENTIALS).publish("+15555550100", "Hi & bye = ünïcode")

    theirs, ours = (form(r) for r in sns.requests)
    for name in ("Action", "Version", "PhoneNumber", "Message"):
        assert ours[name] == theirs[name]
    assert_signed(sns.requests[0], CREDENTIALS, "sns", "us-east-1")  # the verifier itself agrees with boto3


def test_send_uses_destination_body_and_sender_id(sns: Recorder) -> None:
    SnsSender(sns.url, "us-east-1", CREDENTIALS).send(sms(sender="MYAPP"))

    fields = form(sns.requests[0])
    assert (fields["PhoneNumber"], fields["Message"]) == ("+15555550100", "Your code is 123456")
    assert fields["MessageAttributes.entry.2.Name"] == "AWS.SNS.SMS.SenderID"
    assert fields["MessageAttributes.entry.2.Value.StringValue"] == "MYAPP"


def test_server_errors_and_throttling_are_retried(sns: Recorder, script: list[Reply]) -> None:
    script += [sns_error(500, "InternalError", "boom"), sns_error(400, "Throttling", "slow down")]
    SnsSender(sns.url, "us-east-1", CREDENTIALS, retry=FAST).send(sms())

    assert len(sns.requests) == 3


def test_client_errors_are_permanent(sns: Recorder, script: list[Reply]) -> None:
    script.append(sns_error(400, "InvalidParameter", "Invalid parameter: PhoneNumber"))
    with pytest.raises(DeliveryError, match="InvalidParameter") as caught:
        SnsSender(sns.url, "us-east-1", CREDENTIALS, retry=FAST).send(sms(destination="12"))

    assert caught.value.transient is False
    assert len(sns.requests) == 1


def test_persistent_server_errors_give_up_as_transient(sns: Recorder, script: list[Reply]) -> None:
    script += [sns_error(503, "ServiceUnavailable", "down")] * 3
    with pytest.raises(DeliveryError) as caught:
        SnsSender(sns.url, "us-east-1", CREDENTIALS, retry=FAST).send(sms())

    assert caught.value.transient is True
    assert len(sns.requests) == 3


def test_unreachable_endpoint_is_transient() -> None:
    sender = SnsSender(f"http://127.0.0.1:{free_port()}", "us-east-1", CREDENTIALS, retry=FAST)
    with pytest.raises(DeliveryError) as caught:
        sender.send(sms())
    assert caught.value.transient is True
