"""userAuthEvents log records for sign-ins (see operations/log_delivery.py): each InitiateAuth or
RespondToAuthChallenge that ends in tokens (Pass) or in a refusal (Fail). Challenges on the way, and
refreshes, are not sign-ins. Nothing is done unless the server has a log sink."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from userpools.errors import ServiceError
from userpools.operations import auth_events
from userpools.steps import pool_logs, session_tracking
from userpools.steps.context import Context


def _pool_id(ctx: Context, params: dict[str, Any]) -> str | None:
    if params.get("UserPoolId"):
        return str(params["UserPoolId"])
    with ctx.store.transaction(write=False) as tx:
        row = tx.clients.get(params["ClientId"])
    return str(row.pool_id) if row else None


def _record(ctx: Context, params: dict[str, Any], username: str, response: str, error: str | None) -> None:
    pool_id = _pool_id(ctx, params)
    if pool_id is None:
        return
    message: dict[str, Any] = {
        "version": "1",
        "eventType": "SignIn",
        "eventResponse": response,
        "userName": username,
        "clientId": params.get("ClientId"),
        "userPoolId": pool_id,
        "hasContextData": bool(params.get("UserContextData") or params.get("ContextData")),
    }
    if error is not None:
        message["errorType"] = error
    pool_logs.emit(ctx, pool_id, "userAuthEvents", message)


def sign_in(ctx: Context, params: dict[str, Any], values: str, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``run`` the sign-in step; with a log sink, record how it ended. ``values`` names the parameter that
    carries USERNAME (AuthParameters or ChallengeResponses)."""
    ctx.request[session_tracking.CONTEXT_KEY] = params.get("UserContextData") or params.get("ContextData")
    if not str(params.get("AuthFlow", "")).startswith("REFRESH_TOKEN"):  # the auth event, and its risk
        answers = params.get(values) or {}
        given, run = (
            run,
            lambda: auth_events.guarded(ctx, params, "SignIn", answers.get("USERNAME"), answers.get("PASSWORD"), given),
        )
    if ctx.settings.log_sink is None or str(params.get("AuthFlow", "")).startswith("REFRESH_TOKEN"):
        return run()
    username = str((params.get(values) or {}).get("USERNAME", ""))
    try:
        result = run()
    except ServiceError as error:
        _record(ctx, params, username, "Fail", error.code)
        raise
    if "AuthenticationResult" in result:
        _record(ctx, params, username, "Pass", None)
    return result
