"""Authenticator apps through boto3 and pyotp: AssociateSoftwareToken and VerifySoftwareToken with an access
token, RFC 6238 steps and drift with the server's clock moved, and the secret never stored in clear."""

from __future__ import annotations

import base64
from typing import Any

import pyotp
import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of
from tests.mfa import code_at, database_text, signed_in
from tests.support import Server


def test_associate_then_verify(server: Server, cognito: Any, pool: str) -> None:
    session = signed_in(server, cognito, pool)
    secret = cognito.associate_software_token(AccessToken=session["AccessToken"])["SecretCode"]
    assert len(base64.b32decode(secret)) == 20  # 32 base32 characters: 160 bits
    assert "SOFTWARE_TOKEN_MFA" not in cognito.get_user(AccessToken=session["AccessToken"]).get(
        "UserMFASettingList", []
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.verify_software_token(AccessToken=session["AccessToken"], UserCode=code_at(secret, -120))
    assert error_of(excinfo) == ("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA")
    answer = cognito.verify_software_token(
        AccessToken=session["AccessToken"], UserCode=pyotp.TOTP(secret).now(), FriendlyDeviceName="phone"
    )
    assert answer["Status"] == "SUCCESS"
    user = cognito.admin_get_user(UserPoolId=pool, Username="alice")
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]
    cognito.set_user_mfa_preference(
        AccessToken=session["AccessToken"], SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    assert cognito.admin_get_user(UserPoolId=pool, Username="alice")["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    stored = database_text(server)
    assert secret not in stored and secret.lower() not in stored
    assert secret not in server.output()
    cognito.admin_delete_software_token(UserPoolId=pool, Username="alice")
    assert "UserMFASettingList" not in cognito.admin_get_user(UserPoolId=pool, Username="alice")
    cognito.admin_delete_software_token(UserPoolId=pool, Username="alice")  # none: nothing to do


def test_verify_without_association(server: Server, cognito: Any, pool: str) -> None:
    session = signed_in(server, cognito, pool)
    with pytest.raises(ClientError) as excinfo:
        cognito.verify_software_token(AccessToken=session["AccessToken"], UserCode="123456")
    assert error_of(excinfo)[0] == "SoftwareTokenMFANotFoundException"


def test_one_step_of_drift_either_way(server: Server, cognito: Any, pool: str, move_clock: Any) -> None:
    session = signed_in(server, cognito, pool)
    secret = cognito.associate_software_token(AccessToken=session["AccessToken"])["SecretCode"]
    # The server's clock moves 90 s ahead: a code of now is three steps behind it, one of now+60 s is one behind.
    move_clock(90)
    with pytest.raises(ClientError) as excinfo:
        cognito.verify_software_token(AccessToken=session["AccessToken"], UserCode=code_at(secret))
    assert error_of(excinfo)[0] == "EnableSoftwareTokenMFAException"
    assert (
        cognito.verify_software_token(AccessToken=session["AccessToken"], UserCode=code_at(secret, 60))["Status"]
        == "SUCCESS"
    )


def test_associating_again_replaces_the_pending_secret(server: Server, cognito: Any, pool: str) -> None:
    session = signed_in(server, cognito, pool)
    first = cognito.associate_software_token(AccessToken=session["AccessToken"])["SecretCode"]
    second = cognito.associate_software_token(AccessToken=session["AccessToken"])["SecretCode"]
    assert first != second
    if code_at(first) != code_at(second):
        with pytest.raises(ClientError):
            cognito.verify_software_token(AccessToken=session["AccessToken"], UserCode=code_at(first))
    assert cognito.verify_software_token(AccessToken=session["AccessToken"], UserCode=code_at(second))["Status"] == (
        "SUCCESS"
    )


def test_bad_inputs(server: Server, cognito: Any, pool: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.associate_software_token()
    assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        cognito.associate_software_token(Session="x" * 40)
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    with pytest.raises(ClientError) as excinfo:
        cognito.verify_software_token(AccessToken="nonsense", UserCode="123456")
    assert error_of(excinfo)[0] == "NotAuthorizedException"
    with pytest.raises(ClientError) as excinfo:
        cognito.verify_software_token(AccessToken="nonsense", UserCode="12a456")
    assert error_of(excinfo)[0] == "InvalidParameterException"
