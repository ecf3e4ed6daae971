"""Checking a recorded request's SigV4 signature the way a server would: recompute and compare."""

from __future__ import annotations

import re

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from tests.support.http import Recorded

_AUTH = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<akid>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)"
    r"/aws4_request, SignedHeaders=(?P<signed>[^,]+), Signature=(?P<signature>[0-9a-f]{64})"
)


def assert_signed(request: Recorded, credentials: Credentials, service: str, region: str) -> None:
    match = _AUTH.fullmatch(request.headers.get("authorization", ""))
    assert match, f"no SigV4 Authorization header: {request.headers.get('authorization')!r}"
    assert (match["akid"], match["region"], match["service"]) == (credentials.access_key, region, service)
    signed = match["signed"].split(";")
    assert "host" in signed and "x-amz-date" in signed
    rebuilt = AWSRequest(
        method=request.method,
        url=f"http://{request.headers['host']}{request.path}",
        data=request.body,
        headers={name: request.headers[name] for name in signed},
    )
    rebuilt.context["timestamp"] = request.headers["x-amz-date"]
    auth = SigV4Auth(credentials, service, region)
    expected = auth.signature(auth.string_to_sign(rebuilt, auth.canonical_request(rebuilt)), rebuilt)
    assert match["signature"] == expected, "signature does not verify"
