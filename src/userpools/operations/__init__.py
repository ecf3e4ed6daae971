"""Cognito operations, one module per group. Importing this package registers every handler."""

from userpools.operations import (
    account,
    admin_attributes,
    admin_users,
    auth,
    branding,
    clients,
    domains,
    groups,
    listing,
    pools,
    resource_servers,
    self_service,
    tags,
    tokens,
)
from userpools.operations.registry import COGNITO, QUICK_READS, QUICK_WRITES, NeedsThread

__all__ = [
    "COGNITO",
    "QUICK_READS",
    "QUICK_WRITES",
    "NeedsThread",
    "account",
    "admin_attributes",
    "admin_users",
    "auth",
    "branding",
    "clients",
    "domains",
    "groups",
    "listing",
    "pools",
    "resource_servers",
    "self_service",
    "tags",
    "tokens",
]
