"""Groups: the list (ListGroups), CreateGroup, one group's members (ListUsersInGroup, a page at a time),
DeleteGroup."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from userpools.errors import ServiceError
from userpools.web.console.view import View, failure


def index(view: View, error: Any = None, status: int = 200) -> Response:
    pool_id = view.path("pool")
    params = {"UserPoolId": pool_id, "Limit": 60, "NextToken": view.request.query_params.get("next") or None}
    try:
        listed = view.call("ListGroups", params)
    except ServiceError as refused:
        return view.missing(refused)
    view.done("deleted", "Deleted the group.")
    return view.show(
        "groups.html",
        status=status,
        error=error,
        pool_id=pool_id,
        groups=listed.get("Groups", []),
        next=listed.get("NextToken"),
        form=view.form or {},
    )


def create(view: View) -> Response:
    pool_id = view.path("pool")
    precedence = view.field("precedence")
    if precedence and not precedence.isdigit():
        return index(view, ("InvalidParameterException", "Precedence must be a whole number."), 400)
    params: dict[str, Any] = {
        "UserPoolId": pool_id,
        "GroupName": view.field("name"),
        "Description": view.field("description") or None,
        "Precedence": int(precedence) if precedence else None,
    }
    try:
        group = view.call("CreateGroup", params)["Group"]
    except ServiceError as refused:
        return index(view, failure(refused), 400)
    return view.go(f"/pools/{pool_id}/group", group=group["GroupName"])


def show(view: View, error: Any = None, status: int = 200) -> Response:
    pool_id, name = view.path("pool"), view.field("group")
    try:
        group = view.call("GetGroup", {"UserPoolId": pool_id, "GroupName": name})["Group"]
        members = view.call(
            "ListUsersInGroup",
            {"UserPoolId": pool_id, "GroupName": name, "Limit": 60, "NextToken": view.field("next") or None},
        )
    except ServiceError as refused:
        return view.missing(refused)
    return view.show(
        "group.html",
        status=status,
        error=error,
        pool_id=pool_id,
        group=group,
        members=members.get("Users", []),
        next=members.get("NextToken"),
    )


def delete(view: View) -> Response:
    pool_id, name = view.path("pool"), view.field("group")
    asked = view.confirm(
        f"/pools/{pool_id}/group/delete", f"Delete the group {name}? Its members stay in the pool.", {"group": name}
    )
    if asked is not None:
        return asked
    try:
        view.call("DeleteGroup", {"UserPoolId": pool_id, "GroupName": name})
    except ServiceError as refused:
        return show(view, failure(refused), 400)
    return view.go(f"/pools/{pool_id}/groups", done="deleted")
