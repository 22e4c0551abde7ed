from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from scrapers.errors import InvalidURLError, ScraperError
from scrapers.types import InputKind
from scrapers.urls import canonicalize_url
from tracker.news.imports import PLACEHOLDER_URL, InputError, input_read, page_url_guess
from tracker.sources import scraping

SHOWN_FIELDS = (
    "title",
    "canonical_url",
    "authors",
    "published",
    "updated",
    "language",
    "site_name",
    "summary",
)


class Command(BaseCommand):
    help = (
        "Show what the scraper reads from one article page (title, text, authors, published, language, "
        "canonical_url) without storing anything. PATH_OR_URL is a URL or a saved HTML file; for a file, "
        "--url gives the address it was saved from (links and the canonical URL are resolved against it)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("input", metavar="PATH_OR_URL")
        parser.add_argument("--url", help="the page's address, for a saved file")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, input: str, url: str | None = None, json: bool = False, **options) -> None:
        try:
            content, fetched_url, content_type = input_read(input)
            kind = scraping.detect_kind(content, content_type=content_type, url=fetched_url or input)
            if kind not in (InputKind.HTML, InputKind.UNKNOWN):
                raise CommandError(f"{input}: this is a {kind}, not an article page; use `ingest` for it")
            page_url = (
                canonicalize_url(url) if url else fetched_url or page_url_guess(content) or PLACEHOLDER_URL
            )
            page = scraping.extract_article(content, url=page_url, content_type=content_type)
        except InputError as exc:
            raise CommandError(f"{input}: {exc}") from None
        except (InvalidURLError, ScraperError) as exc:
            raise CommandError(f"{input}: {exc}") from None
        values = {
            "url": page.url,
            **{name: getattr(page, name) for name in SHOWN_FIELDS},
            "is_paywalled": page.is_paywalled,
            "warnings": list(page.warnings),
            "text": page.text,
        }
        values["authors"] = list(page.authors)
        for name in ("published", "updated"):
            values[name] = values[name].isoformat() if values[name] else None
        if json:
            self.stdout.write(_json_dumps(values))
            return
        for name, value in values.items():
            if name == "text":
                continue
            shown = ", ".join(value) if isinstance(value, list) else ("" if value is None else value)
            self.stdout.write(f"{name + ':':15} {shown}")
        self.stdout.write(f"text ({len(page.text.split())} words):\n")
        self.stdout.write(page.text)


def _json_dumps(values: dict) -> str:
    return json.dumps(values, ensure_ascii=False, indent=2)
