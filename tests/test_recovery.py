"""Point-in-time recovery through boto3, on SQLite and PostgreSQL: a pool returned to a past moment
exactly, and every error of the five operations."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of

Move = Callable[[float], None]
PAUSED = (
    "OperationNotEnabledException",
    "Write operations are paused while a point-in-time recovery of the user pool is in progress.",
)


def _users(cognito: Any, pool: str) -> dict[str, dict[str, Any]]:
    """Every user of the pool by username, as ListUsers shows them."""
    found: dict[str, dict[str, Any]] = {}
    for page in cognito.get_paginator("list_users").paginate(UserPoolId=pool, PaginationConfig={"PageSize": 60}):
        for user in page["Users"]:
            found[user["Username"]] = {
                "Attributes": {a["Name"]: a["Value"] for a in user["Attributes"]},
                "Enabled": user["Enabled"],
                "UserStatus": user["UserStatus"],
                "UserCreateDate": user["UserCreateDate"],
                "UserLastModifiedDate": user["UserLastModifiedDate"],
            }
    return found


def _groups(cognito: Any, pool: str) -> dict[str, tuple[Any, ...]]:
    """Every group with its settings and its members' usernames."""
    found: dict[str, tuple[Any, ...]] = {}
    for page in cognito.get_paginator("list_groups").paginate(UserPoolId=pool):
        for group in page["Groups"]:
            members = sorted(
                user["Username"]
                for members_page in cognito.get_paginator("list_users_in_group").paginate(
                    UserPoolId=pool, GroupName=group["GroupName"]
                )
                for user in members_page["Users"]
            )
            found[group["GroupName"]] = (group.get("Description"), group.get("Precedence"), members)
    return found


def _each(work: Callable[[int], Any], items: range) -> None:
    with ThreadPoolExecutor(8) as threads:
        list(threads.map(work, items))


def _recovery_of(cognito: Any, pool: str, moment: datetime) -> dict[str, Any]:
    return dict(cognito.initiate_point_in_time_recovery(UserPoolId=pool, RestoreTimestamp=moment)["Restoration"])


