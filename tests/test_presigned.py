"""SigV4 in the query string (presigned requests), signed by botocore's presigner, against a live server with
USERPOOLS_CREDENTIALS: the same checks as a header signature (host and X-Amz-Target signed, the scope's
region and service, the key, a session token), plus X-Amz-Expires."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
import requests
from botocore import auth as botocore_auth
from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from tests.conftest import BACKENDS
from tests.support import Server

KEY = Credentials("AKIDGOOD", "good-secret")
TARGET = "AWSCognitoIdentityProviderService."
JSON = "application/x-amz-json-1.1"


@pytest.fixture(scope="module", params=BACKENDS)
def locked(request: pytest.FixtureRequest, database_url_for: Callable[[str], str]) -> Iterator[Server]:
    live = Server(database_url_for(request.param), env={"USERPOOLS_CREDENTIALS": "AKIDGOOD:good-secret"})
    yield live
    live.stop()


class _KeepBody(SigV4QueryAuth):  # type: ignore[misc]
    """botocore's presigner, the JSON body left as the body and its hash signed: AWS JSON services read their
    input from the body (botocore's presigner moves it into the query string, for query-protocol services)."""

    def _modify_request_before_signing(self, request: AWSRequest) -> None:
        body, request.data = request.data, b""
        super()._modify_request_before_signing(request)
        request.data = body


def presign(
    url: str,
    operation: str | None,
    params: dict[str, Any],
    *,
    keys: Credentials = KEY,
    region: str = "us-east-1",
    service: str = "cognito-idp",
    expires: int = 300,
    path: str = "/",
) -> tuple[str, dict[str, str], bytes]:
    """(presigned URL, headers to send, body) of a Cognito request signed in its query string."""
    body = json.dumps(params).encode()
    headers = {"Content-Type": JSON} | ({"X-Amz-Target": TARGET + operation} if operation else {})
    request = AWSRequest(method="POST", url=url + path, data=body, headers=headers)
    _KeepBody(keys, service, region, expires=expires).add_auth(request)
    return request.url, headers, body


def send(presigned: tuple[str, dict[str, str], bytes], **headers: str) -> requests.Response:
    url, sent, body = presigned
    return requests.post(url, data=body, headers=sent | headers, timeout=10)


def refusal(answer: requests.Response) -> tuple[int, str, str]:
    return answer.status_code, answer.json()["__type"], answer.json()["message"]


@pytest.fixture
def signed_at(monkeypatch: pytest.MonkeyPatch) -> Callable[[timedelta], None]:
    """Make botocore sign as if it were ``offset`` from now (a request presigned earlier, or a clock ahead)."""

    def move(offset: timedelta) -> None:
        when = datetime.now(UTC).replace(tzinfo=None) + offset
        monkeypatch.setattr(botocore_auth, "get_current_datetime", lambda *a, **k: when)

    return move


def test_a_presigned_request_is_accepted(locked: Server) -> None:
    created = send(presign(locked.url, "CreateUserPool", {"PoolName": "presigned"}))
    assert created.status_code == 200, created.text
    pool = created.json()["UserPool"]["Id"]
    listed = send(presign(locked.url, "ListUserPools", {"MaxResults": 60}))
    assert listed.status_code == 200, listed.text
    assert pool in [p["Id"] for p in listed.json()["UserPools"]]
    assert "X-Amz-Signature=" in presign(locked.url, "ListUserPools", {"MaxResults": 1})[0]


def test_the_body_is_signed(locked: Server) -> None:
    url, headers, _ = presign(locked.url, "ListUserPools", {"MaxResults": 1})
    answer = requests.post(url, data=b'{"MaxResults": 2}', headers=headers, timeout=10)
    assert refusal(answer)[:2] == (403, "InvalidSignatureException")


def test_a_presigned_request_cannot_be_retargeted(locked: Server) -> None:
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=locked.url,
        region_name="us-east-1",
        aws_access_key_id=KEY.access_key,
        aws_secret_access_key=KEY.secret_key,
        config=Config(retries={"max_attempts": 1}),
    )
    pool = cognito.create_user_pool(PoolName="retarget")["UserPool"]["Id"]
    cognito.admin_create_user(UserPoolId=pool, Username="alice", MessageAction="SUPPRESS")
    presigned = presign(locked.url, "AdminGetUser", {"UserPoolId": pool, "Username": "alice"})
    assert send(presigned).status_code == 200
    answer = send(presigned, **{"X-Amz-Target": TARGET + "AdminDisableUser"})
    assert refusal(answer)[:2] == (403, "InvalidSignatureException")
    # presigned without X-Amz-Target among its headers, the target added when sent
    url, _, body = presign(locked.url, None, {"UserPoolId": pool, "Username": "alice"})
    unsigned = send((url, {"Content-Type": JSON}, body), **{"X-Amz-Target": TARGET + "AdminDisableUser"})
    assert refusal(unsigned) == (
        403,
        "InvalidSignatureException",
        "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.",
    )
    assert cognito.admin_get_user(UserPoolId=pool, Username="alice")["Enabled"] is True


