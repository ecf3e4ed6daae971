"""/logout: end the domain's session, then go to ``logout_uri`` (one of the client's LogoutURLs), or with
``redirect_uri`` and ``response_type`` back to the login page to sign in again."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from userpools.steps.context import Context
from userpools.web.login import render
from userpools.web.oauth import authorize, saml, sessions
from userpools.web.oauth.site import Site, client_of


def logout(context: Context, site: Site, request: Request) -> Response:
    query = dict(request.query_params)
    client = client_of(context, site, query.get("client_id"))
    if client is None:
        return render.error_page(context, site, request, "The client_id is missing or unknown.")
    logout_uri = query.get("logout_uri")
    if logout_uri:
        if logout_uri not in (client.config.get("LogoutURLs") or []):
            return render.error_page(context, site, request, "The logout_uri is not one of the client's sign-out URLs.")
        response: Response = RedirectResponse(logout_uri, 302)
    else:
        try:
            authorize.parse(context, site, query)
        except (authorize.Invalid, authorize.Refused) as refused:
            return render.error_page(context, site, request, str(refused))
        response = RedirectResponse(site.url("/login", urlencode(query)), 302)
    single_logout = saml.logout_redirect(context, site, request, response.headers["location"])
    if single_logout is not None:  # through the SAML IdP's single logout first
        response = single_logout
    sessions.end(context, site, request, response)
    return response
