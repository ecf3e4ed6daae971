"""ListUsers: filters, limits, pagination, AttributesToGet."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of
from tests.test_admin_create_user import attrs


@pytest.fixture
def populated(cognito: Any, pool: str) -> str:
    people = [
        ("ann", "ann@a.com", "Smith"),
        ("andy", "andy@b.com", "Smithers"),
        ("bob", "bob@a.com", "Jones"),
        ("cat", "cat@c.com", "Smith"),
    ]
    for username, email, family in people:
        cognito.admin_create_user(
            UserPoolId=pool,
            Username=username,
            MessageAction="SUPPRESS",
            UserAttributes=attrs(email=email, family_name=family),
        )
    cognito.admin_disable_user(UserPoolId=pool, Username="bob")
    cognito.admin_set_user_password(UserPoolId=pool, Username="cat", Password="Cat-Passw0rd", Permanent=True)
    return pool


def names(cognito: Any, pool: str, **kwargs: Any) -> list[str]:
    return sorted(u["Username"] for u in cognito.list_users(UserPoolId=pool, **kwargs)["Users"])


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ('email = "ann@a.com"', ["ann"]),
        ('email ^= "an"', ["andy", "ann"]),
        ('family_name = "Smith"', ["ann", "cat"]),
        ('family_name ^= "Smith"', ["andy", "ann", "cat"]),
        ('username = "bob"', ["bob"]),
        ('username ^= "a"', ["andy", "ann"]),
        ('cognito:user_status = "CONFIRMED"', ["cat"]),
        ('status = "Disabled"', ["bob"]),
        ('status = "Enabled"', ["andy", "ann", "cat"]),
        ('email = "nobody@x.com"', []),
        ("", ["andy", "ann", "bob", "cat"]),
    ],
)
def test_filters(cognito: Any, populated: str, flt: str, expected: list[str]) -> None:
    assert names(cognito, populated, Filter=flt) == expected


def test_filter_by_sub(cognito: Any, populated: str) -> None:
    sub = next(
        a["Value"]
        for a in cognito.admin_get_user(UserPoolId=populated, Username="cat")["UserAttributes"]
        if a["Name"] == "sub"
    )
    assert names(cognito, populated, Filter=f'sub = "{sub}"') == ["cat"]


def test_bad_filters(cognito: Any, populated: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.list_users(UserPoolId=populated, Filter="email = ann")
    assert error_of(excinfo) == ("InvalidParameterException", "Error while parsing filter.")
    with pytest.raises(ClientError) as excinfo:
        cognito.list_users(UserPoolId=populated, Filter='locale = "en"')
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_filter_applies_before_limit_and_pages(cognito: Any, populated: str) -> None:
    first = cognito.list_users(UserPoolId=populated, Filter='family_name ^= "Smith"', Limit=2)
    assert len(first["Users"]) == 2
    second = cognito.list_users(
        UserPoolId=populated, Filter='family_name ^= "Smith"', Limit=2, PaginationToken=first["PaginationToken"]
    )
    assert "PaginationToken" not in second
    got = sorted(u["Username"] for u in first["Users"] + second["Users"])
    assert got == ["andy", "ann", "cat"]


def test_paginator_without_filter(cognito: Any, populated: str) -> None:
    seen = [
        u["Username"]
        for page in cognito.get_paginator("list_users").paginate(UserPoolId=populated, PaginationConfig={"PageSize": 1})
        for u in page["Users"]
    ]
    assert sorted(seen) == ["andy", "ann", "bob", "cat"]


def test_attributes_to_get(cognito: Any, populated: str) -> None:
    users = cognito.list_users(UserPoolId=populated, Filter='username = "ann"', AttributesToGet=["email"])["Users"]
    assert users[0]["Attributes"] == [{"Name": "email", "Value": "ann@a.com"}]


def test_case_insensitive_username_filter(cognito: Any, make_pool: Any) -> None:
    pool = make_pool(UsernameConfiguration={"CaseSensitive": False})
    cognito.admin_create_user(UserPoolId=pool, Username="MixedCase", MessageAction="SUPPRESS")
    assert names(cognito, pool, Filter='username = "mixedcase"') == ["MixedCase"]


def test_every_indexed_attribute_finds_its_user(cognito: Any, pool: str) -> None:
    """Six indexed attributes are written in one batch of index rows (psycopg's executemany on PostgreSQL),
    one or two a row at a time (the prepared statement): both ways, each filter finds its user."""
    full = attrs(
        email="fay@f.com",
        phone_number="+15555550100",
        name="Fay Fox",
        given_name="Fay",
        family_name="Fox",
        preferred_username="fayfox",
    )
    cognito.admin_create_user(UserPoolId=pool, Username="fay", MessageAction="SUPPRESS", UserAttributes=full)
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="gus",
        MessageAction="SUPPRESS",
        UserAttributes=attrs(email="gus@g.com", family_name="Gray"),
    )
    for item in full:
        assert names(cognito, pool, Filter=f'{item["Name"]} = "{item["Value"]}"') == ["fay"], item
    assert names(cognito, pool, Filter='family_name = "Gray"') == ["gus"]
    assert names(cognito, pool, Filter='email ^= "gus@"') == ["gus"]
