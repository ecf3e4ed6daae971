"""Recovering an account without an access token: ForgotPassword and ConfirmForgotPassword.

The code is delivered between transactions (see steps/messaging.py); PostConfirmation_ConfirmForgotPassword
runs after the new password is stored.
"""

from __future__ import annotations

from typing import Any

from userpools.domain import passwords
from userpools.domain.clients import Client
from userpools.domain.errors import NotAuthorizedException, UserNotFoundException
from userpools.domain.pools import Pool
from userpools.domain.users import User
from userpools.operations import auth_events
from userpools.operations.admin_attributes import reset_code, set_password
from userpools.operations.registry import operation
from userpools.operations.sign_up import by_client, named_user
from userpools.steps import codes, migration, triggers
from userpools.steps.common import find_user
from userpools.steps.context import Context
from userpools.steps.followup import transact
from userpools.storage.unit import Tx

HIDDEN_DELIVERY = {"Destination": "u***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}


@operation("ForgotPassword")
@auth_events.recorded("ForgotPassword")
def forgot_password(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """An unknown user is first asked of the UserMigration trigger (UserMigration_ForgotPassword)."""
    with ctx.store.transaction(write=False) as tx:
        pool, client = by_client(ctx, tx, params)
        if pool.admin_only_recovery:
            raise NotAuthorizedException("Contact administrator to reset password.")
        user = find_user(tx, pool, params["Username"])
    if user is None:
        user = migration.migrate(
            ctx,
            pool,
            client,
            "UserMigration_ForgotPassword",
            params["Username"],
            client_metadata=params.get("ClientMetadata"),
        )
    if user is None:
        if client.prevents_user_existence_errors:
            return {"CodeDeliveryDetails": dict(HIDDEN_DELIVERY)}
        raise UserNotFoundException("Username/client id combination not found.")
    prepared = reset_code(ctx, pool, user, params, client_id=client.id)
    statuses = codes.deliver(ctx, pool, user, [prepared])
    with ctx.store.transaction() as tx:
        codes.store(ctx, tx, named_user(tx, pool, params["Username"]), [prepared], statuses)
    return {"CodeDeliveryDetails": prepared.delivery()}


@operation("ConfirmForgotPassword")
def confirm_forgot_password(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    def step(tx: Tx) -> tuple[Pool, Client, User]:
        pool, client = by_client(ctx, tx, params)
        user = named_user(tx, pool, params["Username"])
        passwords.check(params["Password"], pool.password_policy)
        codes.check(ctx, tx, user, "FORGOT_PASSWORD", params["ConfirmationCode"])
        set_password(ctx, pool, user, params["Password"], permanent=True)
        tx.users.update(user)
        assert user.id is not None
        tx.failures.clear(user.id)
        return pool, client, user

    pool, client, user = transact(ctx, step)
    triggers.post_confirmation(
        ctx,
        pool,
        "PostConfirmation_ConfirmForgotPassword",
        user,
        client_metadata=params.get("ClientMetadata"),
        client_id=client.id,
    )
    return {}
