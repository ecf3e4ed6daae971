"""SignUp, ConfirmSignUp, ResendConfirmationCode and AdminConfirmSignUp through boto3, codes read from the outbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of
from tests.signin import NEW_PASSWORD, make_client

EMAIL = [{"Name": "email", "Value": "bob@example.com"}]


def test_sign_up_rules(cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(AdminCreateUserConfig={"AllowAdminCreateUserOnly": True})
    client_id = make_client(cognito, pool)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(ClientId=client_id, Username="bob", Password=NEW_PASSWORD)
    assert error_of(excinfo) == ("NotAuthorizedException", "SignUp is not permitted for this user pool")
    open_pool = make_pool()
    open_client = make_client(cognito, open_pool)["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(ClientId=open_client, Username="bob", Password="weak")
    assert error_of(excinfo)[0] == "InvalidPasswordException"


def test_admin_confirm_sign_up(cognito: Any, pool: str) -> None:
    client_id = make_client(cognito, pool)["ClientId"]
    cognito.sign_up(ClientId=client_id, Username="bob", Password=NEW_PASSWORD)
    cognito.admin_confirm_sign_up(UserPoolId=pool, Username="bob")
    assert cognito.admin_get_user(UserPoolId=pool, Username="bob")["UserStatus"] == "CONFIRMED"
