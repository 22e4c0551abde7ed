"""One-shot imports (`manage.py ingest`): feeds, sitemaps, article pages and JSON Lines archives,
from files or URLs, through the same services the crawler uses.

Each input is handled on its own: a bad input (or a bad line of an archive) is reported with a
reason and the rest still go in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from dateutil import parser as date_parser
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from scrapers.errors import InvalidURLError, ScraperError
from scrapers.types import FeedEntry, InputKind
from scrapers.urls import canonicalize_url
from tracker.news.services import ArticleData, IngestOutcome, IngestResult, article_ingest
from tracker.sources import scraping
from tracker.sources.models import Source

# Above this a local file is surely not one article or feed; refuse rather than eat memory.
MAX_FILE_BYTES = 200 * 1024 * 1024
JSONL_REQUIRED = ("url", "title")
JSONL_FIELDS = {"url", "title", "id", "text", "summary", "published", "source", "language"}


class InputError(Exception):
    """The whole input is unusable; the message says why in a sentence."""


@dataclass
class InputReport:
    name: str
    kind: str = ""
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    def count(self, result: IngestResult) -> None:
        if result.outcome == IngestOutcome.CREATED:
            self.new += 1
        elif result.outcome == IngestOutcome.UPDATED:
            self.updated += 1
        else:
            self.unchanged += 1


def _is_url(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


def input_read(name: str) -> tuple[bytes, str, str | None]:
    """(content, url or '', content type) of a path or URL. Raises InputError."""
    if _is_url(name):
        try:
            result = scraping.fetch(name)
        except ScraperError as exc:
            raise InputError(str(exc)) from None
        return result.content, result.url, result.content_type
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://", name)
    if scheme:
        raise InputError(f"unsupported scheme {scheme.group(1)}://; give an http(s) URL or a file path")
    path = Path(name)
    try:
        if path.is_dir():
            raise InputError("is a directory, not a file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        return path.read_bytes(), "", None
    except FileNotFoundError:
        raise InputError("no such file") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as exc:
        raise InputError(f"cannot read it: {exc.strerror or exc}") from None


def input_ingest(name: str, *, fetch_pages: bool = True) -> InputReport:
    """Import one input. Raises InputError when the input as a whole cannot be used."""
    content, url, content_type = input_read(name)
    if not content.strip():
        raise InputError("is empty")
    if name.lower().endswith((".jsonl", ".ndjson")):
        kind = InputKind.JSONL  # by name: a first line that is broken must not hide the rest
    else:
        kind = scraping.detect_kind(content, content_type=content_type, url=url or name)
    report = InputReport(name=name, kind=str(kind))
    if kind == InputKind.JSONL:
        _ingest_jsonl(content, report)
    elif kind in (InputKind.FEED, InputKind.JSON_FEED, InputKind.SITEMAP, InputKind.SITEMAP_INDEX):
        _ingest_feed(content, url=url, content_type=content_type, report=report, fetch_pages=fetch_pages)
    elif kind == InputKind.HTML:
        _ingest_page(content, url=url, content_type=content_type, report=report)
    else:
        raise InputError("not a feed, sitemap, HTML page or JSON Lines file")
    return report


def _ingest_feed(
    content: bytes, *, url: str, content_type: str | None, report: InputReport, fetch_pages: bool
):
    from tracker.sources.services import entry_ingest

    try:
        parsed = scraping.parse_feed(content, url=url, content_type=content_type)
    except ScraperError as exc:
        raise InputError(str(exc)) from None
    entries: list[FeedEntry] = list(parsed.entries)
    for child in parsed.sitemaps:
        try:
            fetched = scraping.fetch(child)
            entries.extend(scraping.parse_feed(fetched.content, url=fetched.url).entries)
        except ScraperError as exc:
            report.errors.append(f"child sitemap {child}: {exc}")
    if not entries and not report.errors:
        raise InputError(f"the {parsed.kind} has no entries with a link")
    for entry in entries:
        try:
            report.count(entry_ingest(entry=entry, feed_language=parsed.language, fetch_page=fetch_pages))
        except (ScraperError, ValidationError, IntegrityError) as exc:
            report.errors.append(f"{entry.url}: {exc}")


PLACEHOLDER_URL = "http://unknown.invalid/"


def page_url_guess(content: bytes) -> str:
    """The address a saved page gives itself (rel=canonical, then og:url), or ''."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(content, "lxml")
    link = soup.find("link", rel="canonical", href=True)
    meta = soup.find("meta", attrs={"property": "og:url"})
    for candidate in (link and link["href"], meta and meta.get("content")):
        if candidate:
            try:
                return canonicalize_url(candidate)
            except InvalidURLError:
                continue
    return ""


