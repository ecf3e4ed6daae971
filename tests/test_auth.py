"""Auth flows through boto3: SRP, password, admin, refresh, NEW_PASSWORD_REQUIRED, and their errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from sqlalchemy import update

from tests.conftest import error_of
from tests.signin import (
    NEW_PASSWORD,
    confirmed_user,
    invite,
    make_client,
    password_auth,
    secret_hash,
    srp_sign_in,
)
from tests.support import Server
from userpools.domain import srp
from userpools.storage.engine import Store
from userpools.storage.schema import users


def test_new_password_required_then_confirmed(server: Server, cognito: Any, pool: str) -> None:
    client_id = make_client(cognito, pool)["ClientId"]
    temporary = invite(server, cognito, pool)
    first = srp_sign_in(cognito, pool, client_id, "alice", temporary)
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert first["ChallengeParameters"]["USER_ID_FOR_SRP"] == "alice"
    assert first["ChallengeParameters"]["requiredAttributes"] == "[]"
    assert '"email": "alice@example.com"' in first["ChallengeParameters"]["userAttributes"]
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=first["Session"],
            ChallengeResponses={"USERNAME": "alice", "NEW_PASSWORD": "short"},
        )
    assert error_of(excinfo)[0] == "InvalidPasswordException"
    done = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=first["Session"],
        ChallengeResponses={"USERNAME": "alice", "NEW_PASSWORD": NEW_PASSWORD, "userAttributes.name": "Alice"},
    )
    assert done["AuthenticationResult"]["TokenType"] == "Bearer"
    assert done["AuthenticationResult"]["ExpiresIn"] == 3600
    user = cognito.admin_get_user(UserPoolId=pool, Username="alice")
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "name", "Value": "Alice"} in user["UserAttributes"]
    with pytest.raises(ClientError) as excinfo:  # sessions are single-use
        cognito.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="NEW_PASSWORD_REQUIRED",
            Session=first["Session"],
            ChallengeResponses={"USERNAME": "alice", "NEW_PASSWORD": NEW_PASSWORD},
        )
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    assert "AuthenticationResult" in srp_sign_in(cognito, pool, client_id, "alice", NEW_PASSWORD)
    assert "AuthenticationResult" in password_auth(cognito, client_id, "alice", NEW_PASSWORD)


def test_wrong_password_srp_and_plain(server: Server, cognito: Any, pool: str) -> None:
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    attempts: tuple[Callable[[], Any], ...] = (
        lambda: srp_sign_in(cognito, pool, client_id, "alice", "Wrong-Passw0rd!"),
        lambda: password_auth(cognito, client_id, "alice", "Wrong-Passw0rd!"),
    )
    for attempt in attempts:
        with pytest.raises(ClientError) as excinfo:
            attempt()
        assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_suppressed_invitation_leaves_a_password_no_one_can_use(server: Server, cognito: Any, pool: str) -> None:
    """SUPPRESS without TemporaryPassword: the generated password is never sent, so nothing signs in until an
    admin sets one; SRP still runs its handshake (the challenge looks like any other) and then refuses."""
    client_id = make_client(cognito, pool)["ClientId"]
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="quiet",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "quiet@example.com"}],
    )
    started = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "quiet", "SRP_A": "0a"}
    )
    assert started["ChallengeName"] == "PASSWORD_VERIFIER"
    assert 0 < int(started["ChallengeParameters"]["SRP_B"], 16) < srp.N and started["ChallengeParameters"]["SALT"]
    attempts: tuple[Callable[[], Any], ...] = (
        lambda: srp_sign_in(cognito, pool, client_id, "quiet", NEW_PASSWORD),
        lambda: password_auth(cognito, client_id, "quiet", NEW_PASSWORD),
    )
    for attempt in attempts:
        with pytest.raises(ClientError) as excinfo:
            attempt()
        assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    assert cognito.admin_get_user(UserPoolId=pool, Username="quiet")["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    cognito.admin_set_user_password(UserPoolId=pool, Username="quiet", Password=NEW_PASSWORD, Permanent=False)
    assert srp_sign_in(cognito, pool, client_id, "quiet", NEW_PASSWORD)["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_unknown_user_with_and_without_prevention(cognito: Any, pool: str) -> None:
    legacy = make_client(cognito, pool)["ClientId"]
    prevent = make_client(cognito, pool, PreventUserExistenceErrors="ENABLED")["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        password_auth(cognito, legacy, "nobody", NEW_PASSWORD)
    assert error_of(excinfo) == ("UserNotFoundException", "User does not exist.")
    with pytest.raises(ClientError) as excinfo:
        password_auth(cognito, prevent, "nobody", NEW_PASSWORD)
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    with pytest.raises(ClientError) as excinfo:
        srp_sign_in(cognito, pool, prevent, "nobody", NEW_PASSWORD)
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_user_states(server: Server, cognito: Any, pool: str) -> None:
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    cognito.admin_disable_user(UserPoolId=pool, Username="alice")
    with pytest.raises(ClientError) as excinfo:
        password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    assert error_of(excinfo) == ("NotAuthorizedException", "User is disabled.")
    cognito.admin_enable_user(UserPoolId=pool, Username="alice")
    cognito.admin_reset_user_password(UserPoolId=pool, Username="alice")
    with pytest.raises(ClientError) as excinfo:
        password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    assert error_of(excinfo)[0] == "PasswordResetRequiredException"
    cognito.sign_up(ClientId=client_id, Username="bob", Password=NEW_PASSWORD)
    with pytest.raises(ClientError) as excinfo:
        password_auth(cognito, client_id, "bob", NEW_PASSWORD)
    assert error_of(excinfo)[0] == "UserNotConfirmedException"


def test_expired_temporary_password(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = make_pool(Policies={"PasswordPolicy": {"MinimumLength": 8, "TemporaryPasswordValidityDays": 1}})
    client_id = make_client(cognito, pool)["ClientId"]
    temporary = invite(server, cognito, pool)
    assert password_auth(cognito, client_id, "alice", temporary)["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    # Time passes: the stored expiry moves into the past (the server's clock cannot be moved from outside).
    store = Store(server.database_url)
    try:
        with store.transaction() as tx:
            tx.connection.execute(
                update(users)
                .where(users.c.pool_id == pool, users.c.username == "alice")
                .values(password_expires=datetime.now(UTC) - timedelta(seconds=1))
            )
    finally:
        store.close()
    with pytest.raises(ClientError) as excinfo:
        password_auth(cognito, client_id, "alice", temporary)
    assert error_of(excinfo) == (
        "NotAuthorizedException",
        "Temporary password has expired and must be reset by an administrator.",
    )


def test_flow_must_be_enabled(server: Server, cognito: Any, pool: str) -> None:
    client_id = make_client(cognito, pool, ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"])["ClientId"]
    confirmed_user(server, cognito, pool)
    with pytest.raises(ClientError) as excinfo:
        password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    assert error_of(excinfo) == ("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_initiate_auth(
            UserPoolId=pool,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": NEW_PASSWORD},
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_admin_flows_and_refresh(server: Server, cognito: Any, pool: str) -> None:
    client_id = make_client(cognito, pool)["ClientId"]
    temporary = invite(server, cognito, pool)
    first = cognito.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=client_id,
        AuthFlow="ADMIN_NO_SRP_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": temporary},
    )
    done = cognito.admin_respond_to_auth_challenge(
        UserPoolId=pool,
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=first["Session"],
        ChallengeResponses={"USERNAME": "alice", "NEW_PASSWORD": NEW_PASSWORD},
    )["AuthenticationResult"]
    refreshed = cognito.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": done["RefreshToken"]},
    )
    assert "RefreshToken" not in refreshed["AuthenticationResult"]
    assert refreshed["AuthenticationResult"]["AccessToken"] != done["AccessToken"]
    again = cognito.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=done["RefreshToken"])
    assert cognito.get_user(AccessToken=again["AuthenticationResult"]["AccessToken"])["Username"] == "alice"
    with pytest.raises(ClientError) as excinfo:
        cognito.initiate_auth(
            ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": "not-a-token"}
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid Refresh Token")


def test_secret_hash(server: Server, cognito: Any, pool: str) -> None:
    client = make_client(cognito, pool, GenerateSecret=True)
    confirmed_user(server, cognito, pool)
    with pytest.raises(ClientError) as excinfo:
        password_auth(cognito, client["ClientId"], "alice", NEW_PASSWORD)
    assert error_of(excinfo)[1] == f"Client {client['ClientId']} is configured for secret but secret was not received"
    with pytest.raises(ClientError) as excinfo:
        password_auth(cognito, client["ClientId"], "alice", NEW_PASSWORD, SECRET_HASH="bm9wZQ==")
    assert error_of(excinfo)[1] == f"Unable to verify secret hash for client {client['ClientId']}"
    good = secret_hash(client["ClientSecret"], "alice", client["ClientId"])
    assert "AuthenticationResult" in password_auth(cognito, client["ClientId"], "alice", NEW_PASSWORD, SECRET_HASH=good)


def test_password_attempts_exceeded(server: Server, cognito: Any, pool: str) -> None:
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    for _ in range(5):
        with pytest.raises(ClientError) as excinfo:
            password_auth(cognito, client_id, "alice", "Wrong-Passw0rd!")
        assert error_of(excinfo)[1] == "Incorrect username or password."
    with pytest.raises(ClientError) as excinfo:
        password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    assert error_of(excinfo) == ("NotAuthorizedException", "Password attempts exceeded")


def test_stale_srp_answer_is_refused(server: Server, cognito: Any, pool: str) -> None:
    from pycognito.aws_srp import AWSSRP

    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    aws = AWSSRP(username="alice", password=NEW_PASSWORD, pool_id=pool, client_id=client_id, client=cognito)
    params = aws.get_auth_params()
    first = cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=params)
    answer = aws.process_challenge(first["ChallengeParameters"], params)
    answer["TIMESTAMP"] = "Mon Jan 5 10:00:00 UTC 2015"
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(
            ClientId=client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer
        )
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    with pytest.raises(ClientError) as excinfo:  # the handshake was spent by the failed answer
        cognito.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses=aws.process_challenge(first["ChallengeParameters"], params),
        )
    assert error_of(excinfo) == ("NotAuthorizedException", "Invalid session for the user, session is expired.")
