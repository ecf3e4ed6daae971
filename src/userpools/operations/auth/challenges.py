"""Challenge answers, one class each: what RespondToAuthChallenge does for one ChallengeName."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from userpools.domain import attributes as attribute_rules
from userpools.domain import passwords, srp
from userpools.domain.errors import InvalidParameterException, NotAuthorizedException
from userpools.domain.tokens import hash_token
from userpools.domain.users import UserStatus
from userpools.operations.admin_attributes import apply_attribute_change, set_password
from userpools.operations.auth.guards import (
    INCORRECT,
    AuthRequest,
    SignInFailure,
    before_password,
    check_secret_hash,
    unknown_user,
)
from userpools.operations.auth.outcome import Outcome
from userpools.operations.auth.steps import authenticated, first_factor_done
from userpools.steps.common import find_user
from userpools.steps.context import Context

TIMESTAMP_SKEW = timedelta(minutes=5)
INVALID_SESSION = "Invalid session for the user, session is expired."
_PROVEN = "_proven"  # PasswordVerifier.prepare's verdict, in the state handed to respond (never stored)


class Challenge:
    name: ClassVar[str]
    outside: ClassVar[bool] = False  # ``answer`` (outside any transaction) instead of ``respond``

    def session_key(self, responses: dict[str, str], session: str | None) -> str:
        if not session:
            raise InvalidParameterException("Missing required parameter Session")
        return hash_token(session)

    def precheck(self, req: AuthRequest) -> None:
        """Checks made before the session is spent, so that the client may correct itself and retry."""

    def prepare(self, req: AuthRequest, state: dict[str, Any]) -> None:
        """Work done between the two transactions (the session spent, the answer's not begun), into ``state``:
        what needs no database (a proof's arithmetic) keeps the write lock free meanwhile where writes are serial."""

    def respond(self, req: AuthRequest, state: dict[str, Any]) -> Outcome:
        raise NotImplementedError

    def answer(self, ctx: Context, req: AuthRequest, state: dict[str, Any]) -> Outcome:
        """For ``outside`` challenges, whose steps are triggers; ``req.tx`` is closed by then."""
        raise NotImplementedError


class PasswordVerifier(Challenge):
    """PASSWORD_VERIFIER: the client's proof that it knows the password behind the SRP verifier."""

    name = "PASSWORD_VERIFIER"

    def session_key(self, responses: dict[str, str], session: str | None) -> str:
        block = responses.get("PASSWORD_CLAIM_SECRET_BLOCK")
        if not block:
            raise InvalidParameterException("Missing required parameter PASSWORD_CLAIM_SECRET_BLOCK")
        return hash_token(srp.decode_secret_block(block))

    def prepare(self, req: AuthRequest, state: dict[str, Any]) -> None:
        # The two 3072-bit powers of the proof, checked before the answer's transaction; ``respond`` reads the
        # verdict at the same point of its checks as it would have computed it.
        signature = req.parameters.get("PASSWORD_CLAIM_SIGNATURE")
        timestamp = req.parameters.get("TIMESTAMP")
        if signature and timestamp and state.get("user_id") is not None:
            state[_PROVEN] = self._proven(req, state, signature, timestamp)

    @staticmethod
    def _proven(req: AuthRequest, state: dict[str, Any], signature: str, timestamp: str) -> bool:
        return srp.verify_claim(
            pool_name=req.pool.short_name,
            user_id=state["user_id_for_srp"],
            verifier_hex=state["verifier"],
            srp_a_hex=state["srp_a"],
            b_hex=state["b"],
            srp_b_hex=state["srp_b"],
            secret_block=srp.decode_secret_block(req.parameters["PASSWORD_CLAIM_SECRET_BLOCK"]),
            timestamp=timestamp,
            signature_b64=signature,
        )

    def respond(self, req: AuthRequest, state: dict[str, Any]) -> Outcome:
        signature = req.param("PASSWORD_CLAIM_SIGNATURE")
        timestamp = req.param("TIMESTAMP")
        if abs(srp.parse_timestamp(timestamp) - req.ctx.clock.now()) > TIMESTAMP_SKEW:
            raise NotAuthorizedException("TIMESTAMP is too far from the server's time.")
        check_secret_hash(
            req.client,
            req.parameters.get("SECRET_HASH"),
            req.parameters.get("USERNAME", ""),
            state["username"],
            state["user_id_for_srp"],
        )
        if state["user_id"] is None:
            raise NotAuthorizedException(INCORRECT)
        user = req.tx.users.get_by_id(int(state["user_id"]))
        if user is None:
            raise unknown_user(req.client)
        before_password(req, user)
        assert user.id is not None
        proven = state[_PROVEN] if _PROVEN in state else self._proven(req, state, signature, timestamp)
        if not proven:
            raise SignInFailure(user.id, req.ctx.clock.now())
        return authenticated(req, user, req.parameters.get("DEVICE_KEY") or state.get("device_key"))


class NewPasswordRequired(Challenge):
    """NEW_PASSWORD_REQUIRED: a user signed in with a temporary password chooses its own (and fills in
    required attributes given as ``userAttributes.<name>``); the user becomes CONFIRMED."""

    name = "NEW_PASSWORD_REQUIRED"

    def precheck(self, req: AuthRequest) -> None:
        passwords.check(req.param("NEW_PASSWORD"), req.pool.password_policy)

    def respond(self, req: AuthRequest, state: dict[str, Any]) -> Outcome:
        user = req.tx.users.get_by_id(int(state["user_id"]))
        if user is None or user.status is not UserStatus.FORCE_CHANGE_PASSWORD:
            raise NotAuthorizedException(INVALID_SESSION)
        username = req.param("USERNAME")
        named = find_user(req.tx, req.pool, username)
        if named is None or named.id != user.id:
            raise NotAuthorizedException(INVALID_SESSION)
        check_secret_hash(req.client, req.parameters.get("SECRET_HASH"), username, user.username)
        prefix = "userAttributes."
        changes = {k[len(prefix) :]: v for k, v in req.parameters.items() if k.startswith(prefix)}
        writable = req.client.write_attributes
        if writable is not None and any(name not in writable for name in changes):
            raise NotAuthorizedException("A client attempted to write unauthorized attribute")
        attribute_rules.check(changes, req.pool.schema, creating=False)
        set_password(req.ctx, req.pool, user, req.param("NEW_PASSWORD"), permanent=True)
        apply_attribute_change(req.tx, req.pool, user, changes, [])
        for spec in req.pool.schema:
            if spec.get("Required") and not user.attributes.get(spec["Name"]):
                raise InvalidParameterException(f"Missing required attribute: userAttributes.{spec['Name']}")
        auth_time = datetime.fromisoformat(state["auth_time"])
        return first_factor_done(req, user, "TokenGeneration_NewPasswordChallenge", auth_time)


CHALLENGES: dict[str, Challenge] = {c.name: c for c in (PasswordVerifier(), NewPasswordRequired())}
