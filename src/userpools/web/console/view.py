"""What every console page shares: its session and CSRF check, the one way it calls an operation (the API's
handlers through web/login/calls.py: the input validated against botocore's shape as on the wire), and
rendering. A page is a function of a :class:`View` returning a response; :func:`route` mounts it behind the
management gate (web/gate.py), whose session hook sends a locked console's visitors to the sign-in page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from userpools.errors import ServiceError
from userpools.steps.context import Context
from userpools.web.console import session
from userpools.web.console.session import PATH, Session
from userpools.web.gate import management_route
from userpools.web.login import calls

_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def _when(value: Any) -> str:
    """A timestamp as the pages show it (operations answer datetimes; JWT claims are epoch seconds)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = datetime.fromtimestamp(value, UTC)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return "" if value is None else str(value)


def _attribute(user: dict[str, Any], name: str) -> str:
    for item in user.get("Attributes") or user.get("UserAttributes") or []:
        if item.get("Name") == name:
            return str(item.get("Value", ""))
    return ""


_ENV = Environment(loader=PackageLoader("userpools.web.console", "templates"), autoescape=select_autoescape(["html"]))
_ENV.filters["when"] = _when
_ENV.filters["attribute"] = _attribute
_ENV.filters["q"] = lambda value: quote(str(value), safe="")
_ENV.globals["root"] = PATH

# Operations whose failure a page shows, by the part of the page that tried them.
Failure = tuple[str, str]  # (Cognito's error code, its message)


@dataclass
class View:
    context: Context
    request: Request
    session: Session
    form: FormData | None
    notices: list[str] = field(default_factory=list)

    def field(self, name: str) -> str:
        """A form field (passwords as typed, everything else stripped), or a query parameter on a GET."""
        source: Any = self.form if self.form is not None else self.request.query_params
        value = source.get(name)
        if not isinstance(value, str):
            return ""
        return value if "password" in name or name == "secret" else value.strip()

    def checked(self, name: str) -> bool:
        return self.field(name) in ("on", "true", "yes", "1")

    def path(self, name: str) -> str:
        return str(self.request.path_params[name])

    def call(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run one Cognito operation exactly as the API would (ServiceError with Cognito's message if refused)."""
        return calls.invoke(self.context, name, params)

    def show(self, template: str, *, status: int = 200, error: Failure | None = None, **values: Any) -> Response:
        html = _ENV.get_template(template).render(
            csrf=self.session.csrf(self.context),
            signed_in=session.locked(self.context.settings) and self.session.signed_in(self.context.settings),
            error=error,
            notices=self.notices,
            request=self.request,
            **values,
        )
        return HTMLResponse(html, status_code=status, headers=_HEADERS)

    def missing(self, refused: ServiceError) -> Response:
        """The page for what the path names and Cognito does not know (its error shown)."""
        return self.show("missing.html", status=404, error=failure(refused))

    def done(self, what: str, notice: str) -> None:
        """Show ``notice`` when the redirect that led here says ``done=<what>``."""
        if self.request.query_params.get("done") == what:
            self.notices.append(notice)

    def go(self, path: str, **query: str) -> Response:
        target = PATH + path + ("?" + urlencode(query) if query else "")
        return RedirectResponse(target, 303, headers={"Cache-Control": "no-store"})

    def confirm(self, action: str, question: str, fields: dict[str, str] | None = None) -> Response | None:
        """None once the visitor confirmed (the form carries ``confirmed=yes``); else the page asking them."""
        if self.field("confirmed") == "yes":
            return None
        return self.show("confirm.html", action=action, question=question, fields=fields or {})


def failure(error: ServiceError) -> Failure:
    return error.code, error.message or error.code


Page = Callable[[View], Response]


def _sign_in_redirect(request: Request) -> Response:
    wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = f"{PATH}/signin?" + urlencode({"next": wanted})
    return RedirectResponse(target, 303, headers={"Cache-Control": "no-store"})


def _refused(message: str, status: int = 403) -> Response:
    html = _ENV.get_template("refused.html").render(message=message, csrf="", signed_in=False, error=None, notices=[])
    return HTMLResponse(html, status_code=status, headers=_HEADERS)


def route(context: Context, path: str, get: Page | None, post: Page | None = None, *, public: bool = False) -> Route:
    """A console page: GET renders ``get``, POST (with a valid CSRF token) runs ``post``. Unless ``public``, a
    locked console answers a visitor without a signed-in session with a redirect to the sign-in page."""
    settings = context.settings

    async def hook(request: Request) -> Response | None:
        if public or not session.locked(settings):
            return None
        current = session.read(context, request)
        return None if current is not None and current.signed_in(settings) else _sign_in_redirect(request)

    async def endpoint(request: Request) -> Response:
        refusal = await hook(request)  # the gate asks only when the whole server is locked; the console may be alone
        if refusal is not None:
            return refusal
        form = await request.form() if request.method == "POST" else None

        def run() -> Response:
            current = session.read(context, request)
            fresh = current is None or (not session.locked(settings) and current.who == session.ANONYMOUS)
            if fresh:
                current = session.new(context, session.ANONYMOUS if session.locked(settings) else session.OPEN)
            assert current is not None
            if form is not None:
                if fresh or not session.csrf_valid(context, current, form.get(session.CSRF_FIELD)):
                    return _refused("This form's security token is missing or wrong: reload the page and try again.")
                handler = post
            else:
                handler = get
            if handler is None:
                return _refused("Not found.", 404)
            serving = calls.serving(context, request)
            response = handler(View(serving, request, current, form))
            if fresh:
                session.remember(context, request, response, current)
            return response

        return await run_in_threadpool(run)

    methods = [m for m, page in (("GET", get), ("POST", post)) if page is not None]
    return management_route(context, PATH + path, endpoint, methods=methods, session=hook)


_ASSETS = {"console.css": "text/css", "console.js": "text/javascript"}


def asset_route(context: Context) -> Route:
    """The console's own CSS and JavaScript, shipped in the package (nothing from a CDN)."""

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _ASSETS:
            return Response(status_code=404)
        body = resources.files("userpools.web.console").joinpath("static", name).read_bytes()
        return Response(body, media_type=_ASSETS[name], headers={"Cache-Control": "max-age=300"})

    async def anyone(request: Request) -> Response | None:
        return None

    return management_route(context, PATH + "/static/{name}", asset, methods=["GET"], session=anyone)
