"""InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge,
GetTokensFromRefreshToken: resolve client and pool, pick the flow or challenge, run it."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from userpools.domain.errors import InvalidParameterException, NotAuthorizedException
from userpools.domain.pools import Pool
from userpools.errors import ServiceError, not_built
from userpools.operations.auth import (
    audit,
    challenges,
    completion,
    custom,
    device_challenges,
    flows,
    issue,
    mfa_codes,
    rotation,
    second_factor,
    user_auth,
)
from userpools.operations.auth.challenges import INVALID_SESSION
from userpools.operations.auth.flows import Flow, Prelude, refresh_session
from userpools.operations.auth.guards import AuthRequest
from userpools.operations.auth.outcome import Outcome, opened_state
from userpools.operations.auth.steps import known_device
from userpools.operations.clients import load_client_and_pool
from userpools.operations.registry import operation
from userpools.steps import migration, triggers
from userpools.steps.context import Context
from userpools.steps.followup import transact
from userpools.storage.sessions import PendingSession
from userpools.storage.unit import Tx

FLOWS: dict[str, Flow] = {**flows.FLOWS, **custom.FLOWS, **user_auth.FLOWS}
CHALLENGES: dict[str, challenges.Challenge] = {
    **challenges.CHALLENGES,
    **custom.CHALLENGES,
    **second_factor.CHALLENGES,
    **device_challenges.CHALLENGES,
    **user_auth.CHALLENGES,
}


def _request(ctx: Context, tx: Tx, params: dict[str, Any], values: dict[str, str], admin: bool) -> AuthRequest:
    client, pool = load_client_and_pool(ctx, tx, params["ClientId"], params.get("UserPoolId"))
    metadata = dict(params.get("ClientMetadata") or {})
    return AuthRequest(ctx, tx, pool, client, dict(values or {}), admin, metadata, params.get("Session"))


def _initiate(ctx: Context, params: dict[str, Any], admin: bool) -> dict[str, Any]:
    return _finish(ctx, *_initiated(ctx, params, admin), None)


def _initiated(
    ctx: Context, params: dict[str, Any], admin: bool, *, hosted: bool = False
) -> tuple[AuthRequest, Outcome]:
    """Look up (read transaction), UserMigration and PreAuthentication (no transaction), the flow
    (write transaction, or none for CUSTOM_AUTH), then the tokens (see auth/completion.py).

    Without a trigger to run before it (no PreAuthentication or UserMigration, or a refresh), the flow
    runs in the request's first transaction, the look-up being the flow's own first checks; without a
    token trigger, the tokens' rows are written in that transaction too and signed after it (``_started``).

    ``hosted``: managed login's sign-in, which any client's managed login may use whatever its
    ExplicitAuthFlows; its grant is answered as it is (tokens come later, from /oauth2/token)."""
    name = params["AuthFlow"]
    flow = FLOWS.get(name)
    if flow is None:  # a flow of the model (its enum) this server has no class for
        raise not_built(f"The auth flow {name}")
    if (flow.admin_only and not admin) or (flow.public_only and admin):
        raise InvalidParameterException("Initiate Auth method not supported.")  # Cognito's own refusal
    values = params.get("AuthParameters") or {}
    if flow.outside:
        with ctx.store.transaction(write=False) as tx:
            req = _request(ctx, tx, params, values, admin)
            if not hosted and not req.client.allows(name):
                raise InvalidParameterException(f"{name} flow not enabled for this client")
            prelude = flow.look_up(req)
    else:

        def first(tx: Tx) -> tuple[AuthRequest, Outcome | None]:
            req = _request(ctx, tx, params, values, admin)
            if not hosted and not req.client.allows(name):
                raise InvalidParameterException(f"{name} flow not enabled for this client")
            if _triggers_before(req.pool, flow):
                return req, None
            # No trigger between look-up and flow: ``start`` repeats every check ``look_up`` makes, in order.
            return req, _started(ctx, flow.start, req, seal=not hosted)

        req, started = transact(ctx, first)
        if started is not None:
            return req, started
        with ctx.store.transaction(write=False) as tx:
            prelude = flow.look_up(replace(req, tx=tx))
    if prelude is not None:
        _before_sign_in(ctx, req, flow, prelude, params.get("ClientMetadata"))
    if flow.outside:
        outcome = flow.run(ctx, req, prelude)
    else:
        # The client and pool read a moment ago serve this request's write transaction too.
        outcome = transact(ctx, lambda tx: _started(ctx, flow.start, replace(req, tx=tx), seal=not hosted))
    # InitiateAuth's ClientMetadata reaches PreAuthentication and UserMigration only (Cognito's documentation).
    return req, outcome


def _triggers_before(pool: Pool, flow: Flow) -> bool:
    """Whether a trigger may run between the flow's look-up and its start (see :func:`_before_sign_in`)."""
    return flow.signs_in and (
        triggers.has_trigger(pool, "PreAuthentication")
        or (flow.migrates and triggers.has_trigger(pool, "UserMigration"))
    )


