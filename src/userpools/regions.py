"""Which region a request addresses, so one server hosts several (a pool's replicas among them).

A request names its region in its SigV4 credential scope (``Credential=AKID/20260101/eu-west-1/...``), which
every AWS SDK signs with the region it was given, or in a regional endpoint's host name
(``cognito-idp.eu-west-1.amazonaws.com``). A pool's own (primary) region is its id's prefix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# AWS's region names: us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5, ...
NAME = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")
_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([^/,\s]+)/")
_QUERY_SCOPE = re.compile(r"[?&]X-Amz-Credential=[^/&%]+(?:/|%2F)\d{8}(?:/|%2F)([a-z0-9-]+)(?:/|%2F)", re.I)
_HOST = re.compile(r"cognito-idp(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com")


def of_headers(headers: Mapping[str, str] | None, url: str | None = None) -> str | None:
    """The region the request addresses, if it names a well-formed one (a presigned request names it in its
    URL's X-Amz-Credential)."""
    if not headers:
        return None
    scope = _SCOPE.search(headers.get("authorization") or "") or _QUERY_SCOPE.search(url or "")
    if scope is not None and NAME.fullmatch(scope[1]):
        return scope[1]
    host = _HOST.match(headers.get("host") or "")
    if host is not None and NAME.fullmatch(host[1]):
        return host[1]
    return None


def home_of(pool_id: str) -> str:
    """A pool's primary region: its id's prefix (``us-east-1_AbC...``), as Cognito makes pool ids."""
    return pool_id.split("_", 1)[0]
