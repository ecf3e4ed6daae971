"""Helpers for the sign-in tests: app clients, invited users, the SRP client side (pycognito's math)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from pycognito.aws_srp import AWSSRP

from tests.conftest import outbox
from tests.support import Server

ALL_FLOWS = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
]
NEW_PASSWORD = "N3w-Passw0rd!"


def make_client(cognito: Any, pool: str, **config: Any) -> dict[str, Any]:
    config.setdefault("ExplicitAuthFlows", ALL_FLOWS)
    return dict(cognito.create_user_pool_client(UserPoolId=pool, ClientName="app", **config)["UserPoolClient"])


def invite(server: Server, cognito: Any, pool: str, username: str = "alice", email: str = "alice@example.com") -> str:
    """AdminCreateUser with an emailed invitation; returns the temporary password read from the outbox."""
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=username,
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    return str(outbox(server, pool=pool, username=username)[-1]["code"])


def confirmed_user(
    server: Server, cognito: Any, pool: str, username: str = "alice", password: str = NEW_PASSWORD
) -> None:
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": f"{username}@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    cognito.admin_set_user_password(UserPoolId=pool, Username=username, Password=password, Permanent=True)


def password_auth(cognito: Any, client_id: str, username: str, password: str, **extra: str) -> dict[str, Any]:
    return dict(
        cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password, **extra},
        )
    )


def secret_hash(secret: str, username: str, client_id: str) -> str:
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def srp_sign_in(cognito: Any, pool: str, client_id: str, username: str, password: str) -> dict[str, Any]:
    """USER_SRP_AUTH then PASSWORD_VERIFIER through boto3, computing the client side with pycognito."""
    aws = AWSSRP(username=username, password=password, pool_id=pool, client_id=client_id, client=cognito)
    params = aws.get_auth_params()
    first = cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=params)
    assert first["ChallengeName"] == "PASSWORD_VERIFIER"
    answer = aws.process_challenge(first["ChallengeParameters"], params)
    return dict(
        cognito.respond_to_auth_challenge(
            ClientId=client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer
        )
    )
