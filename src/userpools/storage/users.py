"""Users, their filterable-attribute index and their sign-in aliases."""

from __future__ import annotations

import hashlib
import random
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from userpools.domain.filters import INDEXED, Filter
from userpools.domain.users import Credentials, User, UserStatus
from userpools.storage import history
from userpools.storage.conflicts import ConcurrentChange
from userpools.storage.schema import aliases, pool_user_counts, user_index, users
from userpools.storage.statements import Query, Repository

# Upper bound for a prefix range scan: value >= p AND value < p + MAX_CHAR.
_MAX_CHAR = "\U0010ffff"

# A PostgreSQL btree entry must stay under ~2.7 kB, and an attribute value may be 2,048 characters of up to
# 4 bytes each. A ListUsers filter is at most 256 characters in all, so an index value cut at 256 characters
# answers every ``=`` and ``^=`` filter exactly as the whole value would (the whole is in ``attributes``).
INDEX_CHARS = 256


def _alias_key(value: str) -> str:
    """An alias as stored: itself up to 256 characters; longer, its first 200 and its SHA-256, a form longer
    than any value kept as itself, so the two never meet and uniqueness stays exact."""
    if len(value) <= INDEX_CHARS:
        return value
    return f"{value[:200]}#{hashlib.sha256(value.encode()).hexdigest()}"


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


def _bound(user: User, username_key: str | None = None) -> dict[str, Any]:
    """The user's columns as the ``v_*`` parameters of the insert (with ``username_key``) and update."""
    cred = user.credentials
    values = {
        "v_status": user.status.value,
        "v_enabled": user.enabled,
        "v_attributes": user.attributes,
        "v_mfa": user.mfa,
        "v_password_salt": cred.salt if cred else None,
        "v_password_verifier": cred.verifier if cred else None,
        "v_password_expires": cred.expires if cred else None,
        "v_modified": user.modified,
    }
    if username_key is not None:
        values.update(
            v_pool_id=user.pool_id,
            v_username=user.username,
            v_username_key=username_key,
            v_sub=user.sub,
            v_created=user.created,
        )
    return values


def _p(name: str) -> Any:
    return bindparam(name)


def _both(statement: Any) -> tuple[Query, Query]:
    """The statement as readers run it, and as writers do (rows locked until commit on PostgreSQL)."""
    return Query(statement), Query(statement.with_for_update())


_GET = _both(select(users).where(users.c.pool_id == _p("pool_id"), users.c.username_key == _p("key")))
_BY_ID = _both(select(users).where(users.c.id == _p("id")))
_BY_SUB = _both(select(users).where(users.c.sub == _p("sub"), users.c.pool_id == _p("pool_id")))
_ALIAS_OWNER = _both(
    select(aliases.c.user_id).where(
        aliases.c.pool_id == _p("pool_id"), aliases.c.kind == _p("kind"), aliases.c.value == _p("value")
    )
)
_ALIASES_OF = Query(select(aliases.c.kind, aliases.c.value).where(aliases.c.user_id == _p("user_id")))
_USER_COLUMNS = (
    "pool_id",
    "username",
    "username_key",
    "sub",
    "created",
    "status",
    "enabled",
    "attributes",
    "mfa",
    "password_salt",
    "password_verifier",
    "password_expires",
    "modified",
)
_INSERT = Query(insert(users).values({users.c[k]: _p(f"v_{k}") for k in _USER_COLUMNS}).returning(users.c.id))
_UPDATE = Query(
    update(users)
    .where(users.c.id == _p("user_id"))
    .values(
        {
            users.c[k]: _p(f"v_{k}")
            for k in _USER_COLUMNS
            if k not in ("pool_id", "username", "username_key", "sub", "created")
        }
    )
)
_DELETE_INDEX = Query(delete(user_index).where(user_index.c.user_id == _p("user_id")))
_INSERT_INDEX = Query(
    insert(user_index).values(user_id=_p("v_user_id"), pool_id=_p("v_pool_id"), name=_p("v_name"), value=_p("v_value"))
)
_INSERT_ALIAS = Query(
    insert(aliases).values(pool_id=_p("v_pool_id"), kind=_p("v_kind"), value=_p("v_value"), user_id=_p("v_user_id"))
)
_DELETE_ALIAS = Query(
    delete(aliases).where(
        aliases.c.pool_id == _p("pool_id"), aliases.c.kind == _p("kind"), aliases.c.value == _p("value")
    )
)
_TAKE_ALIAS = Query(
    delete(aliases).where(
        aliases.c.pool_id == _p("pool_id"),
        aliases.c.kind == _p("kind"),
        aliases.c.value == _p("value"),
        aliases.c.user_id == _p("owner_id"),
    )
)


