"""The fast path under the repositories: one transaction's DBAPI connection, and prebuilt statements.

SQLAlchemy Core spends an order of magnitude more Python on a statement than the DBAPI does running the same
SQL (bench/README.md, "Figures behind the code"). Hot statements are therefore written once with SQLAlchemy
(so they stay portable and typed by the schema), compiled once per dialect, and run on the transaction's raw
DBAPI cursor (on PostgreSQL, through libpq itself: storage/postgres.py) with the schema types' own bind and
result processors. Everything else keeps using ``session.connection``, a SQLAlchemy ``Connection`` made on
first use over the same DBAPI connection, in the same transaction.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql import ClauseElement

from userpools.clock import Clock, SystemClock
from userpools.storage import postgres
from userpools.storage.conflicts import conflict_of

SYSTEM_CLOCK = SystemClock()


class Session:
    """One transaction: a pooled DBAPI connection, begun by :class:`~userpools.storage.engine.Store`."""

    def __init__(self, engine: Engine, raw: PoolProxiedConnection, *, write: bool = True, kept: bool = False) -> None:
        self.engine = engine
        self.raw = raw
        self.driver: Any = raw.driver_connection
        self.dialect = engine.dialect
        self.write = write
        self.kept = kept  # the connection is the thread's own (Store.keep_reader): not handed back
        # In a batch (engine.Batch): user-count changes by pool, added up and written once, at its commit.
        self.pending_counts: dict[str, int] | None = None
        self.clock: Clock = SYSTEM_CLOCK  # the server's (Store.clock): when storage/history.py's changes happened
        self._connection: Connection | None = None

    @property
    def wire(self) -> postgres.Wire:
        """The PostgreSQL connection's prepared statements, kept with it across transactions."""
        info = self.raw.info
        wire: postgres.Wire | None = info.get("wire")
        if wire is None or wire.driver is not self.driver:  # a new connection in the same pool slot
            wire = info["wire"] = postgres.Wire(self.driver)
        return wire

    @property
    def connection(self) -> Connection:
        """SQLAlchemy's view of this same transaction, for the statements that are not on the fast path."""
        if self._connection is None:
            self._connection = Connection(self.engine, connection=self.raw)
        return self._connection

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """Writes that may break a rule the database enforces: if they do, only they are undone (a savepoint)
        and :class:`~userpools.storage.errors.Conflict` is raised; the transaction goes on."""
        try:
            with self.connection.begin_nested():
                yield
        except IntegrityError as error:
            raise conflict_of(error) from error

    def finish(self, commit: bool) -> None:
        """Commit or roll back, then hand the connection back to the pool (unless it is kept)."""
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                if commit:
                    connection.commit()
                else:
                    connection.rollback()
            finally:
                if not self.kept:
                    connection.close()  # closes ``raw``: back to the pool
            return
        try:
            if commit:
                if self.dialect.name == "postgresql":
                    self.wire.commit()  # through libpq: the DBAPI commit below then has nothing to do
                self.raw.commit()
            else:
                self.raw.rollback()
        finally:
            if not self.kept:
                self.raw.close()


class _Plan:
    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        compiled: Any = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self.positional = compiled.positiontup is not None
        by_name = {name: bind for bind, name in compiled.bind_names.items()}
        self.names: Sequence[str] = list(compiled.positiontup or by_name)
        self.binders: dict[str, Callable[[Any], Any] | None] = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect) for name, bind in by_name.items()
        }
        # Values SQLAlchemy supplies itself (SQLite's ``OFFSET ?`` with 0, literals in the statement).
        self.defaults = {name: bind.value for name, bind in by_name.items() if bind.value is not None}
        columns = list(getattr(statement, "selected_columns", None) or getattr(statement, "_returning", ()) or ())
        self.readers = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
        self.any_reader = any(self.readers)
        # PostgreSQL: sent through libpq, prepared (see storage/postgres.py); SQLite: its DBAPI cursor.
        self.wire = postgres.Statement(self.sql) if dialect.name == "postgresql" and not self.positional else None
        self.row: Any = namedtuple("row", [c.key for c in columns], rename=True) if columns else None

    def bind(self, params: dict[str, Any]) -> Any:
        binders = self.binders
        if self.defaults:
            params = {**self.defaults, **params}
        if self.positional:
            out = []
            for name in self.names:
                value = params[name]
                binder = binders[name]
                out.append(binder(value) if binder is not None and value is not None else value)
            return tuple(out)
        bound = {}
        for name in self.names:
            value = params[name]
            binder = binders[name]
            bound[name] = binder(value) if binder is not None and value is not None else value
        return bound

    def read(self, raw: Sequence[Any]) -> Any:
        assert self.row is not None
        if self.any_reader:
            raw = [r(v) if r is not None else v for r, v in zip(self.readers, raw, strict=True)]
        return self.row._make(raw)


