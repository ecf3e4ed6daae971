"""SigV4 verification for IAM-authorized operations, checked as AWS checks it, using botocore's own signer to
recompute signatures. A request carries its signature in the Authorization header, or in the query string
(a presigned request: ``X-Amz-Algorithm``, ``X-Amz-Credential``, ``X-Amz-Date``, ``X-Amz-Expires``,
``X-Amz-SignedHeaders``, ``X-Amz-Signature``); both forms pass the same checks.

What must be signed is what a replay could otherwise change: ``host`` (another server), ``x-amz-date`` (another
time: a presigned request's date is in its query string, which the signature covers) and, on AWS JSON services,
``x-amz-target`` (another operation: a signature of ListUserPools must not disable a user). The credential
scope must name this server's region and the service being called.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote_plus, urlsplit, urlunsplit

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
# SigV4's longest presigned lifetime, one week (AWS's SDKs refuse to presign for longer).
MAX_EXPIRES = 604800
_STAMP = "%Y%m%dT%H%M%SZ"
_ALGORITHM = "AWS4-HMAC-SHA256"
_TERMINATOR = "aws4_request"
_QUERY_REQUIRED = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date")


@dataclass(frozen=True)
class _Claim:
    """What a request says about its signature, from its Authorization header or its query string."""

    key: str
    date: str
    region: str
    service: str
    terminator: str
    signed: list[str]
    signature: str
    stamp: str  # the X-Amz-Date it was signed at
    token: str | None  # X-Amz-Security-Token
    expires: str | None  # X-Amz-Expires (presigned only)
    presigned: bool
    url: str  # the URL the canonical request is computed over (without X-Amz-Signature)


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
    expires: bool = True,
) -> str:
    """Check the request's signature against the configured keys; return the access key id that signed it.

    ``service`` is the signing name the scope must carry (cognito-idp, cloudcontrolapi, sts); ``target``: the
    X-Amz-Target header must be signed (AWS JSON protocol); ``expires``: a presigned request's X-Amz-Expires
    bounds its life (STS ignores it: see :func:`_check_time`).
    """
    claim = _claim(url, headers)
    required = [("host", "Host")]
    if not claim.presigned:
        required.append(("x-amz-date", "X-Amz-Date"))
    if target:
        required.append(("x-amz-target", "X-Amz-Target"))
    for name, shown in required:
        if name not in claim.signed:
            raise InvalidSignatureException(f"'{shown}' must be a 'SignedHeader' in the AWS Authorization.")
    _check_scope(claim, region, service)
    secret = keys.get(claim.key)
    if secret is None or claim.token is not None:
        # userpools issues no temporary credentials: a session token is one it did not issue.
        raise UnrecognizedClientException("The security token included in the request is invalid.")
    _check_time(claim, now, expires)
    hashed = headers.get("x-amz-content-sha256")
    if hashed is not None and hashed != "UNSIGNED-PAYLOAD" and hashed != hashlib.sha256(body).hexdigest():
        raise InvalidSignatureException("The provided 'x-amz-content-sha256' header does not match what was computed.")
    request = AWSRequest(
        method=method, url=claim.url, data=body, headers={name: headers.get(name, "") for name in claim.signed}
    )
    request.context["timestamp"] = claim.stamp
    signer = SigV4Auth(Credentials(claim.key, secret), claim.service, claim.region)
    expected = signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)
    given = claim.signature if re.fullmatch(r"[0-9a-f]{64}", claim.signature) else ""  # compare_digest: ASCII
    if not hmac.compare_digest(expected, given):
        raise InvalidSignatureException(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. "
            "Consult the service documentation for details."
        )
    return claim.key


def is_presigned(url: str) -> bool:
    """Whether the request carries its signature in its query string (AWS looks for X-Amz-Algorithm)."""
    return "X-Amz-Algorithm" in _query(urlsplit(url).query)


def _query(raw: str) -> dict[str, str]:
    """The query string's parameters, decoded (the first of a repeated one)."""
    found: dict[str, str] = {}
    for pair in raw.split("&") if raw else []:
        name, _, value = pair.partition("=")
        found.setdefault(unquote_plus(name), unquote_plus(value))
    return found


def _claim(url: str, headers: Mapping[str, str]) -> _Claim:
    parts = urlsplit(url)
    query = _query(parts.query)
    authorization = headers.get("authorization")
    if authorization and "X-Amz-Algorithm" in query:
        raise InvalidSignatureException(
            "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."
        )
    if "X-Amz-Algorithm" in query:
        return _from_query(parts.query, query, url)
    if not authorization:
        raise MissingAuthenticationTokenException("Missing Authentication Token")
    return _from_header(authorization, headers, url)


def _from_header(authorization: str, headers: Mapping[str, str], url: str) -> _Claim:
    match = _AUTHORIZATION.match(authorization)
    if match is None:
        raise IncompleteSignatureException(
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters "
            "of an AWS4-HMAC-SHA256 signature."
        )
    stamp = headers.get("x-amz-date", "")
    try:
        datetime.strptime(stamp, _STAMP)
    except ValueError:
        raise IncompleteSignatureException(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        ) from None
    return _Claim(
        key=match["key"],
        date=match["date"],
        region=match["region"],
        service=match["service"],
        terminator=_TERMINATOR,
        signed=match["headers"].split(";"),
        signature=match["signature"],
        stamp=stamp,
        token=headers.get("x-amz-security-token"),
        expires=None,
        presigned=False,
        url=url,
    )