_DELETE_USER = Query(delete(users).where(users.c.id == _p("user_id")).returning(users.c.pool_id))
USER_COUNT_SHARDS = 16


def _count_bump(dialect_insert: Any) -> Query:
    """Add ``delta`` to one shard of a pool's user count, making the shard's row if it is missing."""
    statement = dialect_insert(pool_user_counts).values(pool_id=_p("pool_id"), shard=_p("shard"), users=_p("delta"))
    return Query(
        statement.on_conflict_do_update(
            index_elements=["pool_id", "shard"], set_={"users": pool_user_counts.c.users + statement.excluded.users}
        )
    )


_COUNT_BUMPS = {"sqlite": _count_bump(sqlite.insert), "postgresql": _count_bump(postgresql.insert)}


def _claim(dialect_insert: Any) -> Query:
    """The user's row unless the pool has one of that username (then no row, and no id returned)."""
    statement = dialect_insert(users).values({users.c[k]: _p(f"v_{k}") for k in _USER_COLUMNS})
    return Query(statement.on_conflict_do_nothing(index_elements=["pool_id", "username_key"]).returning(users.c.id))


_CLAIMS = {"sqlite": _claim(sqlite.insert), "postgresql": _claim(postgresql.insert)}


def _index_page(prefix: bool, after: bool) -> Query:
    key = user_index.c.value
    query = (
        select(users, key.label("sort_value"))
        .join(user_index, user_index.c.user_id == users.c.id)
        .where(user_index.c.pool_id == _p("pool_id"), user_index.c.name == _p("name"))
        .order_by(key, user_index.c.user_id)
        .limit(_p("limit"))
    )
    query = query.where(key >= _p("low"), key < _p("high")) if prefix else query.where(key == _p("value"))
    if after:
        query = query.where(
            (key > _p("after_value")) | and_(key == _p("after_value"), user_index.c.user_id > _p("after_id"))
        )
    return Query(query)


def _plain_page(after: bool) -> Query:
    query = (
        select(users, users.c.id.label("sort_value"))
        .where(users.c.pool_id == _p("pool_id"))
        .order_by(users.c.id)
        .limit(_p("limit"))
    )
    if after:
        query = query.where(users.c.id > _p("after_id"))
    return Query(query)


_INDEX_PAGES = {(prefix, after): _index_page(prefix, after) for prefix in (False, True) for after in (False, True)}
_PLAIN_PAGES = {after: _plain_page(after) for after in (False, True)}