def test_a_pool_returns_to_a_moment_before_1000_users_were_deleted_and_1000_changed(
    cognito: Any, make_pool: Callable[..., str], move_clock: Move
) -> None:
    pool = make_pool(AliasAttributes=["email"])
    client = cognito.create_user_pool_client(
        UserPoolId=pool,
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]

    def create(i: int) -> None:
        cognito.admin_create_user(
            UserPoolId=pool,
            Username=f"user{i:04d}",
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "email", "Value": f"user{i:04d}@example.com"},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "name", "Value": f"User {i}"},
            ],
        )

    _each(create, range(2100))
    for name, precedence in (("admins", 1), ("staff", 2), ("gone-later", 3)):
        cognito.create_group(UserPoolId=pool, GroupName=name, Description=f"{name} group", Precedence=precedence)
    for i in range(0, 60):
        cognito.admin_add_user_to_group(UserPoolId=pool, Username=f"user{i:04d}", GroupName="admins")
        cognito.admin_add_user_to_group(UserPoolId=pool, Username=f"user{i + 1000:04d}", GroupName="staff")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="user2050", GroupName="gone-later")
    for username in ("user2090", "user0005"):  # 0005 is deleted later: its password comes back with it
        cognito.admin_set_user_password(UserPoolId=pool, Username=username, Password="Passw0rd!then", Permanent=True)
    cognito.admin_disable_user(UserPoolId=pool, Username="user2080")

    users_then, groups_then = _users(cognito, pool), _groups(cognito, pool)
    moment = datetime.now(UTC)
    move_clock(20 * 60)

    _each(lambda i: cognito.admin_delete_user(UserPoolId=pool, Username=f"user{i:04d}"), range(1000))

    def change(i: int) -> None:
        username = f"user{i + 1000:04d}"
        cognito.admin_update_user_attributes(
            UserPoolId=pool,
            Username=username,
            UserAttributes=[
                {"Name": "name", "Value": f"Changed {i}"},
                {"Name": "email", "Value": f"new{i}@example.org"},
            ],
        )

    _each(change, range(1000))
    _each(create, range(3000, 3040))  # created after the moment: the recovery deletes them
    cognito.admin_enable_user(UserPoolId=pool, Username="user2080")
    cognito.admin_set_user_password(UserPoolId=pool, Username="user2090", Password="Passw0rd!now", Permanent=True)
    cognito.delete_group(UserPoolId=pool, GroupName="gone-later")
    cognito.update_group(UserPoolId=pool, GroupName="staff", Description="renamed", Precedence=9)
    cognito.create_group(UserPoolId=pool, GroupName="new-group")
    cognito.admin_remove_user_from_group(UserPoolId=pool, Username="user1001", GroupName="staff")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="user2001", GroupName="admins")
    move_clock(20 * 60)

    restoration = _recovery_of(cognito, pool, moment)
    assert restoration["RestoreStatus"] == "PREVIEW_GENERATED"
    assert abs(restoration["RestoreTimestamp"] - moment) < timedelta(milliseconds=1)
    preview = {
        p["Entity"]: (p["CreateCount"], p["UpdateCount"], p["DeleteCount"]) for p in restoration["RestorePreview"]
    }
    # Users: 1,000 deleted come back; 1,000 changed, user2080 (enabled since) and user2090 (its password set
    # since: it keeps the password, its last-modified date goes back) are reverted; 40 new are removed.
    assert preview["Users"] == (1000, 1002, 40)
    assert preview["Groups"] == (1, 1, 1)
    described = cognito.describe_point_in_time_recovery(UserPoolId=pool, RestoreId=restoration["RestoreId"])
    assert described["Restoration"]["RestorePreview"] == restoration["RestorePreview"]

    # Paused: writes of user data refused; reads and password sign-in go on.
    with pytest.raises(ClientError) as excinfo:
        create(4000)
    assert error_of(excinfo) == PAUSED
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_add_user_to_group(UserPoolId=pool, Username="user2002", GroupName="admins")
    assert error_of(excinfo) == PAUSED
    assert cognito.admin_get_user(UserPoolId=pool, Username="user1500")["Username"] == "user1500"
    signed_in = cognito.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=client,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "user2090", "PASSWORD": "Passw0rd!now"},
    )
    assert "AuthenticationResult" in signed_in

    started = cognito.start_point_in_time_recovery(UserPoolId=pool, RestoreId=restoration["RestoreId"])
    assert started["Restoration"]["RestoreStatus"] == "RESTORE_COMPLETED"

    users_now = _users(cognito, pool)
    assert users_now.keys() == users_then.keys()
    for username, then in users_then.items():
        assert users_now[username] == then, username
    assert _groups(cognito, pool) == groups_then
    # The aliases came back too: the old email signs in, the one set after the moment does not.
    assert cognito.admin_get_user(UserPoolId=pool, Username="user1000@example.com")["Username"] == "user1000"
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_get_user(UserPoolId=pool, Username="new0@example.org")
    assert error_of(excinfo)[0] == "UserNotFoundException"
    # A user who changed their password since keeps it; a restored user has the one it had.
    for username, password in (("user2090", "Passw0rd!now"), ("user0005", "Passw0rd!then")):
        auth = cognito.admin_initiate_auth(
            UserPoolId=pool,
            ClientId=client,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        assert "AuthenticationResult" in auth, username
    assert cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["EstimatedNumberOfUsers"] == 2100
    create(4000)  # writes resumed
    listed = cognito.list_point_in_time_recoveries(UserPoolId=pool)["Restorations"]
    assert [(r["RestoreId"], r["RestoreStatus"]) for r in listed] == [(restoration["RestoreId"], "RESTORE_COMPLETED")]
    with pytest.raises(ClientError) as excinfo:
        cognito.start_point_in_time_recovery(UserPoolId=pool, RestoreId=restoration["RestoreId"])
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "The recovery can't be started because its status is RESTORE_COMPLETED.",
    )
    with pytest.raises(ClientError) as excinfo:  # one completed recovery a pool in 24 hours
        _recovery_of(cognito, pool, moment)
    assert error_of(excinfo) == (
        "LimitExceededException",
        "You can complete one point-in-time recovery of a user pool in 24 hours.",
    )


