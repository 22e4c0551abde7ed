"""The tracker's one doorway into the `scrapers` library.

Services call these functions instead of importing `scrapers` stages directly, for two reasons:
one process-wide Fetcher (so per-host politeness and the robots.txt cache are shared by every
caller), configured from Django settings; and a thin fallback for stages the scrapers library
does not provide yet (feed parsing, article extraction, feed discovery), so ingestion works while
that library grows. When `scrapers.feeds` / `scrapers.extract` exist they are used as they are.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import socket
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from scrapers.errors import (
    BlockedAddressError,
    InvalidURLError,
    ParseError,
    UnsupportedSchemeError,
)
from scrapers.fetch import FetchConfig, Fetcher, address_block_reason
from scrapers.types import (
    DiscoveredFeed,
    ExtractedArticle,
    FeedEntry,
    FetchResult,
    InputKind,
    ParsedFeed,
)
from scrapers.urls import canonicalize_url

_fetcher: Fetcher | None = None
_fetcher_lock = threading.Lock()
_overrides: dict[str, object] = {}


def fetch_config() -> FetchConfig:
    """The FetchConfig from settings, plus any process-local overrides (the demo's)."""
    values: dict[str, object] = {
        "user_agent": settings.SCRAPER_USER_AGENT,
        "allowed_hosts": tuple(settings.SCRAPER_ALLOWED_HOSTS),
        "host_overrides": dict(settings.SCRAPER_HOST_OVERRIDES),
        "max_bytes": settings.SCRAPER_MAX_BYTES,
        "per_host_min_interval": settings.SCRAPER_PER_HOST_INTERVAL,
    }
    values.update(_overrides)
    return FetchConfig(**values)  # type: ignore[arg-type]


def get_fetcher() -> Fetcher:
    """The process-wide Fetcher; thread-safe and shared so politeness spans all callers."""
    global _fetcher
    with _fetcher_lock:
        if _fetcher is None:
            _fetcher = Fetcher(fetch_config())
        return _fetcher


def configure_fetcher(
    *,
    allowed_hosts: tuple[str, ...] | None = None,
    host_overrides: Mapping[str, str] | None = None,
    per_host_min_interval: float | None = None,
) -> None:
    """Change the fetcher of THIS process only (the demo maps *.example to its local server).

    Settings stay untouched; the next get_fetcher() builds a fresh Fetcher.
    """
    global _fetcher
    with _fetcher_lock:
        if allowed_hosts is not None:
            _overrides["allowed_hosts"] = tuple(allowed_hosts)
        if host_overrides is not None:
            _overrides["host_overrides"] = dict(host_overrides)
        if per_host_min_interval is not None:
            _overrides["per_host_min_interval"] = per_host_min_interval
        if _fetcher is not None:
            _fetcher.close()
        _fetcher = None


def reset_fetcher() -> None:
    """Forget process-local overrides (tests)."""
    global _fetcher
    with _fetcher_lock:
        _overrides.clear()
        if _fetcher is not None:
            _fetcher.close()
        _fetcher = None


def fetch(
    url: str, *, etag: str | None = None, last_modified: str | None = None, check_robots: bool = False
) -> FetchResult:
    return get_fetcher().fetch(url, etag=etag, last_modified=last_modified, check_robots=check_robots)


def url_check(url: str, *, resolve: bool = True) -> str:
    """Canonical spelling of `url` after the checks a fetch would make before connecting.

    Raises InvalidURLError, UnsupportedSchemeError or BlockedAddressError. `resolve=False` checks
    IP literals only (bulk loads of lists written offline). A host that does not resolve passes:
    sources are often written offline, and the fetcher checks again at connect time.
    """
    text = (url or "").strip()
    scheme = urlsplit(text).scheme.lower() if "://" in text else ""
    if scheme and scheme not in ("http", "https"):
        raise UnsupportedSchemeError(f"only http and https URLs can be polled, not {scheme}:", url=text)
    canonical = canonicalize_url(text)
    host = (urlsplit(canonical).hostname or "").strip("[]")
    config = fetch_config()
    allowed = any(_host_matches(host, pattern) for pattern in config.allowed_hosts)
    if allowed:
        return canonical
    reason = address_block_reason(host)
    if reason and reason != "not an IP address":
        raise BlockedAddressError(f"refused {host}: it is {reason}", url=text)
    if resolve and reason == "not an IP address" and not any(_host_matches(host, p) for p in config.host_overrides):
        try:
            infos = socket.getaddrinfo(host, None, 0, socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError):
            infos = []
        for *_ignored, sockaddr in infos:
            reason = address_block_reason(sockaddr[0])
            if reason:
                raise BlockedAddressError(f"refused {host}: it resolves to {sockaddr[0]}, {reason}", url=text)
    return canonical


def _host_matches(host: str, pattern: str) -> bool:
    pattern = pattern.strip().lower().rstrip(".")
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern


# --- parsing and extraction ---------------------------------------------------------------------


def detect_kind(content: bytes, *, content_type: str | None = None, url: str = "") -> InputKind:
    try:
        from scrapers.feeds import detect_kind as library_detect
    except ImportError:
        return _fallback_detect_kind(content, content_type=content_type, url=url)
    return library_detect(content, content_type=content_type, url=url)


def parse_feed(content: bytes, *, url: str = "", content_type: str | None = None) -> ParsedFeed:
    """Parse a feed, JSON Feed, sitemap or sitemap index. Raises ParseError when it is none."""
    try:
        from scrapers.feeds import parse_feed as library_parse
    except ImportError:
        return _fallback_parse_feed(content, url=url, content_type=content_type)
    return library_parse(content, url=url, content_type=content_type)


def extract_article(content: bytes, *, url: str, content_type: str | None = None) -> ExtractedArticle:
    """Read one article page; `content_type` is the HTTP header, whose charset the page may contradict."""
    try:
        from scrapers.extract import extract_article as library_extract
    except ImportError:
        return _fallback_extract(content, url=url)
    return library_extract(content, url=url, declared_encoding=_charset(content_type))


def _charset(content_type: str | None) -> str | None:
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type or "", re.I)
    return match.group(1) if match else None