def _started(ctx: Context, step: Callable[[AuthRequest], Outcome], req: AuthRequest, *, seal: bool = True) -> Outcome:
    """``step`` (a flow or a challenge answer) in ``req.tx``; a grant no trigger stands between has its rows
    (refresh token, signing key) written in the same transaction, and is signed once it has ended."""
    outcome = step(req)
    if seal and outcome.grant is not None:
        sealed = completion.complete_in(ctx, req.tx, req.pool, req.client, outcome.grant)
        if sealed is not None:
            return Outcome(sealed=sealed)
    return outcome


def _before_sign_in(
    ctx: Context, req: AuthRequest, flow: Flow, prelude: Prelude, metadata: dict[str, str] | None
) -> None:
    user = prelude.user
    if user is None and flow.migrates:
        user = migration.migrate(
            ctx,
            req.pool,
            req.client,
            "UserMigration_Authentication",
            prelude.username,
            password=req.param("PASSWORD"),
            validation_data=metadata,
        )
    if user is None and not req.client.prevents_user_existence_errors:
        return  # PreAuthentication does not run for a user that does not exist (Cognito's documentation)
    triggers.pre_authentication(ctx, req.pool, req.client.id, prelude.username, user, validation_data=metadata)


def _finish(ctx: Context, req: AuthRequest, outcome: Outcome, metadata: dict[str, str] | None) -> dict[str, Any]:
    if outcome.code is not None:
        outcome = mfa_codes.send(ctx, req, outcome.code)
    if outcome.sealed is not None:
        outcome = Outcome(tokens=outcome.sealed.result())
    elif outcome.grant is not None:
        outcome = Outcome(tokens=completion.complete(ctx, req.pool, req.client, outcome.grant, metadata))
    return outcome.response()


def _respond(ctx: Context, params: dict[str, Any], admin: bool) -> dict[str, Any]:
    return _finish(ctx, *_responded(ctx, params, admin), params.get("ClientMetadata"))


def _responded(
    ctx: Context, params: dict[str, Any], admin: bool, *, hosted: bool = False
) -> tuple[AuthRequest, Outcome]:
    """The challenge answered; ``hosted`` (managed login): a grant is answered as it is, not sealed."""
    challenge = CHALLENGES.get(params["ChallengeName"])
    if challenge is None:  # PASSWORD and PASSWORD_SRP are answered in SELECT_CHALLENGE; ADMIN_NO_SRP_AUTH is a flow
        raise InvalidParameterException(f"Challenge {params['ChallengeName']} is not supported.")
    responses = dict(params.get("ChallengeResponses") or {})
    key = challenge.session_key(responses, params.get("Session"))
    if not ctx.store.serial_writes and not challenge.outside:
        return _respond_at_once(ctx, challenge, key, params, responses, admin, seal=not hosted)
    # The session is spent in a transaction of its own: even a failed answer cannot reuse it.
    with ctx.store.transaction() as tx:
        req = _request(ctx, tx, params, responses, admin)
        challenge.precheck(req)
        row = tx.auth_sessions.take(key, ctx.clock.now())
    state = _prepared(challenge, req, row)
    if challenge.outside:
        outcome = challenge.answer(ctx, req, state)
    else:
        outcome = transact(
            ctx, lambda tx: _started(ctx, lambda r: challenge.respond(r, state), replace(req, tx=tx), seal=not hosted)
        )
    return req, outcome


def _prepared(challenge: challenges.Challenge, req: AuthRequest, row: PendingSession | None) -> dict[str, Any]:
    """The state of the session taken for this answer, after the challenge's work outside any statement; a
    session unknown, expired, or of another challenge or client is refused."""
    if row is None or row.challenge != challenge.name or row.client_id != req.client.id:
        raise NotAuthorizedException(INVALID_SESSION)
    state = opened_state(req.ctx, row.state)
    challenge.prepare(req, state)
    return state


