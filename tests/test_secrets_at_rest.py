"""Secrets at rest (issue 15): nothing secret in clear in the database, older databases sealed by migration
0005, the master key rotated by `userpools rotate-master-key`, the wrong key refused at start-up."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic import command
from cryptography.fernet import Fernet
from pycognito.aws_srp import AWSSRP

from tests.conftest import BACKENDS, client_for, outbox
from tests.mfa import code_at, signed_in
from tests.signin import NEW_PASSWORD, make_client, password_auth, secret_hash
from tests.support import Postgres, Server
from userpools.domain import tokens
from userpools.domain.sealing import new_key_text
from userpools.storage.engine import Store
from userpools.storage.migrate import config
from userpools.storage.schema import (
    clients,
    codes,
    pools,
    resource_requests,
    server_secrets,
    signing_keys,
    users,
)
from userpools.storage.schema import (
    outbox as outbox_table,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def raw_database(url: str) -> bytes:
    """Everything the database holds, as bytes: SQLite's files, or every row of every PostgreSQL table as text."""
    if url.startswith("sqlite"):
        path = Path(url.split(":///", 1)[1])
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*") if not p.name.endswith("-key"))
    with psycopg.connect(url) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        ]
        dump = [
            str(value).encode()
            for table in tables
            for (value,) in connection.execute(f'SELECT CAST(t AS text) FROM "{table}" t').fetchall()
        ]
    return b"\n".join(dump)


def in_clear(secret: str, dump: bytes) -> bool:
    """Whether ``secret`` appears in ``dump``; a six-digit code only as a number of its own (not inside a
    longer one, nor as a timestamp's microseconds)."""
    if secret.isdigit():
        return re.search(rb"(?<![0-9.])" + secret.encode() + rb"(?![0-9])", dump) is not None
    return secret.encode() in dump


def test_no_secret_is_stored_in_clear(server: Server, cognito: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool(AutoVerifiedAttributes=["email"])
    app = make_client(cognito, pool, GenerateSecret=True)
    client, client_secret = app["ClientId"], app["ClientSecret"]

    cognito.admin_create_user(
        UserPoolId=pool,
        Username="alice",
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}, {"Name": "email_verified", "Value": "true"}],
    )
    temporary = outbox(server, pool=pool, username="alice")[-1]["code"]
    hashed = secret_hash(client_secret, "alice", client)
    challenge = cognito.initiate_auth(
        ClientId=client,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": temporary, "SECRET_HASH": hashed},
    )
    signed_in = cognito.respond_to_auth_challenge(
        ClientId=client,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "alice", "NEW_PASSWORD": NEW_PASSWORD, "SECRET_HASH": hashed},
    )
    refresh_token = signed_in["AuthenticationResult"]["RefreshToken"]
    cognito.forgot_password(ClientId=client, Username="alice", SecretHash=hashed)
    reset_code = outbox(server, pool=pool, username="alice")[-1]["code"]
    cognito.sign_up(
        ClientId=client,
        Username="bob",
        Password="B0b-Passw0rd!",
        SecretHash=secret_hash(client_secret, "bob", client),
        UserAttributes=[{"Name": "email", "Value": "bob@example.com"}],
    )
    signup_code = outbox(server, pool=pool, username="bob")[-1]["code"]

    srp = AWSSRP("alice", NEW_PASSWORD, pool, client, client=cognito, client_secret=client_secret)
    pending = cognito.initiate_auth(ClientId=client, AuthFlow="USER_SRP_AUTH", AuthParameters=srp.get_auth_params())
    assert pending["ChallengeName"] == "PASSWORD_VERIFIER"  # its state (SRP's secret b) waits in the database

    cc = client_for(server.url, "cloudcontrol")
    desired = {"UserPoolId": pool, "ClientName": "iac", "GenerateSecret": True}
    event = cc.create_resource(TypeName="AWS::Cognito::UserPoolClient", DesiredState=json.dumps(desired))
    identifier = event["ProgressEvent"]["Identifier"]
    status = cc.get_resource_request_status(RequestToken=event["ProgressEvent"]["RequestToken"])["ProgressEvent"]
    assert "ClientSecret" not in json.loads(status["ResourceModel"])  # choice: request records keep no secrets
    described = cc.get_resource(TypeName="AWS::Cognito::UserPoolClient", Identifier=identifier)
    iac_secret = json.loads(described["ResourceDescription"]["Properties"])["ClientSecret"]
    with urllib.request.urlopen(f"{server.url}/{pool}/.well-known/jwks.json") as answer:
        assert json.load(answer)["keys"]  # the pool's signing key exists

    secrets = {
        "client secret": client_secret,
        "Cloud Control client secret": iac_secret,
        "temporary password": temporary,
        "new password": NEW_PASSWORD,
        "sign-up password": "B0b-Passw0rd!",
        "refresh token": refresh_token,
        "reset code": reset_code,
        "sign-up code": signup_code,
        "reset code's SHA-256": hashlib.sha256(reset_code.encode()).hexdigest(),
        "a private key": "PRIVATE KEY",
    }
    assert all(secrets.values())
    dump = raw_database(server.database_url)
    assert b"alice@example.com" in dump  # the dump does hold the data
    assert [name for name, secret in secrets.items() if in_clear(secret, dump)] == []
    assert b'"user_id_for_srp"' not in dump and b'"verifier"' not in dump  # challenge states are sealed