def _from_query(raw: str, query: dict[str, str], url: str) -> _Claim:
    """A presigned request's claim, refused with AWS's messages in AWS's order (missing parameters, then the
    date's form, the algorithm, the credential's form)."""
    missing = [name for name in _QUERY_REQUIRED if not query.get(name)]
    if missing:
        listed = "".join(f"AWS query-string parameters must include '{name}'. " for name in missing)
        raise IncompleteSignatureException(listed + "Re-examine the query-string parameters.")
    stamp = query["X-Amz-Date"]
    try:
        datetime.strptime(stamp, _STAMP)
    except ValueError:
        raise IncompleteSignatureException(
            f"Date must be in ISO-8601 'basic format'. Got '{stamp}'. See http://en.wikipedia.org/wiki/ISO_8601"
        ) from None
    if query["X-Amz-Algorithm"] != _ALGORITHM:
        raise IncompleteSignatureException(
            f"Unsupported AWS 'algorithm': '{query['X-Amz-Algorithm']}' (only {_ALGORITHM} for now). "
        )
    credential = query["X-Amz-Credential"]
    elements = credential.rstrip("/").split("/")
    if len(elements) != 5:
        raise IncompleteSignatureException(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
            f"got '{credential}'"
        )
    # The canonical query string is every parameter but the signature, as sent (botocore sorts and joins them).
    kept = "&".join(p for p in raw.split("&") if unquote_plus(p.partition("=")[0]) != "X-Amz-Signature")
    parts = urlsplit(url)
    key, date, region, service, terminator = elements
    return _Claim(
        key=key,
        date=date,
        region=region,
        service=service,
        terminator=terminator,
        signed=query["X-Amz-SignedHeaders"].lower().split(";"),
        signature=query["X-Amz-Signature"],
        stamp=stamp,
        token=query.get("X-Amz-Security-Token"),
        expires=query.get("X-Amz-Expires"),
        presigned=True,
        url=urlunsplit((parts.scheme, parts.netloc, parts.path, kept, "")),
    )


def _check_scope(claim: _Claim, region: str, service: str) -> None:
    """The credential scope's date, region, service and terminator; AWS names every one that is wrong at once
    (a header's scope, matched by its pattern, always ends in aws4_request)."""
    problems = []
    if claim.region != region:
        problems.append(f"Credential should be scoped to a valid region, not '{claim.region}'. ")
    if claim.service != service:
        problems.append(f"Credential should be scoped to correct service: '{service}'. ")
    if claim.terminator != _TERMINATOR:
        problems.append(
            f"Credential should be scoped with a valid terminator: '{_TERMINATOR}', not '{claim.terminator}'. "
        )
    if claim.date != claim.stamp[:8]:
        problems.append(
            f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{claim.date}' != '{claim.stamp[:8]}', from '{claim.stamp}'."
        )
    if problems:
        raise InvalidSignatureException("".join(problems))


def _lifetime(claim: _Claim, expires: bool) -> int | None:
    """A presigned request's X-Amz-Expires in seconds, or None: the 15 minutes of a header signature. STS
    ignores X-Amz-Expires (its presigned GetCallerIdentity lives 15 minutes whatever it says: EKS tokens rely
    on it), so ``expires=False`` does too. AWS's wording for a malformed X-Amz-Expires outside S3 is not
    documented: these are S3's."""
    if not claim.presigned or claim.expires is None or not expires:
        return None
    if not re.fullmatch(r"-?\d{1,12}", claim.expires):
        raise IncompleteSignatureException("X-Amz-Expires should be a number")
    seconds = int(claim.expires)
    if seconds < 0:
        raise IncompleteSignatureException("X-Amz-Expires must be non-negative")
    if seconds > MAX_EXPIRES:
        raise IncompleteSignatureException(f"X-Amz-Expires must be less than a week (in seconds) that is {MAX_EXPIRES}")
    return seconds


def _check_time(claim: _Claim, now: datetime, expires: bool) -> None:
    """AWS's two messages: signed too long ago, or too far ahead of the server's clock. A presigned request
    with X-Amz-Expires lives that many seconds from its date, told "(now - N sec.)" (AWS's wording for it is
    not documented; the header form's "- 15 min." is)."""
    signed_at = datetime.strptime(claim.stamp, _STAMP).replace(tzinfo=UTC)
    now = now.astimezone(UTC).replace(microsecond=0)
    minutes = int(MAX_SKEW.total_seconds() // 60)
    lifetime = _lifetime(claim, expires)
    if lifetime is None and signed_at < now - MAX_SKEW:
        raise InvalidSignatureException(
            f"Signature expired: {claim.stamp} is now earlier than "
            f"{(now - MAX_SKEW).strftime(_STAMP)} ({now.strftime(_STAMP)} - {minutes} min.)"
        )
    if lifetime is not None and signed_at < now - timedelta(seconds=lifetime):
        raise InvalidSignatureException(
            f"Signature expired: {claim.stamp} is now earlier than "
            f"{(now - timedelta(seconds=lifetime)).strftime(_STAMP)} ({now.strftime(_STAMP)} - {lifetime} sec.)"
        )
    if signed_at > now + MAX_SKEW:
        raise InvalidSignatureException(
            f"Signature not yet current: {claim.stamp} is still later than "
            f"{(now + MAX_SKEW).strftime(_STAMP)} ({now.strftime(_STAMP)} + {minutes} min.)"
        )
