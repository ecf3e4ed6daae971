"""Group operations: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups and memberships."""

from __future__ import annotations

from typing import Any

from userpools.domain.errors import GroupExistsException, ResourceNotFoundException
from userpools.operations import pagination
from userpools.operations.common import load_pool, load_user
from userpools.operations.context import Context
from userpools.operations.registry import operation
from userpools.storage.errors import Conflict
from userpools.storage.unit import Tx


def _group_type(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "GroupName": row["name"],
        "UserPoolId": row["pool_id"],
        "Description": row["description"],
        "RoleArn": row["role_arn"],
        "Precedence": row["precedence"],
        "LastModifiedDate": row["modified"],
        "CreationDate": row["created"],
    }


def _load_group(tx: Tx, pool_id: str, name: str) -> dict[str, Any]:
    group = tx.groups.get(pool_id, name)
    if group is None:
        raise ResourceNotFoundException("Group not found.")
    return group


@operation("CreateGroup")
def create_group(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    now = ctx.clock.now()
    row = {
        "pool_id": params["UserPoolId"],
        "name": params["GroupName"],
        "description": params.get("Description"),
        "role_arn": params.get("RoleArn"),
        "precedence": params.get("Precedence"),
        "created": now,
        "modified": now,
    }
    with ctx.store.transaction() as tx:
        load_pool(tx, params["UserPoolId"])
        if tx.groups.get(params["UserPoolId"], params["GroupName"]) is not None:
            raise GroupExistsException("A group with the name already exists.")
        tx.groups.insert(row)
    return {"Group": _group_type(row)}


@operation("GetGroup")
def get_group(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        load_pool(tx, params["UserPoolId"])
        return {"Group": _group_type(_load_group(tx, params["UserPoolId"], params["GroupName"]))}


@operation("UpdateGroup")
def update_group(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        load_pool(tx, params["UserPoolId"])
        group = _load_group(tx, params["UserPoolId"], params["GroupName"])
        changes = {"modified": ctx.clock.now()}
        for key, column in (("Description", "description"), ("RoleArn", "role_arn"), ("Precedence", "precedence")):
            if key in params:
                changes[column] = params[key]
        tx.groups.update(params["UserPoolId"], params["GroupName"], changes)
        group.update(changes)
    return {"Group": _group_type(group)}


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
    rows, token = pagination.split(ctx, page, rows, lambda r: r["name"])
    return {"Groups": [_group_type(r) for r in rows], "NextToken": token}


@operation("AdminAddUserToGroup")
def admin_add_user_to_group(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        _load_group(tx, pool.id, params["GroupName"])
        user = load_user(tx, pool, params["Username"])
        assert user.id is not None
        try:
            tx.groups.add_member(pool.id, params["GroupName"], user.id)
        except Conflict:  # the group was deleted since it was read (on PostgreSQL, by a concurrent DeleteGroup)
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
    rows, token = pagination.split(ctx, page, rows, lambda r: r["name"])
    return {"Groups": [_group_type(r) for r in rows], "NextToken": token}


@operation("ListUsersInGroup")
def list_users_in_group(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    page = pagination.request(ctx, params.get("NextToken"), params.get("Limit", 60))
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        _load_group(tx, pool.id, params["GroupName"])
        users = tx.groups.members(pool.id, params["GroupName"], page.after, page.fetch)
    users, token = pagination.split(ctx, page, users, lambda u: u.id)
    return {"Users": [u.as_user_type() for u in users], "NextToken": token}
