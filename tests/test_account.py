"""A signed-in user's own account through boto3 (operations/account.py), codes read from the outbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of, last_code
from tests.signin import NEW_PASSWORD, confirmed_user, make_client, password_auth
from tests.support import Server

EMAIL = [{"Name": "email", "Value": "bob@example.com"}]


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
