"""CIMD rules without I/O: URL patterns, client identifier URLs, the cache lifetime."""

from __future__ import annotations

from datetime import timedelta

import pytest

from userpools.domain import cimd


@pytest.mark.parametrize(
    ("pattern", "url", "expected"),
    [
        ("https://*.example.com/*", "https://a.b.example.com/client.json", True),
        ("https://*.example.com/*", "https://evil.test/.example.com/client.json", False),
        ("https://*.example.com/*", "https://user@evil.test#.example.com/x", False),
        ("https://apps.example.com/*", "https://apps.example.com/a/b?v=1", True),
        ("https://apps.example.com/*", "https://apps.example.com.evil.test/a", False),
        ("https://tool.example.org/client.json", "https://tool.example.org/client.json", True),
        ("https://tool.example.org/client.json", "https://tool.example.org/client.jsonx", False),
        ("https://127.0.0.1:8443/*", "https://127.0.0.1:9443/a", False),
    ],
)
def test_patterns(pattern: str, url: str, expected: bool) -> None:
    assert cimd.matches(pattern, url) is expected


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com",
        "https://example.com/",
        "https://u:p@example.com/c",
        "https://example.com/c#frag",
        "https://example.com/a/../c",
        "http://example.com/c",
        "https://example.com/" + "c" * 300,
    ],
)
def test_client_identifier_urls_refused(url: str) -> None:
    with pytest.raises(cimd.DocumentRefused):
        cimd.check_url(url)


def test_cache_lifetime_follows_max_age_between_a_day_and_a_year() -> None:
    assert cimd.cache_lifetime("public, max-age=172800", 86400) == timedelta(days=2)
    assert cimd.cache_lifetime("max-age=60", 90000) == timedelta(seconds=90000)
    assert cimd.cache_lifetime("max-age=99999999", 86400) == timedelta(days=1)
    assert cimd.cache_lifetime(None, 86400) == timedelta(days=1)
