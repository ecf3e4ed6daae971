"""/forgotPassword and /confirmForgotPassword: ForgotPassword sends a code, ConfirmForgotPassword sets the
new password with it (Cognito's operations, so PreventUserExistenceErrors and triggers apply as there)."""

from __future__ import annotations

from starlette.responses import Response

from userpools.errors import ServiceError
from userpools.web.login import calls
from userpools.web.login.visit import Visit


def forgot_form(visit: Visit, error: str | None = None, status: int = 200) -> Response:
    username = visit.field("username") or visit.request.query_params.get("username", "")
    return visit.show("forgot.html", status=status, error=error, username=username)


def forgot(visit: Visit) -> Response:
    username = visit.field("username")
    client = visit.auth.client
    params = {"ClientId": client.id, "SecretHash": calls.secret_hash(client, username), "Username": username}
    try:
        calls.invoke(visit.context, "ForgotPassword", params)
    except ServiceError as error:
        return forgot_form(visit, error.message, 400)
    return visit.go("/confirmForgotPassword", username=username)


def reset_form(visit: Visit, error: str | None = None, status: int = 200) -> Response:
    username = visit.field("username") or visit.request.query_params.get("username", "")
    return visit.show("reset.html", status=status, error=error, username=username)


def reset(visit: Visit) -> Response:
    username = visit.field("username")
    client = visit.auth.client
    params = {
        "ClientId": client.id,
        "SecretHash": calls.secret_hash(client, username),
        "Username": username,
        "ConfirmationCode": visit.field("code"),
        "Password": visit.field("new_password"),
    }
    try:
        calls.invoke(visit.context, "ConfirmForgotPassword", params)
    except ServiceError as error:
        return reset_form(visit, error.message, 400)
    return visit.go("/login", login_hint=username)
