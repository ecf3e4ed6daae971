"""AdminCreateUser: every rule of the seed page and the reference notes, through boto3."""

from __future__ import annotations

import functools
import random
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of, outbox
from tests.support.race import race


def attrs(**values: str) -> list[dict[str, str]]:
    return [{"Name": k.replace("__", ":"), "Value": v} for k, v in values.items()]


def attribute_map(user: dict[str, Any], key: str = "Attributes") -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in user[key]}


def test_creates_user_with_force_change_password(cognito: Any, pool: str) -> None:
    user = cognito.admin_create_user(
        UserPoolId=pool, Username="alice", UserAttributes=attrs(email="alice@example.com"), MessageAction="SUPPRESS"
    )["User"]
    assert user["Username"] == "alice"
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert user["Enabled"] is True
    values = attribute_map(user)
    assert values["email"] == "alice@example.com"
    assert uuid.UUID(values["sub"])
    assert user["UserCreateDate"] == user["UserLastModifiedDate"]
    got = cognito.admin_get_user(UserPoolId=pool, Username="alice")
    assert attribute_map(got, "UserAttributes") == values


def test_unknown_pool(cognito: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId="us-east-1_nope123", Username="alice")
    assert error_of(excinfo) == ("ResourceNotFoundException", "User pool us-east-1_nope123 does not exist.")


def test_duplicate_username(cognito: Any, pool: str) -> None:
    cognito.admin_create_user(UserPoolId=pool, Username="alice", MessageAction="SUPPRESS")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="alice", MessageAction="SUPPRESS")
    assert error_of(excinfo) == ("UsernameExistsException", "User account already exists")


def test_case_sensitive_pool_allows_other_case(cognito: Any, pool: str) -> None:
    cognito.admin_create_user(UserPoolId=pool, Username="alice", MessageAction="SUPPRESS")
    cognito.admin_create_user(UserPoolId=pool, Username="Alice", MessageAction="SUPPRESS")
    assert cognito.admin_get_user(UserPoolId=pool, Username="Alice")["Username"] == "Alice"


def test_case_insensitive_pool(cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(UsernameConfiguration={"CaseSensitive": False})
    cognito.admin_create_user(UserPoolId=pool, Username="Alice", MessageAction="SUPPRESS")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="ALICE", MessageAction="SUPPRESS")
    assert error_of(excinfo)[0] == "UsernameExistsException"
    assert cognito.admin_get_user(UserPoolId=pool, Username="alice")["Username"] == "Alice"


def test_username_attributes_pool_generates_uuid_username(cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(UsernameAttributes=["email"])
    user = cognito.admin_create_user(UserPoolId=pool, Username="bob@example.com", MessageAction="SUPPRESS")["User"]
    values = attribute_map(user)
    assert user["Username"] == values["sub"]
    assert uuid.UUID(user["Username"])
    assert values["email"] == "bob@example.com"
    assert cognito.admin_get_user(UserPoolId=pool, Username="bob@example.com")["Username"] == user["Username"]
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="bob@example.com", MessageAction="SUPPRESS")
    assert error_of(excinfo) == ("UsernameExistsException", "An account with the given email already exists.")


def test_username_attributes_pool_rejects_plain_username(cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(UsernameAttributes=["email", "phone_number"])
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="bob", MessageAction="SUPPRESS")
    assert error_of(excinfo) == ("InvalidParameterException", "Username should be either an email or a phone number.")
    user = cognito.admin_create_user(UserPoolId=pool, Username="+15555550123", MessageAction="SUPPRESS")["User"]
    assert attribute_map(user)["phone_number"] == "+15555550123"


def test_alias_pool_rejects_email_shaped_username(cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(AliasAttributes=["email", "phone_number"])
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="carol@example.com", MessageAction="SUPPRESS")
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "Username cannot be of email format, since user pool is configured for email alias.",
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="+15555550123", MessageAction="SUPPRESS")
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_unknown_and_undeclared_custom_attributes(cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(
        Schema=[{"Name": "team", "AttributeDataType": "String", "StringAttributeConstraints": {"MaxLength": "5"}}]
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="u1", UserAttributes=attrs(custom__other="x"))
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "Attributes did not conform to the schema: custom:other: Attribute does not exist in the schema.\n",
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="u1", UserAttributes=attrs(team="x"))
    assert "team: Attribute does not exist in the schema." in error_of(excinfo)[1]
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="u1", UserAttributes=attrs(custom__team="toolong"))
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "Attributes did not conform to the schema: custom:team: String must be no longer than 5 characters.\n",
    )
    user = cognito.admin_create_user(
        UserPoolId=pool, Username="u1", UserAttributes=attrs(custom__team="blue"), MessageAction="SUPPRESS"
    )["User"]
    assert attribute_map(user)["custom:team"] == "blue"


