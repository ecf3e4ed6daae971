"""Get/SetLogDeliveryConfiguration through boto3, and the exported logs written as JSON lines to the
server's USERPOOLS_LOG_SINK: userNotification for a message that could not be delivered, userAuthEvents
for sign-ins. A server of its own per database, whose SMTP server refuses connections."""

from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import BACKENDS, client_for, error_of
from tests.signin import NEW_PASSWORD, confirmed_user, make_client, password_auth
from tests.support import Server
from tests.support.net import free_port

LOG_GROUP = "arn:aws:logs:us-east-1:000000000000:log-group:cognito-exported"
STREAM = "arn:aws:firehose:us-east-1:000000000000:deliverystream/cognito"
NOTIFICATIONS = {
    "EventSource": "userNotification",
    "LogLevel": "ERROR",
    "CloudWatchLogsConfiguration": {"LogGroupArn": LOG_GROUP},
}
AUTH_EVENTS = {"EventSource": "userAuthEvents", "LogLevel": "INFO", "FirehoseConfiguration": {"StreamArn": STREAM}}


@pytest.fixture(scope="module", params=BACKENDS)
def logging_server(
    request: pytest.FixtureRequest, database_url_for: Callable[[str], str]
) -> Iterator[tuple[Server, Path]]:
    sink = Path(tempfile.mkdtemp(prefix="userpools-logs-")) / "pool-logs.jsonl"
    server = Server(
        database_url_for(request.param),
        env={"USERPOOLS_LOG_SINK": str(sink), "USERPOOLS_SMTP_URL": f"smtp://127.0.0.1:{free_port()}"},
    )
    yield server, sink
    server.stop()


@pytest.fixture
def cognito(logging_server: tuple[Server, Path]) -> Any:
    return client_for(logging_server[0].url)


def records(sink: Path, pool: str) -> list[dict[str, Any]]:
    if not sink.exists():
        return []
    lines = [json.loads(line) for line in sink.read_text().splitlines()]
    return [r for r in lines if r["logSourceId"]["userPoolId"] == pool]


def new_pool(cognito: Any, **config: Any) -> str:
    return str(cognito.create_user_pool(PoolName=f"p-{uuid.uuid4().hex[:8]}", **config)["UserPool"]["Id"])


def test_set_and_get(cognito: Any) -> None:
    pool = new_pool(cognito, UserPoolTier="PLUS")
    assert cognito.get_log_delivery_configuration(UserPoolId=pool)["LogDeliveryConfiguration"] == {
        "UserPoolId": pool,
        "LogConfigurations": [],
    }
    answer = cognito.set_log_delivery_configuration(UserPoolId=pool, LogConfigurations=[NOTIFICATIONS, AUTH_EVENTS])
    expected = {"UserPoolId": pool, "LogConfigurations": [NOTIFICATIONS, AUTH_EVENTS]}
    assert answer["LogDeliveryConfiguration"] == expected
    assert cognito.get_log_delivery_configuration(UserPoolId=pool)["LogDeliveryConfiguration"] == expected
    cognito.set_log_delivery_configuration(UserPoolId=pool, LogConfigurations=[])
    assert (
        cognito.get_log_delivery_configuration(UserPoolId=pool)["LogDeliveryConfiguration"]["LogConfigurations"] == []
    )


@pytest.mark.parametrize(
    ("configurations", "error"),
    [
        (
            [{**NOTIFICATIONS, "LogLevel": "INFO"}],
            ("InvalidParameterException", "Log level INFO is not supported for event source userNotification."),
        ),
        (
            [
                {
                    "EventSource": "userNotification",
                    "LogLevel": "ERROR",
                    "S3Configuration": {"BucketArn": "arn:aws:s3:::logs"},
                }
            ],
            ("InvalidParameterException", "S3Configuration is not supported for event source userNotification."),
        ),
        (
            [{**NOTIFICATIONS, "FirehoseConfiguration": {"StreamArn": STREAM}}],
            ("InvalidParameterException", "Exactly one log destination must be set in each log configuration."),
        ),
        (
            [NOTIFICATIONS, NOTIFICATIONS],
            ("InvalidParameterException", "Only one log configuration can be set for event source userNotification."),
        ),
        (
            [AUTH_EVENTS],
            (
                "FeatureUnavailableInTierException",
                "Exporting userAuthEvents logs requires a user pool on the Plus feature plan.",
            ),
        ),
    ],
)
def test_refused_configurations(cognito: Any, configurations: list[dict[str, Any]], error: tuple[str, str]) -> None:
    pool = new_pool(cognito)
    cognito.set_log_delivery_configuration(UserPoolId=pool, LogConfigurations=[NOTIFICATIONS])
    with pytest.raises(ClientError) as excinfo:
        cognito.set_log_delivery_configuration(UserPoolId=pool, LogConfigurations=configurations)
    assert error_of(excinfo) == error
    kept = cognito.get_log_delivery_configuration(UserPoolId=pool)["LogDeliveryConfiguration"]["LogConfigurations"]
    assert kept == [NOTIFICATIONS]  # a refused request changes nothing


def test_unknown_pool(cognito: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.get_log_delivery_configuration(UserPoolId="us-east-1_missing1")
    assert error_of(excinfo) == ("ResourceNotFoundException", "User pool us-east-1_missing1 does not exist.")


def test_undelivered_message_is_logged(cognito: Any, logging_server: tuple[Server, Path]) -> None:
    sink = logging_server[1]
    pool, quiet = new_pool(cognito), new_pool(cognito)
    cognito.set_log_delivery_configuration(UserPoolId=pool, LogConfigurations=[NOTIFICATIONS])
    for target in (pool, quiet):
        with pytest.raises(ClientError) as excinfo:
            cognito.admin_create_user(
                UserPoolId=target,
                Username="dora",
                UserAttributes=[{"Name": "email", "Value": "dora@example.com"}],
                DesiredDeliveryMediums=["EMAIL"],
            )
        assert error_of(excinfo)[0] == "CodeDeliveryFailureException"
    (logged,) = records(sink, pool)
    assert logged["eventSource"] == "USER_NOTIFICATION" and logged["logLevel"] == "ERROR"
    assert logged["destination"] == LOG_GROUP and logged["eventTimestamp"].isdigit()
    assert logged["message"]["deliveryMedium"] == "EMAIL" and logged["message"]["userName"] == "dora"
    assert records(sink, quiet) == []  # a pool that exports nothing writes nothing


def test_sign_ins_are_logged(cognito: Any, logging_server: tuple[Server, Path]) -> None:
    server, sink = logging_server
    pool = new_pool(cognito, UserPoolTier="PLUS")
    cognito.set_log_delivery_configuration(UserPoolId=pool, LogConfigurations=[AUTH_EVENTS])
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    with pytest.raises(ClientError):
        password_auth(cognito, client_id, "alice", "Wr0ng-Password!")
    passed, failed = records(sink, pool)
    assert passed["eventSource"] == "USER_AUTH_EVENTS" and passed["logLevel"] == "INFO"
    assert passed["destination"] == STREAM
    assert passed["message"]["eventType"] == "SignIn" and passed["message"]["eventResponse"] == "Pass"
    assert passed["message"]["userName"] == "alice" and passed["message"]["clientId"] == client_id
    assert failed["message"]["eventResponse"] == "Fail"
    assert failed["message"]["errorType"] == "NotAuthorizedException"
    assert NEW_PASSWORD not in sink.read_text()
