"""Ingestion speed on the demo corpus: the tracker's parse + store against bare feedparser.

    .venv/bin/python bench/bench_ingestion.py [--repeat 3] [--crawl]

Reads the demo outlets' feeds (demo/corpus/manifest.json; sitemaps left out, which feedparser
cannot read) from disk and prints a markdown table of articles per second for:

- feedparser.parse: the bare library on the same bytes (the baseline; json.loads for the one
  JSON Feed, which feedparser cannot read);
- parse: scrapers' parse_feed (XML screening, canonical URLs, plain-text fields);
- parse + store, first time: parse_feed, then article_ingest with FeedItem for every entry,
  into an empty database (inserts; feed text only, no page fetches);
- parse + store, again: the same input a second time (the idempotent path: reads, no writes);
- with --crawl, the demo path end to end: feed_poll of every feed against the local corpus
  server, fetching and extracting every article page.

The ratio column is "bare feedparser articles/s / this row's articles/s": how many times slower
than bare parsing each stage is. Runs on a throw-away SQLite database under a temp directory
unless DATABASE_URL is set. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MANIFEST = ROOT / "demo" / "corpus" / "manifest.json"
SITE = ROOT / "demo" / "corpus" / "site"
BENCH_FEED_KINDS = {"rss", "atom", "json_feed"}


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    if not os.environ.get("DATABASE_URL"):
        os.environ["TRACKER_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-ingestion-")
    os.environ.pop("CELERY_BROKER_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _feed_files() -> list[tuple[dict, str, bytes]]:
    """(outlet, feed url, bytes) of every RSS/Atom/JSON feed in the manifest."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    found = []
    for outlet in manifest["outlets"]:
        for feed in outlet["feeds"]:
            if feed["kind"] not in BENCH_FEED_KINDS:
                continue
            path = SITE / outlet["domain"] / feed["url"].split(outlet["domain"], 1)[1].lstrip("/")
            found.append((outlet, feed["url"], path.read_bytes()))
    return found


def _best(repeat: int, run) -> tuple[int, float]:
    """(articles, best seconds) over `repeat` runs; `run` returns the article count."""
    best = float("inf")
    count = 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = run()
        best = min(best, time.perf_counter() - started)
    return count, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--crawl", action="store_true", help="also time the full crawl through the local server"
    )
    args = parser.parse_args()
    _setup_django()

    import feedparser

    from tracker.news.models import Article, FeedItem
    from tracker.news.services import article_ingest
    from tracker.sources import scraping
    from tracker.sources.models import Feed
    from tracker.sources.services import SourceSpec, article_data_merge, source_upsert

    feeds_on_disk = _feed_files()
    feeds = {}
    for outlet, url, _content in feeds_on_disk:
        _source, made = source_upsert(
            spec=SourceSpec(
                name=outlet["name"], domain=outlet["domain"], kind=outlet["kind"], feeds=((url, "rss"),)
            )
        )
        feeds[url] = made[0]

    def bare() -> int:
        # feedparser 6 does not read JSON Feed; json.loads is the bare baseline for that one.
        return sum(
            len(json.loads(content)["items"])
            if url.endswith(".json")
            else len(feedparser.parse(content).entries)
            for _o, url, content in feeds_on_disk
        )

    def parse_only() -> int:
        return sum(len(scraping.parse_feed(content, url=url).entries) for _o, url, content in feeds_on_disk)

    def store() -> int:
        stored = 0
        for _outlet, url, content in feeds_on_disk:
            parsed = scraping.parse_feed(content, url=url)
            feed = feeds[url]
            for entry in parsed.entries:
                data = article_data_merge(entry=entry, page=None, feed_language=parsed.language)
                article_ingest(data=data, source=feed.source, feed=feed, guid=entry.guid)
                stored += 1
        return stored

    def store_fresh() -> int:
        FeedItem.objects.all().delete()
        Article.objects.all().delete()
        return store()

    rows = []
    rows.append(("feedparser.parse (bare)", *_best(args.repeat, bare)))
    rows.append(("parse_feed", *_best(args.repeat, parse_only)))
    rows.append(("parse + store, first time", *_best(args.repeat, store_fresh)))
    rows.append(("parse + store, again (idempotent)", *_best(args.repeat, store)))
    if args.crawl:
        rows.append(
            (
                "crawl: feeds + pages via HTTP",
                *_best(1, lambda: _crawl(feeds, Article, FeedItem, Feed)),
            )
        )

    base_rate = rows[0][1] / rows[0][2]
    print(f"Ingestion of the demo corpus feeds ({len(feeds_on_disk)} feeds), best of {args.repeat}\n")
    print("| pipeline | articles | seconds | articles/s | ratio (bare / this) |")
    print("|---|---:|---:|---:|---:|")
    for name, count, seconds in rows:
        rate = count / seconds if seconds else float("inf")
        print(f"| {name} | {count} | {seconds:.3f} | {rate:,.0f} | {base_rate / rate:.2f} |")


def _crawl(feeds, Article, FeedItem, Feed) -> int:
    import importlib.util

    from tracker.sources import scraping
    from tracker.sources.services import feed_poll

    spec = importlib.util.spec_from_file_location("demo_serve", ROOT / "demo" / "serve.py")
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)
    server = serve.start_server(port=0)
    try:
        scraping.configure_fetcher(
            allowed_hosts=("*.example",),
            host_overrides={"*.example": f"127.0.0.1:{server.server_address[1]}"},
            per_host_min_interval=0.0,
        )
        FeedItem.objects.all().delete()
        Article.objects.all().delete()
        Feed.objects.update(etag="", last_modified="")
        return sum(feed_poll(feed=Feed.objects.get(pk=feed.pk)).new for feed in feeds.values())
    finally:
        server.shutdown()
        scraping.reset_fetcher()


if __name__ == "__main__":
    main()