def test_sub_cannot_be_set(cognito: Any, pool: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="u1", UserAttributes=attrs(sub=str(uuid.uuid4())))
    assert error_of(excinfo)[0] == "InvalidParameterException"
    assert cognito.list_users(UserPoolId=pool)["Users"] == []


def test_phone_and_email_formats(cognito: Any, pool: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="u1", UserAttributes=attrs(phone_number="555-0100"))
    assert error_of(excinfo) == ("InvalidParameterException", "Invalid phone number format.")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="u1", UserAttributes=attrs(email="not-an-email"))
    assert error_of(excinfo) == ("InvalidParameterException", "Invalid email address format.")
    user = cognito.admin_create_user(
        UserPoolId=pool,
        Username="u1",
        MessageAction="SUPPRESS",
        UserAttributes=attrs(
            email="u1@example.com", email_verified="true", phone_number="+15555550100", phone_number_verified="false"
        ),
    )["User"]
    assert attribute_map(user)["email_verified"] == "true"


def test_verified_flag_needs_its_attribute(cognito: Any, pool: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="u1", UserAttributes=attrs(email_verified="true"))
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_validation_error_wording(cognito: Any, pool: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="u1", MessageAction="x")
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "1 validation error detected: Value 'x' at 'messageAction' failed to satisfy constraint: "
        "Member must satisfy enum value set: [RESEND, SUPPRESS]",
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="u1", DesiredDeliveryMediums=["FAX"])
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "1 validation error detected: Value '[FAX]' at 'desiredDeliveryMediums' failed to satisfy constraint: "
        "Member must satisfy constraint: [Member must satisfy enum value set: [SMS, EMAIL]]",
    )


def test_temporary_password_policy(cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(Policies={"PasswordPolicy": {"MinimumLength": 10, "RequireSymbols": False}})
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="u1", TemporaryPassword="Short1a")
    assert error_of(excinfo) == (
        "InvalidPasswordException",
        "Password did not conform with policy: Password not long enough",
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="u1", TemporaryPassword="alllowercase1")
    assert error_of(excinfo) == (
        "InvalidPasswordException",
        "Password did not conform with policy: Password must have uppercase characters",
    )
    cognito.admin_create_user(
        UserPoolId=pool, Username="u1", TemporaryPassword="GoodPassw0rd", MessageAction="SUPPRESS"
    )


def test_invitation_by_email_and_sms(cognito: Any, server: Any, pool: str) -> None:
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="dave",
        TemporaryPassword="Temp-Passw0rd",
        UserAttributes=attrs(email="dave@example.com", phone_number="+15555550199"),
        DesiredDeliveryMediums=["EMAIL", "SMS"],
    )
    messages = outbox(server, pool=pool, username="dave")
    assert [(m["medium"], m["destination"]) for m in messages] == [
        ("EMAIL", "dave@example.com"),
        ("SMS", "+15555550199"),
    ]
    email, sms = messages
    assert email["subject"] == "Your temporary password"
    assert email["body"] == "Your username is dave and temporary password is Temp-Passw0rd."
    assert sms["body"] == "Your username is dave and temporary password is Temp-Passw0rd"
    assert email["code"] == "Temp-Passw0rd"


def test_invitation_uses_pool_template_and_generated_password(
    cognito: Any, server: Any, make_pool: Callable[..., str]
) -> None:
    pool = make_pool(
        AdminCreateUserConfig={
            "InviteMessageTemplate": {
                "EmailSubject": "Welcome",
                "EmailMessage": "Hi {username}, use {####} to sign in.",
            }
        }
    )
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="erin",
        UserAttributes=attrs(email="erin@example.com"),
        DesiredDeliveryMediums=["EMAIL"],
    )
    (message,) = outbox(server, pool=pool)
    assert message["subject"] == "Welcome"
    assert message["body"] == f"Hi erin, use {message['code']} to sign in."
    assert len(message["code"]) >= 8