class UserRepository(Repository):
    """In write transactions, rows read are locked (PostgreSQL ``FOR UPDATE``; SQLite's writer already
    holds the database lock), so two instances updating one user cannot lose either update."""

    def _pick(self, pair: tuple[Query, Query]) -> Query:
        return pair[1] if self.session.write else pair[0]

    # --- reads -------------------------------------------------------------------------------------
    def get(self, pool_id: str, username_key: str) -> User | None:
        row = self._pick(_GET).first(self.session, pool_id=pool_id, key=username_key)
        return user_from_row(row) if row else None

    def get_by_id(self, user_id: int) -> User | None:
        row = self._pick(_BY_ID).first(self.session, id=user_id)
        return user_from_row(row) if row else None

    def get_by_sub(self, pool_id: str, sub: str) -> User | None:
        row = self._pick(_BY_SUB).first(self.session, pool_id=pool_id, sub=sub)
        return user_from_row(row) if row else None

    def lock_alias(self, pool_id: str, kind: str, value: str) -> None:
        """Hold, until this transaction ends, the right to move this alias (ForceAliasCreation): concurrent
        moves of one alias run one after the other, each reading the owner the previous one left. PostgreSQL
        only (an advisory lock on a 64-bit hash); SQLite's single writer already runs them one at a time."""
        if self.session.dialect.name != "postgresql":
            return
        digest = hashlib.blake2b(f"{pool_id}\0{kind}\0{_alias_key(value)}".encode(), digest_size=8).digest()
        self.c.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": int.from_bytes(digest, "big", signed=True)})

    def alias_owner(self, pool_id: str, kind: str, value: str) -> int | None:
        row = self._pick(_ALIAS_OWNER).first(self.session, pool_id=pool_id, kind=kind, value=_alias_key(value))
        return int(row.user_id) if row is not None else None

    def get_by_alias(self, pool_id: str, kind: str, value: str) -> User | None:
        owner = self.alias_owner(pool_id, kind, value)
        return self.get_by_id(owner) if owner is not None else None

    def page(
        self, pool_id: str, flt: Filter | None, after: tuple[Any, int] | None, limit: int
    ) -> list[tuple[User, tuple[Any, int]]]:
        """Up to ``limit`` users after the cursor ``(sort value, id)``, the filter applied first."""
        params: dict[str, Any] = {"pool_id": pool_id, "limit": limit}
        if after is not None:
            params.update(after_value=after[0], after_id=after[1])
        if flt is not None and flt.attribute in INDEXED:
            params["name"] = flt.attribute
            if flt.prefix:
                params.update(low=flt.value, high=flt.value + _MAX_CHAR)
            else:
                params["value"] = flt.value
            rows = _INDEX_PAGES[flt.prefix, after is not None].all(self.session, **params)
        elif flt is None:
            params.pop("after_value", None)
            rows = _PLAIN_PAGES[after is not None].all(self.session, **params)
        else:
            column = {"username": users.c.username_key, "sub": users.c.sub, "cognito:user_status": users.c.status}.get(
                flt.attribute
            )
            query = select(users, users.c.id.label("sort_value")).where(users.c.pool_id == pool_id)
            if flt.attribute == "status":
                wanted = {"enabled": True, "disabled": False}.get(flt.value.lower())
                if flt.prefix:
                    wanted = (
                        True
                        if "enabled".startswith(flt.value.lower())
                        else (False if "disabled".startswith(flt.value.lower()) else None)
                    )
                if wanted is None:
                    return []
                query = query.where(users.c.enabled == wanted)
            elif column is not None:
                query = query.where(*self._match(column, flt))
            query = query.order_by(users.c.id)
            if after is not None:
                query = query.where(users.c.id > after[1])
            rows = list(self.c.execute(query.limit(limit)).all())
        return [(user_from_row(row), (row.sort_value, row.id)) for row in rows]

    @staticmethod
    def _match(column: Any, flt: Filter) -> list[Any]:
        if flt.prefix:
            return [column >= flt.value, column < flt.value + _MAX_CHAR]
        return [column == flt.value]

    def aliases_of(self, user_id: int) -> dict[str, str]:
        """Kind -> the alias as stored (see _alias_key)."""
        return {row.kind: row.value for row in _ALIASES_OF.all(self.session, user_id=user_id)}

    # --- writes ------------------------------------------------------------------------------------
    def insert(self, user: User, username_key: str) -> int:
        history.check_writable(self.session, user.pool_id)
        return self._added(user, _INSERT.first(self.session, **_bound(user, username_key)).id)

    def reinsert(self, user: User, username_key: str) -> None:
        """A deleted user back under its old row id (point-in-time recovery)."""
        assert user.id is not None
        history.check_writable(self.session, user.pool_id)
        values = {k[2:]: v for k, v in _bound(user, username_key).items()}
        self.c.execute(insert(users).values(id=user.id, **values))
        self._added(user, user.id)

    def claim(self, user: User, username_key: str) -> bool:
        """:meth:`insert`, unless the pool has a user of that username: then False, and nothing written (one
        statement where a lookup and an insert were two). A concurrent claim waits for the other's commit."""
        history.check_writable(self.session, user.pool_id)
        row = _CLAIMS[self.session.dialect.name].first(self.session, **_bound(user, username_key))
        if row is None:
            return False
        self._added(user, row.id)
        return True

    def _added(self, user: User, user_id: int) -> int:
        """What follows a user's row: its id, its index rows, the pool's count."""
        user.id = int(user_id)
        self._write_index(user)
        self.adjust_count(user.pool_id, 1)
        return user.id

    def update(self, user: User) -> None:
        assert user.id is not None
        history.user_changing(self.session, user.pool_id, user.id)
        _UPDATE.run(self.session, user_id=user.id, **_bound(user))
        _DELETE_INDEX.run(self.session, user_id=user.id)
        self._write_index(user)

    def delete(self, user_id: int) -> None:
        history.user_deleting(self.session, user_id)
        row = _DELETE_USER.first(self.session, user_id=user_id)
        if row is not None:
            self.adjust_count(row.pool_id, -1)

    def adjust_count(self, pool_id: str, delta: int) -> None:
        """Add ``delta`` to the pool's user count (insert and delete do; so must anything writing users itself)."""
        pending = self.session.pending_counts
        if pending is not None:
            pending[pool_id] = pending.get(pool_id, 0) + delta
            return
        shard = random.randrange(USER_COUNT_SHARDS)  # spreads concurrent writers over rows; nothing secret
        _COUNT_BUMPS[self.session.dialect.name].run(self.session, pool_id=pool_id, shard=shard, delta=delta)

    def write_pending_counts(self) -> None:
        """A batch's added-up count changes, one statement a pool (engine.Batch.commit)."""
        pending, self.session.pending_counts = self.session.pending_counts, None
        for pool_id, delta in (pending or {}).items():
            if delta:
                self.adjust_count(pool_id, delta)

    def set_aliases(self, user: User, wanted: dict[str, str], *, new: bool = False) -> None:
        """Make the user's alias rows exactly ``wanted`` (kind → normalised value); ``new``: it holds none yet."""
        assert user.id is not None
        wanted = {kind: _alias_key(value) for kind, value in wanted.items()}
        held = {} if new else self.aliases_of(user.id)
        for kind, value in held.items():
            if wanted.get(kind) != value:
                _DELETE_ALIAS.run(self.session, pool_id=user.pool_id, kind=kind, value=value)
        for kind, value in wanted.items():
            if held.get(kind) != value:
                _INSERT_ALIAS.run(self.session, v_pool_id=user.pool_id, v_kind=kind, v_value=value, v_user_id=user.id)

    def remove_alias(self, pool_id: str, kind: str, value: str, owner_id: int) -> None:
        """Take the alias from ``owner_id``; if someone else holds it by now, the caller's view is stale."""
        if _TAKE_ALIAS.run(self.session, pool_id=pool_id, kind=kind, value=_alias_key(value), owner_id=owner_id) != 1:
            raise ConcurrentChange(f"alias {kind} moved while being migrated")

    def _write_index(self, user: User) -> None:
        _INSERT_INDEX.many(
            self.session,
            [
                {"v_user_id": user.id, "v_pool_id": user.pool_id, "v_name": name, "v_value": value[:INDEX_CHARS]}
                for name, value in user.attributes.items()
                if name in INDEXED and value
            ],
        )