def _legacy_database(url: str) -> dict[str, str]:
    """A database at revision 0004 as the server wrote it before 0005: what it then kept in clear."""
    store = Store(url)
    key = tokens.generate_signing_key()
    fernet_key = Fernet.generate_key().decode()
    old = {"secret": "legacy-client-secret-0123456789", "body": "Your code is 424242. ", "code": "424242"}
    try:
        cfg = config()
        with store.engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "0004")
            connection.execute(
                pools.insert().values(id="us-east-1_legacy", name="old", config={}, created=NOW, modified=NOW)
            )
            connection.execute(
                server_secrets.insert().values(name="client-secret-fernet-key", value=fernet_key, created=NOW)
            )
            connection.execute(
                clients.insert().values(
                    id="legacyclient",
                    pool_id="us-east-1_legacy",
                    name="old",
                    secret=Fernet(fernet_key.encode()).encrypt(old["secret"].encode()).decode(),
                    config={},
                    created=NOW,
                    modified=NOW,
                )
            )
            connection.execute(
                signing_keys.insert().values(
                    pool_id="us-east-1_legacy", kid=key.kid, private_pem=key.to_pem(), active=True, created=NOW
                )
            )
            user = connection.execute(
                users.insert()
                .values(
                    pool_id="us-east-1_legacy",
                    username="old",
                    username_key="old",
                    sub="00000000-0000-0000-0000-000000000001",
                    status="CONFIRMED",
                    enabled=True,
                    attributes={},
                    mfa={},
                    created=NOW,
                    modified=NOW,
                )
                .returning(users.c.id)
            ).scalar_one()
            connection.execute(
                codes.insert().values(
                    user_id=user,
                    purpose="FORGOT_PASSWORD",
                    code_hash=hashlib.sha256(b"424242").hexdigest(),
                    expires=datetime(2100, 1, 1, tzinfo=UTC),
                    attempts=0,
                )
            )
            connection.execute(
                outbox_table.insert().values(
                    pool_id="us-east-1_legacy",
                    username="old",
                    kind="FORGOT_PASSWORD",
                    medium="EMAIL",
                    destination="old@example.com",
                    subject="Your legacy code",
                    body=old["body"],
                    code=old["code"],
                    status="OUTBOX",
                    created=datetime.now(UTC),
                )
            )
            model = {"UserPoolId": "us-east-1_legacy", "ClientId": "legacyclient", "ClientSecret": old["secret"]}
            connection.execute(
                resource_requests.insert().values(
                    request_token="legacy-request",
                    fingerprint="0" * 64,
                    type_name="AWS::Cognito::UserPoolClient",
                    identifier="us-east-1_legacy|legacyclient",
                    operation="CREATE",
                    status="SUCCESS",
                    resource_model=json.dumps(model),
                    event_time=NOW,
                )
            )
    finally:
        store.close()
    return {**old, "kid": key.kid}


