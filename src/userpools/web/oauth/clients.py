"""Client authentication at /oauth2/token and /oauth2/revoke: HTTP Basic or client_id/client_secret in the
form (client_secret_basic, client_secret_post); a client without a secret sends only its client_id, a CIMD
client (public) its client_id URL."""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Any
from urllib.parse import unquote

from starlette.requests import Request

from userpools.domain.clients import Client
from userpools.steps.context import Context
from userpools.web.oauth.errors import InvalidClient
from userpools.web.oauth.site import ClientRefused, Site, client_of, form_value


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise InvalidClient(status_code=401) from None
    client_id, _, secret = decoded.partition(":")
    return unquote(client_id), unquote(secret)


def authenticate(context: Context, site: Site, request: Request, form: Any) -> Client:
    basic = _basic(request)
    client_id, secret = basic if basic else (form_value(form, "client_id"), form_value(form, "client_secret"))
    refused = InvalidClient(status_code=401 if basic else 400)
    try:
        client = client_of(context, site, client_id)
    except ClientRefused as why:
        raise InvalidClient(description=str(why), status_code=refused.status_code) from None
    if client is None:
        raise refused
    public = client.secret is None or client.metadata_url is not None  # a CIMD client is public
    if not public and not any(hmac.compare_digest(s.encode(), secret.encode()) for s in client.secrets):
        raise refused
    if basic is None and form_value(form, "client_id") != (client.metadata_url or client.id):
        raise refused
    return client
