"""USERPOOLS_CREDENTIALS: IAM-authorized operations need a valid SigV4 signature; public ones do not."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import boto3
import httpx
import pytest
from botocore import UNSIGNED
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from tests.conftest import BACKENDS, error_of
from tests.support import Server


@pytest.fixture(scope="module", params=BACKENDS)
def locked(request: pytest.FixtureRequest, database_url_for: Callable[[str], str]) -> Iterator[Server]:
    env = {"USERPOOLS_CREDENTIALS": "AKIDGOOD:good-secret,AKID2:other"}
    live = Server(database_url_for(request.param), env=env)
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


TARGET = "AWSCognitoIdentityProviderService."
STAMP = "%Y%m%dT%H%M%SZ"


class _Signer(SigV4Auth):  # type: ignore[misc]
    """botocore's signer, signing only the headers named (botocore always adds ``host``)."""

    def __init__(self, credentials: Credentials, service: str, region: str, only: tuple[str, ...]) -> None:
        super().__init__(credentials, service, region)
        self.only = only

    def headers_to_sign(self, request: AWSRequest) -> Any:
        headers = super().headers_to_sign(request)
        for name in list(headers.keys()):
            if name not in self.only:
                del headers[name]
        return headers


def signed_headers(
    url: str,
    body: bytes,
    *,
    target: str | None,
    sign: tuple[str, ...] = ("host", "x-amz-date", "x-amz-target", "content-type"),
    region: str = "us-east-1",
    service: str = "cognito-idp",
    when: datetime | None = None,
    key: str = "AKIDGOOD",
    secret: str = "good-secret",
    content_type: str = "application/x-amz-json-1.1",
) -> dict[str, str]:
    """Headers of a request signed over exactly the headers in ``sign`` (the others sent unsigned)."""
    stamp = (when or datetime.now(UTC)).strftime(STAMP)
    every = {"host": urlsplit(url).netloc, "x-amz-date": stamp, "content-type": content_type}
    if target is not None:
        every["x-amz-target"] = target
    request = AWSRequest(method="POST", url=url + "/", data=body, headers={n: every[n] for n in sign if n in every})
    request.context["timestamp"] = stamp
    signer = _Signer(Credentials(key, secret), service, region, sign)
    signature = signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)
    scope = f"{stamp[:8]}/{region}/{service}/aws4_request"
    names = signer.signed_headers(signer.headers_to_sign(request))
    every["authorization"] = f"AWS4-HMAC-SHA256 Credential={key}/{scope}, SignedHeaders={names}, Signature={signature}"
    return every


def post(url: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(url + "/", content=body, headers={k: v for k, v in headers.items() if k != "host"})


def test_hand_signed_request_is_accepted(locked: Server) -> None:
    """The helper below signs as boto3 does, so the refusals that follow are for what they change."""
    body = b'{"MaxResults": 1}'
    answer = post(locked.url, body, signed_headers(locked.url, body, target=TARGET + "ListUserPools"))
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    ("left_out", "shown"), [("host", "Host"), ("x-amz-target", "X-Amz-Target"), ("x-amz-date", "X-Amz-Date")]
)
def test_required_headers_must_be_signed(locked: Server, left_out: str, shown: str) -> None:
    body = b'{"MaxResults": 1}'
    sign = tuple(n for n in ("host", "x-amz-date", "x-amz-target", "content-type") if n != left_out)
    answer = post(locked.url, body, signed_headers(locked.url, body, target=TARGET + "ListUserPools", sign=sign))
    assert answer.status_code == 403
    assert answer.json() == {
        "__type": "InvalidSignatureException",
        "message": f"'{shown}' must be a 'SignedHeader' in the AWS Authorization.",
    }


