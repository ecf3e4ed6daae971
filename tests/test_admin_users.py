"""Admin operations on existing users through boto3."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of, outbox
from tests.test_admin_create_user import attribute_map, attrs


def make_user(cognito: Any, pool: str, username: str, **values: str) -> None:
    cognito.admin_create_user(
        UserPoolId=pool, Username=username, MessageAction="SUPPRESS", UserAttributes=attrs(**values)
    )


def test_get_missing_user(cognito: Any, pool: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_get_user(UserPoolId=pool, Username="nobody")
    assert error_of(excinfo) == ("UserNotFoundException", "User does not exist.")


def test_delete_user(cognito: Any, pool: str) -> None:
    make_user(cognito, pool, "del")
    cognito.admin_delete_user(UserPoolId=pool, Username="del")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_delete_user(UserPoolId=pool, Username="del")
    assert error_of(excinfo)[0] == "UserNotFoundException"
    make_user(cognito, pool, "del")  # the username is free again


def test_enable_disable(cognito: Any, pool: str) -> None:
    make_user(cognito, pool, "toggle")
    cognito.admin_disable_user(UserPoolId=pool, Username="toggle")
    assert cognito.admin_get_user(UserPoolId=pool, Username="toggle")["Enabled"] is False
    cognito.admin_enable_user(UserPoolId=pool, Username="toggle")
    assert cognito.admin_get_user(UserPoolId=pool, Username="toggle")["Enabled"] is True


def test_update_attributes_unverifies_changed_email(cognito: Any, pool: str) -> None:
    make_user(cognito, pool, "upd", email="a@example.com", email_verified="true")
    cognito.admin_update_user_attributes(
        UserPoolId=pool, Username="upd", UserAttributes=attrs(email="b@example.com", given_name="Bea")
    )
    values = attribute_map(cognito.admin_get_user(UserPoolId=pool, Username="upd"), "UserAttributes")
    assert values["email"] == "b@example.com"
    assert values["email_verified"] == "false"
    assert values["given_name"] == "Bea"


def test_update_rejects_sub_and_unknown(cognito: Any, pool: str) -> None:
    make_user(cognito, pool, "upd")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_update_user_attributes(UserPoolId=pool, Username="upd", UserAttributes=attrs(sub="x"))
    assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_update_user_attributes(UserPoolId=pool, Username="upd", UserAttributes=attrs(custom__nope="x"))
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_update_to_taken_alias(cognito: Any, make_pool: Any) -> None:
    pool = make_pool(AliasAttributes=["email"])
    make_user(cognito, pool, "one", email="one@example.com", email_verified="true")
    make_user(cognito, pool, "two", email="two@example.com", email_verified="true")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_update_user_attributes(
            UserPoolId=pool, Username="two", UserAttributes=attrs(email="one@example.com", email_verified="true")
        )
    assert error_of(excinfo) == ("AliasExistsException", "An account with the given email already exists.")
    values = attribute_map(cognito.admin_get_user(UserPoolId=pool, Username="two"), "UserAttributes")
    assert values["email"] == "two@example.com"


def test_delete_attributes(cognito: Any, pool: str) -> None:
    make_user(cognito, pool, "da", given_name="Dee", email="d@example.com", email_verified="true")
    cognito.admin_delete_user_attributes(UserPoolId=pool, Username="da", UserAttributeNames=["given_name", "email"])
    values = attribute_map(cognito.admin_get_user(UserPoolId=pool, Username="da"), "UserAttributes")
    assert "given_name" not in values and "email" not in values and "email_verified" not in values
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_delete_user_attributes(UserPoolId=pool, Username="da", UserAttributeNames=["sub"])
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_set_password(cognito: Any, pool: str) -> None:
    make_user(cognito, pool, "pw")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_set_user_password(UserPoolId=pool, Username="pw", Password="weak", Permanent=True)
    assert error_of(excinfo) == (
        "InvalidPasswordException",
        "Password did not conform with policy: Password not long enough",
    )
    cognito.admin_set_user_password(UserPoolId=pool, Username="pw", Password="Strong-Passw0rd", Permanent=True)
    assert cognito.admin_get_user(UserPoolId=pool, Username="pw")["UserStatus"] == "CONFIRMED"
    cognito.admin_set_user_password(UserPoolId=pool, Username="pw", Password="Strong-Passw0rd2", Permanent=False)
    assert cognito.admin_get_user(UserPoolId=pool, Username="pw")["UserStatus"] == "FORCE_CHANGE_PASSWORD"


def test_reset_password(cognito: Any, server: Any, pool: str) -> None:
    make_user(cognito, pool, "rs")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_reset_user_password(UserPoolId=pool, Username="rs")
    assert error_of(excinfo)[0] == "InvalidParameterException"
    make_user(cognito, pool, "rs2", email="rs2@example.com", email_verified="true")
    cognito.admin_reset_user_password(UserPoolId=pool, Username="rs2")
    assert cognito.admin_get_user(UserPoolId=pool, Username="rs2")["UserStatus"] == "RESET_REQUIRED"
    (message,) = outbox(server, pool=pool, username="rs2")
    assert message["medium"] == "EMAIL" and message["destination"] == "rs2@example.com"
    assert message["code"] in message["body"]
