"""One transaction's view of the database: a repository per concept, sharing one connection."""

from __future__ import annotations

from functools import cached_property

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
    @cached_property
    def pools(self) -> PoolRepository:
        return PoolRepository(self)

    @cached_property
    def users(self) -> UserRepository:
        return UserRepository(self)

    @cached_property
    def groups(self) -> GroupRepository:
        return GroupRepository(self)

    @cached_property
    def outbox(self) -> OutboxRepository:
        return OutboxRepository(self)

    @cached_property
    def codes(self) -> CodeRepository:
        return CodeRepository(self)

    @cached_property
    def clients(self) -> ClientRepository:
        return ClientRepository(self)

    @cached_property
    def keys(self) -> KeyRepository:
        return KeyRepository(self)

    @cached_property
    def auth_sessions(self) -> AuthSessionRepository:
        return AuthSessionRepository(self)

    @cached_property
    def refresh_tokens(self) -> RefreshTokenRepository:
        return RefreshTokenRepository(self)

    @cached_property
    def failures(self) -> FailureRepository:
        return FailureRepository(self)

    @cached_property
    def resource_requests(self) -> ResourceRequestRepository:
        return ResourceRequestRepository(self)

    @cached_property
    def client_secrets(self) -> ClientSecretRepository:
        return ClientSecretRepository(self)

    @cached_property
    def refresh_rotations(self) -> RefreshRotationRepository:
        return RefreshRotationRepository(self)

    @cached_property
    def log_delivery(self) -> LogDeliveryRepository:
        return LogDeliveryRepository(self)

    @cached_property
    def provisioned_limits(self) -> ProvisionedLimitRepository:
        return ProvisionedLimitRepository(self)

    @cached_property
    def devices(self) -> DeviceRepository:
        return DeviceRepository(self)

    @cached_property
    def domains(self) -> DomainRepository:
        return DomainRepository(self)

    @cached_property
    def resource_servers(self) -> ResourceServerRepository:
        return ResourceServerRepository(self)

    @cached_property
    def branding(self) -> BrandingRepository:
        return BrandingRepository(self)

    @cached_property
    def oauth(self) -> OAuthRepository:
        return OAuthRepository(self)

    @cached_property
    def session_configs(self) -> SessionConfigRepository:
        return SessionConfigRepository(self)

    @cached_property
    def user_sessions(self) -> UserSessionRepository:
        return UserSessionRepository(self)

    @cached_property
    def import_jobs(self) -> ImportJobRepository:
        return ImportJobRepository(self)

    @cached_property
    def bulk_users(self) -> BulkUserRepository:
        return BulkUserRepository(self)

    @cached_property
    def auth_events(self) -> AuthEventRepository:
        return AuthEventRepository(self)

    @cached_property
    def risk_configs(self) -> RiskConfigRepository:
        return RiskConfigRepository(self)

    @cached_property
    def identity_providers(self) -> IdentityProviderRepository:
        return IdentityProviderRepository(self)

    @cached_property
    def terms(self) -> TermsRepository:
        return TermsRepository(self)

    @cached_property
    def cimd_policies(self) -> CIMDPolicyRepository:
        return CIMDPolicyRepository(self)

    @cached_property
    def cimd_documents(self) -> CIMDDocumentRepository:
        return CIMDDocumentRepository(self)

    @cached_property
    def webauthn(self) -> WebAuthnRepository:
        return WebAuthnRepository(self)

    @cached_property
    def history(self) -> HistoryRepository:
        return HistoryRepository(self)

    @cached_property
    def recoveries(self) -> RecoveryRepository:
        return RecoveryRepository(self)

    @cached_property
    def replicas(self) -> ReplicaRepository:
        return ReplicaRepository(self)
