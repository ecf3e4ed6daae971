"""How managed login looks: GetUICustomization, SetUICustomization (classic hosted UI, CSS and logo) and
Create/Describe/DescribeByClient/Update/Delete ManagedLoginBranding (managed login's styles, stored)."""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any

from userpools.domain.errors import (
    InvalidParameterException,
    ManagedLoginBrandingExistsException,
    ResourceNotFoundException,
)
from userpools.operations.clients import load_client
from userpools.operations.registry import operation
from userpools.steps.common import load_pool
from userpools.steps.context import Context
from userpools.storage.branding import BrandingRecord, UICustomizationRecord
from userpools.storage.errors import Conflict
from userpools.storage.unit import Tx

ALL = "ALL"  # the pool's own UI customization, used for clients without their own


def logo_url(ctx: Context, pool_id: str, client_id: str) -> str:
    return f"{ctx.settings.base_url}/_userpools/ui/{pool_id}/{client_id}/logo"


def ui_customization(tx: Tx, pool_id: str, client_id: str | None) -> UICustomizationRecord | None:
    """The client's customization, else the pool's."""
    found = tx.branding.ui(pool_id, client_id) if client_id else None
    return found or tx.branding.ui(pool_id, ALL)


def _describe_ui(ctx: Context, pool_id: str, client_id: str, record: UICustomizationRecord | None) -> dict[str, Any]:
    out: dict[str, Any] = {"UserPoolId": pool_id, "ClientId": client_id}
    if record is not None:
        out.update(CSSVersion=str(int(record.modified.timestamp() * 1000)), CreationDate=record.created)
        out["LastModifiedDate"] = record.modified
        if record.css is not None:
            out["CSS"] = record.css
        if record.image is not None:
            out["ImageUrl"] = logo_url(ctx, pool_id, record.client_id)
    return out


def _client_of(ctx: Context, tx: Tx, pool_id: str, client_id: str | None) -> str:
    load_pool(tx, pool_id)
    if client_id and client_id != ALL:
        load_client(ctx, tx, client_id, pool_id)
        return client_id
    return ALL


@operation("GetUICustomization")
def get_ui_customization(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:  # loading a client may create the server key on first use
        client_id = _client_of(ctx, tx, params["UserPoolId"], params.get("ClientId"))
        record = ui_customization(tx, params["UserPoolId"], client_id)
    return {"UICustomization": _describe_ui(ctx, params["UserPoolId"], client_id, record)}


def _image(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidParameterException("ImageFile is not valid base64.") from None
    if not (raw.startswith(b"\x89PNG") or raw.startswith(b"\xff\xd8")):
        raise InvalidParameterException("The image file must be a PNG or JPEG.")
    return value


@operation("SetUICustomization")
def set_ui_customization(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    now = ctx.clock.now()
    image = _image(params.get("ImageFile"))
    with ctx.store.transaction() as tx:
        pool_id = params["UserPoolId"]
        client_id = _client_of(ctx, tx, pool_id, params.get("ClientId"))
        before = tx.branding.ui(pool_id, client_id)
        record = UICustomizationRecord(
            pool_id, client_id, params.get("CSS"), image, before.created if before else now, now
        )
        tx.branding.put_ui(record)
    return {"UICustomization": _describe_ui(ctx, pool_id, client_id, record)}


def _describe_branding(record: BrandingRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ManagedLoginBrandingId": record.id,
        "UserPoolId": record.pool_id,
        "UseCognitoProvidedValues": record.use_cognito,
        "Assets": record.assets,
        "CreationDate": record.created,
        "LastModifiedDate": record.modified,
    }
    if record.settings is not None:
        out["Settings"] = record.settings
    return out


def _style(params: dict[str, Any]) -> tuple[bool, dict[str, Any] | None, list[dict[str, Any]]]:
    use_cognito = bool(params.get("UseCognitoProvidedValues"))
    settings = params.get("Settings")
    assets = list(params.get("Assets") or [])
    if use_cognito and (settings is not None or assets):
        raise InvalidParameterException("Settings and Assets cannot be set when UseCognitoProvidedValues is true.")
    pairs = [(a["Category"], a["ColorMode"]) for a in assets]
    if len(set(pairs)) != len(pairs):
        raise InvalidParameterException("Each asset Category and ColorMode can be set only once.")
    return use_cognito or (settings is None and not assets), settings, assets


def _branding(tx: Tx, pool_id: str, branding_id: str) -> BrandingRecord:
    load_pool(tx, pool_id)
    record = tx.branding.branding(pool_id, branding_id)
    if record is None:
        raise ResourceNotFoundException(f"Managed login branding {branding_id} does not exist.")
    return record


@operation("CreateManagedLoginBranding")
def create_managed_login_branding(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    now = ctx.clock.now()
    use_cognito, settings, assets = _style(params)
    with ctx.store.transaction() as tx:
        load_pool(tx, params["UserPoolId"])
        load_client(ctx, tx, params["ClientId"], params["UserPoolId"])
        record = BrandingRecord(
            str(uuid.uuid4()), params["UserPoolId"], params["ClientId"], use_cognito, settings, assets, now, now
        )
        try:
            tx.branding.insert_branding(record)
        except Conflict:
            raise ManagedLoginBrandingExistsException(
                "Managed login branding already exists for this app client."
            ) from None
    return {"ManagedLoginBranding": _describe_branding(record)}


@operation("DescribeManagedLoginBranding")
def describe_managed_login_branding(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        record = _branding(tx, params["UserPoolId"], params["ManagedLoginBrandingId"])
    return {"ManagedLoginBranding": _describe_branding(record)}


@operation("DescribeManagedLoginBrandingByClient")
def describe_managed_login_branding_by_client(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        load_pool(tx, params["UserPoolId"])
        load_client(ctx, tx, params["ClientId"], params["UserPoolId"])
        record = tx.branding.branding_of_client(params["UserPoolId"], params["ClientId"])
    if record is None:
        raise ResourceNotFoundException("No managed login branding exists for this app client.")
    return {"ManagedLoginBranding": _describe_branding(record)}


@operation("UpdateManagedLoginBranding")
def update_managed_login_branding(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    if not params.get("UserPoolId") or not params.get("ManagedLoginBrandingId"):
        raise InvalidParameterException("UserPoolId and ManagedLoginBrandingId are required.")
    use_cognito, settings, assets = _style(params)
    with ctx.store.transaction() as tx:
        record = _branding(tx, params["UserPoolId"], params["ManagedLoginBrandingId"])
        record = BrandingRecord(
            record.id, record.pool_id, record.client_id, use_cognito, settings, assets, record.created, ctx.clock.now()
        )
        tx.branding.update_branding(record)
    return {"ManagedLoginBranding": _describe_branding(record)}


@operation("DeleteManagedLoginBranding")
def delete_managed_login_branding(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        record = _branding(tx, params["UserPoolId"], params["ManagedLoginBrandingId"])
        tx.branding.delete_branding(record.id)
    return {}
