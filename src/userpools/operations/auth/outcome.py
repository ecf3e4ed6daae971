"""What a flow or challenge answers: another challenge (with a Session) or tokens."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from userpools.domain import sealing
from userpools.domain.errors import NotAuthorizedException
from userpools.domain.users import User, UserStatus
from userpools.operations.auth import issue
from userpools.operations.auth.guards import AuthRequest, new_session
from userpools.operations.context import Context

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

    def response(self) -> dict[str, Any]:
        assert self.grant is None and self.sealed is None, "complete the grant first"
        if self.tokens is not None:
            return {"AuthenticationResult": self.tokens, "ChallengeParameters": {}}
        out: dict[str, Any] = {"ChallengeName": self.challenge, "ChallengeParameters": self.parameters}
        if self.session is not None:
            out["Session"] = self.session
        return out


def challenge(req: AuthRequest, name: str, parameters: dict[str, str], state: dict[str, Any]) -> Outcome:
    """Answer with a challenge whose state waits in the database under the Session's hash."""
    token, key = new_session()
    req.tx.auth_sessions.put(
        key,
        req.pool.id,
        req.client.id,
        name,
        sealed_state(req.ctx, state),
        req.ctx.clock.now() + req.client.session_validity,
    )
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


def authenticated(req: AuthRequest, user: User) -> Outcome:
    """The password is right: what the user's state asks for next (tokens are granted, not yet issued)."""
    from userpools.domain.errors import UserNotConfirmedException

    now = req.ctx.clock.now()
    if user.status is UserStatus.UNCONFIRMED:
        raise UserNotConfirmedException("User is not confirmed.")
    if user.status is UserStatus.FORCE_CHANGE_PASSWORD:
        expires = user.credentials.expires if user.credentials else None
        if expires is not None and expires <= now:
            raise NotAuthorizedException("Temporary password has expired and must be reset by an administrator.")
        return new_password_required(req, user, now)
    return Outcome(grant=issue.Grant(user, "TokenGeneration_Authentication", now))
