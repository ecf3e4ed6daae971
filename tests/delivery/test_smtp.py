"""SmtpSender against a real aiosmtpd server on a loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.net import free_port
from tests.support.smtp import Mailbox
from tests.support.tls import SelfSigned, make_self_signed
from userpools.delivery import DeliveryError, Message, SmtpSender
from userpools.retry import RetryPolicy

FAST = RetryPolicy(attempts=3, backoff=0.01)


class Accounts:
    def __init__(self, username: str, password: str) -> None:
        self.credentials = (username.encode(), password.encode())
        self.logins: list[bytes] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == self.credentials
        if ok:
            self.logins.append(data.login)
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


def message(**overrides: Any) -> Message:
    fields: dict[str, Any] = {
        "pool_id": "us-east-1_abc",
        "username": "alice",
        "medium": "EMAIL",
        "destination": "alice@example.com",
        "subject": "Your temporary password",
        "body": "Your username is alice and temporary password is Xy9!abcd.",
        "sender": None,
    }
    fields.update(overrides)
    return Message(**fields)


def start(handler: Mailbox, port: int | None = None, **kwargs: Any) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port(), **kwargs)
    controller.start()
    return controller


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def plain_server(mailbox: Mailbox) -> Iterator[Controller]:
    controller = start(mailbox)
    yield controller
    controller.stop()


@pytest.fixture
def certificate(tmp_path: Path) -> SelfSigned:
    return make_self_signed(tmp_path)


def test_plain_delivery_carries_from_to_subject_body(plain_server: Controller, mailbox: Mailbox) -> None:
    sender = SmtpSender.from_url(f"smtp://127.0.0.1:{plain_server.port}", default_from="auth@corp.example")
    sender.send(message())

    [(mail_from, rcpt_tos, received)] = mailbox.received
    assert mail_from == "auth@corp.example"
    assert rcpt_tos == ["alice@example.com"]
    assert received["From"] == "auth@corp.example"
    assert received["To"] == "alice@example.com"
    assert received["Subject"] == "Your temporary password"
    assert received.get_content().strip() == "Your username is alice and temporary password is Xy9!abcd."


def test_message_sender_wins_over_default_and_cognito_default_applies(
    plain_server: Controller, mailbox: Mailbox
) -> None:
    SmtpSender.from_url(f"smtp://127.0.0.1:{plain_server.port}", default_from="auth@corp.example").send(
        message(sender="Pool Admin <pool@corp.example>")
    )
    SmtpSender.from_url(f"smtp://127.0.0.1:{plain_server.port}").send(message())

    assert [m["From"] for _, _, m in mailbox.received] == [
        "Pool Admin <pool@corp.example>",
        "no-reply@verificationemail.com",
    ]


def test_html_body_gets_a_text_alternative(plain_server: Controller, mailbox: Mailbox) -> None:
    SmtpSender.from_url(f"smtp://127.0.0.1:{plain_server.port}").send(
        message(body="<p>Your code is <b>123456</b></p>", subject=None)
    )

    [(_, _, received)] = mailbox.received
    assert received["Subject"] is None
    assert received.get_body(("plain",)).get_content().strip() == "Your code is 123456"  # type: ignore[union-attr]
    assert "<b>123456</b>" in received.get_body(("html",)).get_content()  # type: ignore[union-attr]


def test_auth_over_starttls(mailbox: Mailbox, certificate: SelfSigned) -> None:
    accounts = Accounts("mailer", "p@ss:word")
    controller = start(
        mailbox,
        tls_context=certificate.server_context(),
        require_starttls=True,
        authenticator=accounts,
        auth_required=True,
    )
    try:
        sender = SmtpSender.from_url(
            f"smtp+starttls://mailer:p%40ss%3Aword@127.0.0.1:{controller.port}",
            ssl_context=certificate.client_context(),
        )
        sender.send(message())
    finally:
        controller.stop()

    assert accounts.logins == [b"mailer"]
    assert [m["To"] for _, _, m in mailbox.received] == ["alice@example.com"]


def test_auth_over_implicit_tls(mailbox: Mailbox, certificate: SelfSigned) -> None:
    accounts = Accounts("mailer", "secret")
    # aiosmtpd only counts STARTTLS as TLS, so AUTH must be allowed "without" it here.
    controller = start(
        mailbox, ssl_context=certificate.server_context(), authenticator=accounts, auth_require_tls=False
    )
    try:
        SmtpSender.from_url(
            f"smtps://mailer:secret@127.0.0.1:{controller.port}", ssl_context=certificate.client_context()
        ).send(message())
    finally:
        controller.stop()

    assert accounts.logins == [b"mailer"]
    assert len(mailbox.received) == 1


def test_wrong_password_is_permanent(mailbox: Mailbox, certificate: SelfSigned) -> None:
    controller = start(
        mailbox,
        tls_context=certificate.server_context(),
        require_starttls=True,
        authenticator=Accounts("mailer", "secret"),
        auth_required=True,
    )
    try:
        sender = SmtpSender.from_url(
            f"smtp+starttls://mailer:wrong@127.0.0.1:{controller.port}",
            ssl_context=certificate.client_context(),
            retry=FAST,
        )
        with pytest.raises(DeliveryError) as caught:
            sender.send(message())
    finally:
        controller.stop()

    assert caught.value.transient is False
    assert "535" in str(caught.value)
    assert mailbox.received == []


def test_untrusted_certificate_is_permanent(mailbox: Mailbox, certificate: SelfSigned) -> None:
    controller = start(mailbox, tls_context=certificate.server_context(), require_starttls=True)
    try:
        sender = SmtpSender.from_url(f"smtp+starttls://127.0.0.1:{controller.port}", retry=FAST)
        with pytest.raises(DeliveryError) as caught:
            sender.send(message())
        SmtpSender.from_url(f"smtp+starttls://127.0.0.1:{controller.port}?tls_verify=false").send(message())
    finally:
        controller.stop()

    assert caught.value.transient is False
    assert len(mailbox.received) == 1


def test_temporary_rejection_is_retried(plain_server: Controller, mailbox: Mailbox) -> None:
    mailbox.refuse_rcpt = ["451 4.3.0 Try again later"]
    SmtpSender.from_url(f"smtp://127.0.0.1:{plain_server.port}", retry=FAST).send(message())

    assert mailbox.rcpt_attempts == 2
    assert len(mailbox.received) == 1


def test_connection_refused_then_server_comes_up(mailbox: Mailbox) -> None:
    port = free_port()
    started: list[Controller] = []

    def sleep_and_start_server(seconds: float) -> None:
        if not started:
            started.append(start(mailbox, port=port))

    sender = SmtpSender.from_url(
        f"smtp://127.0.0.1:{port}", retry=RetryPolicy(attempts=3, backoff=0.01, sleep=sleep_and_start_server)
    )
    try:
        sender.send(message())
    finally:
        for controller in started:
            controller.stop()

    assert len(started) == 1
    assert len(mailbox.received) == 1


def test_transient_failures_give_up_after_the_attempts(plain_server: Controller, mailbox: Mailbox) -> None:
    mailbox.refuse_rcpt = ["450 mailbox busy"] * 5
    with pytest.raises(DeliveryError) as caught:
        SmtpSender.from_url(f"smtp://127.0.0.1:{plain_server.port}", retry=FAST).send(message())

    assert caught.value.transient is True
    assert mailbox.rcpt_attempts == 3


def test_permanent_rejection_is_not_retried(plain_server: Controller, mailbox: Mailbox) -> None:
    mailbox.refuse_rcpt = ["550 5.1.1 No such user"]
    with pytest.raises(DeliveryError) as caught:
        SmtpSender.from_url(f"smtp://127.0.0.1:{plain_server.port}", retry=FAST).send(message())

    assert caught.value.transient is False
    assert mailbox.rcpt_attempts == 1


def test_nobody_listening_is_transient() -> None:
    sender = SmtpSender.from_url(f"smtp://127.0.0.1:{free_port()}", retry=FAST)
    with pytest.raises(DeliveryError) as caught:
        sender.send(message())
    assert caught.value.transient is True


@pytest.mark.parametrize(
    ("url", "security", "port"),
    [
        ("smtp://mail.example", "none", 25),
        ("smtp+starttls://mail.example", "starttls", 587),
        ("smtps://mail.example", "tls", 465),
        ("smtp://mail.example:2525?timeout=3", "none", 2525),
    ],
)
def test_url_schemes_and_default_ports(url: str, security: str, port: int) -> None:
    sender = SmtpSender.from_url(url)
    assert (sender.host, sender.port, sender.security) == ("mail.example", port, security)


def test_rejects_other_schemes() -> None:
    with pytest.raises(ValueError, match="SMTP URL"):
        SmtpSender.from_url("http://mail.example")


def test_refuses_sms() -> None:
    with pytest.raises(ValueError):
        SmtpSender("127.0.0.1", 25).send(message(medium="SMS", destination="+15555550100"))
