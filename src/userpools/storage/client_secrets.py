"""A rotated client's secrets (AddUserPoolClientSecret), each kept sealed as clients.secret is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError

from userpools.storage.errors import Conflict
from userpools.storage.schema import client_secrets
from userpools.storage.statements import Query, Repository

_OF_CLIENT = Query(
    select(client_secrets.c.secret_id, client_secrets.c.sealed, client_secrets.c.created)
    .where(client_secrets.c.client_id == bindparam("client_id"))
    .order_by(client_secrets.c.created, client_secrets.c.secret_id)
)


@dataclass(frozen=True)
class StoredSecret:
    secret_id: str
    sealed: str
    created: datetime


class ClientSecretRepository(Repository):
    def of_client(self, client_id: str) -> list[StoredSecret]:
        """The client's rotated secrets, oldest first; empty for a client never rotated."""
        return [
            StoredSecret(r.secret_id, r.sealed, r.created) for r in _OF_CLIENT.all(self.session, client_id=client_id)
        ]

    def add(self, client_id: str, secret: StoredSecret) -> None:
        try:
            with self.c.begin_nested():
                self.c.execute(
                    insert(client_secrets).values(
                        client_id=client_id, secret_id=secret.secret_id, sealed=secret.sealed, created=secret.created
                    )
                )
        except IntegrityError as error:
            raise Conflict("unique", secret.secret_id) from error

    def delete(self, client_id: str, secret_id: str) -> None:
        self.c.execute(
            delete(client_secrets).where(
                client_secrets.c.client_id == client_id, client_secrets.c.secret_id == secret_id
            )
        )
