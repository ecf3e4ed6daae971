"""Lazy migration: a user the pool does not know, asked of the pool's UserMigration trigger and created.

UserMigration_Authentication runs on USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH with the password the
user typed (the new user keeps it); UserMigration_ForgotPassword runs on ForgotPassword (the new user has
no password and is RESET_REQUIRED unless the function says otherwise).

Choices: an answer without ``userAttributes`` means the function knows no such user (the caller answers
as for any unknown user); ``messageAction`` is not acted upon (no welcome message is sent, as with
SUPPRESS); ``sub``, ``username`` and ``cognito:*`` attributes in the answer are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping

from userpools.domain import trigger_events as events
from userpools.domain.clients import Client
from userpools.domain.new_users import new_user
from userpools.domain.pools import Pool
from userpools.domain.users import User, UserStatus
from userpools.steps import new_users, triggers
from userpools.steps.context import Context
from userpools.storage.errors import Conflict

_TAKEN = new_users.Taken("User account already exists")


def migrate(
    ctx: Context,
    pool: Pool,
    client: Client,
    source: str,
    username: str,
    *,
    password: str | None = None,
    validation_data: Mapping[str, str] | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> User | None:
    """The migrated user, stored; None when the pool has no UserMigration trigger or it found no user.

    Runs the trigger: call it outside any storage transaction.
    """
    if not triggers.has_trigger(pool, "UserMigration"):
        return None
    event = events.user_migration(
        source,
        triggers.caller(ctx, pool, client.id),
        username,
        password=password,
        validation_data=validation_data,
        client_metadata=client_metadata,
    )
    response = triggers.run_trigger(ctx, pool, "UserMigration", event) or {}
    if response.get("userAttributes") is None:
        return None
    answer = events.read_user_migration(response, source)
    user = _new_user(ctx, pool, username, answer, password)
    try:
        with ctx.store.transaction() as tx:
            new_users.insert(tx, pool, user, force=answer.force_alias_creation, taken=_TAKEN)
    except Conflict as error:
        raise new_users.conflict_error(error, _TAKEN) from None
    return user


def _new_user(ctx: Context, pool: Pool, given: str, answer: events.MigratedUser, password: str | None) -> User:
    """The user the trigger's answer describes, checked but not stored; it keeps the password typed, if any."""
    attributes = {
        k: v for k, v in answer.attributes.items() if k not in ("sub", "username") and not k.startswith("cognito:")
    }
    candidate = new_user(pool, given, attributes, keep_attribute=True)
    return candidate.user(UserStatus(answer.final_status), ctx.clock.now(), password=password)
