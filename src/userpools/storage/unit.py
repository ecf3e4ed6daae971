"""One transaction's view of the database: a repository per concept, sharing one connection.

Each repository is typed by its Protocol in storage/interface/, so mypy checks at every ``return`` below that
the SQL repository provides what the Protocol promises, and callers reach only what it declares."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from userpools.storage.auth_events import AuthEventRepository, RiskConfigRepository
from userpools.storage.branding import BrandingRepository
from userpools.storage.cimd import CIMDDocumentRepository, CIMDPolicyRepository
from userpools.storage.client_secrets import ClientSecretRepository
from userpools.storage.clients import ClientRepository
from userpools.storage.codes import CodeRepository
from userpools.storage.devices import DeviceRepository
from userpools.storage.domains import DomainRepository
from userpools.storage.groups import GroupRepository
from userpools.storage.identity_providers import IdentityProviderRepository
from userpools.storage.interface import (
    AuthEvents,
    AuthSessions,
    Branding,
    BulkUsers,
    CIMDDocuments,
    CIMDPolicies,
    Clients,
    ClientSecrets,
    Codes,
    Devices,
    Domains,
    Failures,
    Groups,
    History,
    IdentityProviders,
    ImportJobs,
    Keys,
    LogDelivery,
    OAuth,
    Outbox,
    Pools,
    ProvisionedLimits,
    Recoveries,
    RefreshRotations,
    RefreshTokens,
    Replicas,
    ResourceRequests,
    ResourceServers,
    RiskConfigs,
    SessionConfigs,
    Terms,
    UnitOfWork,
    Users,
    UserSessions,
    WebAuthn,
)
from userpools.storage.keys import KeyRepository
from userpools.storage.log_delivery import LogDeliveryRepository
from userpools.storage.oauth import OAuthRepository
from userpools.storage.outbox import OutboxRepository
from userpools.storage.pools import PoolRepository
from userpools.storage.provisioned_limits import ProvisionedLimitRepository
from userpools.storage.recoveries import HistoryRepository, RecoveryRepository
from userpools.storage.refresh_rotations import RefreshRotationRepository
from userpools.storage.replicas import ReplicaRepository
from userpools.storage.resource_requests import ResourceRequestRepository
from userpools.storage.resource_servers import ResourceServerRepository
from userpools.storage.sessions import AuthSessionRepository, FailureRepository, RefreshTokenRepository
from userpools.storage.statements import Session
from userpools.storage.terms import TermsRepository
from userpools.storage.user_import import BulkUserRepository, ImportJobRepository
from userpools.storage.user_sessions import SessionConfigRepository, UserSessionRepository
from userpools.storage.users import UserRepository
from userpools.storage.webauthn import WebAuthnRepository


class Tx(Session):
    """The SQL unit of work (storage.interface.UnitOfWork): repositories made on first use, one per
    transaction."""

    @cached_property
    def pools(self) -> Pools:
        return PoolRepository(self)

    @cached_property
    def users(self) -> Users:
        return UserRepository(self)

    @cached_property
    def groups(self) -> Groups:
        return GroupRepository(self)

    @cached_property
    def outbox(self) -> Outbox:
        return OutboxRepository(self)

    @cached_property
    def codes(self) -> Codes:
        return CodeRepository(self)

    @cached_property
    def clients(self) -> Clients:
        return ClientRepository(self)

    @cached_property
    def keys(self) -> Keys:
        return KeyRepository(self)

    @cached_property
    def auth_sessions(self) -> AuthSessions:
        return AuthSessionRepository(self)

    @cached_property
    def refresh_tokens(self) -> RefreshTokens:
        return RefreshTokenRepository(self)

    @cached_property
    def failures(self) -> Failures:
        return FailureRepository(self)

    @cached_property
    def resource_requests(self) -> ResourceRequests:
        return ResourceRequestRepository(self)

    @cached_property
    def client_secrets(self) -> ClientSecrets:
        return ClientSecretRepository(self)

    @cached_property
    def refresh_rotations(self) -> RefreshRotations:
        return RefreshRotationRepository(self)

    @cached_property
    def log_delivery(self) -> LogDelivery:
        return LogDeliveryRepository(self)

    @cached_property
    def provisioned_limits(self) -> ProvisionedLimits:
        return ProvisionedLimitRepository(self)

    @cached_property
    def devices(self) -> Devices:
        return DeviceRepository(self)

    @cached_property
    def domains(self) -> Domains:
        return DomainRepository(self)

    @cached_property
    def resource_servers(self) -> ResourceServers:
        return ResourceServerRepository(self)

    @cached_property
    def branding(self) -> Branding:
        return BrandingRepository(self)

    @cached_property
    def oauth(self) -> OAuth:
        return OAuthRepository(self)

    @cached_property
    def session_configs(self) -> SessionConfigs:
        return SessionConfigRepository(self)

    @cached_property
    def user_sessions(self) -> UserSessions:
        return UserSessionRepository(self)

    @cached_property
    def import_jobs(self) -> ImportJobs:
        return ImportJobRepository(self)

    @cached_property
    def bulk_users(self) -> BulkUsers:
        return BulkUserRepository(self)

    @cached_property
    def auth_events(self) -> AuthEvents:
        return AuthEventRepository(self)

    @cached_property
    def risk_configs(self) -> RiskConfigs:
        return RiskConfigRepository(self)

    @cached_property
    def identity_providers(self) -> IdentityProviders:
        return IdentityProviderRepository(self)

    @cached_property
    def terms(self) -> Terms:
        return TermsRepository(self)

    @cached_property
    def cimd_policies(self) -> CIMDPolicies:
        return CIMDPolicyRepository(self)

    @cached_property
    def cimd_documents(self) -> CIMDDocuments:
        return CIMDDocumentRepository(self)

    @cached_property
    def webauthn(self) -> WebAuthn:
        return WebAuthnRepository(self)

    @cached_property
    def history(self) -> History:
        return HistoryRepository(self)

    @cached_property
    def recoveries(self) -> Recoveries:
        return RecoveryRepository(self)

    @cached_property
    def replicas(self) -> Replicas:
        return ReplicaRepository(self)


if TYPE_CHECKING:

    def _a_unit_of_work(tx: Tx) -> UnitOfWork:
        """Never called: mypy checks here that Tx provides every member of UnitOfWork."""
        return tx
