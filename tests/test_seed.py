"""`userpools serve --seed FILE` (fixed ids, idempotent, loaded again by every reset) and the
`POST /moto-api/reset` alias."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.conftest import BACKENDS, client_for
from tests.support import Server

POOL, CLIENT, SECRET = "us-east-1_Seed00001", "seededwebclient000000001", "seededsecret0000000000000001"
SEED = f"""
pools:
  - name: seeded
    id: {POOL}
    config: {{AutoVerifiedAttributes: [email]}}
    clients:
      - name: web
        id: {CLIENT}
        secret: {SECRET}
        config: {{ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]}}
    groups:
      - {{name: admins, config: {{Precedence: 1}}}}
    users:
      - username: alice
        password: Passw0rd!x1
        attributes: {{email: alice@example.com, email_verified: "true"}}
        groups: [admins]
  - name: second
"""


def secret_hash(username: str) -> str:
    digest = hmac.new(SECRET.encode(), (username + CLIENT).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def seeded_state_is_there(url: str) -> None:
    cognito = client_for(url)
    client = cognito.describe_user_pool_client(UserPoolId=POOL, ClientId=CLIENT)["UserPoolClient"]
    assert client["ClientSecret"] == SECRET and client["ClientName"] == "web"
    auth = cognito.initiate_auth(
        ClientId=CLIENT,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": "Passw0rd!x1", "SECRET_HASH": secret_hash("alice")},
    )
    assert auth["AuthenticationResult"]["AccessToken"]
    groups = cognito.admin_list_groups_for_user(UserPoolId=POOL, Username="alice")["Groups"]
    assert [g["GroupName"] for g in groups] == ["admins"]
    assert sorted(p["Name"] for p in cognito.list_user_pools(MaxResults=10)["UserPools"]) == ["second", "seeded"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_seed_at_start_again_after_a_reset_and_on_a_restart(
    backend: str, tmp_path: Path, database_url_for: Callable[[str], str]
) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text(SEED)
    url = database_url_for(backend)
    live = Server(url, args=("--seed", str(seed), "--log-level", "info"))
    try:
        assert (
            f"INFO userpools: seed {seed}: created 2 pools, 1 clients, 1 groups, 1 users; kept nothing" in live.output()
        )
        seeded_state_is_there(live.url)
        cognito = client_for(live.url)
        cognito.create_user_pool(PoolName="made-in-a-test")
        cognito.admin_delete_user(UserPoolId=POOL, Username="alice")
        assert httpx.post(f"{live.url}/moto-api/reset").json() == {"status": "reset"}
        seeded_state_is_there(live.url)  # the reset went back to the seed, not to nothing
    finally:
        live.stop()
    again = Server(url, args=("--seed", str(seed), "--log-level", "info"))
    try:
        assert "created nothing; kept 2 pools, 1 clients, 1 groups, 1 users" in again.output()
        seeded_state_is_there(again.url)
    finally:
        again.stop()


def serve_seed(tmp_path: Path, name: str, text: str) -> subprocess.CompletedProcess[str]:
    seed = tmp_path / name
    seed.write_text(text)
    return subprocess.run(
        [sys.executable, "-m", "userpools", "serve", "--port", "0", "--seed", str(seed)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "USERPOOLS_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite"},
    )


def test_a_bad_seed_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = serve_seed(tmp_path, "broken.json", "{not json")
    lines = [line for line in done.stderr.splitlines() if " WARNING " not in line]
    assert done.returncode == 2 and len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith(f"userpools: USERPOOLS_SEED (--seed): {tmp_path}/broken.json: not valid JSON")
    done = serve_seed(tmp_path, "bad.json", json.dumps({"pools": [{"name": "p", "id": "not a pool id"}]}))
    lines = [line for line in done.stderr.splitlines() if " WARNING " not in line]
    assert done.returncode == 2 and len(lines) == 1
    assert lines[0].startswith(
        f"userpools: USERPOOLS_SEED (--seed): {tmp_path}/bad.json: pools[0] ('p'): InvalidParameterException: "
    )


def test_moto_reset_alias_keeps_the_gate(database_url_for: Callable[[str], str]) -> None:
    open_server = Server(database_url_for("sqlite"))
    try:
        client_for(open_server.url).create_user_pool(PoolName="kept")
        refused = httpx.post(f"{open_server.url}/moto-api/reset", headers={"Origin": "http://evil.example"})
        assert refused.status_code == 403 and refused.json()["code"] == "CrossSiteRequestRefused"
        assert "access-control-allow-origin" not in refused.headers
        assert len(client_for(open_server.url).list_user_pools(MaxResults=10)["UserPools"]) == 1
        assert httpx.post(f"{open_server.url}/moto-api/reset").status_code == 200
        assert client_for(open_server.url).list_user_pools(MaxResults=10)["UserPools"] == []
    finally:
        open_server.stop()
    locked = Server(database_url_for("sqlite"), env={"USERPOOLS_CREDENTIALS": "AKIDSEED:seed-secret"})
    try:
        refused = httpx.post(f"{locked.url}/moto-api/reset")
        assert refused.status_code == 403 and refused.json()["code"] == "SignatureRequired"
    finally:
        locked.stop()
