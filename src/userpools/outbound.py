"""Outbound HTTP for the I/O edges: one POST with a per-attempt timeout, optionally SigV4-signed; one
bounded GET for documents the server reads (CIMD client metadata), trusting the system's CAs and the file
USERPOOLS_CA_BUNDLE names.

Stdlib ``urllib`` plus botocore's signer, so the server needs neither boto3 nor requests.
"""

from __future__ import annotations

import http.client
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from userpools import slots

DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str]  # names lower-cased
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class HttpUnreachable(Exception):
    """No HTTP answer: connection refused or reset, DNS failure, or the timeout passed."""


def post(url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> HttpResponse:
    """POST ``body``; any HTTP status is an answer, anything short of one is ``HttpUnreachable``."""
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    try:
        try:
            with slots.outside():
                response = urllib.request.urlopen(request, timeout=timeout)
        except urllib.error.HTTPError as exc:  # a non-2xx answer is still an answer
            response = exc
        with response:
            return HttpResponse(response.status, _lower(response.headers.items()), response.read())
    except urllib.error.URLError as exc:
        raise HttpUnreachable(f"{url}: {exc.reason}") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise HttpUnreachable(f"{url}: {exc.__class__.__name__}: {exc}") from exc


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 3xx is the answer itself


def tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """The system's trust store, plus the PEM certificates in ``ca_bundle``."""
    context = ssl.create_default_context()
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    return context


def get(url: str, headers: Mapping[str, str], timeout: float, max_bytes: int, ca_bundle: str | None) -> HttpResponse:
    """GET ``url`` without following redirects; a body longer than ``max_bytes`` is cut at ``max_bytes + 1``
    bytes, so the caller can tell it was too long without reading it all."""
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPSHandler(context=tls_context(ca_bundle)))
    request = urllib.request.Request(url, headers=dict(headers), method="GET")
    try:
        try:
            with slots.outside():
                response = opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as exc:
            response = exc
        with response:
            return HttpResponse(response.status, _lower(response.headers.items()), response.read(max_bytes + 1))
    except urllib.error.URLError as exc:
        raise HttpUnreachable(f"{url}: {exc.reason}") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise HttpUnreachable(f"{url}: {exc.__class__.__name__}: {exc}") from exc


def sign_v4(
    url: str, body: bytes, headers: Mapping[str, str], service: str, region: str, credentials: Credentials
) -> dict[str, str]:
    """Return ``headers`` plus the SigV4 ones (X-Amz-Date, Authorization, token) for a POST."""
    request = AWSRequest(method="POST", url=url, data=body, headers=dict(headers))
    SigV4Auth(credentials, service, region).add_auth(request)
    return dict(request.headers.items())


def credentials_from_env(env: Mapping[str, str]) -> Credentials:
    """AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, else local placeholders.

    Local stand-ins for Lambda and SNS accept any well-formed signature; against real AWS the
    variables must be set.
    """
    return Credentials(
        env.get("AWS_ACCESS_KEY_ID", "userpools"),
        env.get("AWS_SECRET_ACCESS_KEY", "userpools"),
        env.get("AWS_SESSION_TOKEN") or None,
    )


def region_from_env(env: Mapping[str, str]) -> str:
    for name in ("USERPOOLS_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"):
        if env.get(name):
            return env[name]
    return DEFAULT_REGION


def _lower(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {k.lower(): v for k, v in items}
