"""Provisioned request-rate limits by API category (UpdateProvisionedLimit), one row a category."""

from __future__ import annotations

from sqlalchemy import bindparam, delete, insert, select

from userpools.storage.schema import provisioned_limits
from userpools.storage.statements import Query, Repository

_GET = Query(select(provisioned_limits.c.value).where(provisioned_limits.c.category == bindparam("category")))


class ProvisionedLimitRepository(Repository):
    def get(self, category: str) -> int | None:
        """The category's provisioned limit; None while it has never been raised."""
        row = _GET.first(self.session, category=category)
        return int(row.value) if row else None

    def put(self, category: str, value: int) -> None:
        self.c.execute(delete(provisioned_limits).where(provisioned_limits.c.category == category))
        self.c.execute(insert(provisioned_limits).values(category=category, value=value))
