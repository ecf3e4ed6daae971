"""`serve --tls` (issue 16): HTTPS with a certificate from the server's own local CA, trusted by boto3
(``verify=``), PyJWT, aws-jwt-verify's two verifiers in node (NODE_EXTRA_CA_CERTS) and `userpools outbox`."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import jwt
import pytest
from botocore.config import Config
from botocore.exceptions import SSLError
from cryptography import x509

from tests.conftest import BACKENDS
from tests.signin import make_client
from tests.support import Server

JS = Path(__file__).parent / "js"
PASSWORD = "Passw0rd!tls"
COGNITO_HOST = "https://cognito-idp.us-east-1.amazonaws.com"


class TlsServer:
    def __init__(self, database_url: str, **env: str) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="userpools-tls-"))
        self.ca = self.dir / "ca.pem"
        settings = {"USERPOOLS_TLS": "true", "USERPOOLS_TLS_DIR": str(self.dir), **env}
        self.server = Server(database_url, env=settings, ca=self.ca)
        self.url = self.server.url


@pytest.fixture(scope="module", params=BACKENDS)
def secure(request: pytest.FixtureRequest, database_url_for: Any) -> Iterator[TlsServer]:
    live = TlsServer(database_url_for(request.param))
    yield live
    live.server.stop()


def cognito_over(live: TlsServer, verify: str | bool) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=live.url,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        verify=verify,
        config=Config(retries={"max_attempts": 1}),
    )


def signed_in_user(cognito: Any) -> tuple[str, str, dict[str, Any]]:
    """A pool, an app client and the tokens of a user signed in to it, all over HTTPS."""
    pool = cognito.create_user_pool(PoolName=f"tls-{uuid.uuid4().hex[:8]}")["UserPool"]["Id"]
    client = make_client(cognito, pool)["ClientId"]
    cognito.admin_create_user(UserPoolId=pool, Username="tess", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool, Username="tess", Password=PASSWORD, Permanent=True)
    answer = cognito.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=client,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "tess", "PASSWORD": PASSWORD},
    )
    return pool, client, answer["AuthenticationResult"]


def test_the_certificate_comes_from_a_local_ca_named_in_the_banner(secure: TlsServer) -> None:
    assert (
        f"  TLS          certificate for localhost, 127.0.0.1, ::1 from the local CA {secure.ca} "
        in secure.server.output()
    )
    assert f"listening on {secure.url}" in secure.server.output()
    ca = x509.load_pem_x509_certificate(secure.ca.read_bytes())
    served = x509.load_pem_x509_certificate(ssl.get_server_certificate(("127.0.0.1", secure.server.port)).encode())
    served.verify_directly_issued_by(ca)
    names = served.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert [str(a) for a in names.get_values_for_type(x509.IPAddress)] == ["127.0.0.1", "::1"]
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    for secret in ("ca-key.pem", "server-key.pem"):
        assert (secure.dir / secret).stat().st_mode & 0o777 == 0o600


def test_boto3_and_pyjwt_over_https(secure: TlsServer) -> None:
    cognito = cognito_over(secure, str(secure.ca))
    pool, client, tokens = signed_in_user(cognito)
    keys = jwt.PyJWKClient(
        f"{secure.url}/{pool}/.well-known/jwks.json", ssl_context=ssl.create_default_context(cafile=str(secure.ca))
    )
    claims = jwt.decode(
        tokens["IdToken"],
        keys.get_signing_key_from_jwt(tokens["IdToken"]).key,
        algorithms=["RS256"],
        audience=client,
        issuer=f"{secure.url}/{pool}",
    )
    assert claims["cognito:username"] == "tess"
    with pytest.raises(SSLError):  # the system's trust store does not know the local CA
        cognito_over(secure, True).list_user_pools(MaxResults=1)


def node(*args: str, ca: Path | None) -> dict[str, Any]:
    assert (JS / "node_modules" / "aws-jwt-verify").is_dir(), "run `make test` (npm install)"
    env = {k: v for k, v in os.environ.items() if k != "NODE_EXTRA_CA_CERTS"}
    if ca is not None:
        env["NODE_EXTRA_CA_CERTS"] = str(ca)
    done = subprocess.run(
        ["node", str(JS / "verify-tls.mjs"), *args], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def test_jwt_verifier_fetches_the_jwks_over_https(secure: TlsServer) -> None:
    pool, client, tokens = signed_in_user(cognito_over(secure, str(secure.ca)))
    args = ("jwt", secure.url, pool, client, tokens["IdToken"], tokens["AccessToken"])
    verified = node(*args, ca=secure.ca)
    assert verified["id"]["ok"]["cognito:username"] == "tess" and verified["id"]["ok"]["aud"] == client
    assert verified["access"]["ok"]["client_id"] == client
    assert verified["tampered"]["error"].startswith("JwtInvalidSignatureError")
    untrusted = node(*args, ca=None)  # without the CA Node refuses the certificate: it really is HTTPS
    assert "ok" not in untrusted["id"]
    assert "unable to verify the first certificate" in untrusted["id"]["error"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_cognito_jwt_verifier_with_cognitos_issuer(backend: str, database_url_for: Any) -> None:
    """CognitoJwtVerifier builds the issuer from the pool id: it accepts a server whose public URL is Cognito's
    own host, its JWKS fetched over HTTPS from the local server by a JWKS cache given a fetcher."""
    live = TlsServer(database_url_for(backend), USERPOOLS_PUBLIC_URL=COGNITO_HOST)
    try:
        pool, client, tokens = signed_in_user(cognito_over(live, str(live.ca)))
        assert jwt.decode(tokens["IdToken"], options={"verify_signature": False})["iss"] == f"{COGNITO_HOST}/{pool}"
        verified = node("cognito", live.url, pool, client, tokens["IdToken"], tokens["AccessToken"], ca=live.ca)
        assert verified["id"]["ok"]["cognito:username"] == "tess"
        assert verified["access"]["ok"]["token_use"] == "access"
        assert verified["tampered"]["error"].startswith("JwtInvalidSignatureError")
    finally:
        live.server.stop()


def test_outbox_command_trusts_the_local_ca(secure: TlsServer) -> None:
    cognito = cognito_over(secure, str(secure.ca))
    pool = cognito.create_user_pool(PoolName="tls-outbox")["UserPool"]["Id"]
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="olive",
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "olive@example.com"}],
    )
    command = [sys.executable, "-m", "userpools", "outbox", "--url", secure.url, "--pool", pool, "--json"]
    env = {**os.environ, "USERPOOLS_TLS_DIR": str(secure.dir)}
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert [m["username"] for m in json.loads(done.stdout)] == ["olive"]
    elsewhere = {**os.environ, "USERPOOLS_TLS_DIR": tempfile.mkdtemp()}  # no CA there: the system's store
    refused = subprocess.run(command, capture_output=True, text=True, env=elsewhere)
    assert refused.returncode == 1
    assert "presented a certificate this machine does not trust" in refused.stderr
    assert len(refused.stderr.splitlines()) == 1
