"""The web console over plain HTTP (issue 23): its forms call Cognito's operations and show their messages;
CSRF tokens are checked; a locked console (USERPOOLS_CREDENTIALS, or a console password) sends every page to
sign-in without a session, and its session cookie opens the console only, never the rest of /_userpools."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import BACKENDS, client_for
from tests.signin import NEW_PASSWORD, confirmed_user, make_client, password_auth
from tests.support import Server
from userpools.domain.sealing import new_key_text

ROOT = "/_userpools/console"
CREDENTIALS = "AKIDCONSOLE:console-secret"
PASSWORD = "console-Passw0rd"


class Browser:
    """A plain HTTP client that keeps the console's cookie as a browser does on loopback (http.cookiejar would
    not send a Secure cookie over http) and reads each form's CSRF token."""

    def __init__(self, base: str) -> None:
        self.http = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
        self.cookies: dict[str, str] = {}
        self.set_cookie: list[str] = []

    def _keep(self, response: httpx.Response) -> httpx.Response:
        self.set_cookie = response.headers.get_list("set-cookie")
        for header in self.set_cookie:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in header.lower() or value in ("", '""'):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    def _headers(self) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"cookie": cookie} if cookie else {}

    def get(self, path: str) -> httpx.Response:
        return self._keep(self.http.get(path, headers=self._headers()))

    def post(self, path: str, data: dict[str, str], *, csrf: str | None = None) -> httpx.Response:
        fields = {"_csrf": self.csrf if csrf is None else csrf, **data}
        return self._keep(self.http.post(path, data=fields, headers=self._headers()))

    @property
    def csrf(self) -> str:
        page = self.get(ROOT + "/").text
        if 'name="_csrf"' not in page:
            page = self.get(ROOT + "/signin").text
        return csrf_of(page)


def csrf_of(page: str) -> str:
    found = re.search(r'name="_csrf" value="([^"]+)"', page)
    assert found is not None, page
    return found.group(1)


def alert(page: str) -> str:
    found = re.search(r'role="alert"><strong>(.*?)</strong>', page, re.S)
    assert found is not None, page
    return found.group(1)


@pytest.fixture
def visitor(server: Server) -> Iterator[Browser]:
    browser = Browser(server.url)
    yield browser
    browser.http.close()


def new_pool(visitor: Browser) -> str:
    answer = visitor.post(ROOT + "/pools", {"name": f"c-{uuid.uuid4().hex[:8]}", "min_length": "8"})
    assert answer.status_code == 303, answer.text
    return answer.headers["location"].split("/pools/")[1].split("?")[0]


def test_refused_actions_show_cognitos_message(visitor: Browser, server: Server) -> None:
    pool = new_pool(visitor)
    users = f"{ROOT}/pools/{pool}/users"
    answer = visitor.post(users, {"username": "carol", "email": "not-an-email", "deliver_email": "on"})
    assert answer.status_code == 400
    assert alert(answer.text) == "Invalid email address format."
    created = visitor.post(users, {"username": "carol", "email": "carol@example.com", "suppress": "on"})
    assert created.status_code == 303
    taken = visitor.post(users, {"username": "carol", "email": "carol@example.com", "suppress": "on"})
    assert taken.status_code == 400 and alert(taken.text) == "User account already exists"
    weak = visitor.post(f"{ROOT}/pools/{pool}/user/set-password", {"username": "carol", "password": "x"})
    assert weak.status_code == 400 and "Password" in alert(weak.text)
    # the same validation as the API: a name past CreateUserPool's 128 characters
    long = visitor.post(ROOT + "/pools", {"name": "p" * 129})
    assert long.status_code == 400
    assert "Member must have length less than or equal to 128" in alert(long.text)
    assert client_for(server.url).admin_get_user(UserPoolId=pool, Username="carol")["Enabled"] is True


def test_destructive_actions_ask_first(visitor: Browser, server: Server) -> None:
    pool = new_pool(visitor)
    visitor.post(f"{ROOT}/pools/{pool}/users", {"username": "dave", "suppress": "on"})
    asked = visitor.post(f"{ROOT}/pools/{pool}/user/delete", {"username": "dave"})
    assert asked.status_code == 200 and "Delete the user dave?" in asked.text
    cognito = client_for(server.url)
    assert cognito.admin_get_user(UserPoolId=pool, Username="dave")["Username"] == "dave"
    done = visitor.post(f"{ROOT}/pools/{pool}/user/delete", {"username": "dave", "confirmed": "yes"})
    assert done.status_code == 303
    with pytest.raises(cognito.exceptions.UserNotFoundException):
        cognito.admin_get_user(UserPoolId=pool, Username="dave")