def test_default_medium_is_sms(cognito: Any, server: Any, pool: str) -> None:
    cognito.admin_create_user(
        UserPoolId=pool, Username="fay", UserAttributes=attrs(email="fay@example.com", phone_number="+15555550111")
    )
    assert [m["medium"] for m in outbox(server, pool=pool)] == ["SMS"]


def test_requested_medium_needs_destination(cognito: Any, server: Any, pool: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="gil", DesiredDeliveryMediums=["EMAIL"])
    assert error_of(excinfo) == ("InvalidParameterException", "No email provided but desired delivery medium was Email")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(
            UserPoolId=pool,
            Username="gil",
            DesiredDeliveryMediums=["SMS"],
            UserAttributes=attrs(email="gil@example.com"),
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"
    assert cognito.list_users(UserPoolId=pool)["Users"] == []
    assert outbox(server, pool=pool) == []


def test_suppress_sends_nothing(cognito: Any, server: Any, pool: str) -> None:
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="hal",
        MessageAction="SUPPRESS",
        UserAttributes=attrs(email="hal@example.com"),
        DesiredDeliveryMediums=["EMAIL"],
    )
    assert outbox(server, pool=pool) == []


def test_resend(cognito: Any, server: Any, pool: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="ivy", MessageAction="RESEND")
    assert error_of(excinfo) == ("UserNotFoundException", "User does not exist.")
    created = cognito.admin_create_user(
        UserPoolId=pool,
        Username="ivy",
        UserAttributes=attrs(email="ivy@example.com"),
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]
    cognito.create_group(UserPoolId=pool, GroupName="staff")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="ivy", GroupName="staff")
    resent = cognito.admin_create_user(
        UserPoolId=pool, Username="ivy", MessageAction="RESEND", DesiredDeliveryMediums=["EMAIL"]
    )["User"]
    assert attribute_map(resent) == attribute_map(created)
    first, second = outbox(server, pool=pool)
    assert first["code"] != second["code"]
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool, Username="ivy")["Groups"]
    assert [g["GroupName"] for g in groups] == ["staff"]
    cognito.admin_set_user_password(UserPoolId=pool, Username="ivy", Password="Perm-Passw0rd", Permanent=True)
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(UserPoolId=pool, Username="ivy", MessageAction="RESEND")
    assert error_of(excinfo)[0] == "UnsupportedUserStateException"


def test_alias_exists_without_force(cognito: Any, server: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(AliasAttributes=["email"])
    verified = attrs(email="shared@example.com", email_verified="true")
    cognito.admin_create_user(UserPoolId=pool, Username="first", UserAttributes=verified, MessageAction="SUPPRESS")
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(
            UserPoolId=pool, Username="second", UserAttributes=verified, DesiredDeliveryMediums=["EMAIL"]
        )
    assert error_of(excinfo) == ("AliasExistsException", "An account with the given email already exists.")
    assert [u["Username"] for u in cognito.list_users(UserPoolId=pool)["Users"]] == ["first"]
    assert outbox(server, pool=pool) == []


def test_unverified_email_is_not_an_alias(cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(AliasAttributes=["email"])
    unverified = attrs(email="same@example.com")
    cognito.admin_create_user(UserPoolId=pool, Username="a1", UserAttributes=unverified, MessageAction="SUPPRESS")
    cognito.admin_create_user(UserPoolId=pool, Username="a2", UserAttributes=unverified, MessageAction="SUPPRESS")


def test_force_alias_creation_moves_alias(cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(AliasAttributes=["email"])
    verified = attrs(email="moving@example.com", email_verified="true")
    cognito.admin_create_user(UserPoolId=pool, Username="old", UserAttributes=verified, MessageAction="SUPPRESS")
    cognito.admin_create_user(
        UserPoolId=pool, Username="new", UserAttributes=verified, MessageAction="SUPPRESS", ForceAliasCreation=True
    )
    old = attribute_map(cognito.admin_get_user(UserPoolId=pool, Username="old"), "UserAttributes")
    assert old["email_verified"] == "false"
    assert old["email"] == "moving@example.com"
    assert cognito.admin_get_user(UserPoolId=pool, Username="moving@example.com")["Username"] == "new"


def test_client_metadata_and_validation_data_accepted_not_stored(cognito: Any, pool: str) -> None:
    user = cognito.admin_create_user(
        UserPoolId=pool,
        Username="kim",
        MessageAction="SUPPRESS",
        ValidationData=attrs(ticket="secret-validation"),
        ClientMetadata={"source": "secret-metadata"},
    )["User"]
    assert {a["Name"] for a in user["Attributes"]} == {"sub"}


def test_longest_values_are_indexed_and_aliased(cognito: Any, make_pool: Callable[..., str]) -> None:
    """2,048 characters of 3-byte letters (no compression helps): past PostgreSQL's btree entry limit if indexed
    whole. Filters still find them, and a long alias stays exactly unique."""
    pool = make_pool(AliasAttributes=["preferred_username"])
    rnd = random.Random(7)
    long_value = "".join(chr(rnd.randrange(0x4E00, 0x9FFF)) for _ in range(2048))
    other = long_value[:-1] + ("一" if long_value[-1] != "一" else "二")  # differs in the last character only
    attrs = [{"Name": "name", "Value": long_value}, {"Name": "preferred_username", "Value": long_value}]
    cognito.admin_create_user(UserPoolId=pool, Username="long", MessageAction="SUPPRESS", UserAttributes=attrs)
    got = {a["Name"]: a["Value"] for a in cognito.admin_get_user(UserPoolId=pool, Username="long")["UserAttributes"]}
    assert got["name"] == long_value and got["preferred_username"] == long_value
    found = cognito.list_users(UserPoolId=pool, Filter=f'name ^= "{long_value[:40]}"')["Users"]
    assert [u["Username"] for u in found] == ["long"]
    assert cognito.list_users(UserPoolId=pool, Filter=f'name = "{long_value[:40]}"')["Users"] == []
    with pytest.raises(ClientError) as excinfo:
        cognito.admin_create_user(
            UserPoolId=pool,
            Username="copy",
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "preferred_username", "Value": long_value}],
        )
    assert error_of(excinfo)[0] == "AliasExistsException"
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="near",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "preferred_username", "Value": other}],
    )


