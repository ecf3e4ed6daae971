"""CIMD clients end to end: a client_id URL served by a real loopback document server (HTTPS under a locally
generated CA the server is told to trust, and the ways a document is refused), signing in through the
authorization code flow with authlib, the cache (ListClientMetadataURLs, UpdateClientMetadataURLState) through
boto3, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from botocore.exceptions import ClientError

from tests.conftest import BACKENDS, client_for, error_of
from tests.oauth.helpers import CALLBACK, code_client, confirmed_user, discovery, oauth_pool, sign_in
from tests.support import Server
from tests.support.documents import Authority, DocumentServer, make_authority, serve_documents

Setup = tuple[Server, Authority]


@pytest.fixture(scope="module")
def authority() -> Authority:
    return make_authority(Path(tempfile.mkdtemp(prefix="userpools-ca-")))


@pytest.fixture(scope="module", params=BACKENDS)
def trusting(
    request: pytest.FixtureRequest, authority: Authority, database_url_for: Callable[[str], str]
) -> Iterator[Server]:
    """A userpools server whose outbound HTTPS trusts the local CA (USERPOOLS_CA_BUNDLE)."""
    live = Server(database_url_for(request.param), env={"USERPOOLS_CA_BUNDLE": str(authority.cert)})
    yield live
    live.stop()


@pytest.fixture(scope="module")
def documents(authority: Authority) -> Iterator[DocumentServer]:
    with serve_documents(authority.server_context()) as served:
        yield served


@pytest.fixture
def idp(trusting: Server) -> Any:
    return client_for(trusting.url)


def _document(url: str, **overrides: Any) -> dict[str, Any]:
    document = {
        "client_id": url,
        "client_name": "Agent",
        "redirect_uris": [CALLBACK],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
        "scope": "openid email",
    }
    document.update(overrides)
    return {k: v for k, v in document.items() if v is not None}


def _setup(idp: Any, documents: DocumentServer, cache: int | None = None) -> tuple[str, str, dict[str, Any], str]:
    """A pool with a domain, an app client with a secret, a user, and a CIMD policy for /<pool>/* documents."""
    pool, _ = oauth_pool(idp, lambda **c: idp.create_user_pool(PoolName="cimd", **c)["UserPool"]["Id"])
    app = code_client(idp, pool, scopes=["openid", "email", "profile"])
    confirmed_user(idp, pool)
    extra = {"CacheDuration": cache} if cache else {}
    policy = idp.create_cimd_policy(
        UserPoolId=pool,
        ClientId=app["ClientId"],
        PolicyName="agents",
        URLPatterns=[documents.url(f"/{pool}/*")],
        **extra,
    )["CIMDPolicy"]["CIMDPolicyId"]
    return pool, policy, app, documents.url(f"/{pool}/agent.json")


def _session(url: str, scope: str = "openid email") -> OAuth2Session:
    return OAuth2Session(
        url, scope=scope, redirect_uri=CALLBACK, code_challenge_method="S256", token_endpoint_auth_method="none"
    )


def _authorize(server: Server, pool: str, client: OAuth2Session) -> tuple[str, str]:
    verifier = generate_token(48)
    uri, _ = client.create_authorization_url(discovery(server, pool)["authorization_endpoint"], code_verifier=verifier)
    return uri, verifier


def test_a_cimd_client_signs_in_with_its_document_served_over_local_tls(
    trusting: Server, idp: Any, documents: DocumentServer
) -> None:
    pool, policy, app, url = _setup(idp, documents)
    documents.put(f"/{pool}/agent.json", _document(url), headers={"Cache-Control": "max-age=172800"})
    config = discovery(trusting, pool)
    client = _session(url)
    uri, verifier = _authorize(trusting, pool, client)
    with httpx.Client() as browser:
        callback = sign_in(browser, uri)
    token = client.fetch_token(config["token_endpoint"], authorization_response=callback, code_verifier=verifier)
    key = jwt.PyJWKClient(config["jwks_uri"]).get_signing_key_from_jwt(token["id_token"])
    # Choice: the tokens name the policy's app client (a URL does not fit Cognito's 128-character client ids).
    claims = jwt.decode(
        token["id_token"], key.key, algorithms=["RS256"], audience=app["ClientId"], issuer=config["issuer"]
    )
    assert claims["cognito:username"] == "alice"
    access = jwt.decode(token["access_token"], key.key, algorithms=["RS256"], issuer=config["issuer"])
    assert access["client_id"] == app["ClientId"] and access["scope"] == "openid email"
    refreshed = client.refresh_token(config["token_endpoint"], refresh_token=token["refresh_token"])
    assert refreshed["access_token"] != token["access_token"]
    # authorize, the login page (GET and POST) and the token endpoint twice: one fetch, then the cache.
    assert documents.hits[f"/{pool}/agent.json"] == 1

    listed = idp.list_client_metadata_urls(UserPoolId=pool, CIMDPolicyId=policy)["ClientMetadataURLs"]
    assert [entry["URL"] for entry in listed] == [url]
    assert listed[0]["ExpirationDate"] - listed[0]["CachedDate"] == dt.timedelta(days=2)  # the max-age

    # The app client's own credentials do not redeem a code issued to the CIMD client, nor its refresh token.
    uri, verifier = _authorize(trusting, pool, client)
    with httpx.Client() as browser:
        callback = sign_in(browser, uri)
    code = httpx.URL(callback).params["code"]
    stolen = httpx.post(
        config["token_endpoint"],
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier},
        auth=(app["ClientId"], app["ClientSecret"]),
    )
    assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"
    with pytest.raises(OAuthError) as excinfo:
        OAuth2Session(app["ClientId"], app["ClientSecret"]).refresh_token(
            config["token_endpoint"], refresh_token=token["refresh_token"]
        )
    assert excinfo.value.error == "invalid_grant"


def test_documents_that_are_refused(trusting: Server, idp: Any, documents: DocumentServer, tmp_path: Path) -> None:
    pool, policy, _, url = _setup(idp, documents)
    config = discovery(trusting, pool)

    def refused(client_id: str, reason: str) -> None:
        uri, _ = _authorize(trusting, pool, _session(client_id))
        answer = httpx.get(uri)
        assert answer.status_code == 400 and reason in answer.text, answer.text

    def served(name: str, document: Any, status: int = 200) -> str:
        return documents.put(f"/{pool}/{name}", document, status)

    refused(documents.url("/elsewhere/agent.json"), "matches no CIMD policy")
    with serve_documents(None) as plain_http:  # a document served over plain HTTP is never fetched
        plain_url = plain_http.put("/agent.json", _document(plain_http.url("/agent.json")))
        refused(plain_url, "must be an https URL")
        assert plain_http.hits == {}
    refused(served("other.json", _document(documents.url("/x"))), "exactly the URL")
    refused(
        served(
            "secret.json",
            _document(documents.url(f"/{pool}/secret.json"), token_endpoint_auth_method="client_secret_basic"),
        ),
        "must be none",
    )
    refused(
        served("noauth.json", _document(documents.url(f"/{pool}/noauth.json"), token_endpoint_auth_method=None)),
        "must be none",
    )
    refused(
        served("noredirect.json", _document(documents.url(f"/{pool}/noredirect.json"), redirect_uris=None)),
        "redirect_uris",
    )
    refused(served("big.json", _document(documents.url(f"/{pool}/big.json"), client_name="x" * 6000)), "larger than")
    refused(served("notjson.json", b"<html>"), "not JSON")
    refused(served("gone.json", {}, status=404), "HTTP 404")
    refused(documents.url(f"/{pool}/../{pool}/agent.json"), ". or .. segments")
    # A redirect URI the document does not list is refused before anything is sent to it.
    documents.put(f"/{pool}/agent.json", _document(url))
    other = OAuth2Session(url, scope="openid", redirect_uri="http://localhost:8765/elsewhere")
    uri, _ = other.create_authorization_url(config["authorization_endpoint"])
    assert "redirect_mismatch" in httpx.get(uri).text
    # A scope the app client allows but the document does not ask for.
    uri, _ = _session(url, scope="openid profile").create_authorization_url(config["authorization_endpoint"])
    assert "error=invalid_scope" in httpx.get(uri).headers["location"]
    # Refused URLs that matched the policy are listed, without a cached document.
    listed = idp.list_client_metadata_urls(UserPoolId=pool, CIMDPolicyId=policy)["ClientMetadataURLs"]
    by_url = {entry["URL"]: entry for entry in listed}
    assert "CachedDate" not in by_url[documents.url(f"/{pool}/secret.json")]
    assert "CachedDate" in by_url[url]
    assert documents.url("/elsewhere/agent.json") not in by_url

    # An https URL answered in plain HTTP, and a certificate of a CA the server was not told to trust.
    with serve_documents(None, scheme="https") as plain:
        _policy_for(idp, pool, plain)
        doc_url = plain.put("/agent.json", _document(plain.url("/agent.json")))
        refused(doc_url, "could not be retrieved")
    stranger = make_authority(tmp_path / "stranger", "someone else's CA")
    with serve_documents(stranger.server_context()) as untrusted:
        _policy_for(idp, pool, untrusted)
        doc_url = untrusted.put("/agent.json", _document(untrusted.url("/agent.json")))
        refused(doc_url, "CERTIFICATE_VERIFY_FAILED")


def _policy_for(idp: Any, pool: str, served: DocumentServer) -> str:
    app = idp.list_user_pool_clients(UserPoolId=pool)["UserPoolClients"][0]["ClientId"]
    made = idp.create_cimd_policy(UserPoolId=pool, ClientId=app, PolicyName="more", URLPatterns=[served.url("/*")])
    return str(made["CIMDPolicy"]["CIMDPolicyId"])


def test_refresh_and_invalidate_the_cache(trusting: Server, idp: Any, documents: DocumentServer) -> None:
    pool, policy, _, url = _setup(idp, documents, cache=90000)
    path = f"/{pool}/agent.json"
    documents.put(path, _document(url))
    second = documents.put(f"/{pool}/second.json", _document(documents.url(f"/{pool}/second.json")))
    for client_id in (url, second):
        uri, _ = _authorize(trusting, pool, _session(client_id))
        assert httpx.get(uri).status_code == 302
    page = idp.list_client_metadata_urls(UserPoolId=pool, CIMDPolicyId=policy, MaxResults=1)
    rest = idp.list_client_metadata_urls(UserPoolId=pool, CIMDPolicyId=policy, NextToken=page["NextToken"])
    assert [e["URL"] for e in page["ClientMetadataURLs"] + rest["ClientMetadataURLs"]] == sorted([url, second])
    entry = page["ClientMetadataURLs"][0]
    assert entry["ExpirationDate"] - entry["CachedDate"] == dt.timedelta(seconds=90000)  # the policy's duration
    assert documents.hits[path] == 1

    # REFRESH fetches again now: a changed document is used from then on.
    documents.put(path, _document(url, redirect_uris=["http://localhost:8765/moved"]))
    idp.update_client_metadata_url_state(UserPoolId=pool, CIMDPolicyId=policy, URL=url, Action="REFRESH")
    assert documents.hits[path] == 2
    uri, _ = _authorize(trusting, pool, _session(url))
    assert "redirect_mismatch" in httpx.get(uri).text
    # A REFRESH that fails keeps the cached document and says why.
    documents.put(path, {}, status=500)
    with pytest.raises(ClientError) as excinfo:
        idp.update_client_metadata_url_state(UserPoolId=pool, CIMDPolicyId=policy, URL=url, Action="REFRESH")
    assert error_of(excinfo) == ("InvalidParameterException", "The client metadata document URL answered HTTP 500.")
    # INVALIDATE drops the document: the URL stays listed, and the next sign-in fetches it again.
    documents.put(path, _document(url))
    idp.update_client_metadata_url_state(UserPoolId=pool, CIMDPolicyId=policy, URL=url, Action="INVALIDATE")
    listed = idp.list_client_metadata_urls(UserPoolId=pool, CIMDPolicyId=policy)["ClientMetadataURLs"]
    assert {e["URL"]: "CachedDate" in e for e in listed} == {url: False, second: True}
    uri, _ = _authorize(trusting, pool, _session(url))
    assert httpx.get(uri).status_code == 302 and documents.hits[path] == 4

    never = documents.url(f"/{pool}/never.json")
    with pytest.raises(ClientError) as excinfo:
        idp.update_client_metadata_url_state(UserPoolId=pool, CIMDPolicyId=policy, URL=never, Action="REFRESH")
    assert error_of(excinfo)[0] == "CachedCIMDURLDoesNotExistException"
    with pytest.raises(ClientError) as excinfo:
        idp.list_client_metadata_urls(UserPoolId=pool, CIMDPolicyId="nosuchpolicy")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        idp.update_client_metadata_url_state(UserPoolId=pool, CIMDPolicyId="nosuchpolicy", URL=url, Action="REFRESH")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
    # Deleting the policy forgets its URLs.
    idp.delete_cimd_policy(UserPoolId=pool, CIMDPolicyId=policy)
    uri, _ = _authorize(trusting, pool, _session(url))
    assert "matches no CIMD policy" in httpx.get(uri).text
