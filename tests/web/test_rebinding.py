"""DNS rebinding (issue 15): a local-development server bound to loopback refuses management, console and
outbox requests whose Host is not one of its names (web/hosts.py), whatever else the request says."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import boto3
import pytest
import requests
from botocore.config import Config

from tests.conftest import BACKENDS
from tests.support import Server

PUBLIC = "idp.dev.test"


@pytest.fixture(scope="module", params=BACKENDS)
def local(request: pytest.FixtureRequest, database_url_for: Callable[[str], str]) -> Iterator[Server]:
    live = Server(database_url_for(request.param), env={"USERPOOLS_PUBLIC_URL": f"http://{PUBLIC}:9229"})
    yield live
    live.stop()


def get(server: Server, path: str, host: str) -> requests.Response:
    return requests.get(server.url + path, headers={"Host": host}, timeout=10, allow_redirects=False)


def cognito(server: Server) -> object:
    return boto3.client(
        "cognito-idp",
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(retries={"max_attempts": 1}),
    )


@pytest.mark.parametrize(
    "path", ["/_userpools/outbox", "/_userpools/clock", "/_userpools/console/", "/_userpools/console/static/x.css"]
)
@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example", "localhost.evil"])
def test_a_rebound_host_is_refused(local: Server, path: str, host: str) -> None:
    answer = get(local, path, host.format(port=local.port))
    assert answer.status_code == 403
    assert answer.json()["code"] == "HostNotAllowed"
    assert "is not a name of this server" in answer.json()["error"]
    assert "DNS rebinding" in answer.json()["error"]


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:{port}",
        "localhost:{port}",
        "LOCALHOST",
        "myapp.auth.us-east-1.localhost:{port}",
        "[::1]:{port}",
        "127.9.9.9",
        PUBLIC,
        f"{PUBLIC}:9229",
    ],
)
def test_the_servers_own_names_are_answered(local: Server, host: str) -> None:
    answer = get(local, "/_userpools/outbox", host.format(port=local.port))
    assert answer.status_code == 200, answer.text
    assert isinstance(answer.json(), list)


def test_a_rebound_page_cannot_reset_the_server(local: Server) -> None:
    pool = cognito(local).create_user_pool(PoolName="kept")["UserPool"]["Id"]  # type: ignore[attr-defined]
    headers = {"Host": f"evil.example:{local.port}", "Origin": f"http://evil.example:{local.port}"}
    for path, body in [("/_userpools/reset", {}), ("/_userpools/clock", {"advance": 86400})]:
        # same-origin to the browser once rebound: Sec-Fetch-Site says so
        answer = requests.post(
            local.url + path, json=body, headers={**headers, "Sec-Fetch-Site": "same-origin"}, timeout=10
        )
        assert answer.status_code == 403
        assert answer.json()["code"] == "HostNotAllowed"
    assert cognito(local).describe_user_pool(UserPoolId=pool)["UserPool"]["Id"] == pool  # type: ignore[attr-defined]
    assert get(local, "/_userpools/clock", "localhost").json().get("offset", 0) == 0


def test_a_pools_custom_domain_is_a_name_of_the_server(local: Server) -> None:
    client = cognito(local)
    pool = client.create_user_pool(PoolName="custom")["UserPool"]["Id"]  # type: ignore[attr-defined]
    name = f"auth-{pool.split('_')[1].lower()}.example.com"
    assert get(local, "/_userpools/outbox", name).status_code == 403
    client.create_user_pool_domain(  # type: ignore[attr-defined]
        UserPoolId=pool,
        Domain=name,
        CustomDomainConfig={"CertificateArn": "arn:aws:acm:us-east-1:000000000000:certificate/abc"},
    )
    assert get(local, "/_userpools/outbox", name).status_code == 200
    assert get(local, "/_userpools/outbox", f"{name}:443").status_code == 200


def test_the_aws_api_and_pages_are_not_host_checked(local: Server) -> None:
    """Only the management routes are: the AWS API answers any Host (SDKs call it by many names)."""
    answer = requests.post(
        local.url + "/",
        json={"MaxResults": 1},
        headers={
            "Host": "evil.example",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUserPools",
            "Content-Type": "application/x-amz-json-1.1",
        },
        timeout=10,
    )
    assert answer.status_code == 200
    assert get(local, "/health", "evil.example").status_code == 200


def test_a_server_bound_to_every_address_does_not_check(database_url_for: Callable[[str], str]) -> None:
    """Reached by names it cannot know (a container's): no Host check, as documented."""
    live = Server(database_url_for("sqlite"), env={"USERPOOLS_HOST": "0.0.0.0"})
    try:
        assert get(live, "/_userpools/outbox", "some-container-name").status_code == 200
    finally:
        live.stop()
