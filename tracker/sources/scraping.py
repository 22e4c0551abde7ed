"""The tracker's one doorway into the `scrapers` library.

Services call these functions instead of importing `scrapers` stages directly: there is one
process-wide Fetcher (so the robots.txt cache is shared by every caller), configured from Django
settings plus the demo's process-local overrides, and the HTTP details the stages need (the
charset of Content-Type) are passed on in one place. Per-host politeness spans every worker
process and machine when SCRAPER_THROTTLE_URL names a Redis server, else this process.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from scrapers.errors import BlockedAddressError, UnsupportedSchemeError
from scrapers.extract import discover_feeds as library_discover_feeds
from scrapers.extract import extract_article as library_extract_article
from scrapers.feeds import detect_kind as library_detect_kind
from scrapers.feeds import parse_feed as library_parse_feed
from scrapers.fetch import FetchConfig, Fetcher, address_block_reason
from scrapers.redis_throttle import RedisHostThrottle
from scrapers.throttle import HostThrottle, LocalHostThrottle
from scrapers.types import DiscoveredFeed, ExtractedArticle, FetchResult, InputKind, ParsedFeed
from scrapers.urls import canonicalize_url

_fetcher: Fetcher | None = None
_fetcher_lock = threading.Lock()
_overrides: dict[str, object] = {}

# Next to the cache's "tracker:<version>:" keys when both share one Redis database.
THROTTLE_KEY_PREFIX = "tracker:host-throttle:"


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


def host_throttle() -> HostThrottle:
    """The per-host spacing from settings: shared through Redis when SCRAPER_THROTTLE_URL is
    set (falling back to this process while Redis is unreachable), else this process's own."""
    url = settings.SCRAPER_THROTTLE_URL
    if not url:
        return LocalHostThrottle()
    try:
        return RedisHostThrottle.from_url(url, key_prefix=THROTTLE_KEY_PREFIX)
    except ValueError as exc:  # not a redis://, rediss:// or unix:// URL
        raise ImproperlyConfigured(f"SCRAPER_THROTTLE_URL={url!r} is not a Redis URL: {exc}") from None


def get_fetcher() -> Fetcher:
    """The process-wide Fetcher; thread-safe and shared so politeness spans all callers."""
    global _fetcher
    with _fetcher_lock:
        if _fetcher is None:
            _fetcher = Fetcher(fetch_config(), throttle=host_throttle())
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
    if (
        resolve
        and reason == "not an IP address"
        and not any(_host_matches(host, p) for p in config.host_overrides)
    ):
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
    return library_detect_kind(content, content_type=content_type, url=url)


def parse_feed(content: bytes, *, url: str = "", content_type: str | None = None) -> ParsedFeed:
    """Parse a feed, JSON Feed, sitemap or sitemap index. Raises ParseError when it is none."""
    return library_parse_feed(content, url=url, content_type=content_type)


def extract_article(content: bytes, *, url: str, content_type: str | None = None) -> ExtractedArticle:
    """Read one article page; `content_type` is the HTTP header, whose charset the page may contradict."""
    return library_extract_article(content, url=url, declared_encoding=_charset(content_type))


def discover_feeds(content: bytes, *, url: str) -> list[DiscoveredFeed]:
    return list(library_discover_feeds(content, url=url))


def _charset(content_type: str | None) -> str | None:
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type or "", re.I)
    return match.group(1) if match else None
