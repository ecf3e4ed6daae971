"""Cognito operations, one module per group. Importing this package registers every handler."""

from userpools.operations import (
    account,
    admin_attributes,
    admin_users,
    auth,
    client_secrets,
    clients,
    groups,
    listing,
    log_delivery,
    pools,
    quotas,
    self_service,
    tags,
    tokens,
    user_import,
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
    "client_secrets",
    "clients",
    "groups",
    "listing",
    "log_delivery",
    "pools",
    "quotas",
    "self_service",
    "tags",
    "tokens",
    "user_import",
]
