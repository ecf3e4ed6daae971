"""Signing up: SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp. ``by_client`` and
``named_user`` are the first steps of every request made with an app client id and no access token
(forgot_password.py's too).

Triggers and deliveries run between transactions, never inside one (see steps/messaging.py):
PreSignUp_SignUp and CustomMessage_* before anything is written, PostConfirmation_* after the
confirmation is stored.
"""

from __future__ import annotations

from typing import Any

from userpools.domain import attributes as attribute_rules
from userpools.domain import messages, passwords, sign_in_policy, trigger_events
from userpools.domain.clients import Client
from userpools.domain.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    UsernameExistsException,
    UserNotFoundException,
)
from userpools.domain.new_users import new_user
from userpools.domain.pools import Pool
from userpools.domain.users import User, UserStatus
from userpools.operations import auth_events
from userpools.operations.admin_attributes import apply_attribute_change
from userpools.operations.auth import user_auth
from userpools.operations.auth.guards import check_secret_hash
from userpools.operations.clients import load_client
from userpools.operations.registry import operation
from userpools.steps import codes, new_users, triggers
from userpools.steps.common import find_user, load_pool, load_user
from userpools.steps.context import Context
from userpools.steps.followup import transact
from userpools.storage.errors import Conflict
from userpools.storage.unit import Tx

_TAKEN = new_users.Taken("User already exists")


def by_client(ctx: Context, tx: Tx, params: dict[str, Any]) -> tuple[Pool, Client]:
    client = load_client(ctx, tx, params["ClientId"])
    pool = load_pool(tx, client.pool_id)
    check_secret_hash(client, params.get("SecretHash"), params["Username"])
    return pool, client


def named_user(tx: Tx, pool: Pool, username: str) -> User:
    user = find_user(tx, pool, username)
    if user is None:
        raise UserNotFoundException("Username/client id combination not found.")
    return user


def _sign_up_code(
    ctx: Context, pool: Pool, client: Client, user: User, source: str, params: dict[str, Any]
) -> codes.CodeMessage | None:
    """The confirmation code message for the first auto-verified attribute the user has, if any."""
    auto = pool.config.get("AutoVerifiedAttributes") or []
    for attribute in ("email", "phone_number"):
        if attribute in auto and user.attributes.get(attribute):
            medium = codes.medium_for(attribute)
            message, subject = messages.verification_template(pool, medium)
            return codes.prepare(
                ctx,
                pool,
                user,
                purpose="SIGN_UP",
                kind="SIGN_UP",
                medium=medium,
                template=message,
                subject=subject,
                source=source,
                client_metadata=params.get("ClientMetadata"),
                client_id=client.id,
            )
    return None


def _new_user(ctx: Context, tx: Tx, pool: Pool, params: dict[str, Any]) -> tuple[User, dict[str, str]]:
    """The user SignUp would create (UNCONFIRMED), checked but not stored, and its given attributes."""
    if (pool.config.get("AdminCreateUserConfig") or {}).get("AllowAdminCreateUserOnly"):
        raise NotAuthorizedException("SignUp is not permitted for this user pool")
    candidate = new_user(pool, params["Username"], attribute_rules.pairs(params.get("UserAttributes")))
    attributes = candidate.attributes
    missing = [
        a["Name"] for a in pool.schema if a.get("Required") and a["Name"] != "sub" and not attributes.get(a["Name"])
    ]
    if missing:
        raise InvalidParameterException(
            "Attributes did not conform to the schema: " + "".join(f"{n}: The attribute is required\n" for n in missing)
        )
    password = params.get("Password") or None  # None: a passwordless user (checked by sign_up)
    if password is not None:
        passwords.check(password, pool.password_policy)
    if tx.users.get(pool.id, pool.username_key(candidate.username)) is not None:
        raise UsernameExistsException(_TAKEN.username)
    return candidate.user(UserStatus.UNCONFIRMED, ctx.clock.now(), password=password), attributes


def _apply_pre_sign_up(user: User, answer: trigger_events.PreSignUpAnswer) -> None:
    if answer.auto_confirm_user:
        user.status = UserStatus.CONFIRMED
    for flag, attribute in ((answer.auto_verify_email, "email"), (answer.auto_verify_phone, "phone_number")):
        if flag and user.attributes.get(attribute):
            user.attributes[f"{attribute}_verified"] = "true"


