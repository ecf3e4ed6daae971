"""Jinja2 pages shipped in the package (templates/), with the pool's or client's UI customization CSS and
logo applied (SetUICustomization), in the language ``lang`` asks for."""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from userpools.operations.branding import logo_url, ui_customization
from userpools.steps.context import Context
from userpools.web.login import texts

_ENV = Environment(loader=PackageLoader("userpools.web.login", "templates"), autoescape=select_autoescape(["html"]))


_HEX = re.compile(r"^[0-9a-fA-F]{6}(?:[0-9a-fA-F]{2})?$")
# Managed login branding settings (version 2) the pages can show: setting path -> CSS rule.
_BRANDING = (
    (("components", "primaryButton", "lightMode", "defaults", "backgroundColor"), ".submitButton-customizable"),
    (("components", "pageBackground", "lightMode", "color"), "body"),
    (("components", "form", "lightMode", "backgroundColor"), "main"),
)


def _branding_css(settings: dict[str, Any] | None) -> str:
    """The branding colours (RRGGBBAA hex) as CSS, for what the pages have."""
    rules = []
    for path, selector in _BRANDING:
        value: Any = settings or {}
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str) and _HEX.fullmatch(value):
            rules.append(f"{selector} {{ background-color: #{value}; }}")
    return "\n".join(rules)


def _look(context: Context, pool_id: str, client_id: str | None) -> tuple[str, str | None]:
    """CSS from the client's managed login branding, then from UI customization, and the logo's URL."""
    with context.store.transaction(write=False) as tx:
        record = ui_customization(tx, pool_id, client_id)
        branding = tx.branding.branding_of_client(pool_id, client_id) if client_id else None
    css = _branding_css(branding.settings) if branding and not branding.use_cognito else ""
    if record is None:
        return css, None
    css += "\n" + (record.css or "").replace("</", "<\\/")  # never closes the <style> element
    return css, logo_url(context, pool_id, record.client_id) if record.image else None


def page(
    context: Context,
    site: Any,
    request: Request,
    template: str,
    *,
    status: int = 200,
    client_id: str | None = None,
    **values: Any,
) -> HTMLResponse:
    lang = texts.language(request.query_params.get("lang"))
    css, logo = _look(context, site.pool.id, client_id) if site is not None else ("", None)
    html = _ENV.get_template(template).render(
        lang=lang, t=texts.words(lang), custom_css=css, logo=logo, base=site.base if site else "", **values
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"})


def error_page(context: Context, site: Any, request: Request, message: str, status: int = 400) -> HTMLResponse:
    return page(context, site, request, "message.html", status=status, title_key="error_title", message=message)


def not_found() -> HTMLResponse:
    return HTMLResponse("<!doctype html><title>Not found</title><p>This domain does not exist.</p>", status_code=404)
