"""Remembered devices: ConfirmDevice, UpdateDeviceStatus, ListDevices, GetDevice, ForgetDevice (with an access
token) and their Admin twins. A device appears at sign-in (NewDeviceMetadata, auth/issue.py) and is listed
once confirmed; device SRP itself is in auth/device_challenges.py."""

from __future__ import annotations

from typing import Any

from userpools.domain import devices as device_rules
from userpools.domain.errors import (
    DeviceKeyExistsException,
    InvalidParameterException,
    ResourceNotFoundException,
)
from userpools.domain.pools import Pool
from userpools.domain.users import User
from userpools.operations.auth.issue import authorize
from userpools.operations.registry import operation
from userpools.steps import pagination
from userpools.steps.common import load_pool, load_user
from userpools.steps.context import Context
from userpools.storage.devices import Device
from userpools.storage.unit import Tx

NOT_FOUND = "Device does not exist."


def _shown(device: Device) -> dict[str, Any]:
    return device_rules.device_type(
        device.key, device.name, device.remembered, device.created, device.modified, device.last_authenticated
    )


def _device_of(tx: Tx, user: User, key: str, *, confirmed: bool = True) -> Device:
    device = tx.devices.get(key)
    if device is None or device.user_id != user.id or (confirmed and not device.confirmed):
        raise ResourceNotFoundException(NOT_FOUND)
    return device


def _caller(ctx: Context, tx: Tx, params: dict[str, Any]) -> tuple[Pool, User]:
    if not params.get("AccessToken"):
        raise InvalidParameterException("Missing required parameter AccessToken")
    caller = authorize(ctx, tx, params["AccessToken"])
    return caller.pool, caller.user


def _admin(tx: Tx, params: dict[str, Any]) -> tuple[Pool, User]:
    pool = load_pool(tx, params["UserPoolId"])
    return pool, load_user(tx, pool, params["Username"])


@operation("ConfirmDevice")
def confirm_device(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    salt, verifier = device_rules.verifier_config(params.get("DeviceSecretVerifierConfig"))
    now = ctx.clock.now()
    with ctx.store.transaction() as tx:
        pool, user = _caller(ctx, tx, params)
        device = _device_of(tx, user, params["DeviceKey"], confirmed=False)
        if device.confirmed:
            raise DeviceKeyExistsException("Device key already exists.")
        remembered = device_rules.remembered_on_confirm(pool.config)
        tx.devices.change(
            device.key,
            now,
            salt=salt,
            verifier=verifier,
            name=params.get("DeviceName"),
            confirmed=True,
            remembered=remembered,
        )
    return {"UserConfirmationNecessary": not remembered}


def _set_status(ctx: Context, tx: Tx, user: User, params: dict[str, Any]) -> None:
    device = _device_of(tx, user, params["DeviceKey"])
    remembered = params.get("DeviceRememberedStatus") == "remembered"
    tx.devices.change(device.key, ctx.clock.now(), remembered=remembered)


@operation("UpdateDeviceStatus")
def update_device_status(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        _set_status(ctx, tx, _caller(ctx, tx, params)[1], params)
    return {}


@operation("AdminUpdateDeviceStatus")
def admin_update_device_status(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        _set_status(ctx, tx, _admin(tx, params)[1], params)
    return {}


def _list(ctx: Context, tx: Tx, user: User, params: dict[str, Any]) -> dict[str, Any]:
    page = pagination.request(ctx, params.get("PaginationToken"), int(params.get("Limit") or 60))
    assert user.id is not None
    devices, token = pagination.split(ctx, page, tx.devices.of_user(user.id, page.after, page.fetch), lambda d: d.key)
    return {"Devices": [_shown(d) for d in devices], "PaginationToken": token}


@operation("ListDevices")
def list_devices(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        return _list(ctx, tx, _caller(ctx, tx, params)[1], params)


@operation("AdminListDevices")
def admin_list_devices(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        return _list(ctx, tx, _admin(tx, params)[1], params)


@operation("GetDevice")
def get_device(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        return {"Device": _shown(_device_of(tx, _caller(ctx, tx, params)[1], params["DeviceKey"]))}


@operation("AdminGetDevice")
def admin_get_device(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        return {"Device": _shown(_device_of(tx, _admin(tx, params)[1], params["DeviceKey"]))}


@operation("ForgetDevice")
def forget_device(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        tx.devices.forget(_device_of(tx, _caller(ctx, tx, params)[1], params["DeviceKey"]).key)
    return {}


@operation("AdminForgetDevice")
def admin_forget_device(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        tx.devices.forget(_device_of(tx, _admin(tx, params)[1], params["DeviceKey"]).key)
    return {}
