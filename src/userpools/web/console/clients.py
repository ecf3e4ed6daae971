"""App clients: the list (ListUserPoolClients), CreateUserPoolClient (its secret shown once, on the answer
to the form, never again), one client (DescribeUserPoolClient, secret hidden), DeleteUserPoolClient."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from userpools.errors import ServiceError
from userpools.web.console.view import View, failure

FLOWS = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_AUTH",
]
OAUTH_FLOWS = ["code", "implicit", "client_credentials"]


def index(view: View, error: Any = None, status: int = 200) -> Response:
    pool_id = view.path("pool")
    params = {"UserPoolId": pool_id, "MaxResults": 60, "NextToken": view.request.query_params.get("next") or None}
    try:
        listed = view.call("ListUserPoolClients", params)
    except ServiceError as refused:
        return view.missing(refused)
    view.done("deleted", "Deleted the app client.")
    return view.show(
        "clients.html",
        status=status,
        error=error,
        pool_id=pool_id,
        clients=listed.get("UserPoolClients", []),
        next=listed.get("NextToken"),
        flows=FLOWS,
        oauth_flows=OAUTH_FLOWS,
        form=view.form or {},
        chosen=set(view.form.getlist("flows"))
        if view.form is not None
        else {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
    )


def _lines(text: str) -> list[str] | None:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines or None


def create(view: View) -> Response:
    pool_id = view.path("pool")
    assert view.form is not None
    oauth = [f for f in view.form.getlist("oauth_flows") if isinstance(f, str)]
    params: dict[str, Any] = {
        "UserPoolId": pool_id,
        "ClientName": view.field("name"),
        "GenerateSecret": view.checked("secret"),
        "ExplicitAuthFlows": [f for f in view.form.getlist("flows") if isinstance(f, str)] or None,
        "CallbackURLs": _lines(view.field("callbacks")),
        "LogoutURLs": _lines(view.field("logouts")),
        "AllowedOAuthFlows": oauth or None,
        "AllowedOAuthScopes": view.field("scopes").split() or None,
        "AllowedOAuthFlowsUserPoolClient": True if oauth else None,
        "SupportedIdentityProviders": ["COGNITO"] if oauth else None,
    }
    try:
        client = view.call("CreateUserPoolClient", params)["UserPoolClient"]
    except ServiceError as refused:
        return index(view, failure(refused), 400)
    view.notices.append(
        "Created the app client."
        + (" Copy its secret now: it is not shown again." if client.get("ClientSecret") else "")
    )
    return view.show("client.html", pool_id=pool_id, client=client, secret=client.get("ClientSecret"))


def show(view: View, error: Any = None, status: int = 200) -> Response:
    pool_id = view.path("pool")
    try:
        client = view.call("DescribeUserPoolClient", {"UserPoolId": pool_id, "ClientId": view.path("client")})
    except ServiceError as refused:
        return view.missing(refused)
    client = client["UserPoolClient"]
    has_secret = bool(client.pop("ClientSecret", None))
    return view.show(
        "client.html", status=status, error=error, pool_id=pool_id, client=client, secret=None, has_secret=has_secret
    )


def delete(view: View) -> Response:
    pool_id, client_id = view.path("pool"), view.path("client")
    asked = view.confirm(
        f"/pools/{pool_id}/clients/{client_id}/delete",
        f"Delete the app client {client_id}? Applications using it can no longer sign users in.",
    )
    if asked is not None:
        return asked
    try:
        view.call("DeleteUserPoolClient", {"UserPoolId": pool_id, "ClientId": client_id})
    except ServiceError as refused:
        return show(view, failure(refused), 400)
    return view.go(f"/pools/{pool_id}/clients", done="deleted")
