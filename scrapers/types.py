"""The dataclasses every scraper stage returns. Plain data, no behaviour that does I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class InputKind(StrEnum):
    """What a fetched or local document turned out to be."""

    FEED = "feed"  # RSS 0.9x/1.0/2.0 or Atom
    JSON_FEED = "json_feed"  # JSON Feed 1.0/1.1
    SITEMAP = "sitemap"  # <urlset>, including Google News sitemaps
    SITEMAP_INDEX = "sitemap_index"  # <sitemapindex>
    HTML = "html"  # an article (or home) page
    JSONL = "jsonl"  # JSON Lines archive of articles
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One HTTP exchange after redirects. `content` is already decompressed and capped."""

    requested_url: str
    url: str  # final URL after redirects
    status: int
    headers: dict[str, str]  # lower-cased names
    content: bytes
    elapsed_seconds: float
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed or one <url> of a sitemap, as the publisher described it."""

    url: str  # canonicalised link to the article page
    guid: str  # the feed's id/guid, or the url when the feed gives none
    title: str = ""
    summary: str = ""  # plain text
    content_text: str = ""  # plain text of full content when the feed carries it
    authors: tuple[str, ...] = ()
    published: datetime | None = None  # timezone-aware
    updated: datetime | None = None  # timezone-aware
    language: str = ""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    kind: InputKind  # FEED, JSON_FEED, SITEMAP or SITEMAP_INDEX
    format: str  # e.g. "rss20", "atom10", "rss10", "jsonfeed11", "sitemap", "news-sitemap"
    title: str = ""
    link: str = ""
    language: str = ""
    entries: tuple[FeedEntry, ...] = ()
    sitemaps: tuple[str, ...] = ()  # child sitemap URLs of a sitemap index
    warnings: tuple[str, ...] = ()  # e.g. "skipped item 3: no usable URL"; the feed itself parsed


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """What an article page says about itself, boilerplate removed."""

    url: str  # the URL it was fetched from
    canonical_url: str  # rel=canonical / og:url when trustworthy, else canonicalised url
    title: str = ""
    text: str = ""  # main text, paragraphs separated by blank lines
    summary: str = ""
    authors: tuple[str, ...] = ()
    published: datetime | None = None  # timezone-aware
    updated: datetime | None = None  # timezone-aware
    language: str = ""
    site_name: str = ""
    is_paywalled: bool = False
    warnings: tuple[str, ...] = field(default=())  # e.g. "charset mismatch: declared utf-8, decoded cp1252"


@dataclass(frozen=True, slots=True)
class DiscoveredFeed:
    url: str
    kind: InputKind
    title: str = ""
