"""Users, their filterable-attribute index and their sign-in aliases."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from userpools.domain.filters import INDEXED, Filter
from userpools.domain.users import Credentials, User, UserStatus
from userpools.storage.conflicts import ConcurrentChange
from userpools.storage.schema import aliases, user_index, users

# Upper bound for a prefix range scan: value >= p AND value < p + MAX_CHAR.
_MAX_CHAR = "\U0010ffff"


def user_from_row(row: Any) -> User:
    credentials = None
    if row.password_verifier:
        credentials = Credentials(row.password_salt, row.password_verifier, row.password_expires)
    return User(
        pool_id=row.pool_id,
        username=row.username,
        sub=row.sub,
        status=UserStatus(row.status),
        enabled=row.enabled,
        attributes=dict(row.attributes),
        created=row.created,
        modified=row.modified,
        credentials=credentials,
        mfa=dict(row.mfa or {}),
        id=row.id,
    )


def _values(user: User) -> dict[str, Any]:
    cred = user.credentials
    return {
        "status": user.status.value,
        "enabled": user.enabled,
        "attributes": user.attributes,
        "mfa": user.mfa,
        "password_salt": cred.salt if cred else None,
        "password_verifier": cred.verifier if cred else None,
        "password_expires": cred.expires if cred else None,
        "modified": user.modified,
    }


class UserRepository:
    """``lock``: in write transactions, rows read are locked (PostgreSQL ``FOR UPDATE``; SQLite's writer
    already holds the database lock), so two instances updating one user cannot lose either update."""

    def __init__(self, connection: Connection, *, lock: bool = False) -> None:
        self.c = connection
        self.lock = lock

    def _one(self, query: Any) -> Any:
        if self.lock:
            query = query.with_for_update()
        return self.c.execute(query).first()

    # --- reads -------------------------------------------------------------------------------------
    def get(self, pool_id: str, username_key: str) -> User | None:
        row = self._one(select(users).where(users.c.pool_id == pool_id, users.c.username_key == username_key))
        return user_from_row(row) if row else None

    def get_by_id(self, user_id: int) -> User | None:
        row = self._one(select(users).where(users.c.id == user_id))
        return user_from_row(row) if row else None

    def get_by_sub(self, pool_id: str, sub: str) -> User | None:
        row = self._one(select(users).where(users.c.sub == sub, users.c.pool_id == pool_id))
        return user_from_row(row) if row else None

    def alias_owner(self, pool_id: str, kind: str, value: str) -> int | None:
        row = self._one(select(aliases.c.user_id).where(
            aliases.c.pool_id == pool_id, aliases.c.kind == kind, aliases.c.value == value
        ))
        return int(row.user_id) if row is not None else None

    def get_by_alias(self, pool_id: str, kind: str, value: str) -> User | None:
        owner = self.alias_owner(pool_id, kind, value)
        return self.get_by_id(owner) if owner is not None else None

    def count(self, pool_id: str) -> int:
        return int(self.c.execute(select(func.count()).where(users.c.pool_id == pool_id)).scalar_one())

    def page(
        self, pool_id: str, flt: Filter | None, after: tuple[Any, int] | None, limit: int
    ) -> list[tuple[User, tuple[Any, int]]]:
        """Up to ``limit`` users after the cursor ``(sort value, id)``, the filter applied first."""
        if flt is not None and flt.attribute in INDEXED:
            key = user_index.c.value
            query = (
                select(users, key.label("sort_value"))
                .join(user_index, user_index.c.user_id == users.c.id)
                .where(user_index.c.pool_id == pool_id, user_index.c.name == flt.attribute)
                .order_by(key, user_index.c.user_id)
            )
            query = query.where(*self._match(key, flt))
            if after is not None:
                query = query.where(
                    (key > after[0]) | and_(key == after[0], user_index.c.user_id > after[1])
                )
        else:
            column = {"username": users.c.username_key, "sub": users.c.sub,
                      "cognito:user_status": users.c.status}.get(flt.attribute if flt else "")
            query = select(users, users.c.id.label("sort_value")).where(users.c.pool_id == pool_id)
            if flt is not None and flt.attribute == "status":
                wanted = {"enabled": True, "disabled": False}.get(flt.value.lower())
                if flt.prefix:
                    wanted = True if "enabled".startswith(flt.value.lower()) else (
                        False if "disabled".startswith(flt.value.lower()) else None)
                if wanted is None:
                    return []
                query = query.where(users.c.enabled == wanted)
            elif flt is not None and column is not None:
                query = query.where(*self._match(column, flt))
            query = query.order_by(users.c.id)
            if after is not None:
                query = query.where(users.c.id > after[1])
        rows = self.c.execute(query.limit(limit)).all()
        return [(user_from_row(row), (row.sort_value, row.id)) for row in rows]

    @staticmethod
    def _match(column: Any, flt: Filter) -> list[Any]:
        if flt.prefix:
            return [column >= flt.value, column < flt.value + _MAX_CHAR]
        return [column == flt.value]

    def aliases_of(self, user_id: int) -> dict[str, str]:
        rows = self.c.execute(select(aliases.c.kind, aliases.c.value).where(aliases.c.user_id == user_id))
        return {row.kind: row.value for row in rows}

    # --- writes ------------------------------------------------------------------------------------
    def insert(self, user: User, username_key: str) -> int:
        values = _values(user)
        result = self.c.execute(insert(users).values(
            pool_id=user.pool_id, username=user.username, username_key=username_key, sub=user.sub,
            created=user.created, **values,
        ))
        user.id = int(result.inserted_primary_key[0])  # type: ignore[index]
        self._write_index(user)
        return user.id

    def update(self, user: User) -> None:
        assert user.id is not None
        self.c.execute(update(users).where(users.c.id == user.id).values(**_values(user)))
        self.c.execute(delete(user_index).where(user_index.c.user_id == user.id))
        self._write_index(user)

    def delete(self, user_id: int) -> None:
        self.c.execute(delete(users).where(users.c.id == user_id))

    def set_aliases(self, user: User, wanted: dict[str, str]) -> None:
        """Make the user's alias rows exactly ``wanted`` (kind → normalised value)."""
        assert user.id is not None
        held = self.aliases_of(user.id)
        for kind, value in held.items():
            if wanted.get(kind) != value:
                self.c.execute(delete(aliases).where(
                    aliases.c.pool_id == user.pool_id, aliases.c.kind == kind, aliases.c.value == value
                ))
        for kind, value in wanted.items():
            if held.get(kind) != value:
                self.c.execute(insert(aliases).values(
                    pool_id=user.pool_id, kind=kind, value=value, user_id=user.id
                ))

    def remove_alias(self, pool_id: str, kind: str, value: str, owner_id: int) -> None:
        """Take the alias from ``owner_id``; if someone else holds it by now, the caller's view is stale."""
        result = self.c.execute(delete(aliases).where(
            aliases.c.pool_id == pool_id, aliases.c.kind == kind, aliases.c.value == value,
            aliases.c.user_id == owner_id,
        ))
        if result.rowcount != 1:
            raise ConcurrentChange(f"alias {kind} moved while being migrated")

    def _write_index(self, user: User) -> None:
        rows = [
            {"user_id": user.id, "pool_id": user.pool_id, "name": name, "value": value}
            for name, value in user.attributes.items()
            if name in INDEXED and value
        ]
        if rows:
            self.c.execute(insert(user_index), rows)
