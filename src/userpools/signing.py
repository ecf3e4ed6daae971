"""Signing requests to a server's management routes (/_userpools/*) as web/gate.py checks them: SigV4 for
the service ``userpools``, with botocore's signer. For the ``userpools`` command and test suites."""

from __future__ import annotations

import urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.session import Session

from userpools.settings import Settings

SERVICE = "userpools"


def credentials(settings: Settings) -> Credentials | None:
    """The first key of USERPOOLS_CREDENTIALS, else whatever botocore finds (AWS_ACCESS_KEY_ID, profiles)."""
    if settings.credentials:
        key, secret = next(iter(settings.credentials.items()))
        return Credentials(key, secret)
    found = Session().get_credentials()
    return found.get_frozen_credentials() if found is not None else None


def signed(
    url: str, *, method: str = "GET", body: bytes = b"", keys: Credentials | None, region: str
) -> urllib.request.Request:
    """A urllib request for ``url``, signed when ``keys`` are given."""
    headers = {"content-type": "application/json"} if body else {}
    if keys is None:
        return urllib.request.Request(url, data=body or None, headers=headers, method=method)
    request = AWSRequest(method=method, url=url, data=body, headers=headers)
    SigV4Auth(keys, SERVICE, region).add_auth(request)
    return urllib.request.Request(url, data=body or None, headers=dict(request.headers.items()), method=method)
