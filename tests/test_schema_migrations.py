"""The migrations build the schema the code declares: a database upgraded from nothing matches
``storage.schema.metadata`` table for table, column for column, index for index, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import String

from tests.conftest import BACKENDS
from userpools.storage.engine import Store
from userpools.storage.schema import metadata


def _meaningful(backend: str, difference: Any) -> bool:
    """SQLite keeps no length for text (VARCHAR(256) and TEXT are one storage class): a column widened to Text on
    PostgreSQL only (migration 0005's outbox.code, altered there only) is the same column on SQLite."""
    if backend == "sqlite" and isinstance(difference, list) and len(difference) == 1:
        kind, *_, old, new = difference[0]
        return not (kind == "modify_type" and isinstance(old, String) and isinstance(new, String))
    return True


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_upgraded_database_matches_the_declared_schema(backend: str, database_url_for: Callable[[str], str]) -> None:
    store = Store(database_url_for(backend))
    try:
        store.migrate()
        with store.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
    finally:
        store.close()
    assert [d for d in differences if _meaningful(backend, d)] == []
