"""Signing in to a locked console (production mode, USERPOOLS_CREDENTIALS or USERPOOLS_CONSOLE_PASSWORD): with
a configured access key id and its secret, or the console password. The session lives in a signed cookie
(session.py). Failed attempts wait a moment, so guessing is slow."""

from __future__ import annotations

import time

from starlette.responses import RedirectResponse, Response

from userpools.web.console import session
from userpools.web.console.session import PATH
from userpools.web.console.view import View

_FAILED_WAIT = 0.5  # seconds a failed sign-in waits before its answer


def _next(view: View) -> str:
    wanted = view.field("next")
    return wanted if wanted.startswith(PATH + "/") and not wanted.startswith(PATH + "//") else PATH + "/"


def form(view: View, error: tuple[str, str] | None = None, status: int = 200) -> Response:
    settings = view.context.settings
    if not session.locked(settings):
        return RedirectResponse(PATH + "/", 303)
    return view.show(
        "signin.html",
        status=status,
        error=error,
        next=_next(view),
        with_keys=bool(settings.credentials),
        with_password=bool(settings.console_password),
    )


def sign_in(view: View) -> Response:
    settings = view.context.settings
    who = session.sign_in(settings, view.field("access_key"), view.field("secret"), view.field("password"))
    if who is None:
        time.sleep(_FAILED_WAIT)
        return form(view, ("NotAuthorizedException", "Incorrect access key, secret or password."), 401)
    response = RedirectResponse(_next(view), 303)
    session.remember(view.context, view.request, response, session.new(view.context, who))
    return response


def sign_out(view: View) -> Response:
    response = RedirectResponse(PATH + "/signin", 303)
    session.forget(view.context, view.request, response)
    return response
