"""Sign-in: auth flows and challenges (one small class each), tokens, and the access-token check.

Importing this package registers InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge,
AdminRespondToAuthChallenge and GetTokensFromRefreshToken.
"""

from userpools.operations.auth import handlers

__all__ = ["handlers"]
