"""URL canonicalisation: the spellings a feed, a share button and a browser produce collapse."""

from __future__ import annotations

import pytest

from scrapers.errors import InvalidURLError
from scrapers.urls import canonicalize_url, registrable_domain, same_site, strip_www


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # tracking parameters go, the rest is sorted
        (
            "https://news.example/story?utm_source=tw&utm_medium=social&b=2&a=1&fbclid=XyZ",
            "https://news.example/story?a=1&b=2",
        ),
        (
            "https://news.example/s?gclid=1&dclid=2&msclkid=3&mc_cid=4&mc_eid=5&igshid=6",
            "https://news.example/s",
        ),
        (
            "https://news.example/s?ref_src=twsrc&_ga=2.1&yclid=9&spm=a.b.c&id=7",
            "https://news.example/s?id=7",
        ),
        ("https://news.example/s?UTM_Campaign=x&page=2", "https://news.example/s?page=2"),
        # case, default port, fragment
        ("HTTPS://News.EXAMPLE:443/Path#comments", "https://news.example/Path"),
        ("http://news.example:80/a", "http://news.example/a"),
        ("http://news.example:8080/a", "http://news.example:8080/a"),
        # trailing slash dropped except at the root; empty path becomes the root
        ("https://news.example/policy/chips/", "https://news.example/policy/chips"),
        ("https://news.example", "https://news.example/"),
        ("https://news.example/", "https://news.example/"),
        # percent-encoding: unreserved unescaped, others upper-case, unsafe escaped
        ("https://news.example/%7Eeditor/caf%c3%a9", "https://news.example/~editor/caf%C3%A9"),
        ("https://news.example/a b", "https://news.example/a%20b"),
        ("https://news.example/s?q=export+controls", "https://news.example/s?q=export%20controls"),
        ("https://news.example/s?q=a%26b", "https://news.example/s?q=a%26b"),
        # dot segments
        ("https://news.example/a/./b/../c", "https://news.example/a/c"),
        # internationalised host
        ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
        # credentials never survive into a stored URL
        ("https://user:pw@news.example/x", "https://news.example/x"),
    ],
)
def test_canonicalize_url(raw, expected):
    assert canonicalize_url(raw) == expected


def test_canonicalize_is_idempotent():
    once = canonicalize_url("https://News.example/a/?utm_source=x&z=%7e&y=1#top")
    assert canonicalize_url(once) == once


def test_relative_link_resolved_against_base():
    assert (
        canonicalize_url("../b/?utm_medium=rss", base="https://news.example/a/x/")
        == "https://news.example/a/b"
    )


@pytest.mark.parametrize(
    "bad", ["", "mailto:desk@news.example", "ftp://news.example/x", "https:///nohost", "/rel"]
)
def test_non_http_urls_are_rejected_with_a_message(bad):
    with pytest.raises(InvalidURLError):
        canonicalize_url(bad)


def test_registrable_domain():
    assert registrable_domain("https://www.news.example/a") == "news.example"
    assert registrable_domain("amp.news.example") == "news.example"
    assert registrable_domain("https://www.bbc.co.uk/news") == "bbc.co.uk"
    assert registrable_domain("http://127.0.0.1:8000/") == "127.0.0.1"
    assert strip_www("WWW.Wire.example") == "wire.example"
    assert same_site("https://amp.news.example/x", "https://news.example/y")
    assert not same_site("https://news.example/x", "https://aggregator.example/y")