def test_creates_arriving_together_each_get_their_own_answer(cognito: Any, make_pool: Callable[..., str]) -> None:
    """On SQLite the event loop commits the creates that arrive together as one batch, a savepoint each; every
    answer is still the one a create made alone would get, and every failure undoes only itself."""
    pool = make_pool(AliasAttributes=["email"])

    def create(username: str, email: str) -> Callable[[], Any]:
        return lambda: cognito.admin_create_user(
            UserPoolId=pool,
            Username=username,
            MessageAction="SUPPRESS",
            UserAttributes=attrs(email=email, email_verified="true"),
        )

    calls = [create(f"twin{i}", f"twin{i}-{racer}@example.com") for i in range(6) for racer in range(2)]
    calls += [create(f"rival{i}-{racer}", f"shared{i}@example.com") for i in range(4) for racer in range(2)]
    calls += [create(f"solo{i}", f"solo{i}@example.com") for i in range(8)]
    # Refused only once their rows are written (no email for the invitation): their batch is undone whole and
    # run again on threads, every answer as before.
    calls += [
        functools.partial(
            cognito.admin_create_user, UserPoolId=pool, Username=f"stray{i}", DesiredDeliveryMediums=["EMAIL"]
        )
        for i in range(2)
    ]
    outcomes = race(calls)

    twins, rivals, solos, strays = outcomes[:12], outcomes[12:20], outcomes[20:28], outcomes[28:]
    for pair in (twins[i : i + 2] for i in range(0, 12, 2)):
        assert sorted(kind for kind, _ in pair) == ["error", "ok"]
        assert [code for kind, code in pair if kind == "error"] == ["UsernameExistsException"]
    for pair in (rivals[i : i + 2] for i in range(0, 8, 2)):
        assert sorted(kind for kind, _ in pair) == ["error", "ok"]
        assert [code for kind, code in pair if kind == "error"] == ["AliasExistsException"]
    assert [kind for kind, _ in solos] == ["ok"] * 8
    assert strays == [("error", "InvalidParameterException")] * 2
    winners = sorted(result["User"]["Username"] for kind, result in outcomes if kind == "ok")
    listed = cognito.list_users(UserPoolId=pool)["Users"]
    assert sorted(u["Username"] for u in listed) == winners
    assert cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["EstimatedNumberOfUsers"] == len(winners) == 18
    for i in range(4):
        owner = cognito.admin_get_user(UserPoolId=pool, Username=f"shared{i}@example.com")["Username"]
        assert owner in winners and owner.startswith(f"rival{i}-")