def test_forms_without_the_sessions_csrf_token_are_refused(visitor: Browser, server: Server) -> None:
    visitor.get(ROOT + "/")
    before = client_for(server.url).list_user_pools(MaxResults=60)["UserPools"]
    for token in ("forged", ""):
        answer = visitor.post(ROOT + "/pools", {"name": "forged"}, csrf=token)
        assert answer.status_code == 403 and "security token" in answer.text
    stranger = Browser(server.url)  # no session at all, a token of another session
    answer = stranger.post(ROOT + "/pools", {"name": "forged"}, csrf=visitor.csrf)
    assert answer.status_code == 403
    assert client_for(server.url).list_user_pools(MaxResults=60)["UserPools"] == before


def test_pages_at_a_glance(visitor: Browser, server: Server) -> None:
    pool = new_pool(visitor)
    cognito = client_for(server.url)
    cognito.create_group(UserPoolId=pool, GroupName="admins/ops")  # a name with a slash
    cognito.admin_create_user(UserPoolId=pool, Username="eve/x", MessageAction="SUPPRESS")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="eve/x", GroupName="admins/ops")
    group = visitor.get(f"{ROOT}/pools/{pool}/group?group=admins%2Fops")
    assert group.status_code == 200 and "eve/x" in group.text
    user = visitor.get(f"{ROOT}/pools/{pool}/user?username=eve%2Fx")
    assert user.status_code == 200 and "admins/ops" in user.text and "FORCE_CHANGE_PASSWORD" in user.text
    overview = visitor.get(f"{ROOT}/pools/{pool}")
    assert overview.status_code == 200 and "Password policy" in overview.text
    missing = visitor.get(f"{ROOT}/pools/us-east-1_nothere00")
    assert missing.status_code == 404
    css = visitor.get(ROOT + "/static/console.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert visitor.get(ROOT + "/static/../settings.py").status_code == 404


# --- a locked console ------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def locked(request: pytest.FixtureRequest, database_url_for: Callable[[str], str]) -> Iterator[Server]:
    live = Server(
        database_url_for(request.param),
        env={
            "USERPOOLS_CREDENTIALS": CREDENTIALS,
            "USERPOOLS_CONSOLE_PASSWORD": PASSWORD,
            "USERPOOLS_MASTER_KEY": new_key_text(),
        },
    )
    yield live
    live.stop()


def signed_client(server: Server) -> Any:
    import boto3
    from botocore.config import Config

    key, secret = CREDENTIALS.split(":")
    return boto3.client(
        "cognito-idp",
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}),
    )


def console_paths(pool: str) -> list[str]:
    here = f"{ROOT}/pools/{pool}"
    return [
        ROOT,
        ROOT + "/",
        ROOT + "/outbox",
        ROOT + "/tokens",
        here,
        here + "/users",
        here + "/user?username=x",
        here + "/clients",
        here + "/clients/abc",
        here + "/groups",
        here + "/group?group=g",
    ]


def console_forms(pool: str) -> list[str]:
    here = f"{ROOT}/pools/{pool}"
    return [
        ROOT + "/pools",
        ROOT + "/tokens",
        ROOT + "/signout",
        here + "/delete",
        here + "/users",
        here + "/user/disable",
        here + "/user/delete",
        here + "/clients",
        here + "/clients/abc/delete",
        here + "/groups",
        here + "/group/delete",
    ]


def test_every_console_url_sends_a_stranger_to_sign_in(locked: Server) -> None:
    pool = signed_client(locked).create_user_pool(PoolName="locked")["UserPool"]["Id"]
    stranger = Browser(locked.url)
    for path in console_paths(pool):
        answer = stranger.get(path)
        assert answer.status_code in (303, 308), path
        if answer.status_code == 308:  # /_userpools/console -> /_userpools/console/
            answer = stranger.get(answer.headers["location"])
        assert answer.status_code == 303 and answer.headers["location"].startswith(f"{ROOT}/signin?next="), path
    for path in console_forms(pool):
        answer = stranger.post(path, {"confirmed": "yes", "name": "x", "username": "x"}, csrf="x")
        assert answer.status_code == 303 and answer.headers["location"].startswith(f"{ROOT}/signin?next="), path
    forged = stranger.get(ROOT + "/").headers["location"]
    assert stranger.get(forged).status_code == 200  # the sign-in page itself is open
    stranger.cookies["userpools_console"] = "AKIDCONSOLE.99999999999.nonce.forgedmac"
    assert stranger.get(ROOT + "/").status_code == 303
    assert signed_client(locked).describe_user_pool(UserPoolId=pool)["UserPool"]["Name"] == "locked"


