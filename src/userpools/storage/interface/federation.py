"""Federation: a pool's identity providers, the external identities linked to its users, the states and
one-time keys of sign-ins through a provider, SAML signing certificates, and CIMD policies with the client
metadata documents fetched under them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from userpools.storage.cimd import CIMDDocumentRecord, CIMDPolicyRecord
    from userpools.storage.identity_providers import LinkRecord, ProviderRecord


class IdentityProviders(Protocol):
    """Identity providers by name or IdpIdentifier (their secret details sealed), and links of external
    identities to native users."""

    def get(self, pool_id: str, name: str) -> ProviderRecord | None: ...

    def by_identifier(self, pool_id: str, identifier: str) -> ProviderRecord | None: ...

    def count(self, pool_id: str) -> int: ...

    def insert(self, record: ProviderRecord) -> None:
        """Raises Conflict("unique") detailed ``name:<name>`` when the name is taken, ``identifier:<identifier>``
        when an identifier is."""

    def update(self, record: ProviderRecord) -> None:
        """Raises Conflict("unique") detailed ``identifier:<identifier>`` when an identifier is taken."""

    def delete(self, pool_id: str, name: str) -> None: ...

    def page(self, pool_id: str, after: str | None, limit: int) -> list[ProviderRecord]: ...

    def link(self, link: LinkRecord, now: datetime) -> None:
        """Raises Conflict("unique") when this identity is linked already."""

    def linked(self, pool_id: str, provider_name: str, attribute_name: str, value: str) -> LinkRecord | None: ...

    def links_of(self, user_id: int) -> int:
        """How many external identities are linked to the user."""

    def unlink(self, pool_id: str, provider_name: str, attribute_name: str, value: str) -> int:
        """How many links were removed."""

    def add_certificate(self, pool_id: str, certificate: str, sealed_key: str, now: datetime) -> bool:
        """False when another request stored the pool's SAML signing certificate first."""

    def signing_key(self, pool_id: str) -> tuple[str, str] | None:
        """(certificate PEM, sealed private key PEM) of the pool's SAML signing certificate."""

    def add_state(
        self, state_hash: str, pool_id: str, provider: str, nonce: str, query: str, expires: datetime
    ) -> None:
        """A sign-in sent to a provider, waiting for its answer under the digest of its ``state``."""

    def take_state(self, state_hash: str, now: datetime) -> tuple[str, str, str, str] | None:
        """(pool id, provider name, nonce, query) of a live state, spent by this call (single use). Expired
        states and one-time keys go with it."""

    def remember_once(self, key_hash: str, pool_id: str, provider: str, query: str, expires: datetime) -> bool:
        """Store a one-time key (a SAML assertion's ID); False when it is stored already (a replay)."""


class CIMDPolicies(Protocol):
    """A pool's Client ID Metadata Document policies: which client_id URLs may sign in, and how."""

    def get(self, pool_id: str, policy_id: str) -> CIMDPolicyRecord | None: ...

    def insert(self, record: CIMDPolicyRecord) -> None: ...

    def update(self, record: CIMDPolicyRecord) -> None: ...

    def delete(self, policy_id: str) -> None: ...

    def of_pool(self, pool_id: str) -> list[CIMDPolicyRecord]:
        """Oldest first: the order a client_id URL is matched in."""

    def page(self, pool_id: str, after: str | None, limit: int) -> list[CIMDPolicyRecord]: ...


class CIMDDocuments(Protocol):
    """The client metadata documents fetched under a policy, by URL, with their cache lifetime."""

    def get(self, policy_id: str, url: str) -> CIMDDocumentRecord | None: ...

    def received(self, policy_id: str, url: str) -> None:
        """List the URL for the policy from now on (a concurrent request may have listed it already)."""

    def cache(self, record: CIMDDocumentRecord) -> None:
        """Keep the document fetched (or None: the fetch failed), listing the URL if it was not."""

    def page(self, policy_id: str, after: str | None, limit: int) -> list[CIMDDocumentRecord]:
        """In URL order, after the URL ``after``."""
