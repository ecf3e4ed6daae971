"""The tables, one module per aggregate; every table (and ``metadata``) is importable from here.

Uniqueness rules (usernames, subs, aliases, group names) are constraints in the tables, so concurrent requests
cannot break them."""

from __future__ import annotations

from userpools.storage.schema.cloudcontrol import resource_requests
from userpools.storage.schema.delivery import outbox
from userpools.storage.schema.federation import (
    federation_states,
    identity_providers,
    idp_identifiers,
    provider_links,
    saml_certificates,
)
from userpools.storage.schema.history import (
    history_groups,
    history_members,
    history_users,
    pool_recoveries,
    pool_replicas,
)
from userpools.storage.schema.oauth import (
    authorization_codes,
    cimd_documents,
    cimd_policies,
    domains,
    login_brandings,
    login_sessions,
    oauth_grants,
    resource_servers,
    terms,
    ui_customizations,
)
from userpools.storage.schema.operations import (
    auth_events,
    import_chunks,
    import_failures,
    import_jobs,
    log_delivery,
    provisioned_limits,
    risk_configs,
)
from userpools.storage.schema.sessions import client_session_configs, session_configs, session_tokens, user_sessions
from userpools.storage.schema.sign_in import (
    auth_sessions,
    client_secrets,
    clients,
    devices,
    refresh_rotations,
    refresh_tokens,
    server_secrets,
    sign_in_failures,
    signing_keys,
    webauthn_credentials,
)
from userpools.storage.schema.types import RowId, SortedText, Timestamp, metadata
from userpools.storage.schema.users import (
    aliases,
    codes,
    groups,
    memberships,
    pool_user_counts,
    pools,
    user_index,
    users,
)

__all__ = [
    "RowId",
    "SortedText",
    "Timestamp",
    "aliases",
    "auth_events",
    "auth_sessions",
    "authorization_codes",
    "cimd_documents",
    "cimd_policies",
    "client_secrets",
    "client_session_configs",
    "clients",
    "codes",
    "devices",
    "domains",
    "federation_states",
    "groups",
    "history_groups",
    "history_members",
    "history_users",
    "identity_providers",
    "idp_identifiers",
    "import_chunks",
    "import_failures",
    "import_jobs",
    "log_delivery",
    "login_brandings",
    "login_sessions",
    "memberships",
    "metadata",
    "oauth_grants",
    "outbox",
    "pool_recoveries",
    "pool_replicas",
    "pool_user_counts",
    "pools",
    "provider_links",
    "provisioned_limits",
    "refresh_rotations",
    "refresh_tokens",
    "resource_requests",
    "resource_servers",
    "risk_configs",
    "saml_certificates",
    "server_secrets",
    "session_configs",
    "session_tokens",
    "sign_in_failures",
    "signing_keys",
    "terms",
    "ui_customizations",
    "user_index",
    "user_sessions",
    "users",
    "webauthn_credentials",
]
