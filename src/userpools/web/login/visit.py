"""What every page shares: the authorization request it carries along (its query string), the CSRF token,
and the end of a sign-in (PostAuthentication, the domain's session, the code or tokens for the callback)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from userpools.operations.auth import completion, issue
from userpools.steps.context import Context
from userpools.web.login import calls, csrf, render
from userpools.web.oauth import authorize, sessions
from userpools.web.oauth.site import Site

_OWN = ("username",)  # query parameters of the pages themselves, not of the authorization request


def policy_lines(policy: dict[str, Any]) -> list[str]:
    """The pool's password policy, as the sign-up and new-password pages state it."""
    lines = [f"At least {policy['MinimumLength']} characters"]
    for key, text in (
        ("RequireLowercase", "a lowercase letter"),
        ("RequireUppercase", "an uppercase letter"),
        ("RequireNumbers", "a number"),
        ("RequireSymbols", "a symbol"),
    ):
        if policy.get(key):
            lines.append(f"Contains {text}")
    return lines


@dataclass
class Visit:
    context: Context
    site: Site
    request: Request
    auth: authorize.AuthorizationRequest
    form: FormData | None
    csrf: str

    @property
    def choice_based(self) -> bool:
        """Choice-based sign-in (USER_AUTH): the client allows it and the domain has managed login (version 2)."""
        return self.auth.client.allows("USER_AUTH") and self.site.record.config.get("ManagedLoginVersion") == 2

    @property
    def query(self) -> str:
        return urlencode([(k, v) for k, v in self.request.query_params.multi_items() if k not in _OWN])

    def link(self, path: str, **extra: str) -> str:
        query = self.query + ("&" + urlencode(extra) if extra else "")
        return self.site.url(path, query)

    def field(self, name: str) -> str:
        """A form field; passwords as typed, everything else stripped."""
        value = self.form.get(name) if self.form is not None else None
        if not isinstance(value, str):
            return ""
        return value if "password" in name else value.strip()

    def show(self, template: str, *, status: int = 200, **values: Any) -> Response:
        pool = self.site.pool
        response = render.page(
            self.context,
            self.site,
            self.request,
            template,
            status=status,
            client_id=self.auth.client.id,
            csrf=self.csrf,
            query=self.query,
            link=self.link,
            policy=policy_lines(pool.password_policy),
            min_length=int(pool.password_policy["MinimumLength"]),
            **values,
        )
        csrf.remember(response, self.csrf, self.site.base, self.site.secure)
        return response

    def go(self, path: str, **extra: str) -> Response:
        return RedirectResponse(self.link(path, **extra), 303)

    def signed_in(self, earned: issue.Grant) -> Response:
        """PostAuthentication, then the session cookie and the callback with its code (or tokens)."""
        completion.post_authentication(self.context, self.site.pool, self.auth.client, earned, None)
        response = authorize.grant(self.context, self.site, self.auth, earned.user, earned.auth_time)
        sessions.start(self.context, self.site, earned.user, earned.auth_time, response, self.auth.client.id)
        return response


Page = Callable[[Visit], Response]


def page(get: Page, post: Page | None = None) -> Callable[[Context, Site, Request], Awaitable[Response]]:
    """An endpoint: the authorization request checked, the form read and its CSRF token checked for POST."""

    async def endpoint(context: Context, site: Site, request: Request) -> Response:
        form = await request.form() if request.method == "POST" else None

        def run() -> Response:
            try:
                auth = authorize.parse(context, site, dict(request.query_params))
            except authorize.Invalid as invalid:
                return render.error_page(context, site, request, str(invalid))
            except authorize.Refused as refused:
                return refused.response()
            visit = Visit(calls.serving(context, request), site, request, auth, form, csrf.token(request))
            if form is None or post is None:
                return get(visit)
            if not csrf.valid(request, form):
                return render.error_page(context, site, request, "The form has expired. Go back and try again.", 403)
            return post(visit)

        return await run_in_threadpool(run)

    return endpoint
