"""Cognito operations, one module per group. Importing this package registers every handler."""

from userpools.operations import admin_attributes, admin_users, groups, listing, pools, tags
from userpools.operations.registry import COGNITO, QUICK_READS

__all__ = ["COGNITO", "QUICK_READS", "admin_attributes", "admin_users", "groups", "listing", "pools", "tags"]