def test_cancel_resumes_writes_and_changes_nothing(cognito: Any, pool: str, move_clock: Move) -> None:
    cognito.admin_create_user(UserPoolId=pool, Username="kept", MessageAction="SUPPRESS")
    moment = datetime.now(UTC)
    move_clock(16 * 60)
    cognito.admin_create_user(UserPoolId=pool, Username="later", MessageAction="SUPPRESS")
    restoration = _recovery_of(cognito, pool, moment)
    assert {p["Entity"]: p["DeleteCount"] for p in restoration["RestorePreview"]}["Users"] == 1
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_delete_user(UserPoolId=pool, Username="later")
    assert error_of(excinfo) == PAUSED
    with pytest.raises(ClientError) as excinfo:
        _recovery_of(cognito, pool, moment)
    assert error_of(excinfo) == (
        "ConcurrentModificationException",
        "A point-in-time recovery of this user pool is already in progress.",
    )
    cancelled = cognito.cancel_point_in_time_recovery(UserPoolId=pool, RestoreId=restoration["RestoreId"])
    assert cancelled["Restoration"]["RestoreStatus"] == "PREVIEW_CANCELLED"
    assert sorted(_users(cognito, pool)) == ["kept", "later"]
    cognito.admin_delete_user(UserPoolId=pool, Username="later")
    for call in (cognito.cancel_point_in_time_recovery, cognito.start_point_in_time_recovery):
        with pytest.raises(ClientError) as excinfo:
            call(UserPoolId=pool, RestoreId=restoration["RestoreId"])
        code, message = error_of(excinfo)
        assert code == "InvalidParameterException" and message.endswith("because its status is PREVIEW_CANCELLED.")


def test_a_preview_expires_after_24_hours(cognito: Any, pool: str, move_clock: Move) -> None:
    moment = datetime.now(UTC)
    move_clock(16 * 60)
    restoration = _recovery_of(cognito, pool, moment)
    move_clock(24 * 3600)
    described = cognito.describe_point_in_time_recovery(UserPoolId=pool, RestoreId=restoration["RestoreId"])
    assert described["Restoration"]["RestoreStatus"] == "PREVIEW_EXPIRED"
    cognito.admin_create_user(UserPoolId=pool, Username="after", MessageAction="SUPPRESS")  # writes resumed
    with pytest.raises(ClientError) as excinfo:
        cognito.start_point_in_time_recovery(UserPoolId=pool, RestoreId=restoration["RestoreId"])
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "The recovery can't be started because its status is PREVIEW_EXPIRED.",
    )
    move_clock(-24 * 3600)  # back before the expiry, to leave no active recovery behind for other tests
    cognito.cancel_point_in_time_recovery(UserPoolId=pool, RestoreId=restoration["RestoreId"])


def test_the_recovery_point_and_the_feature_plan(cognito: Any, make_pool: Callable[..., str], move_clock: Move) -> None:
    pool = make_pool()
    now = datetime.now(UTC)
    cases = [
        (now - timedelta(minutes=5), "RestoreTimestamp must be at least 15 minutes in the past."),
        (now - timedelta(hours=2), "RestoreTimestamp can't be earlier than the creation time of the user pool."),
    ]
    for moment, message in cases:
        with pytest.raises(ClientError) as excinfo:
            _recovery_of(cognito, pool, moment)
        assert error_of(excinfo) == ("InvalidParameterException", message)
    move_clock(2 * 86400)
    with pytest.raises(ClientError) as excinfo:
        _recovery_of(cognito, pool, now + timedelta(minutes=10))
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "RestoreTimestamp can be at most 1 day in the past with the Essentials feature plan.",
    )
    lite = make_pool(UserPoolTier="LITE")
    with pytest.raises(ClientError) as excinfo:
        _recovery_of(cognito, lite, datetime.now(UTC) + timedelta(days=1))
    assert error_of(excinfo) == (
        "FeatureUnavailableInTierException",
        "Point-in-time recovery requires the Essentials or Plus feature plan; this user pool is on the Lite "
        "feature plan.",
    )
    plus = make_pool(UserPoolTier="PLUS")  # created 2 days on
    move_clock(2 * 86400)
    restoration = _recovery_of(cognito, plus, now + timedelta(days=2, hours=1))  # 47 hours back: Plus allows 14 days
    cognito.cancel_point_in_time_recovery(UserPoolId=plus, RestoreId=restoration["RestoreId"])


