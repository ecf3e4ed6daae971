"""USERPOOLS_CREDENTIALS: IAM-authorized operations need a valid SigV4 signature; public ones do not."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import httpx
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.conftest import error_of
from tests.support import Server


@pytest.fixture(scope="module")
def locked(database_url_for: Callable[[str], str]) -> Iterator[Server]:
    live = Server(database_url_for("sqlite"), env={"USERPOOLS_CREDENTIALS": "AKIDGOOD:good-secret,AKID2:other"})
    yield live
    live.stop()


def client(url: str, key: str | None, secret: str | None) -> Any:
    config = Config(retries={"max_attempts": 1}, signature_version=UNSIGNED if key is None else None)
    return boto3.client(
        "cognito-idp",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=key or "x",
        aws_secret_access_key=secret or "x",
        config=config,
    )


def test_valid_signature_is_accepted(locked: Server) -> None:
    cognito = client(locked.url, "AKIDGOOD", "good-secret")
    pool = cognito.create_user_pool(PoolName="signed")["UserPool"]["Id"]
    assert client(locked.url, "AKID2", "other").describe_user_pool(UserPoolId=pool)["UserPool"]["Id"] == pool


def test_wrong_secret(locked: Server) -> None:
    with pytest.raises(ClientError) as excinfo:
        client(locked.url, "AKIDGOOD", "wrong").list_user_pools(MaxResults=1)
    assert error_of(excinfo)[0] == "InvalidSignatureException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_unknown_key(locked: Server) -> None:
    with pytest.raises(ClientError) as excinfo:
        client(locked.url, "AKIDBAD", "good-secret").list_user_pools(MaxResults=1)
    assert error_of(excinfo) == (
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    )


def test_unsigned_admin_call(locked: Server) -> None:
    with pytest.raises(ClientError) as excinfo:
        client(locked.url, None, None).list_user_pools(MaxResults=1)
    assert error_of(excinfo)[0] == "MissingAuthenticationTokenException"


def test_tampered_body(locked: Server) -> None:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(
        method="POST",
        url=locked.url + "/",
        data=b'{"MaxResults": 1}',
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUserPools",
        },
    )
    SigV4Auth(Credentials("AKIDGOOD", "good-secret"), "cognito-idp", "us-east-1").add_auth(request)
    headers = dict(request.headers.items())
    assert httpx.post(locked.url + "/", content=b'{"MaxResults": 1}', headers=headers).status_code == 200
    tampered = httpx.post(locked.url + "/", content=b'{"MaxResults": 2}', headers=headers)
    assert tampered.status_code == 403
    assert tampered.json()["__type"] == "InvalidSignatureException"


def test_public_operations_need_no_signature(locked: Server) -> None:
    with pytest.raises(ClientError) as excinfo:
        client(locked.url, None, None).sign_up(ClientId="nosuchclient", Username="u", Password="Passw0rd!")
    assert error_of(excinfo)[0] != "MissingAuthenticationTokenException"
