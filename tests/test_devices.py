"""Remembered devices through boto3, with pycognito computing the device SRP: NewDeviceMetadata, ConfirmDevice,
DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER skipping MFA on a remembered device, the device operations, device_key
in access tokens and on refresh, and devices going with their user."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP, generate_hash_device
from pycognito.exceptions import SoftwareTokenMFAChallengeException

from tests.conftest import error_of
from tests.mfa import code_at, database_text
from tests.signin import NEW_PASSWORD, confirmed_user, make_client, password_auth
from tests.support import Server
from tests.support.race import race

ALWAYS = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}
ON_PROMPT = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True}


def claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def device_sign_in(cognito: Any, pool: str, client_id: str, device: dict[str, str]) -> dict[str, Any]:
    aws = AWSSRP(
        username="alice",
        password=NEW_PASSWORD,
        pool_id=pool,
        client_id=client_id,
        client=cognito,
        device_key=device["key"],
        device_group_key=device["group"],
        device_password=device["password"],
    )
    return dict(aws.authenticate_user())


def remembered(cognito: Any, result: dict[str, Any], name: str = "laptop") -> dict[str, Any]:
    """ConfirmDevice for the NewDeviceMetadata of ``result``, as pycognito makes its verifier."""
    metadata = result["NewDeviceMetadata"]
    password, config = generate_hash_device(metadata["DeviceGroupKey"], metadata["DeviceKey"])
    answer = cognito.confirm_device(
        AccessToken=result["AccessToken"],
        DeviceKey=metadata["DeviceKey"],
        DeviceSecretVerifierConfig=config,
        DeviceName=name,
    )
    return {
        "key": metadata["DeviceKey"],
        "group": metadata["DeviceGroupKey"],
        "password": password,
        "confirmation": answer["UserConfirmationNecessary"],
    }


def test_a_remembered_device_signs_in_without_mfa(
    server: Server, cognito: Any, make_pool: Any, move_clock: Any
) -> None:
    pool = str(make_pool(DeviceConfiguration=ALWAYS))
    cognito.set_user_pool_mfa_config(
        UserPoolId=pool, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
    )
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    first = password_auth(cognito, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"]
    key = first["NewDeviceMetadata"]["DeviceKey"]
    assert key.startswith("us-east-1_") and first["NewDeviceMetadata"]["DeviceGroupKey"]
    assert claims(first["AccessToken"])["device_key"] == key
    device = remembered(cognito, first)
    assert device["confirmation"] is False  # always remembered
    secret = cognito.associate_software_token(AccessToken=first["AccessToken"])["SecretCode"]
    cognito.verify_software_token(AccessToken=first["AccessToken"], UserCode=code_at(secret))

    tokens = device_sign_in(cognito, pool, client_id, device)["AuthenticationResult"]
    assert claims(tokens["AccessToken"])["device_key"] == key
    assert "NewDeviceMetadata" not in tokens
    # Without the device, the software token is asked for.
    assert password_auth(cognito, client_id, "alice", NEW_PASSWORD)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"

    refreshed = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"], "DEVICE_KEY": key},
    )["AuthenticationResult"]
    assert claims(refreshed["AccessToken"])["device_key"] == key
    fresh = cognito.get_tokens_from_refresh_token(
        ClientId=client_id, RefreshToken=tokens["RefreshToken"], DeviceKey=key
    )
    assert claims(fresh["AuthenticationResult"]["AccessToken"])["device_key"] == key

    (listed,) = cognito.list_devices(AccessToken=tokens["AccessToken"])["Devices"]
    assert listed["DeviceKey"] == key
    attributes = {a["Name"]: a["Value"] for a in listed["DeviceAttributes"]}
    assert attributes["device_name"] == "laptop"
    assert attributes["dev:device_remembered_status"] == "remembered"
    assert cognito.admin_get_device(UserPoolId=pool, Username="alice", DeviceKey=key)["Device"]["DeviceKey"] == key
    assert [d["DeviceKey"] for d in cognito.admin_list_devices(UserPoolId=pool, Username="alice")["Devices"]] == [key]

    cognito.update_device_status(
        AccessToken=tokens["AccessToken"], DeviceKey=key, DeviceRememberedStatus="not_remembered"
    )
    got = cognito.get_device(AccessToken=tokens["AccessToken"], DeviceKey=key)["Device"]
    assert {"Name": "dev:device_remembered_status", "Value": "not_remembered"} in got["DeviceAttributes"]
    with pytest.raises(SoftwareTokenMFAChallengeException):  # a device no longer remembered gets MFA again
        device_sign_in(cognito, pool, client_id, device)
    cognito.admin_update_device_status(
        UserPoolId=pool, Username="alice", DeviceKey=key, DeviceRememberedStatus="remembered"
    )
    assert device_sign_in(cognito, pool, client_id, device)["AuthenticationResult"]

    with pytest.raises(ClientError) as excinfo:  # the device password is the proof
        device_sign_in(cognito, pool, client_id, {**device, "password": "not-it"})
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    assert device["password"] not in database_text(server) and device["password"] not in server.output()

    cognito.forget_device(AccessToken=tokens["AccessToken"], DeviceKey=key)
    assert cognito.list_devices(AccessToken=tokens["AccessToken"])["Devices"] == []
    with pytest.raises(ClientError) as excinfo:
        cognito.get_device(AccessToken=tokens["AccessToken"], DeviceKey=key)
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_devices_remembered_on_prompt(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = str(make_pool(DeviceConfiguration=ON_PROMPT))
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    first = password_auth(cognito, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"]
    device = remembered(cognito, first)
    assert device["confirmation"] is True
    with pytest.raises(ClientError) as excinfo:
        remembered_again = generate_hash_device(device["group"], device["key"])[1]
        cognito.confirm_device(
            AccessToken=first["AccessToken"], DeviceKey=device["key"], DeviceSecretVerifierConfig=remembered_again
        )
    assert error_of(excinfo)[0] == "DeviceKeyExistsException"
    # Known but not remembered: no device SRP, tokens for that device, no new device.
    tokens = device_sign_in(cognito, pool, client_id, device)["AuthenticationResult"]
    assert claims(tokens["AccessToken"])["device_key"] == device["key"] and "NewDeviceMetadata" not in tokens
    cognito.update_device_status(
        AccessToken=tokens["AccessToken"], DeviceKey=device["key"], DeviceRememberedStatus="remembered"
    )
    tokens = device_sign_in(cognito, pool, client_id, device)["AuthenticationResult"]
    assert claims(tokens["AccessToken"])["device_key"] == device["key"]
    cognito.admin_forget_device(UserPoolId=pool, Username="alice", DeviceKey=device["key"])
    assert cognito.admin_list_devices(UserPoolId=pool, Username="alice")["Devices"] == []


def test_devices_go_with_their_user(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = str(make_pool(DeviceConfiguration=ALWAYS))
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    first = password_auth(cognito, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"]
    device = remembered(cognito, first)
    cognito.admin_delete_user(UserPoolId=pool, Username="alice")
    assert device["key"] not in database_text(server)


def test_no_device_configuration_no_devices(server: Server, cognito: Any, pool: str) -> None:
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    tokens = password_auth(cognito, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"]
    assert "NewDeviceMetadata" not in tokens and "device_key" not in claims(tokens["AccessToken"])
    with pytest.raises(ClientError) as excinfo:
        cognito.confirm_device(
            AccessToken=tokens["AccessToken"],
            DeviceKey="us-east-1_00000000-0000-0000-0000-000000000000",
            DeviceSecretVerifierConfig={"PasswordVerifier": "AQ==", "Salt": "AQ=="},
        )
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_sign_ins_of_one_device_at_once(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = str(make_pool(DeviceConfiguration=ALWAYS))
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    device = remembered(cognito, password_auth(cognito, client_id, "alice", NEW_PASSWORD)["AuthenticationResult"])
    outcomes = race([lambda: device_sign_in(cognito, pool, client_id, device) for _ in range(4)])
    assert "ok" in {kind for kind, _ in outcomes}, outcomes
    # The later DEVICE_SRP_AUTH of one device takes the place of an earlier one still waiting.
    assert {code for kind, code in outcomes if kind == "error"} <= {
        "NotAuthorizedException",
        "TooManyRequestsException",
    }