def test_signature_cannot_be_retargeted(locked: Server) -> None:
    """The audit's replay: a signature over a harmless operation, its X-Amz-Target unsigned (or signed and
    swapped), sent again as AdminDisableUser, disables no one."""
    cognito = client(locked.url, "AKIDGOOD", "good-secret")
    pool = cognito.create_user_pool(PoolName="replay")["UserPool"]["Id"]
    cognito.admin_create_user(UserPoolId=pool, Username="alice", MessageAction="SUPPRESS")
    body = json.dumps({"UserPoolId": pool, "Username": "alice"}).encode()
    for sign in [("content-type",), ("host", "x-amz-date", "content-type"), ("host", "x-amz-date", "x-amz-target")]:
        headers = signed_headers(locked.url, body, target=TARGET + "AdminGetUser", sign=sign)
        assert post(locked.url, body, headers).status_code == (200 if "x-amz-target" in sign else 403)
        headers["x-amz-target"] = TARGET + "AdminDisableUser"
        answer = post(locked.url, body, headers)
        assert answer.status_code == 403
        assert answer.json()["__type"] == "InvalidSignatureException"
    assert cognito.admin_get_user(UserPoolId=pool, Username="alice")["Enabled"] is True


@pytest.mark.parametrize(
    ("region", "service", "message"),
    [
        ("eu-west-3", "cognito-idp", "Credential should be scoped to a valid region, not 'eu-west-3'. "),
        ("us-east-1", "s3", "Credential should be scoped to correct service: 'cognito-idp'. "),
        (
            "eu-west-3",
            "s3",
            "Credential should be scoped to a valid region, not 'eu-west-3'. "
            "Credential should be scoped to correct service: 'cognito-idp'. ",
        ),
    ],
)
def test_credential_scope_must_be_this_region_and_service(
    locked: Server, region: str, service: str, message: str
) -> None:
    body = b'{"MaxResults": 1}'
    headers = signed_headers(locked.url, body, target=TARGET + "ListUserPools", region=region, service=service)
    answer = post(locked.url, body, headers)
    assert answer.status_code == 403
    assert answer.json() == {"__type": "InvalidSignatureException", "message": message}


def test_cloud_control_is_scoped_to_cloudcontrolapi(locked: Server) -> None:
    body = b"{}"
    target = "CloudApiService.ListResourceRequests"
    wrong = post(
        locked.url, body, signed_headers(locked.url, body, target=target, content_type="application/x-amz-json-1.0")
    )
    assert wrong.status_code == 403
    assert wrong.json()["message"] == "Credential should be scoped to correct service: 'cloudcontrolapi'. "
    headers = signed_headers(
        locked.url, body, target=target, service="cloudcontrolapi", content_type="application/x-amz-json-1.0"
    )
    assert post(locked.url, body, headers).status_code == 200


def test_a_security_token_userpools_did_not_issue_is_refused(locked: Server) -> None:
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=locked.url,
        region_name="us-east-1",
        aws_access_key_id="AKIDGOOD",
        aws_secret_access_key="good-secret",
        aws_session_token="invented-token",
        config=Config(retries={"max_attempts": 1}),
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.list_user_pools(MaxResults=1)
    assert error_of(excinfo) == (
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    )


def test_content_hash_must_match_the_body(locked: Server) -> None:
    body = b'{"MaxResults": 1}'
    headers = signed_headers(locked.url, body, target=TARGET + "ListUserPools")
    headers["x-amz-content-sha256"] = hashlib.sha256(b"something else").hexdigest()
    answer = post(locked.url, body, headers)
    assert answer.status_code == 403
    assert answer.json()["message"] == "The provided 'x-amz-content-sha256' header does not match what was computed."
    headers["x-amz-content-sha256"] = hashlib.sha256(body).hexdigest()
    assert post(locked.url, body, headers).status_code == 200


def _times(message: str, pattern: str) -> tuple[datetime, datetime]:
    found = re.fullmatch(pattern, message)
    assert found, message
    bound, now = (datetime.strptime(found[i], STAMP).replace(tzinfo=UTC) for i in (1, 2))
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=1)
    return bound, now


