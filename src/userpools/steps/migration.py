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

from userpools.domain import attributes as attribute_rules
from userpools.domain import identifiers, srp
from userpools.domain import trigger_events as events
from userpools.domain.clients import Client
from userpools.domain.errors import UsernameExistsException
from userpools.domain.pools import Pool, sign_in_name
from userpools.domain.users import Credentials, User, UserStatus
from userpools.steps import aliases, triggers
from userpools.steps.context import Context
from userpools.storage.errors import Conflict


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
            if tx.users.get(pool.id, pool.username_key(user.username)) is not None:
                raise UsernameExistsException("User account already exists")
            keys = aliases.clear_conflicts(tx, pool, user, force=answer.force_alias_creation, creating=True)
            tx.users.insert(user, pool.username_key(user.username))
            tx.users.set_aliases(user, keys)
    except Conflict:
        raise UsernameExistsException("User account already exists") from None
    return user


def _new_user(ctx: Context, pool: Pool, given: str, answer: events.MigratedUser, password: str | None) -> User:
    attributes = {
        k: v for k, v in answer.attributes.items() if k not in ("sub", "username") and not k.startswith("cognito:")
    }
    username, filled = sign_in_name(pool, given)
    if filled is not None:
        attributes.setdefault(filled, given)
    attribute_rules.check(attributes, pool.schema, creating=True)
    sub = username if filled is not None else identifiers.new_sub()
    credentials = None
    if password is not None:
        salt, verifier = srp.make_verifier(pool.short_name, username, password)
        credentials = Credentials(salt, verifier, None)
    now = ctx.clock.now()
    return User(
        pool_id=pool.id,
        username=username,
        sub=sub,
        status=UserStatus(answer.final_status),
        enabled=True,
        attributes={"sub": sub, **attributes},
        created=now,
        modified=now,
        credentials=credentials,
    )