def _is_home_page(url: str) -> bool:
    return urlsplit(url).path in ("", "/", "/index.html", "/index.htm")


def _ingest_page(content: bytes, *, url: str, content_type: str | None, report: InputReport) -> None:
    page_url = url or page_url_guess(content)
    if not page_url:
        raise InputError(
            "the page names no URL of its own (no rel=canonical or og:url); ingest it by URL instead"
        )
    if _is_home_page(page_url):
        feeds = [found.url for found in scraping.discover_feeds(content, url=page_url)]
        hint = f"; it announces these feeds: {', '.join(feeds)}" if feeds else ""
        raise InputError(f"this is a home page, not an article{hint}")
    try:
        page = scraping.extract_article(content, url=page_url, content_type=content_type)
    except ScraperError as exc:
        raise InputError(str(exc)) from None
    if not page.title:
        raise InputError("no title found on the page")
    data = ArticleData(
        url=page_url,
        canonical_url=page.canonical_url,
        title=page.title,
        text=page.text,
        summary=page.summary,
        authors=page.authors,
        published=page.published,
        updated=page.updated,
        language=page.language,
        site_name=page.site_name,
        is_paywalled=page.is_paywalled,
        warnings=page.warnings,
    )
    try:
        report.count(article_ingest(data=data))
    except (ScraperError, ValidationError) as exc:
        raise InputError(str(exc)) from None


def _parse_published(value) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"published must be a date string, got {type(value).__name__}")
    when = date_parser.isoparse(value) if value[:4].isdigit() else date_parser.parse(value)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _source_named(name: str) -> Source | None:
    """A JSON Lines `source` names an existing source (name or domain); else match by URL."""
    if not name:
        return None
    return (
        Source.objects.filter(name__iexact=name).first() or Source.objects.filter(domain=name.lower()).first()
    )


def jsonl_record_data(record: dict) -> tuple[ArticleData, str]:
    """ArticleData and the `source` name of one JSON Lines object. Raises ValueError with the reason."""
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    missing = [
        key for key in JSONL_REQUIRED if not (isinstance(record.get(key), str) and record[key].strip())
    ]
    if missing:
        raise ValueError(f"missing {' and '.join(missing)}")
    for key in ("text", "summary", "source", "language"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise ValueError(f"{key} must be a string")
    external_id = record.get("id")
    if external_id is not None and not isinstance(external_id, (str, int)):
        raise ValueError("id must be a string or a number")
    try:
        published = _parse_published(record.get("published"))
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"published {record.get('published')!r} is not a date ({exc})") from None
    data = ArticleData(
        url=record["url"].strip(),
        title=record["title"].strip(),
        text=record.get("text") or "",
        summary=record.get("summary") or "",
        published=published,
        language=record.get("language") or "",
        site_name=record.get("source") or "",
        external_id="" if external_id is None else str(external_id),
    )
    return data, record.get("source") or ""


def _ingest_jsonl(content: bytes, report: InputReport) -> None:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"JSON Lines must be UTF-8 ({exc.reason} at byte {exc.start})") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data, source_name = jsonl_record_data(json.loads(line))
            result = article_ingest(data=data, source=_source_named(source_name))
        except json.JSONDecodeError as exc:
            report.errors.append(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except (ValueError, InvalidURLError, ScraperError, ValidationError) as exc:
            report.errors.append(f"line {number}: {exc}")
            continue
        report.count(result)
