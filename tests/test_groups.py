"""Groups and memberships through boto3."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of


def test_group_lifecycle(cognito: Any, pool: str) -> None:
    created = cognito.create_group(
        UserPoolId=pool,
        GroupName="admins",
        Description="d",
        Precedence=1,
        RoleArn="arn:aws:iam::000000000000:role/admins",
    )["Group"]
    assert created["GroupName"] == "admins" and created["Precedence"] == 1
    with pytest.raises(ClientError) as excinfo:
        cognito.create_group(UserPoolId=pool, GroupName="admins")
    assert error_of(excinfo) == ("GroupExistsException", "A group with the name already exists.")
    updated = cognito.update_group(UserPoolId=pool, GroupName="admins", Description="new")["Group"]
    assert updated["Description"] == "new" and updated["Precedence"] == 1
    assert cognito.get_group(UserPoolId=pool, GroupName="admins")["Group"]["Description"] == "new"
    cognito.delete_group(UserPoolId=pool, GroupName="admins")
    with pytest.raises(ClientError) as excinfo:
        cognito.get_group(UserPoolId=pool, GroupName="admins")
    assert error_of(excinfo) == ("ResourceNotFoundException", "Group not found.")


def test_list_groups_paginates(cognito: Any, pool: str) -> None:
    for name in ("c", "a", "b"):
        cognito.create_group(UserPoolId=pool, GroupName=name)
    first = cognito.list_groups(UserPoolId=pool, Limit=2)
    rest = cognito.list_groups(UserPoolId=pool, Limit=2, NextToken=first["NextToken"])
    assert [g["GroupName"] for g in first["Groups"] + rest["Groups"]] == ["a", "b", "c"]
    assert "NextToken" not in rest


def test_memberships(cognito: Any, pool: str) -> None:
    cognito.create_group(UserPoolId=pool, GroupName="g1")
    cognito.create_group(UserPoolId=pool, GroupName="g2")
    for name in ("u1", "u2"):
        cognito.admin_create_user(UserPoolId=pool, Username=name, MessageAction="SUPPRESS")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="u1", GroupName="g1")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="u1", GroupName="g1")  # idempotent
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="u1", GroupName="g2")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="u2", GroupName="g1")
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool, Username="u1")["Groups"]
    assert [g["GroupName"] for g in groups] == ["g1", "g2"]
    members = cognito.list_users_in_group(UserPoolId=pool, GroupName="g1")["Users"]
    assert sorted(u["Username"] for u in members) == ["u1", "u2"]
    cognito.admin_remove_user_from_group(UserPoolId=pool, Username="u1", GroupName="g1")
    members = cognito.list_users_in_group(UserPoolId=pool, GroupName="g1")["Users"]
    assert [u["Username"] for u in members] == ["u2"]
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_add_user_to_group(UserPoolId=pool, Username="ghost", GroupName="g1")
    assert error_of(excinfo)[0] == "UserNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_add_user_to_group(UserPoolId=pool, Username="u1", GroupName="nope")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_deleting_user_drops_memberships(cognito: Any, pool: str) -> None:
    cognito.create_group(UserPoolId=pool, GroupName="g")
    cognito.admin_create_user(UserPoolId=pool, Username="tmp", MessageAction="SUPPRESS")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="tmp", GroupName="g")
    cognito.admin_delete_user(UserPoolId=pool, Username="tmp")
    assert cognito.list_users_in_group(UserPoolId=pool, GroupName="g")["Users"] == []
