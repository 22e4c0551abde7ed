"""JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/)."""

from __future__ import annotations

import json
from typing import Any

from scrapers.errors import InvalidURLError, ParseError
from scrapers.text import collapse_whitespace, html_to_text, normalise_language, parse_datetime
from scrapers.types import FeedEntry, InputKind, ParsedFeed
from scrapers.urls import canonicalize_url

VERSION_PREFIX = "https://jsonfeed.org/version/"


def _text(value: Any) -> str:
    return collapse_whitespace(value) if isinstance(value, str) else ""


def _author_names(item: dict[str, Any]) -> tuple[str, ...]:
    people = item.get("authors")
    if not isinstance(people, list):
        single = item.get("author")  # JSON Feed 1.0
        people = [single] if single else []
    names = []
    for person in people:
        if isinstance(person, dict) and isinstance(person.get("name"), str) and person["name"].strip():
            names.append(collapse_whitespace(person["name"]))
    return tuple(dict.fromkeys(names))


def parse_json_feed(content: bytes | str, *, url: str = "") -> ParsedFeed:
    """Validate and parse a JSON Feed. Raises ParseError naming the first broken rule.

    Required: an object with `version` (a jsonfeed.org version URL), `title` and an
    `items` array; every item needs an `id`. Items without a usable URL are skipped
    and reported in `warnings` rather than failing the whole feed.
    """
    text = content.decode("utf-8-sig", "replace") if isinstance(content, bytes) else content
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ParseError(f"JSON Feed is not valid JSON: {exc}", url=url or None) from exc
    except RecursionError as exc:  # absurd nesting: an attack on the parser, not a feed
        raise ParseError("JSON Feed nests too deeply to be a feed", url=url or None) from exc
    if not isinstance(data, dict):
        raise ParseError("JSON Feed must be a JSON object", url=url or None)
    version = data.get("version")
    if not isinstance(version, str) or not version.startswith(VERSION_PREFIX):
        raise ParseError(
            f"JSON Feed 'version' must start with {VERSION_PREFIX}, got {version!r}", url=url or None
        )
    if not isinstance(data.get("title"), str):
        raise ParseError("JSON Feed has no 'title' string", url=url or None)
    items = data.get("items")
    if not isinstance(items, list):
        raise ParseError("JSON Feed has no 'items' array", url=url or None)
    feed_language = normalise_language(data.get("language") if isinstance(data.get("language"), str) else "")
    feed_authors = _author_names(data)
    warnings: list[str] = []
    entries: list[FeedEntry] = []
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            warnings.append(f"item {position} is not an object; skipped")
            continue
        item_id = item.get("id")
        if isinstance(item_id, (int, float)) and not isinstance(item_id, bool):
            item_id = str(item_id)  # 1.0 feeds sometimes use numbers; the spec says coerce
        if not isinstance(item_id, str) or not item_id.strip():
            warnings.append(f"item {position} has no 'id'; skipped")
            continue
        link = item.get("url") or item.get("external_url") or item_id
        try:
            entry_url = canonicalize_url(link if isinstance(link, str) else "", base=url or None)
        except InvalidURLError as exc:
            warnings.append(f"item {item_id!r} has no usable URL ({exc.message}); skipped")
            continue
        content_text = _text(item.get("content_text")) or html_to_text(_text(item.get("content_html")))
        entries.append(
            FeedEntry(
                url=entry_url,
                guid=item_id.strip(),
                title=html_to_text(_text(item.get("title"))),
                summary=html_to_text(_text(item.get("summary"))),
                content_text=content_text,
                authors=_author_names(item) or feed_authors,
                published=parse_datetime(item.get("date_published")),
                updated=parse_datetime(item.get("date_modified")),
                language=normalise_language(_text(item.get("language"))) or feed_language,
            )
        )
    minor = version[len(VERSION_PREFIX) :].strip("/").replace(".", "")
    return ParsedFeed(
        kind=InputKind.JSON_FEED,
        format=f"jsonfeed{minor}" if minor.isdigit() else "jsonfeed",
        title=_text(data.get("title")),
        link=_text(data.get("home_page_url")),
        language=feed_language,
        entries=tuple(entries),
        warnings=tuple(warnings),
    )