def test_expired_signature(locked: Server) -> None:
    body = b'{"MaxResults": 1}'
    when = datetime.now(UTC) - timedelta(minutes=16)
    answer = post(locked.url, body, signed_headers(locked.url, body, target=TARGET + "ListUserPools", when=when))
    assert answer.status_code == 403
    assert answer.json()["__type"] == "InvalidSignatureException"
    stamp = when.strftime(STAMP)
    pattern = rf"Signature expired: {stamp} is now earlier than (\d{{8}}T\d{{6}}Z) \((\d{{8}}T\d{{6}}Z) - 15 min\.\)"
    bound, now = _times(answer.json()["message"], pattern)
    assert now - bound == timedelta(minutes=15)
    recent = datetime.now(UTC) - timedelta(minutes=14)
    headers = signed_headers(locked.url, body, target=TARGET + "ListUserPools", when=recent)
    assert post(locked.url, body, headers).status_code == 200


def test_signature_not_yet_current(locked: Server) -> None:
    body = b'{"MaxResults": 1}'
    when = datetime.now(UTC) + timedelta(minutes=16)
    answer = post(locked.url, body, signed_headers(locked.url, body, target=TARGET + "ListUserPools", when=when))
    assert answer.status_code == 403
    stamp = when.strftime(STAMP)
    pattern = (
        rf"Signature not yet current: {stamp} is still later than (\d{{8}}T\d{{6}}Z) \((\d{{8}}T\d{{6}}Z) \+ 15 min\.\)"
    )
    bound, now = _times(answer.json()["message"], pattern)
    assert bound - now == timedelta(minutes=15)


@pytest.mark.parametrize(
    "body",
    [
        b'{"UserPoolId": "bad id", "Username": ""}',
        b"not json",
        b"[" * 5000 + b"]" * 5000,
        json.dumps({"UserPoolId": "a_" * 256000 + "!", "Username": "x"}).encode(),
    ],
)
def test_unsigned_callers_are_refused_before_the_body_is_read(locked: Server, body: bytes) -> None:
    answer = httpx.post(
        locked.url + "/",
        content=body,
        headers={"x-amz-target": TARGET + "AdminGetUser", "content-type": "application/x-amz-json-1.1"},
    )
    assert answer.status_code == 403
    assert answer.json()["__type"] == "MissingAuthenticationTokenException"


def test_public_operations_still_validate_unsigned(locked: Server) -> None:
    answer = httpx.post(
        locked.url + "/",
        content=b'{"ClientId": "bad id!", "Username": "u", "Password": "p"}',
        headers={"x-amz-target": TARGET + "SignUp", "content-type": "application/x-amz-json-1.1"},
    )
    assert answer.status_code == 400
    assert answer.json()["__type"] == "InvalidParameterException"


def sts_client(url: str, signed: bool = True, region: str = "us-east-1") -> Any:
    return boto3.client(
        "sts",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id="AKIDGOOD",
        aws_secret_access_key="good-secret",
        config=Config(retries={"max_attempts": 1}, signature_version=None if signed else UNSIGNED),
    )


def test_sts_is_signed_like_the_rest(locked: Server) -> None:
    assert sts_client(locked.url).get_caller_identity()["UserId"] == "AKIDGOOD"
    with pytest.raises(ClientError) as excinfo:
        sts_client(locked.url, signed=False).get_caller_identity()
    assert error_of(excinfo)[0] == "MissingAuthenticationToken"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    with pytest.raises(ClientError) as excinfo:
        sts_client(locked.url, region="eu-west-3").get_caller_identity()
    assert error_of(excinfo) == (
        "SignatureDoesNotMatch",
        "Credential should be scoped to a valid region, not 'eu-west-3'. ",
    )
    body = b"Action=GetCallerIdentity&Version=2011-06-15"
    form = "application/x-www-form-urlencoded; charset=utf-8"
    wrong = post(locked.url, body, signed_headers(locked.url, body, target=None, content_type=form))
    assert wrong.status_code == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in wrong.text
    assert "correct service: &apos;sts&apos;" in wrong.text or "correct service: 'sts'" in wrong.text
