"""AdminCreateUser and the admin operations on one user: get, delete, enable, disable.

AdminCreateUser's steps, in Cognito's order and in this order below: the new user, named and checked, and
PreSignUp_AdminCreateUser (:func:`_new_user`); its temporary password (:func:`_with_password`); the insert's
checks, made before an invitation may leave (:func:`_insert`, :func:`_rehearse`); the invitation, after
CustomMessage_AdminCreateUser (:func:`invitations`), and its delivery; then the user and its outbox rows in one
write transaction (:func:`_invite_and_store`, see steps/messaging.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any, NamedTuple, NoReturn

from userpools.domain import attributes as attribute_rules
from userpools.domain import messages, passwords, srp, trigger_events
from userpools.domain.errors import UnsupportedUserStateException, UserNotFoundException
from userpools.domain.new_users import new_user
from userpools.domain.pools import Pool
from userpools.domain.users import Credentials, User, UserStatus
from userpools.operations.registry import operation
from userpools.steps import messaging, new_users, triggers
from userpools.steps.common import find_user, load_pool, load_user
from userpools.steps.context import Context
from userpools.storage.errors import Conflict
from userpools.storage.unit import Tx

_TAKEN = new_users.Taken("User account already exists", "An account with the given email already exists.")


def _new_user(ctx: Context, pool: Pool, params: dict[str, Any]) -> User:
    """The user AdminCreateUser would create, checked against the pool but not yet stored, without its
    credentials (see :func:`_with_password`).

    The PreSignUp trigger runs here, after the request's own checks and before anything is written.
    """
    candidate = new_user(pool, params["Username"], attribute_rules.pairs(params.get("UserAttributes")))
    triggers.pre_sign_up(
        ctx,
        pool,
        "PreSignUp_AdminCreateUser",
        candidate.username,
        candidate.attributes,
        validation_data=trigger_events.name_values(params.get("ValidationData")),
        client_metadata=params.get("ClientMetadata"),
    )  # autoConfirmUser / autoVerify* do not apply to admin-created users
    return candidate.user(UserStatus.FORCE_CHANGE_PASSWORD, ctx.clock.now())


def _with_password(ctx: Context, pool: Pool, params: dict[str, Any]) -> tuple[User, str, bool]:
    """The new user (:func:`_new_user`) with its temporary password's credentials; the password, for the
    invitation; and whether an invitation may go (if not, no one is told the password: see
    :func:`temporary_credentials`)."""
    user = _new_user(ctx, pool, params)
    invite = _may_invite(user, params)
    user.credentials, password = temporary_credentials(
        ctx, pool, user.username, params.get("TemporaryPassword"), told=invite
    )
    return user, password, invite


def temporary_credentials(
    ctx: Context, pool: Pool, username: str, password: str | None, *, told: bool = True
) -> tuple[Credentials, str]:
    """Credentials for ``password`` (checked against the policy) or for a generated one, and the password.

    ``told`` False with no ``password``: no message will carry the generated one, so no one will ever know
    it and no password may match it. The credentials of an unknowable password do that without generating
    one and computing its verifier (a 3072-bit power, a large share of such a create); the password returned
    is empty."""
    policy = pool.password_policy
    if password is not None:
        passwords.check(password, policy)
        salt, verifier = srp.make_verifier(pool.short_name, username, password)
    elif told:
        password = passwords.generate(policy)
        salt, verifier = srp.make_verifier(pool.short_name, username, password)
    else:
        password = ""
        salt, verifier = srp.unknowable_verifier()
    expires = ctx.clock.now() + timedelta(days=int(policy["TemporaryPasswordValidityDays"]))
    return Credentials(salt, verifier, expires), password


def _insert(tx: Tx, pool: Pool, user: User, params: dict[str, Any]) -> None:
    """The user and its aliases (steps/new_users.py), moving those ForceAliasCreation asks for."""
    new_users.insert(tx, pool, user, force=bool(params.get("ForceAliasCreation")), taken=_TAKEN)


class _Rehearsed(Exception):
    """Raised to roll back a rehearsal transaction."""


def _rehearse(tx: Tx, pool: Pool, user: User, params: dict[str, Any]) -> NoReturn:
    """Run the insert and roll its transaction back: its conflicts surface before any message leaves.
    The real insert, later, repeats every check."""
    _insert(tx, pool, replace(user), params)
    raise _Rehearsed


def _rehearse_insert(ctx: Context, pool: Pool, user: User, params: dict[str, Any]) -> None:
    """:func:`_rehearse` in a short write transaction of its own, with no network I/O inside."""
    with contextlib.suppress(_Rehearsed):
        _write(ctx, lambda tx: _rehearse(tx, pool, user, params))


def _mediums(params: dict[str, Any]) -> tuple[list[str], bool]:
    """The invitation's mediums and whether the caller chose them (the default SMS is best-effort)."""
    chosen = params.get("DesiredDeliveryMediums")
    if chosen:
        return list(dict.fromkeys(chosen)), True
    return ["SMS"], False


