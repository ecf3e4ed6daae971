"""Users: ListUsers with its filter on every searchable attribute and its own cursor pagination (one index
range scan a page), AdminCreateUser, and one user's page (AdminGetUser, AdminListGroupsForUser,
AdminListDevices) with its actions, each one Cognito operation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from userpools.domain.filters import FILTERABLE
from userpools.errors import ServiceError
from userpools.web.console.view import View, failure

_PAGE = 50
SEARCHABLE = sorted(FILTERABLE)
_DONE = {
    "created": "Created the user.",
    "enabled": "Enabled the user.",
    "disabled": "Disabled the user: they can no longer sign in.",
    "reset": "Reset the password: a code to choose a new one was sent.",
    "password": "Set the password.",
    "confirmed": "Confirmed the user's sign-up.",
    "signed_out": "Signed the user out everywhere: their refresh tokens are revoked.",
    "added": "Added the user to the group.",
    "removed": "Removed the user from the group.",
}


def filter_text(attribute: str, operator: str, value: str) -> str | None:
    """ListUsers' Filter for the search form, or None for no search."""
    if not value:
        return None
    escaped = value.replace('"', '\\"')
    return f'{attribute} {"^=" if operator == "^=" else "="} "{escaped}"'


def index(view: View, error: Any = None, status: int = 200) -> Response:
    pool_id = view.path("pool")
    query = view.request.query_params
    search = {
        "attribute": query.get("attribute") or "email",
        "op": query.get("op") or "^=",
        "value": query.get("value", ""),
    }
    params: dict[str, Any] = {
        "UserPoolId": pool_id,
        "Limit": _PAGE,
        "Filter": filter_text(search["attribute"], search["op"], search["value"].strip()),
        "PaginationToken": query.get("page") or None,
    }
    users: list[dict[str, Any]] = []
    token = None
    try:
        listed = view.call("ListUsers", params)
        users, token = listed.get("Users", []), listed.get("PaginationToken")
    except ServiceError as refused:
        if refused.code == "ResourceNotFoundException":
            return view.missing(refused)
        error, status = error or failure(refused), 400
    if query.get("done") == "deleted":
        view.notices.append("Deleted the user.")
    return view.show(
        "users.html",
        status=status,
        error=error,
        pool_id=pool_id,
        users=users,
        next=token,
        search=search,
        searchable=SEARCHABLE,
        form=view.form or {},
    )


def create(view: View) -> Response:
    pool_id = view.path("pool")
    attributes = [{"Name": name, "Value": view.field(name)} for name in ("email", "phone_number") if view.field(name)]
    if view.checked("email_verified"):
        attributes.append({"Name": "email_verified", "Value": "true"})
    mediums = [m for m in ("EMAIL", "SMS") if view.checked(f"deliver_{m.lower()}")]
    params: dict[str, Any] = {
        "UserPoolId": pool_id,
        "Username": view.field("username"),
        "UserAttributes": attributes,
        "TemporaryPassword": view.field("temporary_password") or None,
        "DesiredDeliveryMediums": mediums or None,
        "MessageAction": "SUPPRESS" if view.checked("suppress") else None,
    }
    try:
        created = view.call("AdminCreateUser", params)["User"]
    except ServiceError as refused:
        return index(view, failure(refused), 400)
    return view.go(f"/pools/{pool_id}/user", username=created["Username"], done="created")


def show(view: View, error: Any = None, status: int = 200) -> Response:
    pool_id, username = view.path("pool"), view.field("username")
    key = {"UserPoolId": pool_id, "Username": username}
    try:
        user = view.call("AdminGetUser", key)
        groups = view.call("AdminListGroupsForUser", {**key, "Limit": 60}).get("Groups", [])
        devices = view.call("AdminListDevices", {**key, "Limit": 60}).get("Devices", [])
        pool_groups = view.call("ListGroups", {"UserPoolId": pool_id, "Limit": 60}).get("Groups", [])
    except ServiceError as refused:
        return view.missing(refused)
    try:  # recorded only where threat protection is on (AdvancedSecurityMode AUDIT or ENFORCED)
        events: list[dict[str, Any]] | None = view.call("AdminListUserAuthEvents", {**key, "MaxResults": 10}).get(
            "AuthEvents", []
        )
    except ServiceError:
        events = None
    done = view.request.query_params.get("done", "")
    if done in _DONE:
        view.notices.append(_DONE[done])
    own = {g["GroupName"] for g in groups}
    return view.show(
        "user.html",
        status=status,
        error=error,
        pool_id=pool_id,
        user=user,
        groups=groups,
        devices=devices,
        events=events,
        other_groups=[g for g in pool_groups if g["GroupName"] not in own],
    )


# action -> (operation, extra parameters from the form, confirmation question or None, notice key)
Extra = Callable[[View], dict[str, Any]]
_ACTIONS: dict[str, tuple[str, Extra, str | None, str]] = {
    "enable": ("AdminEnableUser", lambda v: {}, None, "enabled"),
    "disable": ("AdminDisableUser", lambda v: {}, "Disable {user}? They will not be able to sign in.", "disabled"),
    "reset-password": (
        "AdminResetUserPassword",
        lambda v: {},
        "Reset the password of {user}? Their password stops working and a code is sent to them.",
        "reset",
    ),
    "set-password": (
        "AdminSetUserPassword",
        lambda v: {"Password": v.field("password"), "Permanent": v.checked("permanent")},
        None,
        "password",
    ),
    "confirm": ("AdminConfirmSignUp", lambda v: {}, None, "confirmed"),
    "sign-out": (
        "AdminUserGlobalSignOut",
        lambda v: {},
        "Sign {user} out everywhere? Every refresh token they hold is revoked.",
        "signed_out",
    ),
    "add-group": ("AdminAddUserToGroup", lambda v: {"GroupName": v.field("group")}, None, "added"),
    "remove-group": (
        "AdminRemoveUserFromGroup",
        lambda v: {"GroupName": v.field("group")},
        "Remove {user} from the group {group}?",
        "removed",
    ),
}


def act(view: View) -> Response:
    pool_id, username, action = view.path("pool"), view.field("username"), view.path("action")
    here = f"/pools/{pool_id}/user"
    key = {"UserPoolId": pool_id, "Username": username}
    if action == "delete":
        asked = view.confirm(
            f"{here}/delete", f"Delete the user {username}? This cannot be undone.", {"username": username}
        )
        if asked is not None:
            return asked
        try:
            view.call("AdminDeleteUser", key)
        except ServiceError as refused:
            return show(view, failure(refused), 400)
        return view.go(f"/pools/{pool_id}/users", done="deleted")
    if action not in _ACTIONS:
        return show(view, ("InvalidParameterException", f"Unknown action {action}."), 404)
    operation, extra, question, done = _ACTIONS[action]
    if question is not None:
        text = question.format(user=username, group=view.field("group"))
        asked = view.confirm(f"{here}/{action}", text, {"username": username, "group": view.field("group")})
        if asked is not None:
            return asked
    try:
        view.call(operation, {**key, **extra(view)})
    except ServiceError as refused:
        return show(view, failure(refused), 400)
    return view.go(here, username=username, done=done)
