"""AdminUpdateUserAttributes, AdminDeleteUserAttributes, AdminSetUserPassword, AdminResetUserPassword."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from userpools.domain import attributes as attribute_rules
from userpools.domain import passwords, srp
from userpools.domain.errors import AliasExistsException, InvalidParameterException, NotAuthorizedException
from userpools.domain.pools import Pool
from userpools.domain.users import Credentials, User, UserStatus
from userpools.operations.registry import operation
from userpools.steps import aliases, codes
from userpools.steps.common import load_pool, load_user
from userpools.steps.context import Context
from userpools.storage.errors import Conflict
from userpools.storage.unit import Tx


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
        with tx.attempt():
            tx.users.set_aliases(user, keys)
    except Conflict:
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


def reset_medium(user: User) -> str:
    """Where a password reset code for the user goes, or Cognito's refusal."""
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    if user.verified("email"):
        return "EMAIL"
    if user.verified("phone_number"):
        return "SMS"
    raise InvalidParameterException(
        "Cannot reset password for the user as there is no registered/verified email or phone_number"
    )


def reset_code(
    ctx: Context, pool: Pool, user: User, params: dict[str, Any], client_id: str | None
) -> codes.CodeMessage:
    """A password reset code and its message (AdminResetUserPassword, ForgotPassword), after the
    CustomMessage_ForgotPassword trigger: call it outside any storage transaction."""
    return codes.prepare(
        ctx,
        pool,
        user,
        purpose="FORGOT_PASSWORD",
        kind="FORGOT_PASSWORD",
        medium=reset_medium(user),
        template=codes.RESET_MESSAGE,
        subject=codes.RESET_SUBJECT,
        source="CustomMessage_ForgotPassword",
        client_metadata=params.get("ClientMetadata"),
        client_id=client_id,
    )


@operation("AdminResetUserPassword")
def admin_reset_user_password(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Check, run CustomMessage_ForgotPassword, send the code, then store it (see steps/codes.py)."""
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, params["Username"])
    prepared = reset_code(ctx, pool, user, params, client_id=None)
    statuses = codes.deliver(ctx, pool, user, [prepared])
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, params["Username"])
        reset_medium(user)
        user.status = UserStatus.RESET_REQUIRED
        user.modified = ctx.clock.now()
        tx.users.update(user)
        codes.store(ctx, tx, user, [prepared], statuses)
    return {}