def test_unknown_pools_and_recoveries(cognito: Any, pool: str) -> None:
    missing = "us-east-1_Missing00"
    unknown_id = "00000000-0000-4000-8000-000000000000"
    calls: list[tuple[Callable[..., Any], dict[str, Any]]] = [
        (cognito.initiate_point_in_time_recovery, {"RestoreTimestamp": datetime(2026, 1, 1, tzinfo=UTC)}),
        (cognito.list_point_in_time_recoveries, {}),
        (cognito.describe_point_in_time_recovery, {"RestoreId": unknown_id}),
        (cognito.start_point_in_time_recovery, {"RestoreId": unknown_id}),
        (cognito.cancel_point_in_time_recovery, {"RestoreId": unknown_id}),
    ]
    for call, params in calls:
        with pytest.raises(ClientError) as excinfo:
            call(UserPoolId=missing, **params)
        assert error_of(excinfo) == ("ResourceNotFoundException", f"User pool {missing} does not exist.")
    for call, params in calls[2:]:
        with pytest.raises(ClientError) as excinfo:
            call(UserPoolId=pool, **params)
        assert error_of(excinfo) == (
            "ResourceNotFoundException",
            f"Point-in-time recovery {unknown_id} does not exist.",
        )
    with pytest.raises(ClientError) as excinfo:
        cognito.describe_point_in_time_recovery(UserPoolId=pool, RestoreId="z" * 36)
    assert error_of(excinfo)[0] == "InvalidParameterException"
    assert cognito.list_point_in_time_recoveries(UserPoolId=pool)["Restorations"] == []


def test_quotas_and_listing_newest_first(cognito: Any, make_pool: Callable[..., str], move_clock: Move) -> None:
    pool = make_pool()
    moment = datetime.now(UTC)
    move_clock(16 * 60)
    ids = []
    for _ in range(3):
        ids.append(_recovery_of(cognito, pool, moment)["RestoreId"])
        cognito.cancel_point_in_time_recovery(UserPoolId=pool, RestoreId=ids[-1])
        move_clock(1)
    with pytest.raises(ClientError) as excinfo:
        _recovery_of(cognito, pool, moment)
    assert error_of(excinfo) == (
        "LimitExceededException",
        "You can create 3 recovery previews of a user pool in 24 hours and 10 in 30 days.",
    )
    first = cognito.list_point_in_time_recoveries(UserPoolId=pool, MaxResults=2)
    rest = cognito.list_point_in_time_recoveries(UserPoolId=pool, MaxResults=2, NextToken=first["NextToken"])
    assert [r["RestoreId"] for r in first["Restorations"] + rest["Restorations"]] == ids[::-1]
    assert "NextToken" not in rest and "RestorePreview" not in first["Restorations"][0]

    pools = [make_pool() for _ in range(6)]
    later = datetime.now(UTC) + timedelta(seconds=16 * 60 + 3 + 1)  # just after they were made, on the server's clock
    move_clock(20 * 60)
    started = [_recovery_of(cognito, p, later)["RestoreId"] for p in pools[:5]]
    try:
        with pytest.raises(ClientError) as excinfo:
            _recovery_of(cognito, pools[5], later)
        assert error_of(excinfo) == (
            "LimitExceededException",
            "An account can have up to 5 active recoveries at a time.",
        )
    finally:
        for p, restore_id in zip(pools, started, strict=False):
            cognito.cancel_point_in_time_recovery(UserPoolId=p, RestoreId=restore_id)
