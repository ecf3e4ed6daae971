"""OAuth 2.0 error answers (RFC 6749 section 5.2), as authlib's error classes name them."""

from __future__ import annotations

from authlib.oauth2.rfc6749.errors import InvalidClientError as InvalidClient
from authlib.oauth2.rfc6749.errors import InvalidGrantError as InvalidGrant
from authlib.oauth2.rfc6749.errors import InvalidRequestError as InvalidRequest
from authlib.oauth2.rfc6749.errors import InvalidScopeError as InvalidScope
from authlib.oauth2.rfc6749.errors import OAuth2Error
from authlib.oauth2.rfc6749.errors import UnauthorizedClientError as UnauthorizedClient
from authlib.oauth2.rfc6749.errors import UnsupportedGrantTypeError as UnsupportedGrantType
from authlib.oauth2.rfc6749.errors import UnsupportedTokenTypeError as UnsupportedTokenType
from starlette.responses import JSONResponse

__all__ = [
    "InvalidClient",
    "InvalidGrant",
    "InvalidRequest",
    "InvalidScope",
    "OAuth2Error",
    "UnauthorizedClient",
    "UnsupportedGrantType",
    "UnsupportedTokenType",
]

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def error_response(error: OAuth2Error) -> JSONResponse:
    """``{"error": ..., "error_description"?: ...}``; a Basic client authentication refused answers 401."""
    body = dict(error.get_body())
    headers = dict(NO_STORE)
    if error.status_code == 401:
        headers["WWW-Authenticate"] = 'Basic realm="userpools"'
    return JSONResponse(body, status_code=error.status_code or 400, headers=headers)
