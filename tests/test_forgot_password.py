"""ForgotPassword and ConfirmForgotPassword through boto3, codes read from the outbox."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of, last_code
from tests.signin import confirmed_user, make_client, password_auth
from tests.support import Server

EMAIL = [{"Name": "email", "Value": "bob@example.com"}]


def test_forgot_password(server: Server, cognito: Any, pool: str) -> None:
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    delivery = cognito.forgot_password(ClientId=client_id, Username="alice")["CodeDeliveryDetails"]
    assert delivery["DeliveryMedium"] == "EMAIL"
    code = last_code(server, pool, "alice", "FORGOT_PASSWORD")
    cognito.confirm_forgot_password(
        ClientId=client_id, Username="alice", ConfirmationCode=code, Password="Other-Passw0rd!"
    )
    assert "AuthenticationResult" in password_auth(cognito, client_id, "alice", "Other-Passw0rd!")
    with pytest.raises(ClientError) as excinfo:  # single-use
        cognito.confirm_forgot_password(
            ClientId=client_id, Username="alice", ConfirmationCode=code, Password="Third-Passw0rd!"
        )
    assert error_of(excinfo)[0] == "ExpiredCodeException"
    with pytest.raises(ClientError) as excinfo:
        cognito.forgot_password(ClientId=client_id, Username="nobody")
    assert error_of(excinfo)[0] == "UserNotFoundException"
