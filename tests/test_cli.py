"""The command line: `userpools outbox` and the AWS CLI pointed at a live server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from tests.support import Server


def test_outbox_command_prints_invitations(cognito: Any, server: Server, pool: str) -> None:
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="cli-user",
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "cli@example.com"}],
    )
    result = subprocess.run(
        [sys.executable, "-m", "userpools", "outbox", "--url", server.url, "--pool", pool, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    (message,) = json.loads(result.stdout)
    assert message["destination"] == "cli@example.com"
    assert message["username"] == "cli-user"
    table = subprocess.run(
        [sys.executable, "-m", "userpools", "outbox", "--url", server.url, "--pool", pool],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COLUMNS": "300"},
    )
    assert "cli@example.com" in table.stdout


def test_aws_cli(server: Server, pool: str) -> None:
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y", "AWS_DEFAULT_REGION": "us-east-1"}
    aws = os.path.join(os.path.dirname(sys.executable), "aws")
    created = subprocess.run(
        [
            aws,
            "cognito-idp",
            "admin-create-user",
            "--endpoint-url",
            server.url,
            "--user-pool-id",
            pool,
            "--username",
            "from-cli",
            "--message-action",
            "SUPPRESS",
            "--user-attributes",
            "Name=email,Value=from-cli@example.com",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    failed = subprocess.run(
        [
            aws,
            "cognito-idp",
            "admin-get-user",
            "--endpoint-url",
            server.url,
            "--user-pool-id",
            pool,
            "--username",
            "nobody",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert failed.returncode == 255  # AWS CLI v1: a service error
    assert "UserNotFoundException" in failed.stderr and "User does not exist." in failed.stderr


def test_aws_cli_cloudcontrol_manages_a_user(server: Server, pool: str) -> None:
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y", "AWS_DEFAULT_REGION": "us-east-1"}
    aws = [os.path.join(os.path.dirname(sys.executable), "aws"), "cloudcontrol", "--endpoint-url", server.url]
    kind = ["--type-name", "AWS::Cognito::UserPoolUser"]

    def run(*args: str) -> dict[str, Any]:
        done = subprocess.run([*aws, *args], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        return dict(json.loads(done.stdout))

    state = json.dumps({"UserPoolId": pool, "Username": "cc-cli", "MessageAction": "SUPPRESS"})
    created = run("create-resource", *kind, "--desired-state", state)["ProgressEvent"]
    assert created["OperationStatus"] == "SUCCESS"
    assert created["Identifier"] == f"{pool}|cc-cli"
    got = run("get-resource", *kind, "--identifier", created["Identifier"])["ResourceDescription"]
    assert json.loads(got["Properties"])["Username"] == "cc-cli"
    deleted = run("delete-resource", *kind, "--identifier", created["Identifier"])["ProgressEvent"]
    assert deleted["OperationStatus"] == "SUCCESS"
