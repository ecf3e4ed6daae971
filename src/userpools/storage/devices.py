"""Remembered devices: one row per device key, listed per user in key order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from userpools.storage.schema import devices
from userpools.storage.statements import Query, Repository


@dataclass(frozen=True)
class Device:
    key: str
    pool_id: str
    user_id: int
    group_key: str
    salt: str | None  # hex, as SALT is sent; None until ConfirmDevice
    verifier: str | None  # hex
    name: str | None
    confirmed: bool
    remembered: bool
    created: datetime
    modified: datetime
    last_authenticated: datetime | None


def _device(row: Any) -> Device:
    return Device(
        key=row.device_key,
        pool_id=row.pool_id,
        user_id=int(row.user_id),
        group_key=row.group_key,
        salt=row.salt,
        verifier=row.verifier,
        name=row.name,
        confirmed=bool(row.confirmed),
        remembered=bool(row.remembered),
        created=row.created,
        modified=row.modified,
        last_authenticated=row.last_authenticated,
    )


_GET = Query(select(devices).where(devices.c.device_key == bindparam("key")))


class DeviceRepository(Repository):
    def get(self, key: str) -> Device | None:
        row = _GET.first(self.session, key=key)
        return _device(row) if row is not None else None

    def add(self, key: str, pool_id: str, user_id: int, group_key: str, now: datetime) -> None:
        self.c.execute(
            insert(devices).values(
                device_key=key,
                pool_id=pool_id,
                user_id=user_id,
                group_key=group_key,
                confirmed=False,
                remembered=False,
                created=now,
                modified=now,
                last_authenticated=now,
            )
        )

    def change(self, key: str, now: datetime, **values: Any) -> None:
        """Set columns of the device (salt, verifier, name, confirmed, remembered, last_authenticated)."""
        self.c.execute(update(devices).where(devices.c.device_key == key).values(modified=now, **values))

    def of_user(self, user_id: int, after: str | None, limit: int) -> list[Device]:
        """The user's confirmed devices in key order, after the key ``after``."""
        query = (
            select(devices)
            .where(devices.c.user_id == user_id, devices.c.confirmed.is_(True))
            .order_by(devices.c.device_key)
            .limit(limit)
        )
        if after is not None:
            query = query.where(devices.c.device_key > after)
        return [_device(row) for row in self.c.execute(query)]

    def forget(self, key: str) -> None:
        self.c.execute(delete(devices).where(devices.c.device_key == key))
