"""One transaction's view of the database: a repository per concept, sharing one connection."""

from __future__ import annotations

from functools import cached_property

from userpools.storage.branding import BrandingRepository
from userpools.storage.clients import ClientRepository
from userpools.storage.codes import CodeRepository
from userpools.storage.domains import DomainRepository
from userpools.storage.groups import GroupRepository
from userpools.storage.keys import KeyRepository
from userpools.storage.oauth import OAuthRepository
from userpools.storage.outbox import OutboxRepository
from userpools.storage.pools import PoolRepository
from userpools.storage.resource_servers import ResourceServerRepository
from userpools.storage.sessions import AuthSessionRepository, FailureRepository, RefreshTokenRepository
from userpools.storage.statements import Session
from userpools.storage.users import UserRepository


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
