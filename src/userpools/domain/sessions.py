"""Session tracking rules: session ids, and the DeviceType a session shows, read from a user agent."""

from __future__ import annotations

import re
import secrets
import string

_ALPHABET = string.ascii_lowercase + string.digits
MAX_DEVICE = 1024

# (pattern, name), first match wins: Edge and Opera announce Chrome too, Chrome announces Safari.
_BROWSERS = (
    (re.compile(r"Edg(e|A|iOS)?/"), "Edge"),
    (re.compile(r"OPR/|Opera"), "Opera"),
    (re.compile(r"Firefox/|FxiOS/"), "Firefox"),
    (re.compile(r"Chrome/|CriOS/|Chromium/"), "Chrome"),
    (re.compile(r"Safari/"), "Safari"),
)
_SYSTEMS = (
    (re.compile(r"Android"), "Android"),
    (re.compile(r"iPhone|iPad|iPod"), "iOS"),
    (re.compile(r"Mac OS X|Macintosh"), "macOS"),
    (re.compile(r"Windows"), "Windows"),
    (re.compile(r"CrOS"), "ChromeOS"),
    (re.compile(r"Linux"), "Linux"),
)
_PRODUCT = re.compile(r"^([A-Za-z][\w.-]*)/")


def new_session_id(kind: str) -> str:
    """``tkn`` (a token session) or ``sso`` and 25 lowercase letters and digits (SessionIdType)."""
    prefix = "tkn" if kind == "TOKEN" else "sso"
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(25))


def device_type(user_agent: str | None) -> str:
    """``<browser> on <system>`` for a browser, the first product of any other agent (``Boto3``), else ``unknown``."""
    if not user_agent:
        return "unknown"
    browser = next((name for pattern, name in _BROWSERS if pattern.search(user_agent)), None)
    system = next((name for pattern, name in _SYSTEMS if pattern.search(user_agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return str(browser or system)
    product = _PRODUCT.match(user_agent)
    return product.group(1)[:MAX_DEVICE] if product else "unknown"
