"""Self-service and account operations through boto3, codes read from the outbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of, outbox
from tests.signin import NEW_PASSWORD, confirmed_user, make_client, password_auth
from tests.support import Server

EMAIL = [{"Name": "email", "Value": "bob@example.com"}]


def last_code(server: Server, pool: str, username: str, kind: str) -> str:
    return str([m for m in outbox(server, pool=pool, username=username) if m["kind"] == kind][-1]["code"])


def test_sign_up_confirm_and_sign_in(server: Server, cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(AutoVerifiedAttributes=["email"])
    client_id = make_client(cognito, pool)["ClientId"]
    result = cognito.sign_up(ClientId=client_id, Username="bob", Password=NEW_PASSWORD, UserAttributes=EMAIL)
    assert result["UserConfirmed"] is False
    assert result["CodeDeliveryDetails"] == {
        "Destination": "b***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    with pytest.raises(ClientError) as excinfo:
        cognito.sign_up(ClientId=client_id, Username="bob", Password=NEW_PASSWORD, UserAttributes=EMAIL)
    assert error_of(excinfo) == ("UsernameExistsException", "User already exists")
    cognito.resend_confirmation_code(ClientId=client_id, Username="bob")
    with pytest.raises(ClientError) as excinfo:
        cognito.confirm_sign_up(ClientId=client_id, Username="bob", ConfirmationCode="000000x")
    assert error_of(excinfo)[0] == "CodeMismatchException"
    cognito.confirm_sign_up(
        ClientId=client_id, Username="bob", ConfirmationCode=last_code(server, pool, "bob", "SIGN_UP")
    )
    user = cognito.admin_get_user(UserPoolId=pool, Username="bob")
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]
    assert "AuthenticationResult" in password_auth(cognito, client_id, "bob", NEW_PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        cognito.confirm_sign_up(ClientId=client_id, Username="bob", ConfirmationCode="123456")
    assert error_of(excinfo) == ("NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")


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


def test_account_operations(server: Server, cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(AutoVerifiedAttributes=["email"])
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    access = password_auth(cognito, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"]["AccessToken"]
    with pytest.raises(ClientError) as excinfo:
        cognito.change_password(
            AccessToken=access, PreviousPassword="Wrong-Passw0rd!", ProposedPassword="Other-Passw0rd!"
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    cognito.change_password(AccessToken=access, PreviousPassword=NEW_PASSWORD, ProposedPassword="Other-Passw0rd!")
    result = cognito.update_user_attributes(
        AccessToken=access,
        UserAttributes=[{"Name": "email", "Value": "new@example.com"}, {"Name": "name", "Value": "Alice"}],
    )
    assert result["CodeDeliveryDetailsList"][0]["AttributeName"] == "email"
    attributes = {a["Name"]: a["Value"] for a in cognito.get_user(AccessToken=access)["UserAttributes"]}
    assert attributes["email"] == "new@example.com" and attributes["email_verified"] == "false"
    cognito.get_user_attribute_verification_code(AccessToken=access, AttributeName="email")
    cognito.verify_user_attribute(
        AccessToken=access, AttributeName="email", Code=last_code(server, pool, "alice", "VERIFY_ATTRIBUTE")
    )
    attributes = {a["Name"]: a["Value"] for a in cognito.get_user(AccessToken=access)["UserAttributes"]}
    assert attributes["email_verified"] == "true"
    cognito.delete_user_attributes(AccessToken=access, UserAttributeNames=["name"])
    assert "name" not in {a["Name"] for a in cognito.get_user(AccessToken=access)["UserAttributes"]}
    cognito.delete_user(AccessToken=access)
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_get_user(UserPoolId=pool, Username="alice")
    assert error_of(excinfo)[0] == "UserNotFoundException"
