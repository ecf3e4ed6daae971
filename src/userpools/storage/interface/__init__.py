"""The storage seam: per aggregate, the narrow Protocol the operations need, and the unit of work that holds
them. Code outside storage/ reaches the database only through these (``storage.unit.Tx`` implements them for
SQLite and PostgreSQL; mypy checks that it does), and gets typed records back, never rows.

Each Protocol declares only what is called from outside storage/ (plus the two calls engine.Batch makes), so
that a second implementation, or a reader, knows exactly what the rest of the server relies on.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from userpools.storage.interface.federation import CIMDDocuments, CIMDPolicies, IdentityProviders
from userpools.storage.interface.jobs import ImportJobs, Outbox, ResourceRequests
from userpools.storage.interface.pools import (
    Branding,
    Clients,
    ClientSecrets,
    Domains,
    LogDelivery,
    Pools,
    ProvisionedLimits,
    Replicas,
    ResourceServers,
    RiskConfigs,
    SessionConfigs,
    Terms,
)
from userpools.storage.interface.sign_in import (
    AuthEvents,
    AuthSessions,
    Codes,
    Devices,
    Failures,
    Keys,
    OAuth,
    RefreshRotations,
    RefreshTokens,
    UserSessions,
    WebAuthn,
)
from userpools.storage.interface.users import BulkUsers, Groups, History, Recoveries, Users

__all__ = [
    "AuthEvents",
    "AuthSessions",
    "Branding",
    "BulkUsers",
    "CIMDDocuments",
    "CIMDPolicies",
    "ClientSecrets",
    "Clients",
    "Codes",
    "Devices",
    "Domains",
    "Failures",
    "Groups",
    "History",
    "IdentityProviders",
    "ImportJobs",
    "Keys",
    "LogDelivery",
    "OAuth",
    "Outbox",
    "Pools",
    "ProvisionedLimits",
    "Recoveries",
    "RefreshRotations",
    "RefreshTokens",
    "Replicas",
    "ResourceRequests",
    "ResourceServers",
    "RiskConfigs",
    "SessionConfigs",
    "Terms",
    "UnitOfWork",
    "UserSessions",
    "Users",
    "WebAuthn",
]


class UnitOfWork(Protocol):
    """One transaction's repositories (``Store.transaction()`` opens one): what is written through them is
    committed together when the unit of work ends, or rolled back together if it raises.

    A write that breaks a uniqueness or reference rule the database enforces raises
    :class:`~userpools.storage.errors.Conflict` (its ``kind`` saying which rule) when the unit of work ends,
    or, inside :meth:`attempt`, when that block does; the repositories that check for themselves raise it from
    the call, as their docstrings say."""

    @property
    def write(self) -> bool:
        """Whether the unit of work writes (``Store.transaction(write=...)``)."""

    def attempt(self) -> AbstractContextManager[None]:
        """Writes that may break a rule the database enforces: if they do, only they are undone and Conflict
        is raised; the unit of work goes on."""

    # --- users and groups: interface/users.py ---------------------------------------------------------
    @property
    def users(self) -> Users: ...

    @property
    def groups(self) -> Groups: ...

    @property
    def bulk_users(self) -> BulkUsers: ...

    @property
    def history(self) -> History: ...

    @property
    def recoveries(self) -> Recoveries: ...

    # --- pools and their configuration: interface/pools.py --------------------------------------------
    @property
    def pools(self) -> Pools: ...

    @property
    def clients(self) -> Clients: ...

    @property
    def client_secrets(self) -> ClientSecrets: ...

    @property
    def domains(self) -> Domains: ...

    @property
    def resource_servers(self) -> ResourceServers: ...

    @property
    def branding(self) -> Branding: ...

    @property
    def terms(self) -> Terms: ...

    @property
    def replicas(self) -> Replicas: ...

    @property
    def provisioned_limits(self) -> ProvisionedLimits: ...

    @property
    def log_delivery(self) -> LogDelivery: ...

    @property
    def risk_configs(self) -> RiskConfigs: ...

    @property
    def session_configs(self) -> SessionConfigs: ...

    # --- sign-in: interface/sign_in.py ----------------------------------------------------------------
    @property
    def codes(self) -> Codes: ...

    @property
    def auth_sessions(self) -> AuthSessions: ...

    @property
    def refresh_tokens(self) -> RefreshTokens: ...

    @property
    def refresh_rotations(self) -> RefreshRotations: ...

    @property
    def failures(self) -> Failures: ...

    @property
    def keys(self) -> Keys: ...

    @property
    def devices(self) -> Devices: ...

    @property
    def webauthn(self) -> WebAuthn: ...

    @property
    def user_sessions(self) -> UserSessions: ...

    @property
    def oauth(self) -> OAuth: ...

    @property
    def auth_events(self) -> AuthEvents: ...

    # --- federation: interface/federation.py ----------------------------------------------------------
    @property
    def identity_providers(self) -> IdentityProviders: ...

    @property
    def cimd_policies(self) -> CIMDPolicies: ...

    @property
    def cimd_documents(self) -> CIMDDocuments: ...

    # --- beside the requests: interface/jobs.py -------------------------------------------------------
    @property
    def outbox(self) -> Outbox: ...

    @property
    def resource_requests(self) -> ResourceRequests: ...

    @property
    def import_jobs(self) -> ImportJobs: ...
