"""AdminCreateUser and AdminResetUserPassword with real triggers and real delivery.

Per backend, one userpools server whose USERPOOLS_LAMBDA_ENDPOINT is a loopback Lambda Invoke API
started here, whose USERPOOLS_SMTP_URL is an aiosmtpd server and whose USERPOOLS_SNS_ENDPOINT is
a loopback SNS Publish endpoint.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

import psycopg
import pytest
from aiosmtpd.controller import Controller
from botocore.exceptions import ClientError

from tests.conftest import BACKENDS, client_for, error_of, outbox
from tests.support import Server
from tests.support.http import Recorded, Recorder, Reply, serve
from tests.support.net import free_port
from tests.support.smtp import Mailbox

EMAIL_FROM = "Userpools Tests <no-reply@tests.example>"
PUBLISHED = (
    b'<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>'
    b"<MessageId>m-1</MessageId></PublishResult></PublishResponse>"
)
Handler = Callable[[dict[str, Any]], Reply]


def arn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:000000000000:function:{name}"


def answer(event: dict[str, Any], **response: Any) -> Reply:
    """What a Lambda handler returning the event (with ``response`` filled in) answers."""
    return Reply(
        200,
        json.dumps({**event, "response": {**event["response"], **response}}).encode(),
        {"Content-Type": "application/json"},
    )


def function_error(message: str) -> Handler:
    body = json.dumps({"errorMessage": message, "errorType": "Error", "stackTrace": []}).encode()
    return lambda event: Reply(200, body, {"X-Amz-Function-Error": "Unhandled", "Content-Type": "application/json"})


@dataclass
class Lambdas:
    """The Lambda Invoke API: each function name answers with its handler; every event is kept."""

    handlers: dict[str, Handler] = field(default_factory=dict)
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def __call__(self, request: Recorded) -> Reply:
        target = unquote(request.path.split("/functions/", 1)[1].split("/", 1)[0])
        name = target.split(":function:")[-1].split(":")[0]
        event = json.loads(request.body)
        self.events.append((name, event))
        return self.handlers.get(name, answer)(event)

    def seen(self, name: str) -> list[dict[str, Any]]:
        return [e for n, e in self.events if n == name]


@dataclass
class Sns:
    script: list[Reply] = field(default_factory=list)

    def __call__(self, request: Recorded) -> Reply:
        return self.script.pop(0) if self.script else Reply(200, PUBLISHED, {"Content-Type": "text/xml"})


@dataclass
class Live:
    backend: str
    server: Server
    cognito: Any
    lambdas: Lambdas
    mailbox: Mailbox
    sns: Sns
    sns_recorder: Recorder

    def reset(self) -> None:
        self.lambdas.handlers.clear()
        self.lambdas.events.clear()
        self.mailbox.received.clear()
        self.mailbox.refuse_rcpt.clear()
        self.sns.script.clear()
        self.sns_recorder.requests.clear()

    def published(self) -> list[dict[str, str]]:
        return [{k: v[0] for k, v in parse_qs(r.body.decode()).items()} for r in self.sns_recorder.requests]


@pytest.fixture(scope="module", params=BACKENDS)
def live_env(request: pytest.FixtureRequest, database_url_for: Callable[[str], str]) -> Iterator[Live]:
    lambdas, sns, mailbox = Lambdas(), Sns(), Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        with serve(lambdas) as lambda_endpoint, serve(sns) as sns_endpoint:
            server = Server(
                database_url_for(request.param),
                env={
                    "USERPOOLS_LAMBDA_ENDPOINT": lambda_endpoint.url,
                    "USERPOOLS_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
                    "USERPOOLS_EMAIL_FROM": EMAIL_FROM,
                    "USERPOOLS_SNS_ENDPOINT": sns_endpoint.url,
                },
            )
            try:
                yield Live(request.param, server, client_for(server.url), lambdas, mailbox, sns, sns_endpoint)
            finally:
                server.stop()
    finally:
        smtp.stop()


@pytest.fixture
def live(live_env: Live) -> Live:
    live_env.reset()
    return live_env


def new_pool(live: Live, **config: Any) -> str:
    return str(live.cognito.create_user_pool(PoolName=f"p-{uuid.uuid4().hex[:8]}", **config)["UserPool"]["Id"])


def attrs(**values: str) -> list[dict[str, str]]:
    return [{"Name": k, "Value": v} for k, v in values.items()]


def usernames(live: Live, pool: str) -> list[str]:
    return [u["Username"] for u in live.cognito.list_users(UserPoolId=pool)["Users"]]


TRIGGERS = {"PreSignUp": arn("pre-signup"), "CustomMessage": arn("custom-message")}


def test_pre_sign_up_receives_exact_metadata_and_validation_data(live: Live) -> None:
    pool = new_pool(live, LambdaConfig=TRIGGERS)
    metadata = {"campaign": "spring", "note": "ünïcode & spaces"}
    live.cognito.admin_create_user(
        UserPoolId=pool,
        Username="alice",
        MessageAction="SUPPRESS",
        UserAttributes=attrs(email="alice@example.com", given_name="Alice"),
        ValidationData=attrs(ticket="T-1", origin="admin-console"),
        ClientMetadata=metadata,
    )
    (event,) = live.lambdas.seen("pre-signup")
    assert event == {
        "version": "1",
        "triggerSource": "PreSignUp_AdminCreateUser",
        "region": "us-east-1",
        "userPoolId": pool,
        "userName": "alice",
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "CLIENT_ID_NOT_APPLICABLE"},
        "request": {
            "userAttributes": {"email": "alice@example.com", "given_name": "Alice"},
            "validationData": {"ticket": "T-1", "origin": "admin-console"},
            "clientMetadata": metadata,
        },
        "response": {"autoConfirmUser": False, "autoVerifyEmail": False, "autoVerifyPhone": False},
    }
    assert live.lambdas.seen("custom-message") == []  # SUPPRESS: no message, no CustomMessage
    assert usernames(live, pool) == ["alice"]


def test_pre_sign_up_rejection_creates_nothing(live: Live) -> None:
    pool = new_pool(live, LambdaConfig=TRIGGERS)
    live.lambdas.handlers["pre-signup"] = function_error("Domain example.com is not allowed")
    with pytest.raises(ClientError) as excinfo:
        live.cognito.admin_create_user(
            UserPoolId=pool,
            Username="bob",
            DesiredDeliveryMediums=["EMAIL"],
            UserAttributes=attrs(email="bob@example.com"),
        )
    assert error_of(excinfo) == (
        "UserLambdaValidationException",
        "PreSignUp failed with error Domain example.com is not allowed.",
    )
    assert usernames(live, pool) == []
    assert outbox(live.server, pool=pool) == []
    assert live.mailbox.received == []
    assert live.lambdas.seen("custom-message") == []


def test_auto_confirm_and_verify_are_ignored_for_admin_created_users(live: Live) -> None:
    pool = new_pool(live, LambdaConfig=TRIGGERS)
    live.lambdas.handlers["pre-signup"] = lambda e: answer(e, autoConfirmUser=True, autoVerifyEmail=True)
    user = live.cognito.admin_create_user(
        UserPoolId=pool, Username="cat", MessageAction="SUPPRESS", UserAttributes=attrs(email="cat@example.com")
    )["User"]
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert "email_verified" not in {a["Name"] for a in user["Attributes"]}


def test_unreachable_and_unrecognizable_triggers(live: Live) -> None:
    pool = new_pool(live, LambdaConfig=TRIGGERS)
    live.lambdas.handlers["pre-signup"] = lambda e: Reply(
        500, b'{"Type":"Service"}', {"X-Amzn-ErrorType": "ServiceException"}
    )
    with pytest.raises(ClientError) as excinfo:
        live.cognito.admin_create_user(UserPoolId=pool, Username="dan", MessageAction="SUPPRESS")
    assert error_of(excinfo) == (
        "UnexpectedLambdaException",
        "PreSignUp invocation failed due to error Unable to invoke Lambda function.",
    )
    assert len(live.lambdas.seen("pre-signup")) == 3  # Cognito's three attempts

    live.lambdas.handlers["pre-signup"] = lambda e: Reply(200, b"not json", {})
    with pytest.raises(ClientError) as excinfo:
        live.cognito.admin_create_user(UserPoolId=pool, Username="dan", MessageAction="SUPPRESS")
    assert error_of(excinfo) == ("InvalidLambdaResponseException", "Unrecognizable lambda output")
    assert usernames(live, pool) == []


def test_custom_message_rewrites_invitation_sent_by_email_and_sms(live: Live) -> None:
    pool = new_pool(
        live,
        LambdaConfig=TRIGGERS,
        EmailConfiguration={"EmailSendingAccount": "COGNITO_DEFAULT", "From": "Team <team@example.org>"},
    )
    live.lambdas.handlers["custom-message"] = lambda e: answer(
        e,
        emailSubject="Welcome aboard",
        emailMessage=f"Hello {e['request']['usernameParameter']}, your password is {e['request']['codeParameter']}.",
        smsMessage=f"{e['request']['usernameParameter']}: {e['request']['codeParameter']}",
    )
    live.cognito.admin_create_user(
        UserPoolId=pool,
        Username="eve",
        TemporaryPassword="Temp-Passw0rd",
        DesiredDeliveryMediums=["EMAIL", "SMS"],
        UserAttributes=attrs(email="eve@example.com", phone_number="+15555550123"),
        ClientMetadata={"lang": "fr"},
    )
    (event,) = live.lambdas.seen("custom-message")
    assert event["triggerSource"] == "CustomMessage_AdminCreateUser"
    assert event["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE"
    request = event["request"]
    assert (request["codeParameter"], request["usernameParameter"]) == ("{####}", "{username}")
    assert request["clientMetadata"] == {"lang": "fr"}
    assert request["userAttributes"]["email"] == "eve@example.com"
    assert request["userAttributes"]["cognito:user_status"] == "FORCE_CHANGE_PASSWORD"
    assert "Temp-Passw0rd" not in json.dumps(event)  # the trigger sees placeholders, never the password

    ((_, rcpt_tos, mail),) = live.mailbox.received
    assert rcpt_tos == ["eve@example.com"]
    assert mail["From"] == "Team <team@example.org>"
    assert mail["Subject"] == "Welcome aboard"
    assert mail.get_content().strip() == "Hello eve, your password is Temp-Passw0rd."
    assert [(p["PhoneNumber"], p["Message"]) for p in live.published()] == [("+15555550123", "eve: Temp-Passw0rd")]
    rows = outbox(live.server, pool=pool)
    assert [(r["medium"], r["status"], r["body"]) for r in rows] == [
        ("EMAIL", "SENT", "Hello eve, your password is Temp-Passw0rd."),
        ("SMS", "SENT", "eve: Temp-Passw0rd"),
    ]


def test_pool_template_by_smtp_from_the_configured_address(live: Live) -> None:
    pool = new_pool(
        live,
        AdminCreateUserConfig={
            "InviteMessageTemplate": {
                "EmailSubject": "Your account",
                "EmailMessage": "Hi {username}, sign in with {####} today.",
            }
        },
    )
    live.cognito.admin_create_user(
        UserPoolId=pool, Username="fay", DesiredDeliveryMediums=["EMAIL"], UserAttributes=attrs(email="fay@example.com")
    )
    ((_, _, mail),) = live.mailbox.received
    (row,) = outbox(live.server, pool=pool)
    assert mail["From"] == EMAIL_FROM
    assert mail["Subject"] == "Your account"
    assert mail.get_content().strip() == f"Hi fay, sign in with {row['code']} today."
    assert row["status"] == "SENT"


def test_custom_message_without_code_placeholder_is_rejected(live: Live) -> None:
    pool = new_pool(live, LambdaConfig=TRIGGERS)
    live.lambdas.handlers["custom-message"] = lambda e: answer(e, emailMessage="Welcome! No password here.")
    with pytest.raises(ClientError) as excinfo:
        live.cognito.admin_create_user(
            UserPoolId=pool,
            Username="gus",
            DesiredDeliveryMediums=["EMAIL"],
            UserAttributes=attrs(email="gus@example.com"),
        )
    code, message = error_of(excinfo)
    assert code == "InvalidLambdaResponseException"
    assert "{####}" in message
    assert usernames(live, pool) == []
    assert live.mailbox.received == []


def test_refused_email_fails_delivery_and_creates_nothing(live: Live) -> None:
    pool = new_pool(live)
    live.mailbox.refuse_rcpt.append("550 5.1.1 mailbox unavailable")
    with pytest.raises(ClientError) as excinfo:
        live.cognito.admin_create_user(
            UserPoolId=pool,
            Username="hal",
            DesiredDeliveryMediums=["EMAIL"],
            UserAttributes=attrs(email="hal@example.com"),
        )
    assert error_of(excinfo) == ("CodeDeliveryFailureException", "Invalid email provided/Unable to send the email")
    assert usernames(live, pool) == []
    assert [(r["medium"], r["status"]) for r in outbox(live.server, pool=pool)] == [("EMAIL", "FAILED")]
    live.cognito.admin_create_user(
        UserPoolId=pool, Username="hal", DesiredDeliveryMediums=["EMAIL"], UserAttributes=attrs(email="hal@example.com")
    )
    assert usernames(live, pool) == ["hal"]
    assert [r["status"] for r in outbox(live.server, pool=pool)] == ["FAILED", "SENT"]


def test_refused_sms_fails_delivery_and_creates_nothing(live: Live) -> None:
    pool = new_pool(live)
    live.sns.script.append(
        Reply(
            400,
            b"<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code>"
            b"<Message>Invalid parameter: PhoneNumber</Message></Error></ErrorResponse>",
            {"Content-Type": "text/xml"},
        )
    )
    with pytest.raises(ClientError) as excinfo:
        live.cognito.admin_create_user(
            UserPoolId=pool,
            Username="ian",
            DesiredDeliveryMediums=["SMS"],
            UserAttributes=attrs(phone_number="+15555550100"),
        )
    assert error_of(excinfo)[0] == "CodeDeliveryFailureException"
    assert usernames(live, pool) == []
    assert [(r["medium"], r["status"]) for r in outbox(live.server, pool=pool)] == [("SMS", "FAILED")]


def test_reset_password_code_goes_through_custom_message(live: Live) -> None:
    pool = new_pool(live, LambdaConfig=TRIGGERS)
    live.cognito.admin_create_user(
        UserPoolId=pool,
        Username="joy",
        MessageAction="SUPPRESS",
        UserAttributes=attrs(email="joy@example.com", email_verified="true"),
    )
    live.lambdas.handlers["custom-message"] = lambda e: answer(
        e, emailSubject="Reset", emailMessage=f"Code: {e['request']['codeParameter']}"
    )
    live.cognito.admin_reset_user_password(UserPoolId=pool, Username="joy", ClientMetadata={"why": "support"})
    (event,) = live.lambdas.seen("custom-message")
    assert event["triggerSource"] == "CustomMessage_ForgotPassword"
    assert event["request"]["usernameParameter"] is None
    assert event["request"]["clientMetadata"] == {"why": "support"}
    (row,) = outbox(live.server, pool=pool)
    ((_, _, mail),) = live.mailbox.received
    assert (mail["Subject"], mail.get_content().strip()) == ("Reset", f"Code: {row['code']}")
    assert row["status"] == "SENT"
    user = live.cognito.admin_get_user(UserPoolId=pool, Username="joy")
    assert user["UserStatus"] == "RESET_REQUIRED"


def _database_text(live: Live) -> bytes:
    url = live.server.database_url
    if live.backend == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))  # the file, -wal and -shm
    with psycopg.connect(url) as connection:
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        ]
        rows = [r[0] for t in tables for r in connection.execute(f'SELECT row_to_json(t)::text FROM "{t}" t')]
    return "\n".join(rows).encode()


def test_client_metadata_and_validation_data_are_never_stored_or_logged(live: Live) -> None:
    metadata, validation, kept = (f"{kind}-{uuid.uuid4().hex}" for kind in ("meta", "valid", "kept"))
    pool = new_pool(live, LambdaConfig=TRIGGERS)
    extra = {"ClientMetadata": {"marker": metadata}, "ValidationData": attrs(marker=validation)}

    def create(username: str, **more: Any) -> None:
        live.cognito.admin_create_user(
            UserPoolId=pool,
            Username=username,
            DesiredDeliveryMediums=["EMAIL"],
            UserAttributes=attrs(email=f"{username}@example.com", given_name=kept),
            **extra,
            **more,
        )

    create("ok1")
    live.cognito.admin_create_user(UserPoolId=pool, Username="ok1", MessageAction="RESEND", **extra)
    live.cognito.admin_update_user_attributes(
        UserPoolId=pool, Username="ok1", UserAttributes=attrs(email="ok1@example.com", email_verified="true")
    )
    live.cognito.admin_reset_user_password(UserPoolId=pool, Username="ok1", ClientMetadata={"marker": metadata})
    live.lambdas.handlers["pre-signup"] = function_error("rejected")
    with pytest.raises(ClientError):
        create("rejected")
    live.lambdas.handlers["pre-signup"] = lambda e: Reply(503, b"", {})
    with pytest.raises(ClientError):
        create("unreachable")
    live.lambdas.handlers.clear()
    live.mailbox.refuse_rcpt.append("550 no")
    with pytest.raises(ClientError):
        create("undeliverable")

    sent = json.dumps(live.lambdas.events)
    assert metadata in sent and validation in sent  # the triggers did see them

    stored = _database_text(live)
    assert kept.encode() in stored  # the scan sees what is stored
    assert metadata.encode() not in stored
    assert validation.encode() not in stored

    log = live.server.output()
    assert "could not be invoked" in log  # the failure paths did log
    assert metadata not in log
    assert validation not in log
