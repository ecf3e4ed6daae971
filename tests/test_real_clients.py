"""The done-when of sign-in: an invited user signs in through pycognito and amazon-cognito-identity-js with
its temporary password, sets a new one, gets tokens PyJWT and aws-jwt-verify accept, refreshes, signs out,
and is refused afterwards."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito

from tests.conftest import error_of
from tests.signin import NEW_PASSWORD, invite, make_client
from tests.support import Server

JS = Path(__file__).parent / "js"


def test_pycognito_first_sign_in(server: Server, cognito: Any, pool: str) -> None:
    client_id = make_client(cognito, pool)["ClientId"]
    temporary = invite(server, cognito, pool)
    kwargs = {"endpoint_url": server.url, "aws_access_key_id": "x", "aws_secret_access_key": "x"}
    user = Cognito(pool, client_id, username="alice", user_pool_region="us-east-1", boto3_client_kwargs=kwargs)
    user.new_password_challenge(temporary, NEW_PASSWORD)
    user = Cognito(pool, client_id, username="alice", user_pool_region="us-east-1", boto3_client_kwargs=kwargs)
    user.authenticate(NEW_PASSWORD)
    user.verify_tokens()  # pycognito fetches {endpoint}/{pool}/.well-known/jwks.json and checks iss/aud
    assert user.id_claims["cognito:username"] == "alice"
    issuer = f"{server.url}/{pool}"
    key = jwt.PyJWKClient(f"{issuer}/.well-known/jwks.json").get_signing_key_from_jwt(user.id_token).key
    assert jwt.decode(user.id_token, key, algorithms=["RS256"], audience=client_id, issuer=issuer)["sub"]
    first_access = user.access_token
    user.renew_access_token()
    assert user.access_token != first_access
    assert user.get_user().username == "alice"
    access = user.access_token
    user.logout()
    with pytest.raises(ClientError) as excinfo:
        cognito.get_user(AccessToken=access)
    assert error_of(excinfo) == ("NotAuthorizedException", "Access Token has been revoked")
    assert cognito.admin_get_user(UserPoolId=pool, Username="alice")["UserStatus"] == "CONFIRMED"


def test_javascript_sdk_first_sign_in(server: Server, cognito: Any, pool: str) -> None:
    assert (JS / "node_modules" / "amazon-cognito-identity-js").is_dir(), "run `make test` (npm install)"
    client_id = make_client(cognito, pool)["ClientId"]
    temporary = invite(server, cognito, pool)
    done = subprocess.run(
        ["node", str(JS / "signin.mjs"), server.url, pool, client_id, "alice", temporary, NEW_PASSWORD],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert "error" not in result, result
    assert result["challenge"]["requiredAttributes"] == []
    assert result["challenge"]["userAttributes"]["email"] == "alice@example.com"
    assert result["id"] == {"username": "alice", "email": "alice@example.com", "aud": client_id}
    assert result["access"] == {"client_id": client_id, "token_use": "access"}
    assert result["secondSignIn"] is True and result["refreshed"] is True
    assert result["beforeSignOut"] == 200
    assert result["afterSignOut"]["status"] == 400
    assert result["afterSignOut"]["body"]["__type"] == "NotAuthorizedException"
