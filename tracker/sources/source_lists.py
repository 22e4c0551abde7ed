"""Reading source lists (the starter list, the demo manifest) into SourceSpecs."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

from tracker.sources.models import Feed, Source
from tracker.sources.services import SourceSpec, source_upsert

STARTER_SOURCES = Path(settings.BASE_DIR) / "demo" / "sources" / "starter_sources.json"
DEMO_MANIFEST = Path(settings.BASE_DIR) / "demo" / "corpus" / "manifest.json"


# Feed kinds as lists write them -> Feed.Kind (a sitemap index is polled like a sitemap).
FEED_KIND_ALIASES = {"sitemap_index": "sitemap", "jsonfeed": "json_feed", "json": "json_feed", "html": "page"}


class SourceListError(ValueError):
    """The file is not a usable source list; the message names the file and the entry."""


def source_specs_load(path: Path) -> list[SourceSpec]:
    """Parse {"sources": [...]} (starter list) or {"outlets": [...]} (demo manifest)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceListError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceListError(f"{path}: not a readable JSON file ({exc})") from None
    entries = data.get("sources", data.get("outlets")) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise SourceListError(f'{path}: expected an object with a "sources" (or "outlets") list')
    specs = []
    for index, entry in enumerate(entries, start=1):
        where = f"{path}: entry {index}"
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("domain"):
            raise SourceListError(f"{where}: needs at least name and domain")
        feeds = entry.get("feeds", [])
        if not isinstance(feeds, list) or not all(isinstance(f, dict) and f.get("url") for f in feeds):
            raise SourceListError(f"{where} ({entry['name']}): feeds must be a list of {{url, kind}} objects")
        specs.append(
            SourceSpec(
                name=entry["name"],
                domain=entry["domain"],
                homepage=entry.get("homepage", ""),
                kind=entry.get("kind", "news_outlet"),
                country=entry.get("country", ""),
                owner_group=entry.get("owner_group", ""),
                reliability_note=entry.get("reliability_note", ""),
                feeds=tuple(
                    (f["url"], FEED_KIND_ALIASES.get(f.get("kind", "rss"), f.get("kind", "rss")))
                    for f in feeds
                ),
            )
        )
    return specs


def demo_sources_load(path: Path = DEMO_MANIFEST) -> tuple[list[Source], list[Feed]]:
    """The demo outlets as sources (name, kind, country, owner group) with their feeds, as
    `manage.py demo` loads them; the analysis tests load them here too, so an aggregator or a
    think tank is one there as in the demo. Load the reference data first (countries).

    Raises SourceListError for an unreadable manifest and ValidationError for a bad entry.
    """
    sources: list[Source] = []
    feeds: list[Feed] = []
    for spec in source_specs_load(path):
        source, source_feeds = source_upsert(spec=spec)
        sources.append(source)
        feeds.extend(source_feeds)
    return sources, feeds