def _respond_at_once(
    ctx: Context,
    challenge: challenges.Challenge,
    key: str,
    params: dict[str, Any],
    responses: dict[str, str],
    admin: bool,
    *,
    seal: bool = True,
) -> tuple[AuthRequest, Outcome]:
    """Where writers run side by side (not ``Store.serial_writes``): the session spent and the answer made in one
    transaction (a COMMIT and a BEGIN fewer). The proof's arithmetic then runs inside it, which holds nothing others
    wait for there (with serial writes, the write lock). An answer that fails has its session spent again once its
    transaction has rolled back."""
    taken = False

    def step(tx: Tx) -> tuple[AuthRequest, Outcome]:
        nonlocal taken
        req = _request(ctx, tx, params, responses, admin)
        challenge.precheck(req)
        row = tx.auth_sessions.take(key, ctx.clock.now())
        taken = row is not None
        state = _prepared(challenge, req, row)
        return req, _started(ctx, lambda r: challenge.respond(r, state), req, seal=seal)

    try:
        return transact(ctx, step)
    except ServiceError:
        if taken:
            with ctx.store.transaction() as tx:
                tx.auth_sessions.take(key, ctx.clock.now())
        raise


def hosted_sign_in(ctx: Context, params: dict[str, Any]) -> tuple[AuthRequest, Outcome]:
    """Managed login: AdminInitiateAuth's steps (its triggers too) answered with the grant, not tokens."""
    return _initiated(ctx, params, admin=True, hosted=True)


def hosted_answer(ctx: Context, params: dict[str, Any]) -> tuple[AuthRequest, Outcome]:
    """Managed login: AdminRespondToAuthChallenge's steps answered with the grant, not tokens."""
    return _responded(ctx, params, admin=True, hosted=True)


@operation("InitiateAuth")
def initiate_auth(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return audit.sign_in(ctx, params, "AuthParameters", lambda: _initiate(ctx, params, admin=False))


@operation("AdminInitiateAuth")
def admin_initiate_auth(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return audit.sign_in(ctx, params, "AuthParameters", lambda: _initiate(ctx, params, admin=True))


@operation("RespondToAuthChallenge")
def respond_to_auth_challenge(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return audit.sign_in(ctx, params, "ChallengeResponses", lambda: _respond(ctx, params, admin=False))


@operation("AdminRespondToAuthChallenge")
def admin_respond_to_auth_challenge(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return audit.sign_in(ctx, params, "ChallengeResponses", lambda: _respond(ctx, params, admin=True))


def check_client_secret(req: AuthRequest, given: str | None) -> None:
    secret = req.client.secret
    if secret is None:
        return
    if not given:
        raise NotAuthorizedException(f"Client {req.client.id} is configured for secret but secret was not received")
    if not any(hmac.compare_digest(given.encode(), s.encode()) for s in req.client.secrets):  # bytes: any text
        raise NotAuthorizedException(f"Unable to verify secret for client {req.client.id}")


@operation("GetTokensFromRefreshToken")
def get_tokens_from_refresh_token(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    def step(tx: Tx) -> tuple[AuthRequest, issue.Grant, issue.Sealed | None, str | None]:
        req = _request(ctx, tx, params, {}, admin=False)
        check_client_secret(req, params.get("ClientSecret"))
        if not req.client.allows("REFRESH_TOKEN_AUTH"):
            raise InvalidParameterException("REFRESH_TOKEN_AUTH flow not enabled for this client")
        row = refresh_session(req, params["RefreshToken"])
        user = tx.users.get_by_id(row.user_id)
        if user is None or not user.enabled:
            raise NotAuthorizedException("User is disabled." if user else "Invalid Refresh Token")
        origin, successor = row.origin_jti, None
        if rotation.enabled(req.client):  # a reused token's revocations are kept although the request fails
            origin, successor = rotation.rotate(ctx, tx, req.client, row)
        device = known_device(req, user, params.get("DeviceKey"))
        grant = issue.Grant(
            user,
            "TokenGeneration_RefreshTokens",
            row.auth_time,
            origin,
            device_key=device.key if device else None,
        )
        return req, grant, completion.complete_in(ctx, tx, req.pool, req.client, grant), successor

    req, grant, sealed, successor = transact(ctx, step)
    if sealed is not None:
        result = sealed.result()
    else:
        result = completion.complete(ctx, req.pool, req.client, grant, params.get("ClientMetadata"))
    if successor is not None:
        result["RefreshToken"] = successor
    return {"AuthenticationResult": result}
