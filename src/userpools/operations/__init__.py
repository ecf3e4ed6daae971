"""Cognito operations, one module per group. Importing this package registers every handler."""

from userpools.operations import admin_attributes, admin_users, groups, listing, pools, tags
from userpools.operations.registry import COGNITO

__all__ = ["COGNITO", "admin_attributes", "admin_users", "groups", "listing", "pools", "tags"]
