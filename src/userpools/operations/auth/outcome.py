"""What a flow or challenge answers: another challenge (with a Session) or tokens."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from userpools.domain import sealing
from userpools.domain.errors import TooManyRequestsException
from userpools.domain.users import User
from userpools.operations.auth import issue
from userpools.operations.auth.guards import AuthRequest, new_session
from userpools.steps.context import Context
from userpools.storage.errors import Conflict

_SEALED_AS = "auth-session"


def sealed_state(ctx: Context, state: dict[str, Any]) -> dict[str, Any]:
    """A challenge's state as stored: sealed, for it holds SRP's secret ``b`` and CUSTOM_AUTH's private
    challenge parameters (often the expected answer)."""
    return {"sealed": sealing.seal(ctx.keyring, _SEALED_AS, json.dumps(state, separators=(",", ":")))}


def opened_state(ctx: Context, stored: dict[str, Any]) -> dict[str, Any]:
    """The state :func:`sealed_state` stored (a session written before sealing is read as it is)."""
    if set(stored) != {"sealed"}:
        return dict(stored)
    opened: dict[str, Any] = json.loads(sealing.unseal(ctx.keyring, _SEALED_AS, stored["sealed"]))
    return opened


@dataclass
class Outcome:
    challenge: str | None = None
    parameters: dict[str, str] = field(default_factory=dict)
    session: str | None = None
    tokens: dict[str, Any] | None = None
    grant: issue.Grant | None = None  # tokens earned, issued by auth.completion once the transaction ends
    sealed: issue.Sealed | None = None  # tokens earned and stored in the transaction, signed once it ends
    code: Any = None  # an MFA code to send (auth.steps.PendingCode), the challenge answered once it is sent
    available: list[str] | None = None  # SELECT_CHALLENGE's AvailableChallenges

    def response(self) -> dict[str, Any]:
        assert self.grant is None and self.sealed is None and self.code is None, "complete the grant first"
        if self.tokens is not None:
            return {"AuthenticationResult": self.tokens, "ChallengeParameters": {}}
        out: dict[str, Any] = {"ChallengeName": self.challenge, "ChallengeParameters": self.parameters}
        if self.session is not None:
            out["Session"] = self.session
        if self.available is not None:
            out["AvailableChallenges"] = self.available
        return out


def challenge(
    req: AuthRequest, name: str, parameters: dict[str, str], state: dict[str, Any], *, key: str | None = None
) -> Outcome:
    """Answer with a challenge whose state waits, sealed, in the database under the Session's hash (or under
    ``key``, replacing what waited there, for a challenge whose answer comes without its Session)."""
    token, session_key = new_session()
    now = req.ctx.clock.now()
    expires = now + req.client.session_validity
    stored = sealed_state(req.ctx, state)
    if key is None:
        req.tx.auth_sessions.put(session_key, req.pool.id, req.client.id, name, stored, expires)
        return Outcome(challenge=name, parameters=parameters, session=token)
    try:
        req.tx.auth_sessions.replace(key, req.pool.id, req.client.id, name, stored, now, expires)
    except Conflict:
        raise TooManyRequestsException("Another sign-in with this device is under way.") from None
    return Outcome(challenge=name, parameters=parameters, session=token)


def _required_missing(req: AuthRequest, user: User) -> list[str]:
    return [
        a["Name"]
        for a in req.pool.schema
        if a.get("Required") and a["Name"] != "sub" and not user.attributes.get(a["Name"])
    ]


def new_password_required(req: AuthRequest, user: User, auth_time: datetime) -> Outcome:
    shown = {k: v for k, v in user.attributes.items() if k != "sub"}
    parameters = {
        "USER_ID_FOR_SRP": user.username,
        "requiredAttributes": json.dumps([f"userAttributes.{n}" for n in _required_missing(req, user)]),
        "userAttributes": json.dumps(shown),
    }
    return challenge(req, "NEW_PASSWORD_REQUIRED", parameters, {"user_id": user.id, "auth_time": auth_time.isoformat()})
