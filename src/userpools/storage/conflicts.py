"""Which uniqueness rule a failed insert broke, on either backend."""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError

_SQLITE = re.compile(r"UNIQUE constraint failed: (\w+)\.")


def conflicting_table(error: IntegrityError) -> str | None:
    diag = getattr(error.orig, "diag", None)
    if diag is not None and getattr(diag, "table_name", None):
        return str(diag.table_name)
    match = _SQLITE.search(str(error.orig))
    return match.group(1) if match else None