def _may_invite(user: User, params: dict[str, Any]) -> bool:
    """Whether AdminCreateUser can send (or fail to send) an invitation: else there is nothing to rehearse for."""
    if params.get("MessageAction") == "SUPPRESS":
        return False
    mediums, chosen = _mediums(params)
    return chosen or any(messaging.destination(user, m, required=False) for m in mediums)


def _may_send(ctx: Context, params: dict[str, Any]) -> bool:
    """Whether an invitation may leave the server (a sender is configured for one of its mediums), rather
    than only reach the outbox (see ``Context.reaching_out``)."""
    if params.get("MessageAction") == "SUPPRESS":
        return False
    mediums, _ = _mediums(params)
    return any(ctx.senders.configured("EMAIL" if m == "EMAIL" else "SMS") for m in mediums)


def invitations(
    ctx: Context, pool: Pool, user: User, params: dict[str, Any], shown_name: str, code: str
) -> list[messaging.Outgoing]:
    """The invitation for each medium with a destination, after the CustomMessage trigger (if any)."""
    if params.get("MessageAction") == "SUPPRESS":
        return []
    mediums, chosen = _mediums(params)
    targets = [(m, messaging.destination(user, m, required=chosen)) for m in mediums]
    targets = [(m, to) for m, to in targets if to]
    if not targets:
        return []
    custom = triggers.custom_message(
        ctx,
        pool,
        "CustomMessage_AdminCreateUser",
        user.username,
        triggers.user_attributes(user),
        client_metadata=params.get("ClientMetadata"),
    )
    outgoing = []
    for medium, to in targets:
        assert to is not None
        rendered = messages.invitation(
            pool.invite_template,
            medium,
            username=shown_name,
            code=code,
            body=custom.body(medium),
            subject=custom.email_subject if medium == "EMAIL" else None,
        )
        if rendered is not None:
            outgoing.append(messaging.Outgoing("INVITATION", rendered, to, code))
    return outgoing


# A uniqueness race lost to a concurrent request is run again, so that the checks see the winner and
# answer exactly as they would have one request later (UsernameExists vs AliasExists, or a forced alias
# migrating from the winner).
CONFLICT_ATTEMPTS = 16


def _write(ctx: Context, work: Callable[[Tx], None]) -> None:
    """One write (its checks made before its first row: see :func:`_insert`), run again while it loses
    uniqueness races to concurrent requests."""
    try:
        ctx.write_racing(work, CONFLICT_ATTEMPTS)
    except Conflict as error:
        raise new_users.conflict_error(error, _TAKEN) from None


