"""How managed login looks: UI customization (CSS, logo) and managed login branding styles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from userpools.storage.errors import Conflict
from userpools.storage.schema import login_brandings, ui_customizations
from userpools.storage.statements import Repository


@dataclass(frozen=True)
class UICustomizationRecord:
    pool_id: str
    client_id: str  # "ALL" for the pool's own
    css: str | None
    image: str | None  # base64
    created: datetime
    modified: datetime


@dataclass(frozen=True)
class BrandingRecord:
    id: str
    pool_id: str
    client_id: str
    use_cognito: bool
    settings: dict[str, Any] | None
    assets: list[dict[str, Any]]
    created: datetime
    modified: datetime


def _branding(row: Any) -> BrandingRecord:
    return BrandingRecord(
        row.id,
        row.pool_id,
        row.client_id,
        bool(row.use_cognito),
        row.settings,
        list(row.assets or []),
        row.created,
        row.modified,
    )


class BrandingRepository(Repository):
    def ui(self, pool_id: str, client_id: str) -> UICustomizationRecord | None:
        row = self.c.execute(
            select(ui_customizations).where(
                ui_customizations.c.pool_id == pool_id, ui_customizations.c.client_id == client_id
            )
        ).first()
        return UICustomizationRecord(**row._asdict()) if row else None

    def put_ui(self, record: UICustomizationRecord) -> None:
        table = ui_customizations
        where = (table.c.pool_id == record.pool_id) & (table.c.client_id == record.client_id)
        if self.c.execute(select(table.c.pool_id).where(where)).first():
            self.c.execute(
                update(table).where(where).values(css=record.css, image=record.image, modified=record.modified)
            )
        else:
            self.c.execute(insert(table).values(**record.__dict__))

    def branding(self, pool_id: str, branding_id: str) -> BrandingRecord | None:
        row = self.c.execute(
            select(login_brandings).where(login_brandings.c.pool_id == pool_id, login_brandings.c.id == branding_id)
        ).first()
        return _branding(row) if row else None

    def branding_of_client(self, pool_id: str, client_id: str) -> BrandingRecord | None:
        row = self.c.execute(
            select(login_brandings).where(
                login_brandings.c.pool_id == pool_id, login_brandings.c.client_id == client_id
            )
        ).first()
        return _branding(row) if row else None

    def insert_branding(self, record: BrandingRecord) -> None:
        try:
            with self.c.begin_nested():
                self.c.execute(insert(login_brandings).values(**record.__dict__))
        except IntegrityError:
            raise Conflict("unique", record.client_id) from None

    def update_branding(self, record: BrandingRecord) -> None:
        self.c.execute(
            update(login_brandings)
            .where(login_brandings.c.id == record.id)
            .values(
                use_cognito=record.use_cognito,
                settings=record.settings,
                assets=record.assets,
                modified=record.modified,
            )
        )

    def delete_branding(self, branding_id: str) -> None:
        self.c.execute(delete(login_brandings).where(login_brandings.c.id == branding_id))
