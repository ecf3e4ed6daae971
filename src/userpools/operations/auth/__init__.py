"""Sign-in: auth flows and challenges (one small class each), tokens, and the access-token check.

Importing this package registers InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge,
AdminRespondToAuthChallenge, GetTokensFromRefreshToken and GetClientToken.
"""

from userpools.operations.auth import client_credentials, handlers

__all__ = ["client_credentials", "handlers"]