def relation_files(url: str, cluster: Postgres) -> bytes:
    """The files of the tables that held secrets before 0005 (and their TOAST), as PostgreSQL wrote them after
    a checkpoint: the row versions an UPDATE replaced included, which no query shows."""
    tables = ["clients", "signing_keys", "outbox", "codes", "server_secrets", "resource_requests"]
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CHECKPOINT")
        paths = [
            str(path)
            for table in tables
            for (path,) in connection.execute(
                "SELECT pg_relation_filepath(oid) FROM pg_class WHERE relname = %s "
                "UNION ALL SELECT pg_relation_filepath(reltoastrelid) FROM pg_class "
                "WHERE relname = %s AND reltoastrelid <> 0",
                (table, table),
            ).fetchall()
        ]
    return b"".join(p.read_bytes() for path in paths for p in Path(cluster.data).glob(path + "*"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_older_database_is_sealed_and_keeps_working(
    backend: str, database_url_for: Callable[[str], str], postgres_lazy: Callable[[], Postgres]
) -> None:
    url = database_url_for(backend)
    old = _legacy_database(url)
    live = Server(url, env={"USERPOOLS_MASTER_KEY": new_key_text()})
    try:
        cognito = client_for(live.url)
        described = cognito.describe_user_pool_client(UserPoolId="us-east-1_legacy", ClientId="legacyclient")
        assert described["UserPoolClient"]["ClientSecret"] == old["secret"]
        with urllib.request.urlopen(f"{live.url}/us-east-1_legacy/.well-known/jwks.json") as answer:
            assert [k["kid"] for k in json.load(answer)["keys"]] == [old["kid"]]
        (message,) = outbox(live, pool="us-east-1_legacy", destination="old@example.com")  # its digest, made now
        assert (message["body"], message["code"]) == (old["body"], old["code"])
        assert (message["destination"], message["subject"]) == ("old@example.com", "Your legacy code")
        status = client_for(live.url, "cloudcontrol").get_resource_request_status(RequestToken="legacy-request")
        assert "ClientSecret" not in json.loads(status["ProgressEvent"]["ResourceModel"])
        with pytest.raises(cognito.exceptions.ExpiredCodeException):  # the unsalted hash is gone: ask again
            cognito.confirm_forgot_password(
                ClientId="legacyclient",
                Username="old",
                ConfirmationCode="424242",
                Password=NEW_PASSWORD,
                SecretHash=secret_hash(old["secret"], "old", "legacyclient"),
            )
    finally:
        live.stop()
    dump = raw_database(url)
    if backend == "postgresql":  # the replaced row versions too (migrate.py rewrites the tables)
        dump += relation_files(url, postgres_lazy())
    for secret in (
        old["secret"],
        "PRIVATE KEY",
        old["body"],
        hashlib.sha256(b"424242").hexdigest(),
        "old@example.com",  # the outbox's destination and subject (migration 0016); the user has no email
        "Your legacy code",
    ):
        assert not in_clear(secret, dump), secret
    assert b"client-secret-fernet-key" not in dump


@pytest.mark.parametrize("backend", BACKENDS)
def test_rotating_the_master_key(backend: str, database_url_for: Callable[[str], str]) -> None:
    url = database_url_for(backend)
    keys = Path(tempfile.mkdtemp(prefix="userpools-keys-"))
    (keys / "old").write_text(new_key_text())
    live = Server(url, env={"USERPOOLS_MASTER_KEY_FILE": str(keys / "old")})
    try:
        cognito = client_for(live.url)
        pool = cognito.create_user_pool(PoolName="rotated")["UserPool"]["Id"]
        app = make_client(cognito, pool, GenerateSecret=True)
        cognito.admin_create_user(
            UserPoolId=pool,
            Username="carol",
            DesiredDeliveryMediums=["EMAIL"],
            UserAttributes=[{"Name": "email", "Value": "carol@example.com"}],
        )
        invitation = outbox(live, pool=pool)[-1]
        with urllib.request.urlopen(f"{live.url}/{pool}/.well-known/jwks.json") as answer:
            kids = [k["kid"] for k in json.load(answer)["keys"]]
        # A TOTP seed, sealed inside users.mfa, and a sign-in waiting for its code when the key is rotated.
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool, MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True}
        )
        totp_user = signed_in(live, cognito, pool, "dave")
        seed = cognito.associate_software_token(AccessToken=totp_user["AccessToken"])["SecretCode"]
        cognito.verify_software_token(AccessToken=totp_user["AccessToken"], UserCode=code_at(seed))
        cognito.set_user_mfa_preference(
            AccessToken=totp_user["AccessToken"], SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
        )
        waiting = password_auth(cognito, totp_user["client_id"], "dave", NEW_PASSWORD)
        assert waiting["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    finally:
        live.stop()

    rotate = [sys.executable, "-m", "userpools", "rotate-master-key", "--new-key-file", str(keys / "new")]
    env = {"USERPOOLS_DATABASE_URL": url, "USERPOOLS_MASTER_KEY_FILE": str(keys / "old")}
    done = subprocess.run(rotate, capture_output=True, text=True, env={**_env(), **env})
    assert done.returncode == 0, done.stderr
    assert "re-sealed" in done.stdout and (keys / "new").stat().st_mode & 0o777 == 0o600

    with pytest.raises(RuntimeError) as error:  # the old key no longer opens this database: a clear start-up error
        Server(url, env={"USERPOOLS_MASTER_KEY_FILE": str(keys / "old")})
    assert "sealed under master key" in str(error.value)

    live = Server(url, env={"USERPOOLS_MASTER_KEY_FILE": str(keys / "new")})
    try:
        cognito = client_for(live.url)
        described = cognito.describe_user_pool_client(UserPoolId=pool, ClientId=app["ClientId"])
        assert described["UserPoolClient"]["ClientSecret"] == app["ClientSecret"]
        assert outbox(live, pool=pool)[-1]["body"] == invitation["body"]
        assert outbox(live, destination="carol@example.com") == [invitation]  # its digest made again
        with urllib.request.urlopen(f"{live.url}/{pool}/.well-known/jwks.json") as answer:
            assert [k["kid"] for k in json.load(answer)["keys"]] == kids
        with pytest.raises(cognito.exceptions.NotAuthorizedException):  # discarded by the rotation: start again
            _answer_totp(cognito, totp_user["client_id"], waiting["Session"], seed)
        again = password_auth(cognito, totp_user["client_id"], "dave", NEW_PASSWORD)
        assert "AuthenticationResult" in _answer_totp(cognito, totp_user["client_id"], again["Session"], seed, 30)
    finally:
        live.stop()


def _answer_totp(cognito: Any, client_id: str, session: str, seed: str, offset: float = 0) -> dict[str, Any]:
    responses = {"USERNAME": "dave", "SOFTWARE_TOKEN_MFA_CODE": code_at(seed, offset)}
    answer: dict[str, Any] = cognito.respond_to_auth_challenge(
        ClientId=client_id, ChallengeName="SOFTWARE_TOKEN_MFA", Session=session, ChallengeResponses=responses
    )
    return answer


def test_production_mode_without_a_master_key_does_not_start(database_url_for: Callable[[str], str]) -> None:
    serve = [sys.executable, "-m", "userpools", "serve", "--port", "1"]
    env = {**_env(), "USERPOOLS_PRODUCTION": "true", "USERPOOLS_DATABASE_URL": database_url_for("sqlite")}
    done = subprocess.run(serve, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode != 0
    assert "production mode needs a master key" in done.stderr


def test_development_mode_writes_its_key_beside_the_database(database_url_for: Callable[[str], str]) -> None:
    url = database_url_for("sqlite")
    live = Server(url)
    try:
        assert "USERPOOLS_MASTER_KEY is not set" in live.output()
    finally:
        live.stop()
    key = Path(url.split(":///", 1)[1] + "-master-key")
    assert key.stat().st_mode & 0o777 == 0o600
    assert key.read_text().strip().encode() not in raw_database(url)


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("USERPOOLS_")}