def test_sign_in_with_a_key_or_the_password(locked: Server) -> None:
    visitor = Browser(locked.url)
    page = visitor.get(ROOT + "/signin?next=/_userpools/console/outbox")
    token = csrf_of(page.text)
    wrong = visitor.post(ROOT + "/signin", {"access_key": "AKIDCONSOLE", "secret": "wrong"}, csrf=token)
    assert wrong.status_code == 401 and alert(wrong.text) == "Incorrect access key, secret or password."
    forged = visitor.post(ROOT + "/signin", {"access_key": "AKIDCONSOLE", "secret": "console-secret"}, csrf="forged")
    assert forged.status_code == 403
    answer = visitor.post(
        ROOT + "/signin",
        {"access_key": "AKIDCONSOLE", "secret": "console-secret", "next": f"{ROOT}/outbox"},
        csrf=token,
    )
    assert answer.status_code == 303 and answer.headers["location"] == f"{ROOT}/outbox"
    (cookie,) = visitor.set_cookie
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "secure", "samesite=strict", f"path={ROOT}".lower()} <= flags
    assert visitor.get(ROOT + "/outbox").status_code == 200

    # a console session opens the console only: the rest of /_userpools still wants a signature
    refused = visitor.get("/_userpools/outbox")
    assert refused.status_code == 403 and refused.json()["code"] == "SignatureRequired"

    created = visitor.post(ROOT + "/pools", {"name": "from-console"})
    assert created.status_code == 303
    pool = created.headers["location"].split("/pools/")[1].split("?")[0]
    assert signed_client(locked).describe_user_pool(UserPoolId=pool)["UserPool"]["Name"] == "from-console"
    forged_csrf = visitor.post(ROOT + "/pools", {"name": "forged"}, csrf="A" * 43)
    assert forged_csrf.status_code == 403

    out = visitor.post(ROOT + "/signout", {})
    assert out.status_code == 303 and "userpools_console" not in visitor.cookies
    assert visitor.get(ROOT + "/").status_code == 303

    by_password = Browser(locked.url)
    token = csrf_of(by_password.get(ROOT + "/signin").text)
    evil = by_password.post(ROOT + "/signin", {"password": PASSWORD, "next": "https://evil.example/"}, csrf=token)
    assert evil.status_code == 303 and evil.headers["location"] == ROOT + "/"  # never an open redirect
    assert by_password.get(ROOT + "/").status_code == 200


def test_a_console_password_alone_locks_the_console(database_url_for: Callable[[str], str]) -> None:
    """Local development mode with USERPOOLS_CONSOLE_PASSWORD: the gate lets everything through, the console
    still asks for the password (its pages check the session themselves)."""
    live = Server(database_url_for("sqlite"), env={"USERPOOLS_CONSOLE_PASSWORD": PASSWORD})
    try:
        visitor = Browser(live.url)
        assert visitor.get("/_userpools/outbox").status_code == 200
        answer = visitor.get(ROOT + "/tokens")
        assert answer.status_code == 303 and answer.headers["location"].startswith(f"{ROOT}/signin?next=")
        page = visitor.get(answer.headers["location"])
        assert 'name="access_key"' not in page.text  # no keys configured: the password only
        signed = visitor.post(
            ROOT + "/signin", {"password": PASSWORD, "next": f"{ROOT}/tokens"}, csrf=csrf_of(page.text)
        )
        assert signed.status_code == 303 and signed.headers["location"] == f"{ROOT}/tokens"
        assert visitor.get(ROOT + "/tokens").status_code == 200
    finally:
        live.stop()


def test_the_token_inspector_and_the_outbox_filters(visitor: Browser, server: Server) -> None:
    not_jwt = visitor.post(ROOT + "/tokens", {"token": "not.a-token"})
    assert not_jwt.status_code == 200 and "This is not a JSON Web Token" in not_jwt.text
    import jwt

    foreign = jwt.encode(
        {"iss": "https://example.com/us-east-1_nothere00", "token_use": "id"}, "k" * 32, algorithm="HS256"
    )
    answer = visitor.post(ROOT + "/tokens", {"token": foreign})
    assert "No pool of this server issued it" in answer.text

    pool = new_pool(visitor)
    for name in ("ivy", "jack"):
        visitor.post(
            f"{ROOT}/pools/{pool}/users",
            {"username": name, "email": f"{name}@example.com", "email_verified": "on", "deliver_email": "on"},
        )
    both = visitor.get(f"{ROOT}/outbox?pool={pool}").text
    assert both.index("jack@example.com") < both.index("ivy@example.com")  # newest first
    only = visitor.get(f"{ROOT}/outbox?pool={pool}&destination=ivy%40example.com").text
    assert "ivy@example.com" in only and "jack@example.com" not in only


def test_a_users_page_shows_recent_auth_events(visitor: Browser, server: Server, make_pool: Any) -> None:
    cognito = client_for(server.url)
    pool = make_pool(UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"})
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool)
    password_auth(cognito, client_id, "alice", NEW_PASSWORD)
    page = visitor.get(f"{ROOT}/pools/{pool}/user?username=alice")
    assert page.status_code == 200 and "Recent auth events" in page.text
    assert "<td>SignIn</td><td>Pass</td>" in page.text
    quiet = new_pool(visitor)  # threat protection off: nothing recorded, and the page says why
    cognito.admin_create_user(UserPoolId=quiet, Username="bob", MessageAction="SUPPRESS")
    off = visitor.get(f"{ROOT}/pools/{quiet}/user?username=bob")
    assert off.status_code == 200 and "threat protection (AdvancedSecurityMode) is off" in off.text
