"""CUSTOM_AUTH: the pool's DefineAuthChallenge, CreateAuthChallenge and VerifyAuthChallengeResponse
triggers decide the sign-in, one CUSTOM_CHALLENGE at a time.

InitiateAuth → DefineAuthChallenge (empty session) → CreateAuthChallenge → CUSTOM_CHALLENGE with the
public parameters and a Session; RespondToAuthChallenge (ANSWER) → VerifyAuthChallengeResponse →
DefineAuthChallenge with the history → tokens, the next challenge, or NotAuthorizedException.
Every step is a trigger, so none runs inside a transaction; the history and the private challenge
parameters wait in ``auth_sessions`` under the Session's hash.

Not built (answered 501 NotImplementedException, as every unbuilt part is): SRP_A in CUSTOM_AUTH, and
DefineAuthChallenge picking SRP_A or PASSWORD_VERIFIER. Another challenge name from DefineAuthChallenge is
answered InvalidParameterException (Cognito's answer is not documented).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from userpools.domain import custom_auth_events as auth_events
from userpools.domain.clients import Client
from userpools.domain.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    UserNotConfirmedException,
    UserNotFoundException,
)
from userpools.domain.pools import Pool
from userpools.domain.users import User, UserStatus
from userpools.errors import not_built
from userpools.operations.auth.challenges import INVALID_SESSION, Challenge
from userpools.operations.auth.flows import Flow, Prelude
from userpools.operations.auth.guards import INCORRECT, AuthRequest, check_secret_hash, new_session
from userpools.operations.auth.outcome import Outcome, sealed_state
from userpools.operations.auth.steps import AUTHENTICATION, first_factor_done
from userpools.steps import triggers
from userpools.steps.context import Context

NOT_CONFIGURED = "Custom auth lambda trigger is not configured for the user pool."
MAX_ROUNDS = 10  # Choice: a session history longer than this fails the sign-in


class CustomAuth(Flow):
    names = ("CUSTOM_AUTH",)
    outside = True

    def run(self, ctx: Context, req: AuthRequest, prelude: Prelude | None) -> Outcome:
        assert prelude is not None
        if "SRP_A" in req.parameters:
            raise not_built("SRP_A in CUSTOM_AUTH (a password step before the custom challenges)")
        if not triggers.has_trigger(req.pool, "DefineAuthChallenge"):
            raise NotAuthorizedException(NOT_CONFIGURED)
        user = prelude.user
        if user is None and not req.client.prevents_user_existence_errors:
            raise UserNotFoundException("User does not exist.")
        if user is not None and user.status is UserStatus.UNCONFIRMED:
            raise UserNotConfirmedException("User is not confirmed.")
        return advance(ctx, req.pool, req.client, user, prelude.username, [], None)


class CustomChallenge(Challenge):
    name = "CUSTOM_CHALLENGE"
    outside = True

    def answer(self, ctx: Context, req: AuthRequest, state: dict[str, Any]) -> Outcome:
        username = req.param("USERNAME")
        check_secret_hash(req.client, req.parameters.get("SECRET_HASH"), username, state["username"])
        if username not in (state["username"], state["given"]):
            raise NotAuthorizedException(INVALID_SESSION)
        answer = req.param("ANSWER")
        user = None
        if state["user_id"] is not None:
            with ctx.store.transaction(write=False) as tx:
                user = tx.users.get_by_id(int(state["user_id"]))
            if user is None or not user.enabled:
                raise NotAuthorizedException(INCORRECT)
        history = [auth_events.ChallengeResult(*entry) for entry in state["history"]]
        metadata = req.metadata or None
        event = auth_events.verify_auth_challenge(
            triggers.caller(ctx, req.pool, req.client.id),
            state["username"],
            _attributes(user),
            state["private"],
            answer,
            client_metadata=metadata,
            user_not_found=user is None,
        )
        correct = auth_events.read_verify_auth_challenge(
            triggers.run_trigger(ctx, req.pool, "VerifyAuthChallengeResponse", event) or {}
        )
        history.append(auth_events.ChallengeResult("CUSTOM_CHALLENGE", correct, state["metadata"]))
        return advance(ctx, req.pool, req.client, user, state["given"], history, metadata)


def _attributes(user: User | None) -> dict[str, str]:
    return triggers.user_attributes(user) if user is not None else {}


def advance(
    ctx: Context,
    pool: Pool,
    client: Client,
    user: User | None,
    given: str,
    history: list[auth_events.ChallengeResult],
    metadata: Mapping[str, str] | None,
) -> Outcome:
    """Ask DefineAuthChallenge what comes next and do it."""
    username = user.username if user is not None else given
    caller = triggers.caller(ctx, pool, client.id)
    event = auth_events.define_auth_challenge(
        caller, username, _attributes(user), history, client_metadata=metadata, user_not_found=user is None
    )
    decision = auth_events.read_define_auth_challenge(
        triggers.run_trigger(ctx, pool, "DefineAuthChallenge", event) or {}
    )
    if decision.fail_authentication or len(history) >= MAX_ROUNDS:
        raise NotAuthorizedException(INCORRECT)
    if decision.issue_tokens:
        if user is None:
            raise NotAuthorizedException(INCORRECT)
        with ctx.store.transaction() as tx:  # the second factor, if the pool's MFA asks for one, comes next
            req = AuthRequest(ctx, tx, pool, client, {}, False, dict(metadata or {}))
            return first_factor_done(req, user, AUTHENTICATION, ctx.clock.now())
    if decision.challenge_name in ("SRP_A", "PASSWORD_VERIFIER"):
        raise not_built(f"{decision.challenge_name} chosen by DefineAuthChallenge")
    if decision.challenge_name != "CUSTOM_CHALLENGE":
        raise InvalidParameterException(f"{decision.challenge_name} is not supported in CUSTOM_AUTH by this server.")
    event = auth_events.create_auth_challenge(
        caller,
        username,
        _attributes(user),
        "CUSTOM_CHALLENGE",
        history,
        client_metadata=metadata,
        user_not_found=user is None,
    )
    challenge = auth_events.read_create_auth_challenge(
        triggers.run_trigger(ctx, pool, "CreateAuthChallenge", event) or {}
    )
    state = {
        "user_id": user.id if user is not None else None,
        "username": username,
        "given": given,
        "history": [[h.challenge_name, h.challenge_result, h.challenge_metadata] for h in history],
        "private": challenge.private_parameters,
        "metadata": challenge.metadata,
    }
    token, key = new_session()
    with ctx.store.transaction() as tx:
        tx.auth_sessions.put(
            key,
            pool.id,
            client.id,
            "CUSTOM_CHALLENGE",
            sealed_state(ctx, state),
            ctx.clock.now() + client.session_validity,
        )
    return Outcome(
        challenge="CUSTOM_CHALLENGE", parameters={**challenge.public_parameters, "USERNAME": username}, session=token
    )


FLOWS: dict[str, Flow] = {"CUSTOM_AUTH": CustomAuth()}
CHALLENGES: dict[str, Challenge] = {"CUSTOM_CHALLENGE": CustomChallenge()}
