"""The one way a new user is made (AdminCreateUser, SignUp, UserMigration): pure, no server."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from userpools.domain.errors import InvalidParameterException
from userpools.domain.new_users import new_user
from userpools.domain.pools import Pool, new_config
from userpools.domain.users import UserStatus

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def pool(**settings: Any) -> Pool:
    return Pool("eu-west-1_AbCdEf123", "p", new_config(settings), NOW, NOW)


def test_a_plain_pool_keeps_the_name_and_gives_a_new_sub() -> None:
    given = {"email": "a@example.com", "email_verified": "True"}
    candidate = new_user(pool(), "alice", given)
    assert candidate.username == "alice"
    assert uuid.UUID(candidate.sub) and candidate.sub != "alice"
    assert candidate.attributes == {"email": "a@example.com", "email_verified": "true"}  # checked: lower case
    assert given["email_verified"] == "True"  # the caller's mapping is left as it was
    user = candidate.user(UserStatus.FORCE_CHANGE_PASSWORD, NOW)
    assert (user.pool_id, user.username, user.sub, user.status, user.enabled) == (
        "eu-west-1_AbCdEf123",
        "alice",
        candidate.sub,
        UserStatus.FORCE_CHANGE_PASSWORD,
        True,
    )
    assert user.attributes == {"sub": candidate.sub, "email": "a@example.com", "email_verified": "true"}
    assert (user.created, user.modified, user.credentials) == (NOW, NOW, None)


def test_an_email_username_is_stored_as_the_sub_and_fills_the_email() -> None:
    candidate = new_user(pool(UsernameAttributes=["email"]), "b@example.com", {"email": "other@example.com"})
    assert candidate.username == candidate.sub != "b@example.com"
    assert candidate.attributes == {"email": "b@example.com"}


def test_keep_attribute_lets_a_given_value_win_over_the_name() -> None:
    chosen = pool(UsernameAttributes=["email"])
    assert new_user(chosen, "b@example.com", {"email": "o@example.com"}, keep_attribute=True).attributes == {
        "email": "o@example.com"
    }
    assert new_user(chosen, "b@example.com", {}, keep_attribute=True).attributes == {"email": "b@example.com"}


def test_a_password_gives_permanent_credentials() -> None:
    user = new_user(pool(), "alice", {}).user(UserStatus.UNCONFIRMED, NOW, password="Corr3ct-horse!")
    assert user.credentials is not None
    assert user.credentials.salt and user.credentials.verifier and user.credentials.expires is None


@pytest.mark.parametrize(
    ("settings", "given", "attributes", "message"),
    [  # the sign-in name rule is checked before the attributes
        ({"UsernameAttributes": ["email"]}, "alice", {"nope": "x"}, "Username should be an email."),
        (
            {"AliasAttributes": ["email"]},
            "a@example.com",
            {"nope": "x"},
            "Username cannot be of email format, since user pool is configured for email alias.",
        ),
        ({}, "alice", {"sub": "mine"}, "Cannot modify the non-mutable attribute sub"),
    ],
)
def test_refusals_come_in_cognitos_order(
    settings: dict[str, Any], given: str, attributes: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidParameterException) as refused:
        new_user(pool(**settings), given, attributes)
    assert refused.value.message == message
