"""A new user, made the one way AdminCreateUser, SignUp and the UserMigration trigger all make one.

:func:`new_user` applies the pool's sign-in name rule and checks the attributes for creation; the
:class:`Candidate` it returns builds the ``User``. What an operation checks of its own (SignUp's required
attributes and password, AdminCreateUser's PreSignUp trigger) goes between the two, so each request meets
its checks in Cognito's order, the first that fails being its answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from userpools.domain import attributes as attribute_rules
from userpools.domain import identifiers, srp
from userpools.domain.pools import Pool, sign_in_name
from userpools.domain.users import Credentials, User, UserStatus


@dataclass(frozen=True)
class Candidate:
    """A user about to be created: its stored username, its attributes as checked (without ``sub``, as the
    PreSignUp trigger is shown them) and its sub."""

    pool: Pool
    username: str
    attributes: dict[str, str]
    sub: str

    def user(self, status: UserStatus, now: datetime, *, password: str | None = None) -> User:
        """The ``User`` record, not yet stored; with ``password``, the credentials of that (permanent) password."""
        credentials = None
        if password is not None:
            salt, verifier = srp.make_verifier(self.pool.short_name, self.username, password)
            credentials = Credentials(salt, verifier, None)
        return User(
            pool_id=self.pool.id,
            username=self.username,
            sub=self.sub,
            status=status,
            enabled=True,
            attributes={"sub": self.sub, **self.attributes},
            created=now,
            modified=now,
            credentials=credentials,
        )


def new_user(pool: Pool, given: str, attributes: Mapping[str, str], *, keep_attribute: bool = False) -> Candidate:
    """The user named ``given`` with ``attributes``, checked against the pool.

    In a pool whose usernames are emails or phone numbers the stored username is a new sub, which is also the
    user's sub, and ``given`` fills that attribute; ``keep_attribute``: a value the attribute already has wins
    (the UserMigration trigger's answer over the name typed at sign-in)."""
    values = dict(attributes)
    username, filled = sign_in_name(pool, given)
    if filled is not None:
        if keep_attribute:
            values.setdefault(filled, given)
        else:
            values[filled] = given
    attribute_rules.check(values, pool.schema, creating=True)
    sub = username if filled is not None else identifiers.new_sub()
    return Candidate(pool, username, values, sub)
