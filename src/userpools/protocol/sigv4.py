"""SigV4 verification for IAM-authorized operations, using botocore's own signer to recompute signatures."""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from userpools.protocol.errors import (
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)

_AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request,"
    r"\s*SignedHeaders=(?P<headers>[^,]+),\s*Signature=(?P<signature>[0-9a-f]{64})"
)
MAX_SKEW = timedelta(minutes=15)


def verify(
    *,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    keys: Mapping[str, str],
    now: datetime,
) -> str:
    """Check the request's signature against the configured keys; return the access key id that signed it."""
    authorization = headers.get("authorization")
    if not authorization:
        raise MissingAuthenticationTokenException("Missing Authentication Token")
    match = _AUTHORIZATION.match(authorization)
    if match is None:
        raise InvalidSignatureException("The Authorization header is not a valid AWS Signature Version 4 header.")
    secret = keys.get(match["key"])
    if secret is None:
        raise UnrecognizedClientException("The security token included in the request is invalid.")
    stamp = headers.get("x-amz-date", "")
    try:
        signed_at = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise InvalidSignatureException("The request has no valid X-Amz-Date header.") from None
    if abs(now - signed_at) > MAX_SKEW:
        raise InvalidSignatureException("Signature expired: the request was signed at " + stamp + ".")
    signed = match["headers"].split(";")
    request = AWSRequest(method=method, url=url, data=body, headers={name: headers.get(name, "") for name in signed})
    request.context["timestamp"] = stamp
    signer = SigV4Auth(
        Credentials(match["key"], secret, headers.get("x-amz-security-token")), match["service"], match["region"]
    )
    expected = signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)
    if not hmac.compare_digest(expected, match["signature"]):
        raise InvalidSignatureException(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method."
        )
    return match["key"]
