"""Managed login pages, rendered on the server, working without JavaScript but for passkeys: sign in (with a
password, or by choice: codes by email or SMS, passkeys), MFA, sign up, confirm, forgot password and reset,
new password for invited users, adding a passkey. Every form has a CSRF token; the pages call
Cognito's own operations, so their rules, messages and triggers are the API's."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from userpools.steps.context import Context
from userpools.web.login import mfa, passkeys, recovery, signin, signup
from userpools.web.login.visit import page

Endpoint = Callable[..., Awaitable[Response]]


def pages() -> list[tuple[str, Endpoint, list[str]]]:
    both = ["GET", "POST"]
    return [
        ("/login", page(signin.sign_in_form, signin.sign_in), both),
        ("/newPassword", page(signin.show, signin.new_password), ["POST"]),
        ("/signup", page(signup.show, signup.sign_up), both),
        ("/confirm", page(signup.confirm_form, signup.confirm), both),
        ("/mfa", page(mfa.show, mfa.answer), both),
        ("/passkeys/add", page(passkeys.add_form, passkeys.add), both),
        ("/forgotPassword", page(recovery.forgot_form, recovery.forgot), both),
        ("/confirmForgotPassword", page(recovery.reset_form, recovery.reset), both),
    ]


def _logo(context: Context, pool_id: str, client_id: str) -> bytes | None:
    with context.store.transaction(write=False) as tx:
        record = tx.branding.ui(pool_id, client_id)
    return base64.b64decode(record.image) if record and record.image else None


def asset_routes(context: Context) -> list[BaseRoute]:
    async def logo(request: Request) -> Response:
        image = await run_in_threadpool(
            _logo, context, request.path_params["pool_id"], request.path_params["client_id"]
        )
        if image is None:
            return Response(status_code=404)
        kind = "image/png" if image.startswith(b"\x89PNG") else "image/jpeg"
        return Response(image, media_type=kind, headers={"Cache-Control": "max-age=300"})

    return [Route("/_userpools/ui/{pool_id}/{client_id}/logo", logo, methods=["GET"])]
