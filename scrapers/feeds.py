"""Feeds in every shape publishers use: RSS 0.9x/1.0/2.0, Atom, JSON Feed, sitemaps.

`parse_feed` is the one entry point: it sniffs the bytes and hands them to the right
parser. XML is screened for entity tricks before feedparser sees it; malformed but
recoverable feeds (feedparser's "bozo" feeds) are accepted, garbage raises ParseError.
"""

from __future__ import annotations

import re
from typing import Any

import feedparser

from scrapers.detect import detect_kind
from scrapers.errors import InvalidURLError, ParseError
from scrapers.jsonfeed import parse_json_feed
from scrapers.sitemaps import parse_sitemap
from scrapers.text import collapse_whitespace, html_to_text, normalise_language, parse_datetime
from scrapers.types import FeedEntry, InputKind, ParsedFeed
from scrapers.urls import canonicalize_url
from scrapers.xmlsafe import screen_xml

__all__ = ["detect_kind", "parse_feed", "parse_xml_feed"]

_HTML_LINK_TYPES = ("", "text/html", "application/xhtml+xml")


def parse_feed(content: bytes, *, url: str = "", content_type: str | None = None) -> ParsedFeed:
    """Parse any supported feed or sitemap. Raises ParseError (or HostileContentError).

    `url` is where the document came from; relative entry links resolve against it.
    """
    kind = detect_kind(content, content_type=content_type, url=url)
    if kind is InputKind.JSON_FEED:
        return parse_json_feed(content, url=url)
    if kind in (InputKind.SITEMAP, InputKind.SITEMAP_INDEX):
        return parse_sitemap(content, url=url)
    if kind is InputKind.HTML:
        raise ParseError(
            "this is an HTML page, not a feed; look for its feeds with discover_feeds()", url=url or None
        )
    if kind is InputKind.JSONL:
        raise ParseError("this is a JSON Lines archive, not a feed", url=url or None)
    return parse_xml_feed(content, url=url)


def _entry_link(entry: Any) -> str:
    for link in entry.get("links", ()):
        rel = link.get("rel", "alternate")
        if rel == "alternate" and link.get("type", "") in _HTML_LINK_TYPES and link.get("href"):
            return link["href"]
    if entry.get("link"):
        return entry["link"]
    guid = entry.get("id", "")
    # An RSS <guid> is a permalink unless isPermaLink="false"; feedparser keeps it as the id.
    return guid if guid.startswith(("http://", "https://")) else ""


_EMAIL_THEN_NAME = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")
_NAME_THEN_EMAIL = re.compile(r"^\s*(?P<name>[^<]+?)\s*<\S+@\S+>\s*$")


def _person_name(raw: str) -> str:
    """'desk@wire.example (Jonas L.)' and 'Jonas L. <desk@...>' -> 'Jonas L.'; a bare email -> ''."""
    for pattern in (_EMAIL_THEN_NAME, _NAME_THEN_EMAIL):
        match = pattern.match(raw)
        if match:
            return collapse_whitespace(match.group("name"))
    return "" if "@" in raw and " " not in raw.strip() else collapse_whitespace(html_to_text(raw))


def _authors(entry: Any) -> tuple[str, ...]:
    raw = entry.get("author", "")
    if "@" in raw:
        # feedparser's e-mail splitting mangles long TLDs, so RSS "email (Name)" is read here.
        names = [_person_name(raw)]
    else:
        names = [a.get("name", "") for a in entry.get("authors", ()) if isinstance(a, dict)] or [raw]
    cleaned = [collapse_whitespace(html_to_text(name)) for name in names]
    return tuple(dict.fromkeys(name for name in cleaned if name))


def _longest_content(entry: Any) -> str:
    parts = [part.get("value", "") for part in entry.get("content", ()) if isinstance(part, dict)]
    return html_to_text(max(parts, key=len)) if parts else ""


def parse_xml_feed(content: bytes, *, url: str = "") -> ParsedFeed:
    """RSS or Atom via feedparser, after screening for entity declarations."""
    screen_xml(content, url=url)
    # Bytes, never a str: feedparser treats a str that looks like a URL as something to fetch.
    parsed = feedparser.parse(
        bytes(content),
        # application/xml lets the XML declaration name the charset (RFC 7303); the real
        # header is not passed because text/xml without charset would force US-ASCII.
        response_headers={"content-type": "application/xml", "content-location": url or ""},
        sanitize_html=False,  # we reduce everything to plain text ourselves
    )
    feed = parsed.get("feed", {})
    raw_entries = parsed.get("entries", [])
    if not parsed.get("version") and not raw_entries:
        reason = parsed.get("bozo_exception")
        detail = f": {reason}" if reason else ""
        raise ParseError(f"not a readable RSS or Atom feed{detail}", url=url or None)
    feed_language = normalise_language(feed.get("language"))
    # RSS has one date per item (pubDate, or dc:date which feedparser files under "updated").
    rss_dates_are_publication = (parsed.get("version") or "").startswith("rss")
    warnings: list[str] = []
    if parsed.get("bozo"):
        warnings.append(f"feed is malformed but was recovered: {parsed.get('bozo_exception')}")
    entries: list[FeedEntry] = []
    for position, entry in enumerate(raw_entries):
        link = _entry_link(entry)
        try:
            entry_url = canonicalize_url(link, base=url or None)
        except InvalidURLError as exc:
            warnings.append(f"entry {position} ({entry.get('title', '')[:60]!r}) skipped: {exc.message}")
            continue
        content_text = _longest_content(entry)
        published = parse_datetime(entry.get("published_parsed")) or parse_datetime(entry.get("published"))
        updated = parse_datetime(entry.get("updated_parsed")) or parse_datetime(entry.get("updated"))
        if published is None and rss_dates_are_publication:
            published = updated
        summary = html_to_text(entry.get("summary", ""))
        entries.append(
            FeedEntry(
                url=entry_url,
                guid=(entry.get("id") or "").strip() or entry_url,
                title=html_to_text(entry.get("title", "")),
                summary=summary,
                content_text=content_text if content_text != summary else "",
                authors=_authors(entry),
                published=published,
                updated=updated,
                language=normalise_language(entry.get("language")) or feed_language,
            )
        )
    return ParsedFeed(
        kind=InputKind.FEED,
        format=parsed.get("version") or "unknown",
        title=html_to_text(feed.get("title", "")),
        link=feed.get("link", ""),
        language=feed_language,
        entries=tuple(entries),
        warnings=tuple(warnings),
    )
