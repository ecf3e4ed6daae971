"""Pools: the list (ListUserPools, a page at a time), CreateUserPool, and one pool's settings at a glance
(DescribeUserPool, GetUserPoolMfaConfig, ListUserPoolClients), DeleteUserPool."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from userpools.errors import ServiceError
from userpools.web.console.view import View, failure

_PAGE = 60


def index(view: View, error: Any = None, status: int = 200) -> Response:
    params: dict[str, Any] = {"MaxResults": _PAGE, "NextToken": view.request.query_params.get("next") or None}
    try:
        listed = view.call("ListUserPools", params)
    except ServiceError as refused:
        listed, error, status = {}, error or failure(refused), 400
    return view.show(
        "pools.html",
        status=status,
        error=error,
        pools=listed.get("UserPools", []),
        next=listed.get("NextToken"),
        form=view.form or {},
    )


def create(view: View) -> Response:
    params: dict[str, Any] = {"PoolName": view.field("name")}
    if view.checked("email_sign_in"):
        params["UsernameAttributes"] = ["email"]
    if view.checked("verify_email"):
        params["AutoVerifiedAttributes"] = ["email"]
    if view.field("min_length"):
        if not view.field("min_length").isdigit():
            return index(view, ("InvalidParameterException", "The minimum password length must be a number."), 400)
        params["Policies"] = {"PasswordPolicy": {"MinimumLength": int(view.field("min_length"))}}
    try:
        pool = view.call("CreateUserPool", params)["UserPool"]
    except ServiceError as refused:
        return index(view, failure(refused), 400)
    return view.go(f"/pools/{pool['Id']}", done="created")


def show(view: View, error: Any = None, status: int = 200) -> Response:
    pool_id = view.path("pool")
    try:
        pool = view.call("DescribeUserPool", {"UserPoolId": pool_id})["UserPool"]
        mfa = view.call("GetUserPoolMfaConfig", {"UserPoolId": pool_id})
        clients = view.call("ListUserPoolClients", {"UserPoolId": pool_id, "MaxResults": _PAGE})
    except ServiceError as refused:
        return view.missing(refused)
    view.done("created", f"Created the pool {pool['Name']}.")
    triggers = {k: v for k, v in (pool.get("LambdaConfig") or {}).items() if isinstance(v, str)}
    return view.show(
        "pool.html",
        status=status,
        pool_id=pool_id,
        error=error,
        pool=pool,
        mfa=mfa,
        triggers=triggers,
        clients=clients.get("UserPoolClients", []),
        more_clients=bool(clients.get("NextToken")),
    )


def delete(view: View) -> Response:
    pool_id = view.path("pool")
    asked = view.confirm(
        f"/pools/{pool_id}/delete", f"Delete the pool {pool_id}, with every user, client and group in it?"
    )
    if asked is not None:
        return asked
    try:
        view.call("DeleteUserPool", {"UserPoolId": pool_id})
    except ServiceError as refused:
        return show(view, failure(refused), 400)
    return view.go("/", done="deleted")
