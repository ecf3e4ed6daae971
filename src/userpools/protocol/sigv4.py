"""SigV4 verification for IAM-authorized operations, checked as AWS checks it, using botocore's own signer to
recompute signatures.

What must be signed is what a replay could otherwise change: ``host`` (another server), ``x-amz-date`` (another
time) and, on AWS JSON services, ``x-amz-target`` (another operation: a signature of ListUserPools must not
disable a user). The credential scope must name this server's region and the service being called.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from userpools.protocol.errors import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)

_AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<key>[^/,\s]{1,128})/(?P<date>\d{8})/(?P<region>[^/,\s]{1,64})"
    r"/(?P<service>[^/,\s]{1,64})/aws4_request,\s*SignedHeaders=(?P<headers>[a-z0-9;._-]{1,2048}),"
    r"\s*Signature=(?P<signature>[0-9a-f]{64})"
)
# AWS JSON services allow 15 minutes either way ("... (20260101T003000Z - 15 min.)").
MAX_SKEW = timedelta(minutes=15)
_STAMP = "%Y%m%dT%H%M%SZ"
_REQUIRED = (("host", "Host"), ("x-amz-date", "X-Amz-Date"))


def verify(
    *,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    keys: Mapping[str, str],
    now: datetime,
    region: str,
    service: str,
    target: bool = True,
) -> str:
    """Check the request's signature against the configured keys; return the access key id that signed it.

    ``service`` is the signing name the scope must carry (cognito-idp, cloudcontrolapi, sts); ``target``: the
    X-Amz-Target header must be signed (AWS JSON protocol).
    """
    authorization = headers.get("authorization")
    if not authorization:
        raise MissingAuthenticationTokenException("Missing Authentication Token")
    match = _AUTHORIZATION.match(authorization)
    if match is None:
        raise IncompleteSignatureException(
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters "
            "of an AWS4-HMAC-SHA256 signature."
        )
    signed = match["headers"].split(";")
    required = [*_REQUIRED, ("x-amz-target", "X-Amz-Target")] if target else list(_REQUIRED)
    for name, shown in required:
        if name not in signed:
            raise InvalidSignatureException(f"'{shown}' must be a 'SignedHeader' in the AWS Authorization.")
    stamp = headers.get("x-amz-date", "")
    try:
        signed_at = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
    except ValueError:
        raise IncompleteSignatureException(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        ) from None
    if match["date"] != stamp[:8]:
        raise InvalidSignatureException(
            f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{match['date']}' != '{stamp[:8]}', from '{stamp}'."
        )
    if match["region"] != region:
        raise InvalidSignatureException(f"Credential should be scoped to a valid region, not '{match['region']}'. ")
    if match["service"] != service:
        raise InvalidSignatureException(f"Credential should be scoped to correct service: '{service}'. ")
    secret = keys.get(match["key"])
    if secret is None or headers.get("x-amz-security-token") is not None:
        # userpools issues no temporary credentials: a session token is one it did not issue.
        raise UnrecognizedClientException("The security token included in the request is invalid.")
    _check_time(signed_at, now)
    claimed = headers.get("x-amz-content-sha256")
    if claimed is not None and claimed != "UNSIGNED-PAYLOAD" and claimed != hashlib.sha256(body).hexdigest():
        raise InvalidSignatureException("The provided 'x-amz-content-sha256' header does not match what was computed.")
    request = AWSRequest(method=method, url=url, data=body, headers={name: headers.get(name, "") for name in signed})
    request.context["timestamp"] = stamp
    signer = SigV4Auth(Credentials(match["key"], secret), match["service"], match["region"])
    expected = signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)
    if not hmac.compare_digest(expected, match["signature"]):
        raise InvalidSignatureException(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. "
            "Consult the service documentation for details."
        )
    return match["key"]


def _check_time(signed_at: datetime, now: datetime) -> None:
    """AWS's two messages: signed too long ago, or too far ahead of the server's clock."""
    now = now.astimezone(UTC).replace(microsecond=0)
    minutes = int(MAX_SKEW.total_seconds() // 60)
    if signed_at < now - MAX_SKEW:
        raise InvalidSignatureException(
            f"Signature expired: {signed_at.strftime(_STAMP)} is now earlier than "
            f"{(now - MAX_SKEW).strftime(_STAMP)} ({now.strftime(_STAMP)} - {minutes} min.)"
        )
    if signed_at > now + MAX_SKEW:
        raise InvalidSignatureException(
            f"Signature not yet current: {signed_at.strftime(_STAMP)} is still later than "
            f"{(now + MAX_SKEW).strftime(_STAMP)} ({now.strftime(_STAMP)} + {minutes} min.)"
        )
