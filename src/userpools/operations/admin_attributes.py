"""AdminUpdateUserAttributes, AdminDeleteUserAttributes, AdminSetUserPassword, AdminResetUserPassword."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from userpools.domain import attributes as attribute_rules
from userpools.domain import messages, passwords, srp
from userpools.domain.errors import AliasExistsException, InvalidParameterException, NotAuthorizedException
from userpools.domain.pools import Pool
from userpools.domain.users import Credentials, User, UserStatus
from userpools.operations import aliases, messaging, triggers
from userpools.operations.common import load_pool, load_user
from userpools.operations.context import Context
from userpools.operations.registry import operation
from userpools.storage.unit import Tx

RESET_CODE_VALIDITY = timedelta(hours=1)
RESET_MESSAGE = "Your password reset code is {####}"
RESET_SUBJECT = "Your password reset code"


def apply_attribute_change(tx: Tx, pool: Pool, user: User, changes: dict[str, str], removed: list[str]) -> None:
    """Write new attribute values, unverifying an email/phone that changed, and keep aliases in step."""
    for kind in ("email", "phone_number"):
        flag = f"{kind}_verified"
        if kind in changes and changes[kind] != user.attributes.get(kind) and flag not in changes:
            changes[flag] = "false"
        if kind in removed:
            user.attributes.pop(flag, None)
    user.attributes.update(changes)
    for name in removed:
        user.attributes.pop(name, None)
    keys = aliases.clear_conflicts(tx, pool, user, force=False, creating=False)
    tx.users.update(user)
    try:
        with tx.connection.begin_nested():
            tx.users.set_aliases(user, keys)
    except IntegrityError:
        raise AliasExistsException("An account with the given email already exists.") from None


@operation("AdminUpdateUserAttributes")
def admin_update_user_attributes(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    changes = attribute_rules.pairs(params["UserAttributes"])
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, params["Username"])
        attribute_rules.check(changes, pool.schema, creating=False)
        user.modified = ctx.clock.now()
        apply_attribute_change(tx, pool, user, changes, [])
    return {}


@operation("AdminDeleteUserAttributes")
def admin_delete_user_attributes(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    names = list(params["UserAttributeNames"])
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, params["Username"])
        by_name = {a["Name"]: a for a in pool.schema}
        for name in names:
            spec = by_name.get(name)
            if spec is None:
                raise InvalidParameterException(
                    f"Attributes did not conform to the schema: {name}: Attribute does not exist in the schema.\n"
                )
            if spec.get("Required") or not spec.get("Mutable", True):
                raise InvalidParameterException(f"Cannot delete the required or immutable attribute {name}.")
        user.modified = ctx.clock.now()
        apply_attribute_change(tx, pool, user, {}, names)
    return {}


def set_password(ctx: Context, pool: Pool, user: User, password: str, *, permanent: bool) -> None:
    policy = pool.password_policy
    passwords.check(password, policy)
    salt, verifier = srp.make_verifier(pool.short_name, user.username, password)
    if permanent:
        user.credentials = Credentials(salt, verifier, None)
        user.status = UserStatus.CONFIRMED
    else:
        expires = ctx.clock.now() + timedelta(days=int(policy["TemporaryPasswordValidityDays"]))
        user.credentials = Credentials(salt, verifier, expires)
        user.status = UserStatus.FORCE_CHANGE_PASSWORD
    user.modified = ctx.clock.now()


@operation("AdminSetUserPassword")
def admin_set_user_password(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, params["Username"])
        set_password(ctx, pool, user, params["Password"], permanent=bool(params.get("Permanent")))
        tx.users.update(user)
    return {}


def recovery_medium(user: User) -> str | None:
    if user.verified("email"):
        return "EMAIL"
    if user.verified("phone_number"):
        return "SMS"
    return None


def _resettable(tx: Tx, pool: Pool, params: dict[str, Any]) -> tuple[User, str]:
    user = load_user(tx, pool, params["Username"])
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    medium = recovery_medium(user)
    if medium is None:
        raise InvalidParameterException(
            "Cannot reset password for the user as there is no registered/verified email or phone_number"
        )
    return user, medium


@operation("AdminResetUserPassword")
def admin_reset_user_password(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Check, run CustomMessage_ForgotPassword, send the code, then store it (see operations/messaging.py)."""
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user, medium = _resettable(tx, pool, params)
    to = messaging.destination(user, medium, required=True)
    assert to is not None
    code = f"{secrets.randbelow(10**6):06d}"
    custom = triggers.custom_message(
        ctx, pool, "CustomMessage_ForgotPassword", user.username,
        {**user.attributes, "cognito:user_status": user.status.value},
        client_metadata=params.get("ClientMetadata"),
    )
    subject = (custom.email_subject or RESET_SUBJECT) if medium == "EMAIL" else None
    body = messages.fill(custom.body(medium) or RESET_MESSAGE, code=code, username=user.username)
    outgoing = [messaging.Outgoing("FORGOT_PASSWORD", messages.Rendered(medium, subject, body), to, code)]
    statuses = messaging.send(ctx, pool, user, outgoing)
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user, _ = _resettable(tx, pool, params)
        assert user.id is not None
        tx.codes.put(user.id, "FORGOT_PASSWORD", code, ctx.clock.now() + RESET_CODE_VALIDITY)
        user.status = UserStatus.RESET_REQUIRED
        user.modified = ctx.clock.now()
        tx.users.update(user)
        messaging.record_all(ctx, tx, user, outgoing, statuses)
    return {}