def test_host_must_be_signed_and_be_this_server(locked: Server) -> None:
    url, headers, body = presign(locked.url, "ListUserPools", {"MaxResults": 1})
    no_host = url.replace("X-Amz-SignedHeaders=content-type%3Bhost%3Bx-amz-target", "X-Amz-SignedHeaders=")
    no_host = no_host.replace("X-Amz-SignedHeaders=", "X-Amz-SignedHeaders=content-type%3Bx-amz-target")
    assert no_host != url
    assert refusal(requests.post(no_host, data=body, headers=headers, timeout=10)) == (
        403,
        "InvalidSignatureException",
        "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    )
    elsewhere = send((url, headers, body), Host=f"elsewhere.example:{urlsplit(url).port}")
    assert refusal(elsewhere)[:2] == (403, "InvalidSignatureException")


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
def test_the_scope_must_be_this_region_and_service(locked: Server, region: str, service: str, message: str) -> None:
    answer = send(presign(locked.url, "ListUserPools", {"MaxResults": 1}, region=region, service=service))
    assert refusal(answer) == (403, "InvalidSignatureException", message)


def test_unknown_key_and_foreign_session_token(locked: Server) -> None:
    stranger = send(presign(locked.url, "ListUserPools", {"MaxResults": 1}, keys=Credentials("AKIDBAD", "x")))
    invented = Credentials(KEY.access_key, KEY.secret_key, "invented-token")
    token = send(presign(locked.url, "ListUserPools", {"MaxResults": 1}, keys=invented))
    for answer in (stranger, token):
        assert refusal(answer) == (
            403,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        )


def test_incomplete_query_signatures(locked: Server) -> None:
    url, headers, body = presign(locked.url, "ListUserPools", {"MaxResults": 1})
    base = url.split("?")[0]
    bare = requests.post(base + "?X-Amz-Algorithm=AWS4-HMAC-SHA256", data=body, headers=headers, timeout=10)
    assert refusal(bare) == (
        400,
        "IncompleteSignatureException",
        "AWS query-string parameters must include 'X-Amz-Credential'. "
        "AWS query-string parameters must include 'X-Amz-Signature'. "
        "AWS query-string parameters must include 'X-Amz-SignedHeaders'. "
        "AWS query-string parameters must include 'X-Amz-Date'. "
        "Re-examine the query-string parameters.",
    )
    algorithm = url.replace("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1")
    assert refusal(requests.post(algorithm, data=body, headers=headers, timeout=10)) == (
        400,
        "IncompleteSignatureException",
        "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1' (only AWS4-HMAC-SHA256 for now). ",
    )
    both = send((url, headers, body), Authorization="AWS4-HMAC-SHA256 Credential=x")
    assert refusal(both) == (
        403,
        "InvalidSignatureException",
        "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    )


def test_expiry(locked: Server, signed_at: Callable[[timedelta], None]) -> None:
    signed_at(timedelta(minutes=-10))
    assert send(presign(locked.url, "ListUserPools", {"MaxResults": 1}, expires=900)).status_code == 200
    answer = send(presign(locked.url, "ListUserPools", {"MaxResults": 1}, expires=60))
    status, code, message = refusal(answer)
    assert (status, code) == (403, "InvalidSignatureException")
    assert message.startswith("Signature expired: ") and message.endswith(" - 60 sec.)"), message
    too_long = send(presign(locked.url, "ListUserPools", {"MaxResults": 1}, expires=604801))
    assert refusal(too_long) == (
        400,
        "IncompleteSignatureException",
        "X-Amz-Expires must be less than a week (in seconds) that is 604800",
    )
    signed_at(timedelta(minutes=16))
    ahead = refusal(send(presign(locked.url, "ListUserPools", {"MaxResults": 1}, expires=3600)))
    assert ahead[:2] == (403, "InvalidSignatureException")
    assert ahead[2].startswith("Signature not yet current: "), ahead[2]


def sts_url(url: str, method: str, expires: int = 60, region: str = "us-east-1") -> str:
    sts = boto3.client(
        "sts",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id=KEY.access_key,
        aws_secret_access_key=KEY.secret_key,
    )
    return str(sts.generate_presigned_url("get_caller_identity", ExpiresIn=expires, HttpMethod=method))


def test_presigned_sts_get_caller_identity(locked: Server, signed_at: Callable[[timedelta], None]) -> None:
    """botocore's own presigner, unchanged: the URL EKS-style tokens carry, by GET or POST."""
    got = requests.get(sts_url(locked.url, "GET"), timeout=10)
    assert got.status_code == 200, got.text
    assert "<UserId>AKIDGOOD</UserId>" in got.text
    posted = requests.post(sts_url(locked.url, "POST"), timeout=10)
    assert posted.status_code == 200, posted.text
    assert requests.post(sts_url(locked.url, "GET"), timeout=10).status_code == 403  # signed for GET
    wrong = requests.get(sts_url(locked.url, "GET", region="eu-west-3"), timeout=10)
    assert wrong.status_code == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in wrong.text
    # STS ignores X-Amz-Expires: a 60-second URL signed 10 minutes ago still answers, 16 minutes ago not.
    signed_at(timedelta(minutes=-10))
    assert requests.get(sts_url(locked.url, "GET", expires=60), timeout=10).status_code == 200
    signed_at(timedelta(minutes=-16))
    late = requests.get(sts_url(locked.url, "GET", expires=3600), timeout=10)
    assert late.status_code == 403
    assert "Signature expired" in late.text


def test_a_presigned_management_url(locked: Server) -> None:
    def outbox(service: str) -> requests.Response:
        request = AWSRequest(method="GET", url=locked.url + "/_userpools/outbox?pool=none")
        SigV4QueryAuth(KEY, service, "us-east-1", expires=60).add_auth(request)
        return requests.get(request.url, timeout=10)

    assert outbox("userpools").status_code == 200
    refused = outbox("cognito-idp")
    assert refused.status_code == 403
    assert refused.json()["code"] == "SignatureRequired"
    assert "correct service: 'userpools'" in refused.json()["error"]


@pytest.mark.parametrize("seed", range(3))
def test_malformed_query_signatures_answer_aws_errors(locked: Server, seed: int) -> None:
    """Seeded nonsense in every X-Amz-* parameter (percent escapes, non-ASCII, repeats, huge numbers), on the
    Cognito API, STS and a management route: never a 500, always the service's own error shape."""
    rng = random.Random(seed)
    url, headers, body = presign(locked.url, "ListUserPools", {"MaxResults": 1})
    pairs = [p.split("=", 1) for p in url.split("?", 1)[1].split("&")]
    junk = [
        "",
        "%",
        "%zz",
        "%C3%A9",
        "%ED%A0%80",
        "é",
        "😀",
        "a/b/c/d/e/f",
        "/////",
        "-1",
        "99999999999999",
        "+",
        "\x7f",
    ]
    for _ in range(60):
        changed = [[k, rng.choice(junk) if rng.random() < 0.3 else v] for k, v in pairs]
        spoilt = rng.randrange(len(changed))  # at least one value is nonsense
        changed[spoilt][1] = rng.choice([j for j in junk if j != pairs[spoilt][1]])
        if rng.random() < 0.3:
            changed.append(rng.choice(changed))
        query = "&".join(f"{k}={v}" for k, v in changed)
        answer = requests.post(f"{locked.url}/?{query}", data=body, headers=headers, timeout=10)
        assert answer.status_code in (400, 403), answer.text
        assert isinstance(answer.json()["__type"], str)
        sts = requests.get(f"{locked.url}/?Action=GetCallerIdentity&Version=2011-06-15&{query}", timeout=10)
        assert sts.status_code in (400, 403) and "<ErrorResponse" in sts.text, sts.text
        management = requests.get(f"{locked.url}/_userpools/outbox?{query}", timeout=10)
        assert management.status_code == 403 and management.json()["code"] == "SignatureRequired"
