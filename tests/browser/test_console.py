"""The web console in a real headless Chromium (issue 23), on both backends: create a pool and an app client,
create a user and see its invitation in the outbox, find it by email prefix, set its password and sign in
through boto3, inspect its token, disable it (sign-in refused), enable it and reset its password (the code in
the outbox); refused actions show Cognito's message. A locked console sends the browser to sign-in first.
Screenshots of the pages go to tests/output/ (two are in the README, from docs/)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import client_for, error_of, outbox
from tests.support import Server
from userpools.domain.sealing import new_key_text

ROOT = "/_userpools/console"
PASSWORD = "Console-Passw0rd!"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_walk_the_console(server: Server, page: Any, screenshots: Path) -> None:
    cognito = client_for(server.url)
    name = f"console-{uuid.uuid4().hex[:6]}"
    page.goto(f"{server.url}{ROOT}/")
    page.get_by_label("Pool name").fill(name)
    page.get_by_label("Verify email addresses").check()
    page.get_by_role("button", name="Create pool").click()
    assert page.get_by_role("status").inner_text() == f"Created the pool {name}."
    pool = page.locator("dl.facts dd code").first.inner_text()
    assert cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["Name"] == name
    page.screenshot(path=screenshots / "console-pool.png", full_page=True)

    page.get_by_role("navigation", name="Pool").get_by_role("link", name="App clients").click()
    page.get_by_label("Client name").fill("web")
    page.get_by_label("ALLOW_ADMIN_USER_PASSWORD_AUTH").check()
    page.get_by_label("Generate a client secret").check()
    page.get_by_role("button", name="Create app client").click()
    client_id = page.locator("#client-id").inner_text()
    secret = page.locator("#client-secret").inner_text()
    described = cognito.describe_user_pool_client(UserPoolId=pool, ClientId=client_id)["UserPoolClient"]
    assert described["ClientSecret"] == secret and "ALLOW_ADMIN_USER_PASSWORD_AUTH" in described["ExplicitAuthFlows"]
    page.goto(f"{server.url}{ROOT}/pools/{pool}/clients/{client_id}")
    assert page.locator("#client-secret").count() == 0  # shown once only

    users = f"{server.url}{ROOT}/pools/{pool}/users"
    page.goto(users)
    page.get_by_label("Username", exact=True).fill("frank")
    page.get_by_label("Email", exact=True).fill("frank-at-example.com")
    page.get_by_role("button", name="Create user").click()
    assert page.get_by_role("alert").inner_text().startswith("Invalid email address format.")
    page.get_by_label("Email", exact=True).fill("frank@example.com")
    page.get_by_role("button", name="Create user").click()
    assert page.get_by_role("status").inner_text() == "Created the user."
    page.goto(users)
    page.get_by_label("Username", exact=True).fill("frank")
    page.get_by_label("Email", exact=True).fill("frank2@example.com")
    page.get_by_role("button", name="Create user").click()
    assert page.get_by_role("alert").inner_text().startswith("User account already exists")
    for i in range(3):
        cognito.admin_create_user(
            UserPoolId=pool,
            Username=f"other{i}",
            UserAttributes=[{"Name": "email", "Value": f"other{i}@example.com"}],
            MessageAction="SUPPRESS",
        )

    page.get_by_role("link", name="Outbox").last.click()
    (invitation,) = outbox(server, pool=pool, username="frank")
    row = page.locator("#outbox tbody tr", has_text="frank")
    assert row.count() == 1 and invitation["code"] in row.inner_text()
    assert page.get_by_label("Live").is_checked()  # console.js: the table follows new messages
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="grace",
        UserAttributes=[{"Name": "email", "Value": "grace@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )
    page.locator("#outbox tbody tr", has_text="grace").wait_for(timeout=15_000)
    assert "grace" in page.locator("#outbox tbody tr").first.inner_text()  # newest first
    page.screenshot(path=screenshots / "console-outbox.png", full_page=True)

    page.goto(users)
    page.get_by_label("Attribute").select_option("email")
    page.get_by_label("Match").select_option("^=")
    page.get_by_label("Value").fill("fra")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("#users tbody tr")
    assert rows.count() == 1 and "frank@example.com" in rows.inner_text()
    page.get_by_label("Value").fill("oth")
    page.get_by_role("button", name="Search").click()
    assert rows.count() == 3
    page.screenshot(path=screenshots / "console-users.png", full_page=True)
    page.get_by_label("Value").fill("frank@")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="frank").click()
    assert "FORCE_CHANGE_PASSWORD" in page.locator("h1").inner_text()

    page.get_by_label("Set a password").fill("short")
    page.get_by_role("button", name="Set password", exact=True).click()
    assert "Password did not conform with policy" in page.get_by_role("alert").inner_text()
    page.get_by_label("Set a password").fill(PASSWORD)
    page.get_by_role("button", name="Set password", exact=True).click()
    assert "CONFIRMED" in page.locator("h1").inner_text()
    tokens = sign_in(cognito, pool, client_id, secret)["AuthenticationResult"]

    page.get_by_role("link", name="Token inspector").click()
    page.get_by_label("A JWT").fill(tokens["IdToken"])
    page.get_by_role("button", name="Inspect").click()
    assert page.locator("#signature").inner_text().startswith(f"Valid: signed by {pool}'s key")
    assert "not expired" in page.locator("#expiry").inner_text()
    claims = page.locator("#claims").inner_text()
    assert "frank@example.com" in claims and "cognito:username" in claims and "email_verified\ttrue" in claims
    assert page.locator("#cognito-verdict").inner_text().startswith("Accepted")
    page.screenshot(path=screenshots / "console-tokens.png", full_page=True)
    tampered = tokens["AccessToken"][:-4] + ("AAAA" if not tokens["AccessToken"].endswith("AAAA") else "BBBB")
    page.get_by_label("A JWT").fill(tampered)
    page.get_by_role("button", name="Inspect").click()
    assert page.locator("#signature").inner_text().startswith("Invalid")
    assert page.locator("#cognito-verdict").inner_text() == "NotAuthorizedException: Invalid Access Token"

    page.goto(f"{server.url}{ROOT}/pools/{pool}/user?username=frank")
    page.get_by_role("button", name="Disable user").click()
    assert "Disable frank?" in page.locator("#question").inner_text()
    page.get_by_role("button", name="Yes, go ahead").click()
    assert "Disabled" in page.locator("h1").inner_text()
    with pytest.raises(cognito.exceptions.NotAuthorizedException) as refused:
        sign_in(cognito, pool, client_id, secret)
    assert error_of(refused) == ("NotAuthorizedException", "User is disabled.")

    page.get_by_role("button", name="Enable user").click()
    page.get_by_role("button", name="Reset password", exact=True).click()
    page.get_by_role("button", name="Yes, go ahead").click()
    assert page.get_by_role("status").inner_text().startswith("Reset the password")
    assert "RESET_REQUIRED" in page.locator("h1").inner_text()
    page.screenshot(path=screenshots / "console-user.png", full_page=True)
    page.get_by_role("link", name="Messages sent to this user").click()
    reset = outbox(server, pool=pool, username="frank")[-1]
    assert reset["code"] and reset["code"] != invitation["code"]
    assert page.locator("#outbox tbody tr").first.locator(".code").inner_text() == reset["code"]  # newest first
    with pytest.raises(cognito.exceptions.PasswordResetRequiredException):
        sign_in(cognito, pool, client_id, secret)

    page.goto(f"{server.url}{ROOT}/")
    page.screenshot(path=screenshots / "console-pools.png", full_page=True)


def sign_in(cognito: Any, pool: str, client_id: str, secret: str) -> Any:
    from userpools.domain import srp

    return cognito.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": "frank",
            "PASSWORD": PASSWORD,
            "SECRET_HASH": srp.secret_hash(secret, "frank", client_id),
        },
    )


@pytest.fixture(scope="module")
def locked(database_url_for: Any) -> Iterator[Server]:
    live = Server(
        database_url_for("sqlite"),
        env={"USERPOOLS_CREDENTIALS": "AKIDBROWSER:browser-secret", "USERPOOLS_MASTER_KEY": new_key_text()},
    )
    yield live
    live.stop()


def test_a_locked_console_signs_in_first(locked: Server, page: Any, screenshots: Path) -> None:
    page.goto(f"{locked.url}{ROOT}/outbox")
    assert page.url.startswith(f"{locked.url}{ROOT}/signin?next=")
    page.get_by_label("Access key id").fill("AKIDBROWSER")
    page.get_by_label("Secret access key").fill("wrong")
    page.get_by_role("button", name="Sign in with a key").click()
    assert page.get_by_role("alert").inner_text().startswith("Incorrect access key, secret or password.")
    page.screenshot(path=screenshots / "console-signin.png")
    page.get_by_label("Access key id").fill("AKIDBROWSER")
    page.get_by_label("Secret access key").fill("browser-secret")
    page.get_by_role("button", name="Sign in with a key").click()
    assert page.url == f"{locked.url}{ROOT}/outbox"
    assert page.locator("h1").inner_text() == "Outbox"
    page.get_by_role("button", name="Sign out").click()
    assert page.url.startswith(f"{locked.url}{ROOT}/signin")
