"""Group operations: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups and memberships."""

from __future__ import annotations

from typing import Any

from userpools.domain.errors import GroupExistsException, ResourceNotFoundException
from userpools.domain.groups import Group
from userpools.operations.registry import operation
from userpools.steps import pagination
from userpools.steps.common import load_pool, load_user
from userpools.steps.context import Context
from userpools.storage.errors import Conflict
from userpools.storage.unit import Tx


def _load_group(tx: Tx, pool_id: str, name: str) -> Group:
    group = tx.groups.get(pool_id, name)
    if group is None:
        raise ResourceNotFoundException("Group not found.")
    return group


@operation("CreateGroup")
def create_group(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    now = ctx.clock.now()
    group = Group(
        params["UserPoolId"],
        params["GroupName"],
        params.get("Description"),
        params.get("RoleArn"),
        params.get("Precedence"),
        now,
        now,
    )
    with ctx.store.transaction() as tx:
        load_pool(tx, params["UserPoolId"])
        if tx.groups.get(params["UserPoolId"], params["GroupName"]) is not None:
            raise GroupExistsException("A group with the name already exists.")
        tx.groups.insert(group)
    return {"Group": group.as_group_type()}


@operation("GetGroup")
def get_group(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        load_pool(tx, params["UserPoolId"])
        return {"Group": _load_group(tx, params["UserPoolId"], params["GroupName"]).as_group_type()}


@operation("UpdateGroup")
def update_group(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        load_pool(tx, params["UserPoolId"])
        group = _load_group(tx, params["UserPoolId"], params["GroupName"])
        group.modified = ctx.clock.now()
        if "Description" in params:
            group.description = params["Description"]
        if "RoleArn" in params:
            group.role_arn = params["RoleArn"]
        if "Precedence" in params:
            group.precedence = params["Precedence"]
        tx.groups.update(group)
    return {"Group": group.as_group_type()}


@operation("DeleteGroup")
def delete_group(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        load_pool(tx, params["UserPoolId"])
        _load_group(tx, params["UserPoolId"], params["GroupName"])
        tx.groups.delete(params["UserPoolId"], params["GroupName"])
    return {}


@operation("ListGroups")
def list_groups(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    page = pagination.request(ctx, params.get("NextToken"), params.get("Limit", 60))
    with ctx.store.transaction(write=False) as tx:
        load_pool(tx, params["UserPoolId"])
        rows = tx.groups.page(params["UserPoolId"], page.after, page.fetch)
    rows, token = pagination.split(ctx, page, rows, lambda g: g.name)
    return {"Groups": [g.as_group_type() for g in rows], "NextToken": token}


@operation("AdminAddUserToGroup")
def admin_add_user_to_group(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        _load_group(tx, pool.id, params["GroupName"])
        user = load_user(tx, pool, params["Username"])
        assert user.id is not None
        try:
            tx.groups.add_member(pool.id, params["GroupName"], user.id)
        except Conflict:  # the group was deleted since it was read (by a concurrent DeleteGroup)
            raise ResourceNotFoundException("Group not found.") from None
    return {}


@operation("AdminRemoveUserFromGroup")
def admin_remove_user_from_group(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        _load_group(tx, pool.id, params["GroupName"])
        user = load_user(tx, pool, params["Username"])
        assert user.id is not None
        tx.groups.remove_member(pool.id, params["GroupName"], user.id)
    return {}


@operation("AdminListGroupsForUser")
def admin_list_groups_for_user(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    page = pagination.request(ctx, params.get("NextToken"), params.get("Limit", 60))
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, params["Username"])
        assert user.id is not None
        rows = tx.groups.of_user(pool.id, user.id, page.after, page.fetch)
    rows, token = pagination.split(ctx, page, rows, lambda g: g.name)
    return {"Groups": [g.as_group_type() for g in rows], "NextToken": token}


@operation("ListUsersInGroup")
def list_users_in_group(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    page = pagination.request(ctx, params.get("NextToken"), params.get("Limit", 60))
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        _load_group(tx, pool.id, params["GroupName"])
        users = tx.groups.members(pool.id, params["GroupName"], page.after, page.fetch)
    users, token = pagination.split(ctx, page, users, lambda u: u.id)
    return {"Users": [u.as_user_type() for u in users], "NextToken": token}
