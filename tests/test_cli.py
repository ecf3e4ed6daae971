"""The command line: `userpools outbox` and the AWS CLI pointed at a live server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from tests.support import Server


def test_outbox_command_prints_invitations(cognito: Any, server: Server, pool: str) -> None:
    cognito.admin_create_user(UserPoolId=pool, Username="cli-user", DesiredDeliveryMediums=["EMAIL"],
                              UserAttributes=[{"Name": "email", "Value": "cli@example.com"}])
    result = subprocess.run(
        [sys.executable, "-m", "userpools", "outbox", "--url", server.url, "--pool", pool, "--json"],
        capture_output=True, text=True, check=True,
    )
    (message,) = json.loads(result.stdout)
    assert message["destination"] == "cli@example.com"
    assert message["username"] == "cli-user"
    table = subprocess.run(
        [sys.executable, "-m", "userpools", "outbox", "--url", server.url, "--pool", pool],
        capture_output=True, text=True, check=True, env={**os.environ, "COLUMNS": "300"},
    )
    assert "cli@example.com" in table.stdout


def test_aws_cli(server: Server, pool: str) -> None:
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y", "AWS_DEFAULT_REGION": "us-east-1"}
    aws = os.path.join(os.path.dirname(sys.executable), "aws")
    created = subprocess.run(
        [aws, "cognito-idp", "admin-create-user", "--endpoint-url", server.url, "--user-pool-id", pool,
         "--username", "from-cli", "--message-action", "SUPPRESS",
         "--user-attributes", "Name=email,Value=from-cli@example.com"],
        capture_output=True, text=True, env=env,
    )
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    failed = subprocess.run(
        [aws, "cognito-idp", "admin-get-user", "--endpoint-url", server.url, "--user-pool-id", pool,
         "--username", "nobody"], capture_output=True, text=True, env=env,
    )
    assert failed.returncode == 255  # AWS CLI v1: a service error
    assert "UserNotFoundException" in failed.stderr and "User does not exist." in failed.stderr
