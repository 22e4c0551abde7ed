"""Article extraction: the fields an editor sees on an article, from pages we wrote ourselves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scrapers import extract as extract_module
from scrapers.errors import InvalidURLError, ParseError
from scrapers.extract import decode_html, discover_feeds, extract_article
from scrapers.types import InputKind

PAGE_URL = "https://www.wire.example/policy/memory-stack-licences"


@pytest.fixture
def page(fixture_bytes):
    return lambda name: fixture_bytes(f"pages/{name}")


def test_news_article_metadata_from_json_ld_and_meta(page):
    article = extract_article(page("news_article.html"), url=PAGE_URL + "?utm_source=x")

    assert article.url == PAGE_URL
    assert article.canonical_url == PAGE_URL
    assert article.title == "Chip export licences now cover memory stacks"
    assert article.authors == ("Mara Okonkwo", "Devon Achebe")
    assert article.published == datetime(2024, 12, 3, 14, 0, tzinfo=UTC)  # JSON-LD beats meta
    assert article.updated == datetime(2024, 12, 3, 18, 30, tzinfo=UTC)
    assert article.summary.startswith("Exporters of high-bandwidth memory")
    assert (article.language, article.site_name, article.is_paywalled) == ("en", "Harbor Wire", False)
    assert article.warnings == ()


def test_news_article_text_keeps_paragraphs_and_drops_boilerplate(page):
    text = extract_article(page("news_article.html"), url=PAGE_URL).text

    paragraphs = text.split("\n\n")
    assert paragraphs[0].startswith("Exporters that ship high-bandwidth memory")
    assert paragraphs[-1].endswith("before the rule takes effect.")
    for boilerplate in (
        "Policy desk and regulation coverage",
        "We use cookies",
        "Related stories",
        "morning briefing",
        "All rights reserved",
        "window.analytics",
        "Chip export licences now cover memory stacks",  # the title has its own field
    ):
        assert boilerplate not in text


@pytest.mark.parametrize(
    ("name", "warning"),
    [
        ("cp1252_labelled_utf8.html", "charset mismatch: declared utf-8, decoded windows-1252"),
        ("utf8_labelled_latin1.html", "charset mismatch: declared iso-8859-1, decoded utf-8"),
        ("utf8_labelled_cp1252.html", "charset mismatch: declared windows-1252, decoded utf-8"),
        ("cp1252_undeclared.html", "no charset declared; detected windows-1252"),
    ],
)
def test_wrong_charset_labels_come_out_right(page, name, warning):
    article = extract_article(page(name), url="https://cafe.example/rules")

    assert article.title == "Caf\u00e9 owners ask about \u201csmart\u201d ordering rules"
    assert "fines of up to \u20ac20,000" in article.text
    assert "na\u00efve" in article.text and "\u00c3" not in article.text
    assert warning in article.warnings


def test_http_header_charset_is_checked_too(page):
    article = extract_article(
        page("cp1252_undeclared.html"), url="https://cafe.example/r", declared_encoding="utf-8"
    )
    assert "\u20ac20,000" in article.text
    assert "charset mismatch: declared utf-8, decoded windows-1252" in article.warnings


def test_decode_html_trusts_bom_and_clean_declarations():
    assert decode_html(b"\xef\xbb\xbf<p>\xc3\xa9</p>", "iso-8859-1") == ("<p>\u00e9</p>", "utf_8", [])
    text, codec, warnings = decode_html("<p>caf\u00e9</p>".encode("iso-8859-15"), "iso-8859-15")
    assert (text, codec, warnings) == ("<p>caf\u00e9</p>", "iso8859_15", [])
    assert decode_html("<p>\u4e2d\u6587</p>".encode("gb18030"), "gb18030")[0] == "<p>\u4e2d\u6587</p>"
    assert decode_html(b"<p>plain</p>", "no-such-charset")[2] == [
        "unknown charset label 'no-such-charset' ignored"
    ]


def test_amp_page_reports_the_regular_article_as_canonical(page):
    article = extract_article(page("amp_article.html"), url="https://amp.wire.example/eu/ai-office-advisers")

    assert article.url == "https://amp.wire.example/eu/ai-office-advisers"
    assert article.canonical_url == "https://www.wire.example/eu/ai-office-advisers"
    assert article.authors == ("Jonas Lindqvist",)
    assert "Home page of the wire" not in article.text
    assert article.text.startswith("The European Commission named ten outside experts")


def test_cross_site_canonical_is_ignored_with_a_warning(page):
    article = extract_article(
        page("cross_site_canonical.html"), url="https://www.wire.example/explainers/chips"
    )

    # rel=canonical points to another site: ignored; og:url is on the same site: trusted.
    assert article.canonical_url == "https://blog.wire.example/explainers/chip-rules"
    assert any("ignored cross-site rel=canonical https://aggregator.example" in w for w in article.warnings)


def test_visible_byline_when_there_is_no_metadata(page):
    article = extract_article(page("byline_only.html"), url="https://north.example/world/chatbot-rules")

    assert article.authors == ("Ana Costa", "Ben Okafor")  # the outlet's name is not an author
    assert article.published == datetime(2024, 7, 10, tzinfo=UTC)
    assert article.title == "Regional regulators compare notes on chatbot rules"  # " - Northern Ledger" cut
    assert "Front page" not in article.text and "Terms of service" not in article.text


@pytest.mark.parametrize(
    ("html", "authors", "published"),
    [
        (
            "<div class='meta'>Posted December 2, 2024 by Harriet Cole</div>",
            ("Harriet Cole",),
            datetime(2024, 12, 2, tzinfo=UTC),
        ),
        (
            "<div class='meta'>By Marcus Tell, Ledger Wire &mdash; 03 Dec 2024 07:30 UTC-05:00</div>",
            ("Marcus Tell", "Ledger Wire"),
            datetime(2024, 12, 3, 12, 30, tzinfo=UTC),
        ),
        (
            "<p class='entry-meta'><span class='author'>Kelvin Tsang</span> <span class='date'>2025-04-16 11:30 HKT</span></p>",
            ("Kelvin Tsang",),
            datetime(2025, 4, 16, 3, 30, tzinfo=UTC),
        ),
    ],
)
def test_byline_variants(html, authors, published):
    body = "<p>" + "Officials described the rule change at a briefing on Monday afternoon. " * 5 + "</p>"
    page_html = (
        f"<html><head><title>T</title></head><body><article><h1>T</h1>{html}{body}</article></body></html>"
    )
    article = extract_article(page_html, url="https://x.example/a")
    assert article.authors == authors
    assert article.published == published


@pytest.mark.parametrize("name", ["paywalled_ld.html", "paywalled_soft.html"])
def test_paywall_detection(page, name):
    article = extract_article(page(name), url="https://paper.example/story")
    assert article.is_paywalled
    assert article.text  # the teaser is kept


def test_free_long_article_mentioning_subscriptions_is_not_paywalled():
    body = "".join(
        f"<p>Paragraph {n}: the regulator said subscription services must explain their models clearly.</p>"
        for n in range(20)
    )
    html = f"<html><body><article>{body}<p>Subscribe to continue reading our newsletter.</p></article></body></html>"
    assert not extract_article(html, url="https://paper.example/free").is_paywalled


def test_fallback_extractor_when_trafilatura_finds_nothing(page, monkeypatch):
    monkeypatch.setattr(extract_module.trafilatura, "extract", lambda *args, **kwargs: None)
    article = extract_article(page("news_article.html"), url=PAGE_URL)

    assert "Exporters that ship high-bandwidth memory" in article.text
    assert "Privacy policy" not in article.text and "Related stories" not in article.text
    assert "main text from the fallback extractor (trafilatura found none)" in article.warnings


def test_xhtml_with_xml_declaration_is_read():
    xhtml = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="de">'
        "<head><title>Regeln</title></head><body><article><p>"
        + "Die Aufsicht hat neue Regeln fuer Sprachmodelle vorgestellt und Fristen genannt. " * 4
        + "</p></article></body></html>"
    )
    article = extract_article(xhtml.encode("utf-8"), url="https://de.example/regeln")
    assert article.language == "de" and "Aufsicht" in article.text


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(InvalidURLError):
        extract_article(b"<p>x</p>", url="ftp://files.example/x")
    with pytest.raises(ParseError, match="empty"):
        extract_article(b"   ", url="https://x.example/")


def test_discover_feeds(page):
    feeds = discover_feeds(page("news_article.html"), "https://www.wire.example/policy/x")

    assert [(f.url, f.kind, f.title) for f in feeds] == [
        ("https://www.wire.example/feeds/policy.rss", InputKind.FEED, "Harbor Wire RSS"),
        ("https://www.wire.example/feeds/policy.atom", InputKind.FEED, "Harbor Wire Atom"),
        ("https://www.wire.example/feeds/policy.json", InputKind.JSON_FEED, "Harbor Wire JSON"),
    ]
    # hreflang alternates (translations) are not feeds; the utm_ duplicate collapsed.
    assert discover_feeds(b"", url="https://x.example/") == []
    based = discover_feeds(
        '<html><head><base href="https://cdn.example/site/"><link rel="alternate feed" '
        'type="application/atom+xml" href="atom.xml"></head></html>',
        url="https://x.example/",
    )
    assert [f.url for f in based] == ["https://cdn.example/site/atom.xml"]
