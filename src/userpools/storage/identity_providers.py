"""Identity providers of a pool, their IdpIdentifiers, and links of external identities to native users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from userpools.storage.errors import Conflict
from userpools.storage.schema import (
    federation_states,
    identity_providers,
    idp_identifiers,
    provider_links,
    saml_certificates,
)
from userpools.storage.statements import Repository


@dataclass(frozen=True)
class ProviderRecord:
    pool_id: str
    name: str
    type: str
    details: dict[str, str]  # without the secrets
    secrets: str | None  # sealed JSON of the secret details
    attribute_mapping: dict[str, str]
    idp_identifiers: list[str]
    created: datetime
    modified: datetime


@dataclass(frozen=True)
class LinkRecord:
    pool_id: str
    provider_name: str
    attribute_name: str
    attribute_value: str
    user_id: int


def _record(row: Any) -> ProviderRecord:
    return ProviderRecord(
        row.pool_id,
        row.name,
        row.type,
        dict(row.details or {}),
        row.secrets,
        dict(row.attribute_mapping or {}),
        list(row.idp_identifiers or []),
        row.created,
        row.modified,
    )


class IdentityProviderRepository(Repository):
    def get(self, pool_id: str, name: str) -> ProviderRecord | None:
        row = self.c.execute(
            select(identity_providers).where(identity_providers.c.pool_id == pool_id, identity_providers.c.name == name)
        ).first()
        return _record(row) if row else None

    def by_identifier(self, pool_id: str, identifier: str) -> ProviderRecord | None:
        name = self.c.execute(
            select(idp_identifiers.c.provider_name).where(
                idp_identifiers.c.pool_id == pool_id, idp_identifiers.c.identifier == identifier
            )
        ).scalar()
        return self.get(pool_id, name) if name else None

    def count(self, pool_id: str) -> int:
        return int(
            self.c.execute(
                select(func.count()).select_from(identity_providers).where(identity_providers.c.pool_id == pool_id)
            ).scalar_one()
        )

    def insert(self, record: ProviderRecord) -> None:
        """Conflict ``name:<name>`` when the name is taken, ``identifier:<identifier>`` when an identifier is."""
        try:
            with self.c.begin_nested():
                self.c.execute(insert(identity_providers).values(**record.__dict__))
        except IntegrityError:
            raise Conflict("unique", f"name:{record.name}") from None
        self._identifiers(record)

    def _identifiers(self, record: ProviderRecord) -> None:
        self.c.execute(
            delete(idp_identifiers).where(
                idp_identifiers.c.pool_id == record.pool_id, idp_identifiers.c.provider_name == record.name
            )
        )
        for identifier in record.idp_identifiers:
            try:
                with self.c.begin_nested():
                    self.c.execute(
                        insert(idp_identifiers).values(
                            pool_id=record.pool_id, identifier=identifier, provider_name=record.name
                        )
                    )
            except IntegrityError:
                raise Conflict("unique", f"identifier:{identifier}") from None

    def update(self, record: ProviderRecord) -> None:
        values = {k: v for k, v in record.__dict__.items() if k not in ("pool_id", "name", "type", "created")}
        self.c.execute(
            update(identity_providers)
            .where(identity_providers.c.pool_id == record.pool_id, identity_providers.c.name == record.name)
            .values(**values)
        )
        self._identifiers(record)

    def delete(self, pool_id: str, name: str) -> None:
        self.c.execute(
            delete(idp_identifiers).where(idp_identifiers.c.pool_id == pool_id, idp_identifiers.c.provider_name == name)
        )
        self.c.execute(
            delete(provider_links).where(provider_links.c.pool_id == pool_id, provider_links.c.provider_name == name)
        )
        self.c.execute(
            delete(identity_providers).where(identity_providers.c.pool_id == pool_id, identity_providers.c.name == name)
        )

    def page(self, pool_id: str, after: str | None, limit: int) -> list[ProviderRecord]:
        query = (
            select(identity_providers)
            .where(identity_providers.c.pool_id == pool_id)
            .order_by(identity_providers.c.name)
            .limit(limit)
        )
        if after is not None:
            query = query.where(identity_providers.c.name > after)
        return [_record(row) for row in self.c.execute(query)]

    def link(self, link: LinkRecord, now: datetime) -> None:
        """Conflict when this identity is already linked."""
        try:
            with self.c.begin_nested():
                self.c.execute(insert(provider_links).values(**link.__dict__, created=now))
        except IntegrityError:
            raise Conflict("unique", "link") from None

    def linked(self, pool_id: str, provider_name: str, attribute_name: str, value: str) -> LinkRecord | None:
        row = self.c.execute(
            select(provider_links).where(
                provider_links.c.pool_id == pool_id,
                provider_links.c.provider_name == provider_name,
                provider_links.c.attribute_name == attribute_name,
                provider_links.c.attribute_value == value,
            )
        ).first()
        if row is None:
            return None
        return LinkRecord(row.pool_id, row.provider_name, row.attribute_name, row.attribute_value, row.user_id)

    def links_of(self, user_id: int) -> int:
        return int(
            self.c.execute(
                select(func.count()).select_from(provider_links).where(provider_links.c.user_id == user_id)
            ).scalar_one()
        )

    def unlink(self, pool_id: str, provider_name: str, attribute_name: str, value: str) -> int:
        result = self.c.execute(
            delete(provider_links).where(
                provider_links.c.pool_id == pool_id,
                provider_links.c.provider_name == provider_name,
                provider_links.c.attribute_name == attribute_name,
                provider_links.c.attribute_value == value,
            )
        )
        return int(result.rowcount or 0)

    def certificate(self, pool_id: str) -> str | None:
        """The pool's SAML signing certificate (PEM)."""
        found = self.c.execute(
            select(saml_certificates.c.certificate).where(saml_certificates.c.pool_id == pool_id)
        ).scalar()
        return str(found) if found else None

    def add_certificate(self, pool_id: str, certificate: str, sealed_key: str, now: datetime) -> bool:
        """False when another request stored the pool's certificate first."""
        try:
            with self.c.begin_nested():
                self.c.execute(
                    insert(saml_certificates).values(
                        pool_id=pool_id, certificate=certificate, private_pem=sealed_key, created=now
                    )
                )
        except IntegrityError:
            return False
        return True

    def add_state(
        self, state_hash: str, pool_id: str, provider: str, nonce: str, query: str, expires: datetime
    ) -> None:
        self.c.execute(
            insert(federation_states).values(
                state_hash=state_hash,
                pool_id=pool_id,
                provider_name=provider,
                nonce=nonce,
                query=query,
                expires=expires,
            )
        )

    def take_state(self, state_hash: str, now: datetime) -> tuple[str, str, str, str] | None:
        """(pool id, provider name, nonce, query) of a live state, spent by this call (single use).

        Every expired state and one-time key goes with it (an index range on ``expires``): a sign-in that was
        abandoned at the provider, or an assertion ID past its validity, is never asked for again."""
        row = self.c.execute(select(federation_states).where(federation_states.c.state_hash == state_hash)).first()
        self.c.execute(delete(federation_states).where(federation_states.c.expires <= now))
        if row is None:
            return None
        taken = self.c.execute(delete(federation_states).where(federation_states.c.state_hash == state_hash))
        if not taken.rowcount or row.expires <= now:
            return None
        return row.pool_id, row.provider_name, row.nonce, row.query

    def signing_key(self, pool_id: str) -> tuple[str, str] | None:
        """(certificate PEM, sealed private key PEM) of the pool's SAML signing certificate."""
        row = self.c.execute(
            select(saml_certificates.c.certificate, saml_certificates.c.private_pem).where(
                saml_certificates.c.pool_id == pool_id
            )
        ).first()
        return (str(row.certificate), str(row.private_pem)) if row else None

    def remember_once(self, key_hash: str, pool_id: str, provider: str, query: str, expires: datetime) -> bool:
        """Store a one-time key (a SAML assertion's ID, so a replayed assertion is refused); False when it is
        already stored (it was seen before)."""
        try:
            with self.c.begin_nested():
                self.add_state(key_hash, pool_id, provider, "", query, expires)
        except IntegrityError:
            return False
        return True
