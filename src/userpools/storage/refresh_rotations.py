"""Refresh-token rotation: which refresh tokens were rotated out, when, and for which successor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select

from userpools.storage.schema import refresh_rotations
from userpools.storage.statements import Query, Repository

_GET = Query(
    select(refresh_rotations.c.rotated, refresh_rotations.c.successor_hash).where(
        refresh_rotations.c.token_hash == bindparam("token_hash")
    )
)


@dataclass(frozen=True)
class Rotation:
    rotated: datetime
    successor_hash: str


class RefreshRotationRepository(Repository):
    def get(self, token_hash: str) -> Rotation | None:
        """How the token was rotated out; None for a token still current."""
        row = _GET.first(self.session, token_hash=token_hash)
        return Rotation(row.rotated, row.successor_hash) if row else None

    def put(self, token_hash: str, rotation: Rotation) -> None:
        """Record (or, for a retry within the grace period, replace) the token's successor."""
        self.c.execute(delete(refresh_rotations).where(refresh_rotations.c.token_hash == token_hash))
        self.c.execute(
            insert(refresh_rotations).values(
                token_hash=token_hash, rotated=rotation.rotated, successor_hash=rotation.successor_hash
            )
        )
