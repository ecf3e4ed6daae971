"""The token response every grant answers with."""

from __future__ import annotations

from typing import Any


def token_response(result: dict[str, Any]) -> dict[str, Any]:
    """AuthenticationResultType as RFC 6749's token response."""
    names = {
        "IdToken": "id_token",
        "AccessToken": "access_token",
        "RefreshToken": "refresh_token",
        "ExpiresIn": "expires_in",
        "TokenType": "token_type",
    }
    return {names[k]: v for k, v in result.items() if k in names}
