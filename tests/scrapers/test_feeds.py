"""Feeds, JSON Feeds and sitemaps: what an editor sees after a poll, and refusals of hostile XML."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from scrapers.detect import detect_kind
from scrapers.errors import HostileContentError, ParseError, TooLargeError
from scrapers.feeds import parse_feed
from scrapers.types import InputKind

FEED_URL = "https://wire.example/feed.xml"


def test_rss20_entries_are_canonical_plain_text_and_utc(fixture_bytes):
    feed = parse_feed(fixture_bytes("rss20.xml"), url=FEED_URL)

    assert (feed.kind, feed.format, feed.language) == (InputKind.FEED, "rss20", "en")
    assert feed.title == "Harbor Wire \u2013 Tech Policy"
    first, second, third = feed.entries
    assert first.url == "https://wire.example/policy/accelerator-licence-rule"  # utm_* and slash gone
    assert first.guid == "harbor-wire-20241203-001"
    assert first.authors == ("Mara Okonkwo",)
    assert first.published == datetime(2024, 12, 3, 19, 5, tzinfo=UTC)
    assert "<" not in first.summary and "high-bandwidth memory" in first.summary
    assert first.content_text.endswith("Two trade groups asked for a longer transition.")
    assert second.url == "https://wire.example/eu/ai-office-advisers"  # relative link resolved
    assert second.authors == ("Jonas Lindqvist",)  # "email (Name)" form
    assert second.summary == "Ten experts will sit on the panel & meet monthly."
    assert third.url == "https://wire.example/briefs/guid-only"  # permalink guid, fragment dropped


def test_entry_without_any_link_is_skipped_with_a_warning(fixture_bytes):
    feed = parse_feed(fixture_bytes("rss20.xml"), url=FEED_URL)
    assert len(feed.entries) == 3
    assert any("Item with no link at all" in warning for warning in feed.warnings)


def test_atom_feed(fixture_bytes):
    feed = parse_feed(fixture_bytes("atom.xml"), url="https://lantern.example/feed.atom")

    assert feed.format == "atom10" and feed.language == "en"
    analysis, note = feed.entries
    assert analysis.url == "https://lantern.example/analysis/diffusion-rule-gaps"
    assert analysis.title == "What the diffusion rule does not say"
    assert analysis.authors == ("Priya Raman", "Tom\u00e1s Ferreira")
    assert analysis.published == datetime(2025, 1, 14, 7, 30, tzinfo=UTC)  # +01:00 converted
    assert analysis.updated == datetime(2025, 1, 15, 10, 0, tzinfo=UTC)
    assert note.published is None and note.updated is not None


def test_rss10_uses_dc_date_as_publication(fixture_bytes):
    feed = parse_feed(fixture_bytes("rss10.xml"), url="https://ledger.example/rss")
    (entry,) = feed.entries
    assert feed.format == "rss10"
    assert entry.published == datetime(2024, 12, 3, 10, 20, tzinfo=UTC)
    assert entry.authors == ("Wei Zhang",)


def test_legacy_rss091_with_public_doctype_is_not_hostile(fixture_bytes):
    feed = parse_feed(fixture_bytes("rss091_doctype.xml"), url="http://gazette.example/rss")
    assert feed.format.startswith("rss09")
    assert feed.entries[0].title == "Caf\u00e9 owners ask about chatbot rules"  # ISO-8859-1 declared


def test_malformed_but_recoverable_feed_parses_with_warning(fixture_bytes):
    feed = parse_feed(fixture_bytes("malformed_rss.xml"), url="https://sloppy.example/rss")
    assert feed.entries[0].title == "Chips & sanctions: a quick explainer"
    assert any("malformed" in warning for warning in feed.warnings)


@pytest.mark.parametrize("name", ["garbage.bin", "plain_text.xml"])
def test_garbage_is_a_parse_error(fixture_bytes, name):
    with pytest.raises(ParseError, match="not a readable RSS or Atom feed"):
        parse_feed(fixture_bytes(name), url=FEED_URL)


def test_html_page_is_not_a_feed():
    with pytest.raises(ParseError, match="discover_feeds"):
        parse_feed(b"<!DOCTYPE html><html><body><p>hi</p></body></html>", url="https://wire.example/")


@pytest.mark.parametrize("name", ["billion_laughs.xml", "xxe.xml", "xxe_utf16.xml"])
def test_hostile_xml_is_refused_before_parsing(fixture_bytes, name):
    with pytest.raises(HostileContentError, match="entit"):
        parse_feed(fixture_bytes(name), url=FEED_URL)


def test_hostile_sitemap_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaa">]><urlset><url><loc>&a;</loc></url></urlset>'
    with pytest.raises(HostileContentError):
        parse_feed(bomb, url="https://x.example/sitemap.xml")


def test_json_feed_11(fixture_bytes):
    feed = parse_feed(fixture_bytes("feed.json"), url="https://quarry.example/feed.json")

    assert (feed.kind, feed.format, feed.title) == (InputKind.JSON_FEED, "jsonfeed11", "Quarry Notes")
    first, second = feed.entries
    assert first.url == "https://quarry.example/2025/04/h20-licence"
    assert first.content_text == "The notice arrived on a Tuesday.\n\nShipments now need approval."
    assert first.published == datetime(2025, 4, 16, 11, 45, tzinfo=UTC)
    assert first.authors == ("Ines Duarte",)
    assert second.guid == "42" and second.authors == ("Quarry Desk",)  # feed-level author inherited
    assert len(feed.warnings) == 2  # the item without id and the mailto: item


def test_json_feed_10_author(fixture_bytes):
    feed = parse_feed(fixture_bytes("feed_v10.json"), url="https://quarry.example/old.json")
    assert feed.format == "jsonfeed1"
    assert feed.entries[0].authors == ("Legacy Desk",)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b'{"version": "https://jsonfeed.org/version/1.1", "title": "B", "items": "x"}', "items"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "title"),
        (b'{"version": "https://example.org/v1", "title": "B", "items": []}', "version"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "title": ', "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON"),
    ],
)
def test_invalid_json_feeds_say_what_is_wrong(payload, message):
    with pytest.raises(ParseError, match=message):
        parse_feed(payload, url="https://quarry.example/feed.json", content_type="application/feed+json")


def test_sitemap(fixture_bytes):
    feed = parse_feed(fixture_bytes("sitemap.xml"), url="https://wire.example/sitemap.xml")
    assert (feed.kind, feed.format) == (InputKind.SITEMAP, "sitemap")
    assert [entry.url for entry in feed.entries] == [
        "https://wire.example/policy/accelerator-licence-rule",
        "https://wire.example/about",
    ]
    assert feed.entries[0].updated == datetime(2024, 12, 3, 20, 0, tzinfo=UTC)
    assert "javascript:alert(1)" in feed.warnings[0]


def test_google_news_sitemap(fixture_bytes):
    feed = parse_feed(fixture_bytes("news_sitemap.xml"), url="https://ledger.example/news-sitemap.xml")
    assert feed.format == "news-sitemap"
    assert feed.title == "Ledger Asia Tech" and feed.language == "zh"
    first = feed.entries[0]
    assert first.url == "https://ledger.example/2024/12/gallium-curbs"
    assert first.title == "Beijing tightens gallium and germanium shipments"
    assert first.published == datetime(2024, 12, 3, 10, 20, tzinfo=UTC)


def test_sitemap_index_and_gzipped_sitemap(fixture_bytes):
    index = parse_feed(fixture_bytes("sitemap_index.xml"), url="https://ledger.example/sitemap.xml")
    assert index.kind is InputKind.SITEMAP_INDEX
    assert index.sitemaps == (
        "https://ledger.example/sitemaps/news.xml",
        "https://ledger.example/sitemaps/archive-2024.xml.gz",
    )
    packed = gzip.compress(fixture_bytes("sitemap.xml"))
    assert detect_kind(packed, None, "https://wire.example/sitemap.xml.gz") is InputKind.SITEMAP
    assert len(parse_feed(packed, url="https://wire.example/sitemap.xml.gz").entries) == 2


def test_gzipped_sitemap_bomb_is_capped(monkeypatch):
    monkeypatch.setattr("scrapers.xmlsafe.MAX_GUNZIPPED_BYTES", 1024 * 1024)
    bomb = gzip.compress(b"<urlset>" + b" " * (8 * 1024 * 1024) + b"</urlset>")
    with pytest.raises(TooLargeError):
        parse_feed(bomb, url="https://x.example/sitemap.xml.gz")


@pytest.mark.parametrize(
    ("content", "content_type", "url", "kind"),
    [
        (b'<?xml version="1.0"?>\n<!-- hi --><rss version="2.0">', None, "", InputKind.FEED),
        (b'\xef\xbb\xbf<feed xmlns="http://www.w3.org/2005/Atom">', None, "", InputKind.FEED),
        (b"<rdf:RDF xmlns:rdf='x'>", None, "", InputKind.FEED),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', None, "", InputKind.JSON_FEED),
        (b'{"url": "a"}\n{"url": "b"}\n', None, "", InputKind.JSONL),
        (b"<urlset xmlns='x'><url>", None, "", InputKind.SITEMAP),
        (b"<sitemapindex>", None, "", InputKind.SITEMAP_INDEX),
        (b"<!DOCTYPE html>\n<html lang='en'>", "text/xml", "", InputKind.HTML),
        (b"<rss version='2.0'>", "text/html", "", InputKind.FEED),  # bytes beat a wrong header
        (b"\x00\x01binary", "application/octet-stream", "", InputKind.UNKNOWN),
    ],
)
def test_detect_kind(content, content_type, url, kind):
    assert detect_kind(content, content_type, url) is kind
