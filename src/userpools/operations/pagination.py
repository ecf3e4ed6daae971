"""Opaque pagination tokens: the cursor of the last item returned, base64-encoded JSON."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from userpools.domain.errors import InvalidParameterException


def encode(cursor: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(cursor, separators=(",", ":")).encode()).decode()


def decode(token: str | None) -> Any:
    if not token:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, ValueError):
        raise InvalidParameterException("Invalid pagination token.") from None