# Up to this many rows, ``Query.many`` on PostgreSQL runs the prepared statement once per row, which costs
# this process less CPU than psycopg's pipelined executemany (bench/README.md, "Figures behind the code").
_PREPARED_ROWS = 3


class Query:
    """A statement built once with SQLAlchemy, compiled once per dialect, run on the raw DBAPI cursor.

    Every value is a named ``bindparam``; pass them as keyword arguments.
    """

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._plans: dict[str, _Plan] = {}

    def _plan(self, session: Session) -> _Plan:
        plan = self._plans.get(session.dialect.name)
        if plan is None:
            plan = self._plans[session.dialect.name] = _Plan(self.statement, session.dialect)
        return plan

    def _execute(self, session: Session, plan: _Plan, params: Any, many: bool = False) -> Any:
        if plan.wire is not None and not many:
            try:
                return session.wire.execute(plan.wire, params)
            except session.dialect.loaded_dbapi.Error as error:
                raise _wrapped(session, plan, params, error) from error
        cursor = session.driver.cursor()
        try:
            if many:  # psycopg pipelines the rows: one round trip
                cursor.executemany(plan.sql, params)
            else:
                cursor.execute(plan.sql, params)
        except session.dialect.loaded_dbapi.Error as error:
            cursor.close()
            raise _wrapped(session, plan, params, error) from error
        return cursor

    def all(self, session: Session, **params: Any) -> list[Any]:
        plan = self._plan(session)
        cursor = self._execute(session, plan, plan.bind(params))
        try:
            return [plan.read(r) for r in cursor.fetchall()]
        finally:
            cursor.close()

    def first(self, session: Session, **params: Any) -> Any:
        plan = self._plan(session)
        cursor = self._execute(session, plan, plan.bind(params))
        try:
            found = cursor.fetchone()
            return plan.read(found) if found is not None else None
        finally:
            cursor.close()

    def run(self, session: Session, **params: Any) -> int:
        """Execute; the number of rows changed."""
        plan = self._plan(session)
        cursor = self._execute(session, plan, plan.bind(params))
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def many(self, session: Session, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        plan = self._plan(session)
        if plan.wire is not None and len(rows) <= _PREPARED_ROWS:
            for row in rows:  # a round trip each
                self._execute(session, plan, plan.bind(row))
            return
        self._execute(session, plan, [plan.bind(r) for r in rows], many=True).close()


def _wrapped(session: Session, plan: _Plan, params: Any, error: Exception) -> DBAPIError:
    """The driver's ``error`` as SQLAlchemy would raise it, marked invalidated when the connection is gone (the
    server ended it, or the network did), so that the unit of work discards the connection and the request
    runs again (storage.conflicts.is_transient)."""
    lost = bool(session.dialect.is_disconnect(error, session.driver, None))  # type: ignore[arg-type]
    wrapped = DBAPIError.instance(
        plan.sql, params, error, session.dialect.loaded_dbapi.Error, connection_invalidated=lost
    )
    assert isinstance(wrapped, DBAPIError)  # a driver error always becomes one
    return wrapped


class Repository:
    """Base of the repositories: reached through one transaction's :class:`Session`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def c(self) -> Connection:
        return self.session.connection
