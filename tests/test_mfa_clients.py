"""MFA and devices through real clients against the live server: pycognito (software-token enrolment and a
SOFTWARE_TOKEN_MFA sign-in) and amazon-cognito-identity-js in node (SMS MFA, then a remembered device)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pycognito import Cognito
from pycognito.exceptions import SoftwareTokenMFAChallengeException

from tests.mfa import SMS_CONFIGURATION, code_at
from tests.signin import NEW_PASSWORD, confirmed_user, make_client
from tests.support import Server

JS = Path(__file__).parent / "js"


def test_pycognito_software_token(server: Server, cognito: Any, make_pool: Any, move_clock: Any) -> None:
    pool = str(make_pool())
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    kwargs = {"endpoint_url": server.url, "aws_access_key_id": "x", "aws_secret_access_key": "x"}
    user = Cognito(pool, client_id, username="alice", user_pool_region="us-east-1", boto3_client_kwargs=kwargs)
    user.authenticate(NEW_PASSWORD)
    secret = user.associate_software_token()
    assert user.verify_software_token(code_at(secret), "phone")
    user.set_user_mfa_preference(False, True, "SOFTWARE_TOKEN")
    move_clock(30)
    again = Cognito(pool, client_id, username="alice", user_pool_region="us-east-1", boto3_client_kwargs=kwargs)
    with pytest.raises(SoftwareTokenMFAChallengeException):
        again.authenticate(NEW_PASSWORD)
    again.respond_to_software_token_mfa_challenge(code_at(secret, 30))
    assert again.get_user().username == "alice"


def test_javascript_sdk_remembers_a_device(server: Server, cognito: Any, make_pool: Any) -> None:
    assert (JS / "node_modules" / "amazon-cognito-identity-js").is_dir(), "run `make test` (npm install)"
    pool = str(
        make_pool(
            MfaConfiguration="ON",
            SmsConfiguration=SMS_CONFIGURATION,
            DeviceConfiguration={"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True},
        )
    )
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    cognito.admin_update_user_attributes(
        UserPoolId=pool, Username="alice", UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}]
    )
    done = subprocess.run(
        ["node", str(JS / "device.mjs"), server.url, pool, client_id, "alice", NEW_PASSWORD],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert "error" not in out, out
    assert out["mfa"] == ["SMS_MFA"] and out["mfaAfterFirst"] == 1 and out["mfaAfterSecond"] == 1
    assert out["confirmationNecessary"] is True
    assert out["remembered"] == "SUCCESS"
    assert out["firstDeviceKey"] and out["secondDeviceKey"] == out["firstDeviceKey"]
    (device,) = cognito.admin_list_devices(UserPoolId=pool, Username="alice")["Devices"]
    assert device["DeviceKey"] == out["firstDeviceKey"]


def test_amplify_totp_sms_and_a_remembered_device(server: Server, cognito: Any, make_pool: Any) -> None:
    assert (JS / "node_modules" / "aws-amplify").is_dir(), "run `make test` (npm install)"
    pool = str(
        make_pool(
            SmsConfiguration=SMS_CONFIGURATION,
            DeviceConfiguration={"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True},
        )
    )
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool,
        MfaConfiguration="OPTIONAL",
        SmsMfaConfiguration={"SmsConfiguration": SMS_CONFIGURATION},
        SoftwareTokenMfaConfiguration={"Enabled": True},
    )
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    cognito.admin_update_user_attributes(
        UserPoolId=pool, Username="alice", UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}]
    )
    done = subprocess.run(
        ["node", str(JS / "amplify.mjs"), server.url, pool, client_id, "alice", NEW_PASSWORD],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert "error" not in out, out
    assert out["steps"] == [
        "DONE",
        "CONFIRM_SIGN_IN_WITH_TOTP_CODE",
        "DONE",
        "CONFIRM_SIGN_IN_WITH_SMS_CODE",
        "DONE",
        "DONE",
    ]
    assert out["preference"]["preferred"] == "TOTP"
    assert out["smsDestination"] == "+*******0100"
    assert len(out["devices"]) == 1
    assert out["devicesAfterForget"] == 0
