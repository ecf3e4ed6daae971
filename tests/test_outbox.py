"""The outbox as a user reads it (issue 16): by the name the user signs in with, unknown filters refused,
and `userpools outbox` piped, as JSON, followed, and with no server to answer."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, text

from tests.conftest import outbox
from tests.signin import make_client
from tests.support import Server, free_port
from userpools.storage.engine import Store
from userpools.storage.schema import outbox as outbox_table

OUTBOX = [sys.executable, "-m", "userpools", "outbox"]


def test_found_by_email_when_email_is_the_username(server: Server, cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(UsernameAttributes=["email"], AutoVerifiedAttributes=["email"])
    client = make_client(cognito, pool)["ClientId"]
    sub = cognito.sign_up(ClientId=client, Username="Erin@Example.com", Password="Passw0rd!erin")["UserSub"]
    (by_name,) = outbox(server, pool=pool, username="erin@example.com")  # as she signs in: any case
    assert by_name["username"] == sub  # what Cognito keeps as her username
    assert by_name["destination"] == "Erin@Example.com" and by_name["code"]
    assert [m["id"] for m in outbox(server, username="erin@example.com")] == [by_name["id"]]  # in any pool
    assert [m["id"] for m in outbox(server, pool=pool, username=sub)] == [by_name["id"]]
    assert outbox(server, pool=pool, username="someone@example.com") == []


def test_found_by_phone_and_by_alias(server: Server, cognito: Any, make_pool: Callable[..., str]) -> None:
    phones = make_pool(UsernameAttributes=["phone_number"])
    cognito.admin_create_user(
        UserPoolId=phones,
        Username="+15555550123",
        DesiredDeliveryMediums=["SMS"],
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550123"}],
    )
    (sms,) = outbox(server, pool=phones, username="+15555550123")
    assert sms["medium"] == "SMS" and sms["username"] != "+15555550123"

    aliases = make_pool(AliasAttributes=["email", "preferred_username"])
    cognito.admin_create_user(
        UserPoolId=aliases,
        Username="frank",
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[
            {"Name": "email", "Value": "frank@example.com"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "preferred_username", "Value": "frankie"},
        ],
    )
    (invitation,) = outbox(server, pool=aliases, username="frank")
    assert outbox(server, pool=aliases, username="frank@example.com") == [invitation]
    assert outbox(server, pool=aliases, username="frankie") == [invitation]
    cognito.admin_delete_user(UserPoolId=aliases, Username="frank")
    assert outbox(server, pool=aliases, username="frank") == [invitation]  # kept under the name it was sent to
    assert outbox(server, pool=aliases, username="frank@example.com") == []  # no one signs in so any more


def test_unknown_filters_are_refused(server: Server, pool: str) -> None:
    for query, named in (("user=alice", "user"), ("pool_id=x&email=y&pool=z", "email, pool_id")):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{server.url}/_userpools/outbox?{query}")
        assert refused.value.code == 400
        answer = json.load(refused.value)
        refused.value.close()
        assert answer["code"] == "UnknownFilter"
        assert f"unknown outbox filter{'s' if ',' in named else ''}: {named} " in answer["error"]
    presigned = f"{server.url}/_userpools/outbox?pool={pool}&X-Amz-Expires=60&X-Amz-Signature=00"
    with urllib.request.urlopen(presigned) as answer:  # a presigned request's parameters are not filters
        assert json.load(answer) == []
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{server.url}/_userpools/outbox?after=abc")
    assert refused.value.code == 400
    refused.value.close()


def _invite(cognito: Any, pool: str, username: str, email: str) -> None:
    cognito.admin_create_user(
        UserPoolId=pool,
        Username=username,
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": email}],
    )


def test_piped_output_keeps_every_column_whole(server: Server, cognito: Any, pool: str) -> None:
    email = "a-rather-long-address-that-would-not-fit-in-a-narrow-column@example.com"
    _invite(cognito, pool, "piped-user", email)
    done = subprocess.run(
        [*OUTBOX, "--url", server.url, "--pool", pool],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COLUMNS": "40"},
    )
    header, row = done.stdout.splitlines()
    names = header.split("\t")
    values = dict(zip(names, row.split("\t"), strict=True))
    (message,) = outbox(server, pool=pool)
    assert values["destination"] == email
    assert values["code"] == message["code"] and values["username"] == "piped-user"
    assert values["body"] == message["body"].replace("\n", "\\n")


def test_follow_prints_new_messages(server: Server, cognito: Any, pool: str) -> None:
    _invite(cognito, pool, "first", "first@example.com")
    follower = subprocess.Popen(
        [*OUTBOX, "--url", server.url, "--pool", pool, "--follow", "--json", "--interval", "0.2"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert follower.stdout is not None
        assert json.loads(follower.stdout.readline())["username"] == "first"
        time.sleep(0.5)
        _invite(cognito, pool, "second", "second@example.com")
        _invite(cognito, pool, "third", "third@example.com")
        seen = [json.loads(follower.stdout.readline())["username"] for _ in range(2)]
        assert seen == ["second", "third"]
    finally:
        follower.terminate()
        follower.wait(10)
        if follower.stdout is not None:
            follower.stdout.close()


def test_no_server_is_one_clear_line() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    done = subprocess.run([*OUTBOX, "--url", url], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"Error: no userpools server answers at {url} (connection refused): start one with `userpools serve`, "
        "or give its address with --url."
    ]
    assert done.stdout == ""


def test_destination_and_subject_are_sealed_at_rest(server: Server, cognito: Any, pool: str) -> None:
    _invite(cognito, pool, "sealed-user", "Sealed.User@example.com")
    (message,) = outbox(server, pool=pool, destination="sealed.user@EXAMPLE.com")  # any case: its keyed digest
    assert message["destination"] == "Sealed.User@example.com" and message["subject"]
    assert outbox(server, pool=pool, destination="other@example.com") == []
    store = Store(server.database_url)
    try:
        with store.engine.connect() as connection:
            row = connection.execute(select(outbox_table).where(outbox_table.c.id == message["id"])).one()
            if connection.dialect.name == "sqlite":
                plan = connection.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT * FROM outbox WHERE destination_key = ?", ("h1:x",)
                ).all()
                assert plan[-1][-1] == "SEARCH outbox USING INDEX ix_outbox_destination_key (destination_key=?)"
            else:
                indexes = connection.execute(
                    text("SELECT indexdef FROM pg_indexes WHERE tablename = 'outbox' AND indexname LIKE :name"),
                    {"name": "%destination%"},
                ).all()
                assert [i for (i,) in indexes] == [
                    "CREATE INDEX ix_outbox_destination_key ON public.outbox USING btree (destination_key)"
                ]
    finally:
        store.close()
    for column in ("destination", "subject", "body", "code"):
        assert row._mapping[column].startswith("v1:"), column
    assert row.destination_key.startswith("h1:")
    assert "Sealed.User" not in str(tuple(row)) and message["subject"] not in str(tuple(row))


def test_a_terminal_gets_a_table_that_folds_rather_than_cuts(server: Server, cognito: Any, pool: str) -> None:
    _invite(cognito, pool, "tty-user", "tty-user@example.com")
    (message,) = outbox(server, pool=pool)
    command = " ".join([*OUTBOX, "--url", server.url, "--pool", pool])
    done = subprocess.run(  # util-linux's script: the command runs on a pseudo-terminal, 60 columns wide
        ["script", "-qec", f"stty cols 60; {command}", "/dev/null"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout
    shown = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout)
    assert shown.startswith("┏") and "…" not in shown and "\t" not in shown  # a table; nothing cut off
    rows = [line for line in shown.splitlines() if line.startswith("│")]  # a value folds onto lines of its column
    columns = [
        "".join(part.strip() for part in parts) for parts in zip(*(r.split("│")[1:-1] for r in rows), strict=True)
    ]
    assert columns[2] == "tty-user" and columns[5] == "tty-user@example.com" and columns[6] == message["code"]
