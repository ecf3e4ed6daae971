"""What a signed-in user does with its access token: GetUser, ChangePassword, UpdateUserAttributes,
DeleteUserAttributes, DeleteUser, GetUserAttributeVerificationCode, VerifyUserAttribute."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from userpools.domain import attributes as attribute_rules
from userpools.domain import messages, passwords, srp
from userpools.domain.errors import InvalidParameterException, NotAuthorizedException
from userpools.domain.users import User
from userpools.operations import auth_events
from userpools.operations.admin_attributes import apply_attribute_change, set_password
from userpools.operations.auth.guards import AuthRequest, SignInFailure, before_password
from userpools.operations.auth.issue import Caller, authorize
from userpools.operations.clients import load_client
from userpools.operations.registry import operation
from userpools.steps import codes
from userpools.steps.context import Context
from userpools.steps.followup import transact
from userpools.storage.unit import Tx

_VERIFIABLE = ("email", "phone_number")


def _writable(tx: Tx, ctx: Context, caller: Caller, names: list[str]) -> None:
    allowed = load_client(ctx, tx, caller.client_id).write_attributes if tx.clients.get(caller.client_id) else None
    if allowed is not None and any(name not in allowed for name in names):
        raise NotAuthorizedException("A client attempted to write unauthorized attribute")


@operation("GetUser")
def get_user(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        user = authorize(ctx, tx, params["AccessToken"]).user
    got = user.as_admin_get()
    wanted = ("Username", "UserAttributes", "MFAOptions", "PreferredMfaSetting", "UserMFASettingList")
    return {k: got[k] for k in wanted if k in got}


@operation("ChangePassword")
@auth_events.recorded("PasswordChange", "ProposedPassword")
def change_password(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    def step(tx: Tx) -> dict[str, Any]:
        caller = authorize(ctx, tx, params["AccessToken"])
        user = caller.user
        passwords.check(params["ProposedPassword"], caller.pool.password_policy)
        request = AuthRequest(ctx, tx, caller.pool, load_client(ctx, tx, caller.client_id), {}, False)
        before_password(request, user)
        assert user.credentials is not None and user.id is not None
        previous = params.get("PreviousPassword") or ""
        if not srp.password_matches(
            caller.pool.short_name, user.username, previous, user.credentials.salt, user.credentials.verifier
        ):
            raise SignInFailure(user.id, ctx.clock.now())
        set_password(ctx, caller.pool, user, params["ProposedPassword"], permanent=True)
        tx.users.update(user)
        return {}

    return transact(ctx, step)


@operation("UpdateUserAttributes")
def update_user_attributes(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Checks, then a code for each changed auto-verified email/phone (CustomMessage_UpdateUserAttribute,
    sent to the new value), then the change and the codes in one write transaction."""
    changes = attribute_rules.pairs(params["UserAttributes"])
    with ctx.store.transaction(write=False) as tx:
        caller = authorize(ctx, tx, params["AccessToken"])
        pool, user = caller.pool, caller.user
        _writable(tx, ctx, caller, list(changes))
        attribute_rules.check(changes, pool.schema, creating=False)
    auto = pool.config.get("AutoVerifiedAttributes") or []
    to_verify = [
        a
        for a in _VERIFIABLE
        if a in auto and a in changes and f"{a}_verified" not in changes and changes[a] != user.attributes.get(a)
    ]
    changed = replace(user, attributes={**user.attributes, **changes})
    prepared = [_verification(ctx, caller, changed, a, "CustomMessage_UpdateUserAttribute", params) for a in to_verify]
    statuses = codes.deliver(ctx, pool, changed, prepared)
    with ctx.store.transaction() as tx:
        caller = authorize(ctx, tx, params["AccessToken"])
        caller.user.modified = ctx.clock.now()
        apply_attribute_change(tx, caller.pool, caller.user, changes, [])
        codes.store(ctx, tx, caller.user, prepared, statuses)
    return {"CodeDeliveryDetailsList": [p.delivery() for p in prepared]}


@operation("DeleteUserAttributes")
def delete_user_attributes(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    names = list(params["UserAttributeNames"])
    with ctx.store.transaction() as tx:
        caller = authorize(ctx, tx, params["AccessToken"])
        _writable(tx, ctx, caller, names)
        by_name = {a["Name"]: a for a in caller.pool.schema}
        for name in names:
            spec = by_name.get(name)
            if spec is None or spec.get("Required") or not spec.get("Mutable", True):
                raise InvalidParameterException(f"Cannot delete the required, immutable or unknown attribute {name}.")
        caller.user.modified = ctx.clock.now()
        apply_attribute_change(tx, caller.pool, caller.user, {}, names)
    return {}


@operation("DeleteUser")
def delete_user(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        user = authorize(ctx, tx, params["AccessToken"]).user
        assert user.id is not None
        tx.users.delete(user.id)
    return {}


def _verification(
    ctx: Context, caller: Caller, user: User, attribute: str, source: str, params: dict[str, Any]
) -> codes.CodeMessage:
    medium = codes.medium_for(attribute)
    message, subject = messages.verification_template(caller.pool, medium)
    return codes.prepare(
        ctx,
        caller.pool,
        user,
        purpose=f"VERIFY:{attribute}",
        kind="VERIFY_ATTRIBUTE",
        medium=medium,
        template=message,
        subject=subject,
        source=source,
        client_metadata=params.get("ClientMetadata"),
        client_id=caller.client_id,
    )


@operation("GetUserAttributeVerificationCode")
def get_user_attribute_verification_code(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    name = params["AttributeName"]
    with ctx.store.transaction(write=False) as tx:
        caller = authorize(ctx, tx, params["AccessToken"])
    if name not in _VERIFIABLE or not caller.user.attributes.get(name):
        raise InvalidParameterException(f"Invalid attribute name or no value for the attribute: {name}")
    prepared = _verification(ctx, caller, caller.user, name, "CustomMessage_VerifyUserAttribute", params)
    statuses = codes.deliver(ctx, caller.pool, caller.user, [prepared])
    with ctx.store.transaction() as tx:
        codes.store(ctx, tx, authorize(ctx, tx, params["AccessToken"]).user, [prepared], statuses)
    return {"CodeDeliveryDetails": prepared.delivery()}


@operation("VerifyUserAttribute")
def verify_user_attribute(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    name = params["AttributeName"]

    def step(tx: Tx) -> dict[str, Any]:
        caller = authorize(ctx, tx, params["AccessToken"])
        if name not in _VERIFIABLE:
            raise InvalidParameterException(f"Invalid attribute name: {name}")
        codes.check(ctx, tx, caller.user, f"VERIFY:{name}", params["Code"])
        caller.user.modified = ctx.clock.now()
        apply_attribute_change(tx, caller.pool, caller.user, {f"{name}_verified": "true"}, [])
        return {}

    return transact(ctx, step)
