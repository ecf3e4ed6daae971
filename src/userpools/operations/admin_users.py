"""AdminCreateUser and the admin operations on one user: get, delete, enable, disable."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from userpools.domain import attributes as attribute_rules
from userpools.domain import identifiers, messages, passwords, srp
from userpools.domain.errors import (
    AliasExistsException,
    InvalidParameterException,
    UnsupportedUserStateException,
    UsernameExistsException,
    UserNotFoundException,
)
from userpools.domain.pools import Pool
from userpools.domain.users import Credentials, User, UserStatus
from userpools.operations import aliases, messaging
from userpools.operations.common import find_user, load_pool, load_user
from userpools.operations.context import Context
from userpools.operations.registry import operation
from userpools.storage.conflicts import conflicting_table
from userpools.storage.unit import Tx


def temporary_credentials(ctx: Context, pool: Pool, username: str, password: str | None) -> tuple[Credentials, str]:
    policy = pool.password_policy
    if password is None:
        password = passwords.generate(policy)
    else:
        passwords.check(password, policy)
    salt, verifier = srp.make_verifier(pool.short_name, username, password)
    expires = ctx.clock.now() + timedelta(days=int(policy["TemporaryPasswordValidityDays"]))
    return Credentials(salt, verifier, expires), password


def _sign_in_name(pool: Pool, username: str, attributes: dict[str, str]) -> tuple[str, str | None]:
    """The stored username and, in username-attribute pools, which attribute the given one fills."""
    allowed = pool.username_attributes
    if allowed:
        if "email" in allowed and identifiers.is_email(username):
            return identifiers.new_sub(), "email"
        if "phone_number" in allowed and identifiers.is_phone(username):
            return identifiers.new_sub(), "phone_number"
        if allowed == ["email"]:
            raise InvalidParameterException("Username should be an email.")
        if allowed == ["phone_number"]:
            raise InvalidParameterException("Username should be a phone number.")
        raise InvalidParameterException("Username should be either an email or a phone number.")
    if "email" in pool.alias_attributes and identifiers.is_email(username):
        raise InvalidParameterException(
            "Username cannot be of email format, since user pool is configured for email alias."
        )
    if "phone_number" in pool.alias_attributes and identifiers.is_phone(username):
        raise InvalidParameterException(
            "Username cannot be of phone number format, since user pool is configured for phone number alias."
        )
    return username, None


def _mediums(params: dict[str, Any]) -> tuple[list[str], bool]:
    """The invitation's mediums and whether the caller chose them (the default SMS is best-effort)."""
    chosen = params.get("DesiredDeliveryMediums")
    if chosen:
        return list(dict.fromkeys(chosen)), True
    return ["SMS"], False


def invite(ctx: Context, tx: Tx, pool: Pool, user: User, params: dict[str, Any], shown_name: str, code: str) -> None:
    if params.get("MessageAction") == "SUPPRESS":
        return
    mediums, chosen = _mediums(params)
    targets = [(m, messaging.destination(user, m, required=chosen)) for m in mediums]
    for medium, to in targets:
        if not to:
            continue
        rendered = messages.invitation(pool.invite_template, medium, username=shown_name, code=code)
        if rendered is not None:
            messaging.record(ctx, tx, user, "INVITATION", rendered, to, code)


def _resend(ctx: Context, tx: Tx, pool: Pool, params: dict[str, Any]) -> User:
    user = find_user(tx, pool, params["Username"])
    if user is None:
        raise UserNotFoundException("User does not exist.")
    if user.status is not UserStatus.FORCE_CHANGE_PASSWORD:
        raise UnsupportedUserStateException(
            f"Resend not possible. {user.username} status is not FORCE_CHANGE_PASSWORD"
        )
    user.credentials, password = temporary_credentials(ctx, pool, user.username, params.get("TemporaryPassword"))
    user.modified = ctx.clock.now()
    tx.users.update(user)
    invite(ctx, tx, pool, user, params, params["Username"], password)
    return user


def _create(ctx: Context, tx: Tx, pool: Pool, params: dict[str, Any]) -> User:
    given = params["Username"]
    attributes = attribute_rules.pairs(params.get("UserAttributes"))
    username, filled = _sign_in_name(pool, given, attributes)
    if filled is not None:
        attributes[filled] = given
    attribute_rules.check(attributes, pool.schema, creating=True)
    if tx.users.get(pool.id, pool.username_key(username)) is not None:
        raise UsernameExistsException("User account already exists")
    now = ctx.clock.now()
    sub = username if filled is not None else identifiers.new_sub()
    credentials, password = temporary_credentials(ctx, pool, username, params.get("TemporaryPassword"))
    user = User(
        pool_id=pool.id,
        username=username,
        sub=sub,
        status=UserStatus.FORCE_CHANGE_PASSWORD,
        enabled=True,
        attributes={"sub": sub, **attributes},
        created=now,
        modified=now,
        credentials=credentials,
    )
    keys = aliases.clear_conflicts(tx, pool, user, force=bool(params.get("ForceAliasCreation")), creating=True)
    tx.users.insert(user, pool.username_key(username))
    tx.users.set_aliases(user, keys, new=True)
    invite(ctx, tx, pool, user, params, given, password)
    return user


# A uniqueness race lost to a concurrent request is run again, so that the checks see the winner and
# answer exactly as they would have one request later (UsernameExists vs AliasExists, or a forced alias
# migrating from the winner).
CONFLICT_ATTEMPTS = 16


@operation("AdminCreateUser")
def admin_create_user(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    for attempt in range(1, CONFLICT_ATTEMPTS + 1):
        try:
            with ctx.store.transaction() as tx:
                pool = load_pool(tx, params["UserPoolId"])
                if params.get("MessageAction") == "RESEND":
                    user = _resend(ctx, tx, pool, params)
                else:
                    user = _create(ctx, tx, pool, params)
            return {"User": user.as_user_type()}
        except IntegrityError as error:  # a concurrent request won the race the checks above lost
            if attempt < CONFLICT_ATTEMPTS:
                continue
            if conflicting_table(error) == "aliases":
                raise AliasExistsException("An account with the given email already exists.") from None
            raise UsernameExistsException("User account already exists") from None
    raise AssertionError("unreachable")


@operation("AdminGetUser", quick_read=True)
def admin_get_user(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, params["Username"])
    return user.as_admin_get()


@operation("AdminDeleteUser")
def admin_delete_user(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, params["Username"])
        assert user.id is not None
        tx.users.delete(user.id)
    return {}


def _set_enabled(ctx: Context, params: dict[str, Any], enabled: bool) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, params["Username"])
        user.enabled = enabled
        user.modified = ctx.clock.now()
        tx.users.update(user)
    return {}


@operation("AdminEnableUser")
def admin_enable_user(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _set_enabled(ctx, params, True)


@operation("AdminDisableUser")
def admin_disable_user(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _set_enabled(ctx, params, False)
