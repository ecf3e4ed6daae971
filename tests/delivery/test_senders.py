"""Senders.from_env: which medium goes where, and what status comes back."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from aiosmtpd.controller import Controller

from tests.support.http import Reply, serve
from tests.support.net import free_port
from tests.support.smtp import Mailbox
from userpools.delivery import DeliveryError, Message, Senders

EMAIL = Message("us-east-1_abc", "alice", "EMAIL", "alice@example.com", "Welcome", "Hello alice", None)
SMS = Message("us-east-1_abc", "alice", "SMS", "+15555550100", None, "Your code is 123456", None)
PUBLISHED = b"<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>"


def test_nothing_configured_means_outbox_only() -> None:
    senders = Senders.from_env({})
    assert not senders.configured("EMAIL") and not senders.configured("SMS")
    assert senders.send(EMAIL) == "OUTBOX_ONLY"
    assert senders.send(SMS) == "OUTBOX_ONLY"


def test_email_over_smtp_and_sms_over_sns() -> None:
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        with serve(lambda request: Reply(200, PUBLISHED)) as sns:
            senders = Senders.from_env(
                {
                    "USERPOOLS_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
                    "USERPOOLS_EMAIL_FROM": "Example <auth@corp.example>",
                    "USERPOOLS_SNS_ENDPOINT": sns.url,
                    "USERPOOLS_REGION": "eu-central-1",
                }
            )
            assert senders.send(EMAIL) == "SENT"
            assert senders.send(SMS) == "SENT"
    finally:
        smtp.stop()

    [(_, _, received)] = mailbox.received
    assert received["From"] == "Example <auth@corp.example>"
    [publish] = sns.requests
    assert parse_qs(publish.body.decode())["PhoneNumber"] == ["+15555550100"]
    assert "/eu-central-1/sns/aws4_request" in publish.headers["authorization"]


def test_only_email_configured_leaves_sms_in_the_outbox() -> None:
    senders = Senders.from_env({"USERPOOLS_SMTP_URL": f"smtp://127.0.0.1:{free_port()}"})
    assert senders.send(SMS) == "OUTBOX_ONLY"


def test_failures_surface_as_delivery_errors() -> None:
    with serve(
        lambda request: Reply(400, b"<ErrorResponse><Error><Code>InvalidParameter</Code></Error></ErrorResponse>")
    ) as sns:
        senders = Senders.from_env({"USERPOOLS_SNS_ENDPOINT": sns.url})
        with pytest.raises(DeliveryError) as caught:
            senders.send(SMS)
    assert caught.value.transient is False
