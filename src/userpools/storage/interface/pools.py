"""A pool and what configures it: app clients and their secrets, domains, resource servers, branding, terms,
replicas, limits, log delivery, risk and session settings.

Each Protocol holds only what code outside storage/ calls. Reads return typed records or None; configuration
documents kept as JSON (log delivery, risk configurations, a client's changed values) stay dicts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from userpools.domain.pools import Pool
    from userpools.storage.branding import BrandingRecord, UICustomizationRecord
    from userpools.storage.client_secrets import StoredSecret
    from userpools.storage.clients import StoredClient
    from userpools.storage.domains import DomainRecord
    from userpools.storage.replicas import ReplicaRecord
    from userpools.storage.resource_servers import ResourceServerRecord
    from userpools.storage.terms import TermsRecord
    from userpools.storage.user_sessions import SessionConfig


class Pools(Protocol):
    """User pools. A pool read once is kept for the rest of the unit of work, and writes through here keep
    that copy current; a pool id taken by another insert ends the unit of work in Conflict("unique")."""

    def get(self, pool_id: str) -> Pool | None: ...

    def remember(self, pool: Pool) -> None:
        """Keep ``pool``, read with another record (Clients.get_with_pool), for this unit of work."""

    def forget(self) -> None:
        """Drop every pool kept: what a rolled-back savepoint may have changed (engine.Batch)."""

    def insert(self, pool: Pool) -> None: ...

    def update(self, pool: Pool) -> None: ...

    def delete(self, pool_id: str) -> None: ...

    def page(self, after: str | None, limit: int) -> list[Pool]:
        """In id order, after the id ``after``."""

    def user_count(self, pool_id: str) -> int:
        """The pool's user count as kept beside the users (not a count of their rows)."""


class Clients(Protocol):
    """App clients, as stored (their secret sealed)."""

    def get(self, client_id: str) -> StoredClient | None: ...

    def get_with_pool(self, client_id: str) -> tuple[StoredClient, Pool] | None:
        """The client and its pool in one read (sign-in reads both on every request)."""

    def insert(self, client: StoredClient) -> None: ...

    def update(self, client_id: str, values: dict[str, Any]) -> None:
        """Set the named columns of the client."""

    def delete(self, client_id: str) -> None: ...

    def page(self, pool_id: str, after: str | None, limit: int) -> list[StoredClient]: ...


class ClientSecrets(Protocol):
    """An app client's rotated secrets (AddUserPoolClientSecret), sealed."""

    def of_client(self, client_id: str) -> list[StoredSecret]:
        """Oldest first; empty for a client never rotated."""

    def add(self, client_id: str, secret: StoredSecret) -> None:
        """Raises Conflict("unique") when the client already has a secret of that id."""

    def delete(self, client_id: str, secret_id: str) -> None: ...


class Domains(Protocol):
    """User pool domains (a Cognito prefix or a custom name), found by name."""

    def get(self, domain: str) -> DomainRecord | None: ...

    def of_pool(self, pool_id: str) -> list[DomainRecord]: ...

    def insert(self, record: DomainRecord) -> None:
        """Raises Conflict("unique") when the name is taken or the pool has a domain of that kind."""

    def update_config(self, domain: str, config: dict[str, Any]) -> None: ...

    def delete(self, domain: str) -> None: ...


class ResourceServers(Protocol):
    """A pool's resource servers and their custom scopes."""

    def get(self, pool_id: str, identifier: str) -> ResourceServerRecord | None: ...

    def insert(self, record: ResourceServerRecord) -> None:
        """Raises Conflict("unique") when the pool has a server of that identifier."""

    def update(self, record: ResourceServerRecord) -> None: ...

    def delete(self, pool_id: str, identifier: str) -> None: ...

    def page(self, pool_id: str, after: str | None, limit: int) -> list[ResourceServerRecord]: ...

    def scope_names(self, pool_id: str, limit: int = 10000) -> set[str]:
        """Every ``identifier/scope`` of the pool."""


class Branding(Protocol):
    """Managed login: the classic UI customizations (per pool or client) and branding styles (per client)."""

    def ui(self, pool_id: str, client_id: str) -> UICustomizationRecord | None: ...

    def put_ui(self, record: UICustomizationRecord) -> None: ...

    def branding(self, pool_id: str, branding_id: str) -> BrandingRecord | None: ...

    def branding_of_client(self, pool_id: str, client_id: str) -> BrandingRecord | None: ...

    def insert_branding(self, record: BrandingRecord) -> None:
        """Raises Conflict("unique") when the client has a branding style already."""

    def update_branding(self, record: BrandingRecord) -> None: ...

    def delete_branding(self, branding_id: str) -> None: ...


class Terms(Protocol):
    """Terms documents (terms of use, privacy policy) per app client."""

    def get(self, pool_id: str, terms_id: str) -> TermsRecord | None: ...

    def by_client(self, pool_id: str, client_id: str, name: str) -> TermsRecord | None: ...

    def for_client(self, pool_id: str, client_id: str) -> list[TermsRecord]: ...

    def insert(self, record: TermsRecord) -> None:
        """Raises Conflict("unique") when the client has terms of that name."""

    def update(self, record: TermsRecord) -> None:
        """Raises Conflict("unique") when the client has other terms of the new name."""

    def delete(self, terms_id: str) -> None: ...

    def page(self, pool_id: str, after: str | None, limit: int) -> list[TermsRecord]: ...


class Replicas(Protocol):
    """A pool's replicas in other regions."""

    def get(self, pool_id: str, region: str) -> ReplicaRecord | None:
        """A key lookup: made on every request addressed to a replica."""

    def of_pool(self, pool_id: str) -> list[ReplicaRecord]: ...

    def insert(self, record: ReplicaRecord) -> None: ...

    def update(self, record: ReplicaRecord) -> None: ...

    def delete(self, pool_id: str, region: str) -> None: ...


class ProvisionedLimits(Protocol):
    """The account's raised quotas, by category."""

    def get(self, category: str) -> int | None:
        """None while the category's limit has never been raised."""

    def put(self, category: str, value: int) -> None: ...


class LogDelivery(Protocol):
    """A pool's log delivery configurations, as the JSON documents SetLogDeliveryConfiguration takes."""

    def get(self, pool_id: str) -> list[dict[str, Any]]:
        """Empty for a pool never configured."""

    def put(self, pool_id: str, configurations: list[dict[str, Any]]) -> None: ...


class RiskConfigs(Protocol):
    """Threat protection's risk configurations, per pool or per client (a JSON document each)."""

    def get(self, pool_id: str, client_id: str) -> tuple[dict[str, Any], datetime] | None:
        """The configuration and when it was last set."""

    def remove(self, pool_id: str, client_id: str) -> None: ...

    def put(self, pool_id: str, client_id: str, config: dict[str, Any], now: datetime) -> None: ...


class SessionConfigs(Protocol):
    """Session tracking's settings: the pool's, and each client's refresh-token validity."""

    def get(self, pool_id: str) -> SessionConfig | None: ...

    def put(self, pool_id: str, config: SessionConfig) -> None: ...

    def client_validity(self, client_id: str) -> int | None: ...

    def put_client_validity(self, client_id: str, minutes: int) -> None: ...
