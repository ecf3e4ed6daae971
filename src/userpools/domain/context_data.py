"""Where a request came from, as Cognito reads it: the ``UserContextData`` (public clients) or
``ContextData`` (admin calls, from the app's server) a request carries, else the HTTP request itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from userpools.domain.sessions import device_type


@dataclass(frozen=True)
class Origin:
    ip: str | None
    user_agent: str | None
    server_name: str | None = None
    encoded: bool = False  # the request carried EncodedData (the device fingerprint of Cognito's SDKs)

    @property
    def device(self) -> str:
        return device_type(self.user_agent)


def _header(headers: Any, name: str) -> str | None:
    if isinstance(headers, list):  # ContextData.HttpHeaders: [{headerName, headerValue}]
        for item in headers:
            if isinstance(item, Mapping) and str(item.get("headerName", "")).lower() == name:
                return str(item.get("headerValue", ""))
        return None
    if isinstance(headers, Mapping) or hasattr(headers, "get"):
        value = headers.get(name)
        return None if value is None else str(value)
    return None


def origin(given: Mapping[str, Any] | None, request: Mapping[str, Any]) -> Origin:
    """The request's origin: what ``given`` (UserContextData or ContextData) says first, the HTTP request's
    source address and User-Agent where it says nothing."""
    given = given or {}
    client = request.get("client")
    http_ip = getattr(client, "host", None)
    http_agent = _header(request.get("headers"), "user-agent")
    agent = _header(given.get("HttpHeaders"), "user-agent") if "HttpHeaders" in given else None
    return Origin(
        ip=str(given.get("IpAddress") or "") or http_ip,
        user_agent=agent or http_agent,
        server_name=given.get("ServerName"),
        encoded=bool(given.get("EncodedData")),
    )