def discover_feeds(content: bytes, *, url: str) -> list[DiscoveredFeed]:
    try:
        from scrapers.extract import discover_feeds as library_discover
    except ImportError:
        return _fallback_discover(content, url=url)
    return list(library_discover(content, url=url))


# --- fallbacks (used only until scrapers.feeds / scrapers.extract exist) -------------------------

_FEED_TYPES = {
    "application/rss+xml": InputKind.FEED,
    "application/atom+xml": InputKind.FEED,
    "application/rdf+xml": InputKind.FEED,
    "application/feed+json": InputKind.JSON_FEED,
}


def _fallback_detect_kind(content: bytes, *, content_type: str | None, url: str) -> InputKind:
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{"):
        if b"jsonfeed.org" in head:
            return InputKind.JSON_FEED
        first_line = content.split(b"\n", 1)[0]
        try:
            json.loads(first_line)
            return InputKind.JSONL
        except ValueError:
            return InputKind.UNKNOWN
    if b"<sitemapindex" in head:
        return InputKind.SITEMAP_INDEX
    if b"<urlset" in head:
        return InputKind.SITEMAP
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return InputKind.FEED
    if b"<html" in head or b"<!doctype html" in head:
        return InputKind.HTML
    media = (content_type or "").split(";")[0].strip().lower()
    return _FEED_TYPES.get(media, InputKind.HTML if media == "text/html" else InputKind.UNKNOWN)


def _to_datetime(struct) -> datetime | None:
    if not struct:
        return None
    return datetime(*struct[:6], tzinfo=UTC)


def _plain(text: str) -> str:
    from bs4 import BeautifulSoup

    if "<" not in text:
        return html_lib.unescape(text).strip()
    return BeautifulSoup(text, "lxml").get_text("\n\n", strip=True)


def _fallback_parse_feed(content: bytes, *, url: str, content_type: str | None) -> ParsedFeed:
    kind = _fallback_detect_kind(content, content_type=content_type, url=url)
    if kind in (InputKind.SITEMAP, InputKind.SITEMAP_INDEX):
        return _fallback_parse_sitemap(content, url=url, kind=kind)
    if kind == InputKind.JSON_FEED:
        return _fallback_parse_json_feed(content, url=url)
    if kind != InputKind.FEED:
        raise ParseError("not a feed: neither RSS, Atom, JSON Feed nor a sitemap", url=url or None)
    import feedparser

    if b"<!entity" in content[:8192].lower():
        raise ParseError("refused a feed that declares XML entities", url=url or None)
    parsed = feedparser.parse(content)
    if parsed.bozo and not parsed.entries:
        raise ParseError(f"could not parse the feed: {parsed.get('bozo_exception')}", url=url or None)
    entries = []
    for item in parsed.entries:
        link = item.get("link") or ""
        if not link:
            continue
        try:
            link = canonicalize_url(link, base=url or None)
        except InvalidURLError:
            continue
        content_text = ""
        if item.get("content"):
            content_text = _plain(item["content"][0].get("value", ""))
        entries.append(
            FeedEntry(
                url=link,
                guid=item.get("id") or link,
                title=_plain(item.get("title", "")),
                summary=_plain(item.get("summary", "")),
                content_text=content_text,
                authors=tuple(a.get("name", "") for a in item.get("authors", []) if a.get("name")),
                published=_to_datetime(item.get("published_parsed")),
                updated=_to_datetime(item.get("updated_parsed")),
                language=parsed.feed.get("language", ""),
            )
        )
    return ParsedFeed(
        kind=InputKind.FEED,
        format=parsed.version or "unknown",
        title=parsed.feed.get("title", ""),
        link=parsed.feed.get("link", ""),
        language=parsed.feed.get("language", ""),
        entries=tuple(entries),
    )


def _parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    from dateutil import parser as date_parser

    try:
        when = date_parser.isoparse(value)
    except (ValueError, OverflowError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _fallback_parse_json_feed(content: bytes, *, url: str) -> ParsedFeed:
    try:
        data = json.loads(content)
    except ValueError as exc:
        raise ParseError(f"JSON Feed is not valid JSON: {exc}", url=url or None) from exc
    entries = []
    for item in data.get("items", []):
        link = item.get("url") or item.get("external_url") or ""
        try:
            link = canonicalize_url(link, base=url or None)
        except InvalidURLError:
            continue
        entries.append(
            FeedEntry(
                url=link,
                guid=str(item.get("id") or link),
                title=item.get("title", ""),
                summary=_plain(item.get("summary", "")),
                content_text=item.get("content_text") or _plain(item.get("content_html", "")),
                authors=tuple(a.get("name", "") for a in item.get("authors", []) if a.get("name")),
                published=_parse_iso(item.get("date_published")),
                updated=_parse_iso(item.get("date_modified")),
                language=item.get("language") or data.get("language", ""),
            )
        )
    return ParsedFeed(
        kind=InputKind.JSON_FEED,
        format="jsonfeed",
        title=data.get("title", ""),
        link=data.get("home_page_url", ""),
        language=data.get("language", ""),
        entries=tuple(entries),
    )


def _fallback_parse_sitemap(content: bytes, *, url: str, kind: InputKind) -> ParsedFeed:
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(content)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise ParseError(f"sitemap is not well-formed XML: {exc}", url=url or None) from exc

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    if kind == InputKind.SITEMAP_INDEX:
        children = [
            (el.text or "").strip()
            for el in root.iter()
            if local(el.tag) == "loc" and (el.text or "").strip()
        ]
        return ParsedFeed(kind=kind, format="sitemapindex", sitemaps=tuple(children))
    entries = []
    for node in root:
        if local(node.tag) != "url":
            continue
        fields: dict[str, str] = {}
        for el in node.iter():
            fields.setdefault(local(el.tag), (el.text or "").strip())
        try:
            link = canonicalize_url(fields.get("loc", ""), base=url or None)
        except InvalidURLError:
            continue
        entries.append(
            FeedEntry(
                url=link,
                guid=link,
                title=fields.get("title", ""),
                published=_parse_iso(fields.get("publication_date")),
                updated=_parse_iso(fields.get("lastmod")),
                language=fields.get("language", ""),
            )
        )
    return ParsedFeed(kind=kind, format="sitemap", entries=tuple(entries))


_PAYWALL_HINTS = re.compile(r'class="[^"]*(paywall|subscribe-wall|premium-wall)', re.I)


def _fallback_extract(content: bytes, *, url: str) -> ExtractedArticle:
    import trafilatura
    from bs4 import BeautifulSoup

    text_html = content.decode("utf-8", "replace")
    soup = BeautifulSoup(text_html, "lxml")
    canonical = url
    link = soup.find("link", rel="canonical")
    if link and link.get("href"):
        canonical = link["href"]
    try:
        canonical = canonicalize_url(canonical, base=url)
    except InvalidURLError:
        canonical = canonicalize_url(url)
    metadata = trafilatura.extract_metadata(text_html, default_url=url)
    body = trafilatura.extract(text_html, url=url, include_comments=False, favor_precision=True) or ""
    body = "\n\n".join(part.strip() for part in body.split("\n") if part.strip())

    def meta(name: str) -> str:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        return (tag.get("content") or "").strip() if tag else ""

    title = (
        (metadata.title if metadata else "") or meta("og:title") or (soup.title.string if soup.title else "")
    )
    authors = ()
    if metadata and metadata.author:
        authors = tuple(a.strip() for a in metadata.author.split(";") if a.strip())
    published = _parse_iso(meta("article:published_time")) or (
        _parse_iso(metadata.date) if metadata and metadata.date else None
    )
    html_tag = soup.find("html")
    return ExtractedArticle(
        url=url,
        canonical_url=canonical,
        title=(title or "").strip(),
        text=body,
        summary=meta("description") or meta("og:description"),
        authors=authors,
        published=published,
        updated=_parse_iso(meta("article:modified_time")),
        language=(html_tag.get("lang", "") if html_tag else "").split("-")[0],
        site_name=meta("og:site_name") or (metadata.sitename if metadata and metadata.sitename else ""),
        is_paywalled=bool(_PAYWALL_HINTS.search(text_html)),
    )


def _fallback_discover(content: bytes, *, url: str) -> list[DiscoveredFeed]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(content, "lxml")
    found: list[DiscoveredFeed] = []
    seen: set[str] = set()
    for link in soup.find_all("link", href=True):
        rel = [r.lower() for r in (link.get("rel") or [])]
        kind = _FEED_TYPES.get((link.get("type") or "").lower())
        if "alternate" not in rel or kind is None:
            continue
        try:
            href = canonicalize_url(urljoin(url, link["href"]))
        except InvalidURLError:
            continue
        if href not in seen:
            seen.add(href)
            found.append(DiscoveredFeed(url=href, kind=kind, title=link.get("title", "")))
    return found