@operation("SignUp")
@auth_events.recorded("SignUp", "Password")
def sign_up(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Checks, PreSignUp_SignUp, CustomMessage_SignUp and delivery, then one write transaction.

    An auto-confirmed user (PreSignUp's autoConfirmUser) gets no code and goes through
    PostConfirmation_ConfirmSignUp once stored.
    """
    with ctx.store.transaction(write=False) as tx:
        pool, client = by_client(ctx, tx, params)
        if not params.get("Password") and not sign_in_policy.allows_passwordless_sign_up(pool.config):
            raise InvalidParameterException(
                "1 validation error detected: "
                "Value null at 'password' failed to satisfy constraint: Member must not be null"
            )
        user, attributes = _new_user(ctx, tx, pool, params)
    answer = triggers.pre_sign_up(
        ctx,
        pool,
        "PreSignUp_SignUp",
        user.username,
        attributes,
        validation_data=trigger_events.name_values(params.get("ValidationData")),
        client_metadata=params.get("ClientMetadata"),
        client_id=client.id,
    )
    _apply_pre_sign_up(user, answer)
    confirmed = user.status is UserStatus.CONFIRMED
    prepared = (
        []
        if confirmed
        else [m for m in [_sign_up_code(ctx, pool, client, user, "CustomMessage_SignUp", params)] if m is not None]
    )
    statuses = codes.deliver(ctx, pool, user, prepared)
    try:
        with ctx.store.transaction() as tx:
            new_users.insert(tx, pool, user, force=False, taken=_TAKEN)
            codes.store(ctx, tx, user, prepared, statuses)
    except Conflict as error:
        raise new_users.conflict_error(error, _TAKEN) from None
    if confirmed:
        triggers.post_confirmation(
            ctx,
            pool,
            "PostConfirmation_ConfirmSignUp",
            user,
            client_metadata=params.get("ClientMetadata"),
            client_id=client.id,
        )
    result: dict[str, Any] = {"UserConfirmed": confirmed, "UserSub": user.sub}
    if prepared:
        result["CodeDeliveryDetails"] = prepared[0].delivery()
    return result


def _confirm(ctx: Context, tx: Tx, pool: Pool, user: User) -> None:
    """UNCONFIRMED → CONFIRMED (PostConfirmation runs after the transaction)."""
    if user.status is not UserStatus.UNCONFIRMED:
        raise NotAuthorizedException(f"User cannot be confirmed. Current status is {user.status.value}")
    user.status = UserStatus.CONFIRMED
    user.modified = ctx.clock.now()


@operation("ConfirmSignUp")
def confirm_sign_up(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    def step(tx: Tx) -> tuple[Pool, Client, User, str | None]:
        pool, client = by_client(ctx, tx, params)
        user = named_user(tx, pool, params["Username"])
        if user.status is not UserStatus.UNCONFIRMED:
            raise NotAuthorizedException(f"User cannot be confirmed. Current status is {user.status.value}")
        codes.check(ctx, tx, user, "SIGN_UP", params["ConfirmationCode"])
        _confirm(ctx, tx, pool, user)
        verified = {
            f"{a}_verified": "true" for a in (pool.config.get("AutoVerifiedAttributes") or []) if user.attributes.get(a)
        }
        apply_attribute_change(tx, pool, user, verified, [])
        session = None
        if client.allows("USER_AUTH"):  # a Session for USER_AUTH to sign the user in with (Amplify's autoSignIn)
            minutes = client.session_validity.total_seconds() / 60
            session = user_auth.start_auto_sign_in(ctx, tx, pool.id, client.id, user, minutes)
        return pool, client, user, session

    pool, client, user, session = transact(ctx, step)
    triggers.post_confirmation(
        ctx,
        pool,
        "PostConfirmation_ConfirmSignUp",
        user,
        client_metadata=params.get("ClientMetadata"),
        client_id=client.id,
    )
    return {"Session": session} if session else {}


@operation("ResendConfirmationCode")
def resend_confirmation_code(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        pool, client = by_client(ctx, tx, params)
        user = named_user(tx, pool, params["Username"])
    if user.status is not UserStatus.UNCONFIRMED:
        raise InvalidParameterException("User is already confirmed.")
    prepared = _sign_up_code(ctx, pool, client, user, "CustomMessage_ResendCode", params)
    if prepared is None:
        raise InvalidParameterException("Auto verification not turned on.")
    statuses = codes.deliver(ctx, pool, user, [prepared])
    with ctx.store.transaction() as tx:
        codes.store(ctx, tx, named_user(tx, pool, params["Username"]), [prepared], statuses)
    return {"CodeDeliveryDetails": prepared.delivery()}


@operation("AdminConfirmSignUp")
def admin_confirm_sign_up(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Cognito runs PostConfirmation_ConfirmSignUp for AdminConfirmSignUp too (its trigger documentation)."""
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, params["Username"])
        _confirm(ctx, tx, pool, user)
        tx.users.update(user)
    triggers.post_confirmation(
        ctx, pool, "PostConfirmation_ConfirmSignUp", user, client_metadata=params.get("ClientMetadata")
    )
    return {}