def _invite_and_store(
    ctx: Context, pool: Pool, user: User, password: str, params: dict[str, Any], store: Callable[[Tx, Pool], None]
) -> dict[str, Any]:
    """The invitation, after CustomMessage_AdminCreateUser, and its delivery; then ``store`` (given the pool as
    it is by then) and the outbox rows, in one write transaction."""
    outgoing = invitations(ctx, pool, user, params, params["Username"], password)
    statuses = messaging.send(ctx, pool, user, outgoing)

    def write(tx: Tx) -> None:
        store(tx, load_pool(tx, params["UserPoolId"]))
        messaging.record_all(ctx, tx, user, outgoing, statuses)

    _write(ctx, write)
    return {"User": user.as_user_type()}


class _Created(NamedTuple):
    pool: Pool
    user: User | None  # None: the PreSignUp trigger runs first, outside any transaction
    password: str
    stored: bool


def _create_at_once(ctx: Context, params: dict[str, Any]) -> _Created:
    """The common case in one write transaction: with no PreSignUp trigger, and no invitation or one that
    only reaches the outbox (no CustomMessage trigger, no sender configured), nothing leaves the server, so
    the checks, the user, its insert and the outbox row need no transaction before. With an invitation to
    send, the same transaction rehearses the insert instead (and is rolled back)."""
    found: _Created | None = None

    def write(tx: Tx) -> None:
        nonlocal found
        pool = load_pool(tx, params["UserPoolId"])
        if triggers.has_trigger(pool, "PreSignUp"):
            found = _Created(pool, None, "", stored=False)
            return
        user, password, invite = _with_password(ctx, pool, params)
        sends = invite and (_may_send(ctx, params) or triggers.has_trigger(pool, "CustomMessage"))
        found = _Created(pool, user, password, stored=not sends)
        if sends:
            _rehearse(tx, pool, user, params)
        _insert(tx, pool, user, params)
        if invite:  # to the outbox only
            outgoing = invitations(ctx, pool, user, params, params["Username"], password)
            messaging.record_all(ctx, tx, user, outgoing, messaging.send(ctx, pool, user, outgoing))

    with contextlib.suppress(_Rehearsed):
        _write(ctx, write)
    assert found is not None
    return found


def _resendable(tx: Tx, pool: Pool, params: dict[str, Any]) -> User:
    user = find_user(tx, pool, params["Username"])
    if user is None:
        raise UserNotFoundException("User does not exist.")
    if user.status is not UserStatus.FORCE_CHANGE_PASSWORD:
        raise UnsupportedUserStateException(f"Resend not possible. {user.username} status is not FORCE_CHANGE_PASSWORD")
    return user


def _resend(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """MessageAction RESEND: the existing user's new temporary password, sent in a new invitation."""
    ctx.reaching_out()
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user = _resendable(tx, pool, params)
    user.credentials, password = temporary_credentials(ctx, pool, user.username, params.get("TemporaryPassword"))
    user.modified = ctx.clock.now()

    def store(tx: Tx, current_pool: Pool) -> None:
        current = _resendable(tx, current_pool, params)
        user.id, user.attributes = current.id, current.attributes
        tx.users.update(user)

    return _invite_and_store(ctx, pool, user, password, params, store)


@operation("AdminCreateUser", quick_write=True)
def admin_create_user(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The steps in the module's docstring. Where nothing leaves the server, all of them are one write
    transaction (:func:`_create_at_once`); else the trigger and the delivery come between transactions."""
    if params.get("MessageAction") == "RESEND":
        return _resend(ctx, params)
    if _may_send(ctx, params):
        ctx.reaching_out()
    created = _create_at_once(ctx, params)
    if created.stored:
        assert created.user is not None
        return {"User": created.user.as_user_type()}
    ctx.reaching_out()  # a trigger to run, or a message to send
    pool, user, password = created.pool, created.user, created.password
    if user is None:  # the PreSignUp trigger, outside any transaction, then the insert's checks, rehearsed
        user, password, invite = _with_password(ctx, pool, params)
        if invite:
            _rehearse_insert(ctx, pool, user, params)

    def store(tx: Tx, current_pool: Pool) -> None:
        _insert(tx, current_pool, user, params)

    return _invite_and_store(ctx, pool, user, password, params, store)


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
