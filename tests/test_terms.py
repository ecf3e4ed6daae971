"""Terms documents through boto3 against the live server (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of

LINKS = {"cognito:default": "https://terms.example.com", "cognito:spanish": "https://terms.example.com/es"}


def _client(cognito: Any, pool: str) -> str:
    return str(cognito.create_user_pool_client(UserPoolId=pool, ClientName="app")["UserPoolClient"]["ClientId"])


def _create(cognito: Any, pool: str, client: str, name: str = "terms-of-use", **extra: Any) -> dict[str, Any]:
    args = {"Links": LINKS, **extra}
    return dict(
        cognito.create_terms(
            UserPoolId=pool, ClientId=client, TermsName=name, TermsSource="LINK", Enforcement="NONE", **args
        )["Terms"]
    )


def test_terms_lifecycle(cognito: Any, pool: str) -> None:
    client = _client(cognito, pool)
    terms = _create(cognito, pool, client)
    assert terms["UserPoolId"] == pool and terms["ClientId"] == client and terms["TermsName"] == "terms-of-use"
    assert terms["Links"] == LINKS and terms["TermsSource"] == "LINK" and terms["Enforcement"] == "NONE"
    assert len(terms["TermsId"]) == 36 and terms["TermsId"][14] == "4"
    described = cognito.describe_terms(UserPoolId=pool, TermsId=terms["TermsId"])["Terms"]
    assert described == terms
    by_client = cognito.describe_terms_by_client(UserPoolId=pool, ClientId=client, TermsName="terms-of-use")
    assert by_client["Terms"]["TermsId"] == terms["TermsId"]
    privacy = _create(cognito, pool, client, "privacy-policy")
    listed = cognito.list_terms(UserPoolId=pool)["Terms"]
    assert sorted(t["TermsId"] for t in listed) == sorted([terms["TermsId"], privacy["TermsId"]])
    assert set(listed[0]) == {"TermsId", "TermsName", "Enforcement", "CreationDate", "LastModifiedDate"}
    updated = cognito.update_terms(
        UserPoolId=pool, TermsId=terms["TermsId"], Links={"cognito:default": "https://new.example.com"}
    )["Terms"]
    assert updated["Links"] == {"cognito:default": "https://new.example.com"}
    assert updated["TermsName"] == "terms-of-use"
    cognito.delete_terms(UserPoolId=pool, TermsId=terms["TermsId"])
    with pytest.raises(ClientError) as excinfo:
        cognito.describe_terms(UserPoolId=pool, TermsId=terms["TermsId"])
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
    assert [t["TermsId"] for t in cognito.list_terms(UserPoolId=pool)["Terms"]] == [privacy["TermsId"]]


def test_terms_list_pages(cognito: Any, make_pool: Any) -> None:
    pool = make_pool()
    ids = set()
    for _ in range(3):
        client = _client(cognito, pool)
        ids.add(_create(cognito, pool, client)["TermsId"])
    first = cognito.list_terms(UserPoolId=pool, MaxResults=2)
    assert len(first["Terms"]) == 2 and "NextToken" in first
    second = cognito.list_terms(UserPoolId=pool, MaxResults=2, NextToken=first["NextToken"])
    assert "NextToken" not in second
    assert {t["TermsId"] for t in first["Terms"] + second["Terms"]} == ids


def test_terms_errors(cognito: Any, pool: str) -> None:
    client = _client(cognito, pool)
    terms = _create(cognito, pool, client)
    with pytest.raises(ClientError) as excinfo:
        _create(cognito, pool, client)
    assert error_of(excinfo)[0] == "TermsExistsException"
    privacy = _create(cognito, pool, client, "privacy-policy")
    with pytest.raises(ClientError) as excinfo:
        cognito.update_terms(UserPoolId=pool, TermsId=privacy["TermsId"], TermsName="terms-of-use")
    assert error_of(excinfo)[0] == "TermsExistsException"
    with pytest.raises(ClientError) as excinfo:
        _create(cognito, pool, client, "cookies")
    assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        _create(cognito, pool, _client(cognito, pool), Links={"cognito:klingon": "https://x.example.com"})
    assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        _create(cognito, pool, _client(cognito, pool), Links={"cognito:default": "http://x.example.com"})
    assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        _create(cognito, pool, "nosuchclient1234")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        cognito.describe_terms_by_client(UserPoolId=pool, ClientId=_client(cognito, pool), TermsName="privacy-policy")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        cognito.describe_terms(UserPoolId="us-east-1_nosuchpool", TermsId=terms["TermsId"])
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        cognito.delete_terms(UserPoolId=pool, TermsId="0b6f1c3e-1111-4222-8333-444455556666")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        cognito.list_terms(UserPoolId=pool, NextToken="forged")
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_signup_page_links_terms(cognito: Any, make_pool: Any, server: Any) -> None:
    import httpx

    from tests.oauth.helpers import CALLBACK, code_client, oauth_pool

    pool, prefix = oauth_pool(cognito, make_pool)
    client = code_client(cognito, pool, secret=False)["ClientId"]
    query = {"client_id": client, "redirect_uri": CALLBACK, "response_type": "code", "scope": "openid"}
    page = f"{server.url}/_domain/{prefix}/signup"
    _create(cognito, pool, client)
    only_one = httpx.get(page, params=query)
    assert only_one.status_code == 200 and "terms.example.com" not in only_one.text  # both documents needed
    _create(
        cognito,
        pool,
        client,
        "privacy-policy",
        Links={"cognito:default": "https://privacy.example.com", "cognito:german": "https://privacy.example.com/de"},
    )
    shown = httpx.get(page, params=query).text
    assert 'id="terms-of-use" href="https://terms.example.com"' in shown
    assert 'id="privacy-policy" href="https://privacy.example.com"' in shown
    spanish = httpx.get(page, params={**query, "lang": "es"}).text
    assert 'href="https://terms.example.com/es"' in spanish and 'href="https://privacy.example.com"' in spanish
    german = httpx.get(page, params={**query, "lang": "de"}).text
    assert 'href="https://terms.example.com"' in german and 'href="https://privacy.example.com/de"' in german
