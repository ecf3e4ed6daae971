"""PostgreSQL's side of the prebuilt statements (``statements.Query``): sent through libpq directly.

psycopg's cursor spends much of a statement's Python time in ``execute``; its ``PGconn`` (the libpq wrapper)
and ``Transformer`` (parameters dumped, rows loaded), both compiled in ``psycopg[binary]``, do the same work
in a fraction of it (bench/README.md, "Figures behind the code"). Each statement is prepared once per
connection and set of parameter types, then run with ``exec_prepared``, the GIL released while it waits.
psycopg's connection still owns the transaction: BEGIN is sent here exactly when psycopg would send it (a
first statement outside autocommit), COMMIT too (``Wire.commit``), and psycopg's ``commit()`` and
``rollback()`` read the same libpq transaction status, so a commit already sent leaves them nothing to do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from psycopg import abc, errors, pq
from psycopg.adapt import PyFormat, Transformer

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")  # SQLAlchemy's psycopg dialect compiles to pyformat
_DONE = (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.COMMAND_OK)
_IDLE = pq.TransactionStatus.IDLE


class Statement:
    """One compiled statement in libpq's terms: ``$n`` placeholders, and which parameter each one takes."""

    def __init__(self, sql: str) -> None:
        order: list[str] = []

        def number(match: re.Match[str]) -> str:
            if match.group(1) is None:
                return "%"
            if match.group(1) not in order:
                order.append(match.group(1))
            return f"${order.index(match.group(1)) + 1}"

        self.sql = _PLACEHOLDER.sub(number, sql).encode()
        self.order = order


class Rows:
    """What the repositories read from a cursor: rows as tuples, and how many a write changed."""

    def __init__(self, transformer: abc.Transformer, result: pq.abc.PGresult) -> None:
        self._transformer = transformer
        self._result = result

    def fetchall(self) -> list[tuple[Any, ...]]:
        count = self._result.ntuples
        if not count:
            return []
        self._transformer.set_pgresult(self._result)
        return self._transformer.load_rows(0, count, tuple)

    def fetchone(self) -> tuple[Any, ...] | None:
        if not self._result.ntuples:
            return None
        self._transformer.set_pgresult(self._result)
        return self._transformer.load_row(0, tuple)

    @property
    def rowcount(self) -> int:
        changed = self._result.command_tuples
        return -1 if changed is None else changed

    def close(self) -> None:
        """Nothing to release (the cursor's interface)."""


class Wire:
    """One connection's statements prepared so far, and its transformer (the connection's adapters)."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver
        self.pgconn: pq.abc.PGconn = driver.pgconn
        self.transformer: abc.Transformer = Transformer(driver)
        self.prepared: dict[tuple[int, tuple[int, ...]], bytes] = {}

    def _check(self, result: pq.abc.PGresult) -> pq.abc.PGresult:
        if result.status not in _DONE:
            raise errors.error_from_result(result, encoding=self.driver.info.encoding)
        return result

    def execute(self, statement: Statement, params: Mapping[str, Any]) -> Rows:
        """Run ``statement``; psycopg's errors (``psycopg.Error``) as a cursor would raise them."""
        transformer = self.transformer
        values: Any = transformer.dump_sequence(
            [params[name] for name in statement.order], [PyFormat.AUTO] * len(statement.order)
        )  # None: NULL
        types = tuple(transformer.types or ())
        key = (id(statement), types)
        name = self.prepared.get(key)
        pgconn = self.pgconn
        if not self.driver.autocommit and pgconn.transaction_status == _IDLE:
            self._check(pgconn.exec_(b"BEGIN"))
        if name is None:
            name = f"_userpools_{len(self.prepared)}".encode()
            self._check(pgconn.prepare(name, statement.sql, types))
            self.prepared[key] = name
        result = pgconn.exec_prepared(name, values, list(transformer.formats or ()))
        return Rows(transformer, self._check(result))

    def commit(self) -> None:
        """COMMIT through libpq, cheaper than psycopg's ``commit()``, which then has nothing to do."""
        if self.pgconn.transaction_status != _IDLE:
            self._check(self.pgconn.exec_(b"COMMIT"))
