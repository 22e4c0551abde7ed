"""Analysis benchmark: clustering quality on the demo corpus, per-article cost as the store grows,
and bulk throughput of `process`.

    .venv/bin/python bench/bench_analysis.py                       # sizes 10k and 100k
    .venv/bin/python bench/bench_analysis.py --sizes 10000,100000,1000000   # the 1M run (~20-30 min on 2 cores)
    .venv/bin/python bench/bench_analysis.py --database-url postgres://postgres@127.0.0.1:5432/tracker_bench_analysis

What it measures
- Clustering: pairwise precision/recall of events against demo/corpus/articles/*/event.toml.
- Incremental cost: a synthetic store is grown to each size (bulk inserted: articles with
  fingerprints and events at a steady 300 articles a day, so 1M articles span about nine years),
  then 200 new articles at the end of the timeline are processed; reported as ms per article.
  The cost must stay nearly flat: every stage looks only at a time window, never at the store.
- Bulk throughput: a fresh batch of synthetic stories (with syndicated copies) processed by the
  pipeline, in articles per second, with and without the claims stage.

The database is SQLite under var/ unless --database-url is given; it is rebuilt on each run.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED = 20240709
ARTICLES_PER_DAY = 300  # a busy tracker's intake; sets how many articles a time window holds
STORY_SIZE = 4  # articles per synthetic event
NEW_ARTICLES = 200
# Policy words of our own plus names the matcher knows, so every stage has real work.
COMMON = [
    "export",
    "controls",
    "chips",
    "semiconductor",
    "accelerator",
    "licence",
    "rule",
    "entity",
    "list",
    "commerce",
    "ministry",
    "regulation",
    "act",
    "parliament",
    "council",
    "data",
    "centre",
    "cloud",
    "model",
    "weights",
    "compute",
    "threshold",
    "tariff",
    "minerals",
    "ban",
    "sanction",
    "investment",
    "screening",
    "lab",
    "safety",
    "audit",
    "frontier",
    "disclosure",
    "api",
    "access",
    "region",
    "customers",
    "subsidiary",
    "partner",
    "joint",
    "venture",
    "memory",
    "wafer",
    "foundry",
    "lithography",
    "equipment",
    "enforcement",
    "penalty",
    "review",
    "guidance",
    "draft",
    "consultation",
    "deadline",
    "vote",
    "approval",
    "court",
    "appeal",
    "agreement",
    "summit",
    "pledge",
    "budget",
    "fund",
    "officials",
    "said",
    "on",
    "Tuesday",
    "that",
    "the",
    "new",
    "measures",
    "would",
    "take",
    "effect",
    "next",
    "month",
    "according",
    "to",
    "people",
    "familiar",
]
NAMES = [
    "Nvidia",
    "OpenAI",
    "Microsoft",
    "China",
    "the United States",
    "Huawei",
    "ASML",
    "the EU",
    "Japan",
    "Baidu",
    "Alibaba",
    "TSMC",
    "the Commerce Department",
    "Beijing",
    "Brussels",
    "Reuters",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="10000,100000", help="Comma-separated store sizes (default 10000,100000)."
    )
    parser.add_argument(
        "--bulk", type=int, default=3000, help="Articles in the bulk-throughput batch (default 3000)."
    )
    parser.add_argument("--database-url", default="", help="Database to use (default: SQLite under var/).")
    args = parser.parse_args()
    try:
        args.sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    except ValueError:
        parser.error("--sizes must be whole numbers separated by commas, e.g. 10000,100000")
    if any(s < 1000 for s in args.sizes):
        parser.error("each size must be at least 1000")
    return args


def setup_django(database_url: str) -> None:
    if not database_url:
        path = ROOT / "var" / "bench_analysis.sqlite3"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        database_url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if settings.IS_POSTGRES:
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", "--noinput", verbosity=0)
    from tracker.companies.services import reference_data_load

    reference_data_load()


def wipe() -> None:
    """Empty the article, event and claim tables (reference data stays). Plain DELETEs in one
    transaction: the ORM's cascade gathers every row in Python and, at a million articles,
    exceeds SQLite's limit on query variables. Foreign keys are deferred, so order is free."""
    from django.apps import apps
    from django.db import connection, transaction

    from tracker.events.models import Topic

    tables = [
        model._meta.db_table
        for label in ("claims", "news", "events")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model is not Topic
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def clustering_quality() -> tuple[float, float, int, int]:
    from tests.analysis.helpers import demo_corpus_load, pairwise_precision_recall
    from tracker.events.pipeline import process_pending
    from tracker.news.models import Article

    corpus = demo_corpus_load()
    process_pending()
    truth = {a.pk: key for key, demo in corpus.items() for a in demo.articles.values()}
    predicted = dict(Article.objects.filter(pk__in=truth).values_list("id", "event_id"))
    precision, recall = pairwise_precision_recall(truth, predicted)
    return precision, recall, len(truth), len(set(predicted.values()))


class Synth:
    """Deterministic synthetic stories: each has its own made-up words, so stories are separable."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.story = 0
        # General vocabulary: the policy words plus made-up ones, so that two stories share
        # common words the way real articles do (many, each rarely) rather than all of them.
        self.common = COMMON + [self.word() for _ in range(600)]

    def word(self) -> str:
        # 20**4 = 160,000 made-up words: stories rarely share one by chance.
        syllables = [
            "ka",
            "lo",
            "mi",
            "ren",
            "tu",
            "sa",
            "vor",
            "del",
            "qui",
            "zan",
            "bri",
            "pex",
            "go",
            "nu",
            "fa",
            "shi",
            "ter",
            "wo",
            "lek",
            "dra",
        ]
        return "".join(self.rng.choice(syllables) for _ in range(4))

    def story_words(self) -> list[str]:
        self.story += 1
        return [self.word() for _ in range(12)] + self.rng.sample(NAMES, 3)

    def text(self, words: list[str], n: int = 220) -> str:
        out = []
        for i in range(n):
            out.append(self.rng.choice(words) if self.rng.random() < 0.35 else self.rng.choice(self.common))
            if i % 18 == 17:
                out[-1] += "."
        return " ".join(out).capitalize() + "."

    def title(self, words: list[str]) -> str:
        return " ".join(self.rng.sample(words, 4) + self.rng.sample(self.common, 3)).capitalize()


def sources(n: int = 30):
    from tracker.sources.models import Source

    existing = list(Source.objects.filter(domain__startswith="bench"))
    if existing:
        return existing
    return Source.objects.bulk_create(
        [
            Source(
                name=f"Bench Outlet {i}",
                slug=f"bench-{i}",
                domain=f"bench{i}.example",
                owner_group=f"group{i % 20}",
            )
            for i in range(n)
        ]
    )


def grow_store(target: int, start: datetime, have: int, synth: Synth) -> int:
    """Bulk-insert already-processed articles (with fingerprints and events) up to `target`."""
    import numpy as np

    from tracker.events.models import ArticleFingerprint, Event
    from tracker.news import dedup
    from tracker.news.models import Article

    outlets = sources()
    rng = np.random.default_rng(have + SEED)
    chunk = 20000
    while have < target:
        n = min(chunk, target - have)
        stories = (n + STORY_SIZE - 1) // STORY_SIZE
        events = []
        for s in range(stories):
            when = start + timedelta(days=(have + s * STORY_SIZE) / ARTICLES_PER_DAY)
            words = [synth.word() for _ in range(30)] + synth.rng.sample(synth.common, 10)
            profile = {
                "terms": {w: 1.0 for w in words},
                "companies": {},
                "jurisdictions": {},
                "n": STORY_SIZE,
                "first": when.isoformat(),
                "last": (when + timedelta(hours=6)).isoformat(),
            }
            events.append(
                Event(
                    title=f"Stored story {have + s}",
                    event_date=when.date(),
                    first_reported_at=when,
                    last_article_at=when + timedelta(hours=6),
                    profile=profile,
                    needs_refresh=False,
                )
            )
        Event.objects.bulk_create(events, batch_size=2000)
        articles = []
        for i in range(n):
            event = events[i // STORY_SIZE]
            when = event.first_reported_at + timedelta(minutes=37 * (i % STORY_SIZE))
            url = f"http://bench.example/stored/{have + i}"
            articles.append(
                Article(
                    source=outlets[i % len(outlets)],
                    url=url,
                    canonical_url=url,
                    title=event.title,
                    text="Stored synthetic article.",
                    published_at=when,
                    event=event,
                    needs_dedup=False,
                    needs_analysis=False,
                    needs_clustering=False,
                )
            )
        Article.objects.bulk_create(articles, batch_size=2000)
        sigs = rng.integers(0, 2**32 - 1, size=(n, dedup.NUM_PERM), dtype=np.uint32)
        ArticleFingerprint.objects.bulk_create(
            [
                ArticleFingerprint(
                    article_id=a.pk,
                    signature=dedup.signature_to_bytes(sigs[k]),
                    published_at=a.published_at,
                    content_hash=f"{a.pk:064x}",
                    shingle_count=200,
                )
                for k, a in enumerate(articles)
            ],
            batch_size=2000,
        )
        have += n
        print(f"  store: {have} articles", file=sys.stderr, flush=True)
    return have


def add_new(n: int, when: datetime, synth: Synth, copies: float = 0.1, tag: str = "new") -> list[int]:
    """Unprocessed synthetic stories of STORY_SIZE articles; a share of them syndicated copies."""
    from tracker.news.dedup import text_hash
    from tracker.news.models import Article

    outlets = sources()
    rows = []
    words, text = None, ""
    for i in range(n):
        if i % STORY_SIZE == 0:
            words = synth.story_words()
            text = synth.text(words)
        published = when + timedelta(minutes=3 * i)
        body = text + " Republished." if synth.rng.random() < copies and i % STORY_SIZE else synth.text(words)
        url = f"http://bench.example/{tag}/{when:%Y%m%d}/{i}"
        rows.append(
            Article(
                source=outlets[i % len(outlets)],
                url=url,
                canonical_url=url,
                title=synth.title(words),
                text=body,
                published_at=published,
                content_hash=text_hash(body),
            )
        )
    Article.objects.bulk_create(rows, batch_size=1000)
    return [a.pk for a in rows]


def without_claims():
    import tracker.events.pipeline as pipeline

    original = pipeline._claims_extract, pipeline._claims_refresh
    pipeline._claims_extract = pipeline._claims_refresh = lambda: None
    return lambda: (
        setattr(pipeline, "_claims_extract", original[0]),
        setattr(pipeline, "_claims_refresh", original[1]),
    )


def main() -> None:
    args = parse_args()
    setup_django(args.database_url)
    from django.db import connection

    from tracker.events.pipeline import process_pending

    rows = []
    t = time.perf_counter()
    precision, recall, n_articles, n_events = clustering_quality()
    rows.append(
        (
            "Clustering on demo corpus",
            f"precision {precision:.3f}, recall {recall:.3f} (pairwise)",
            f"{n_articles} articles -> {n_events} events, {time.perf_counter() - t:.1f}s",
        )
    )
    wipe()

    synth = Synth(SEED)
    start = datetime(2016, 1, 1, tzinfo=UTC)
    have = 0
    for size in args.sizes:
        t = time.perf_counter()
        have = grow_store(size, start, have, synth)
        load_s = time.perf_counter() - t
        end = start + timedelta(days=have / ARTICLES_PER_DAY)
        add_new(NEW_ARTICLES, end, synth, tag=f"inc{size}")
        restore = without_claims()
        t = time.perf_counter()
        summary = process_pending()
        elapsed = time.perf_counter() - t
        restore()
        assert summary.analysed == NEW_ARTICLES, summary
        rows.append(
            (
                f"Incremental, store of {size:,}",
                f"{1000 * elapsed / NEW_ARTICLES:.2f} ms/article",
                f"{NEW_ARTICLES} new articles in {elapsed:.2f}s (no claims); store built in {load_s:.0f}s",
            )
        )
        have += NEW_ARTICLES

    wipe()
    when = datetime(2025, 3, 1, tzinfo=UTC)
    for label, claims in (("no claims stage", False), ("with claims stage", True)):
        add_new(args.bulk, when, synth, tag=f"bulk-{claims}")
        restore = None if claims else without_claims()
        t = time.perf_counter()
        summary = process_pending()
        elapsed = time.perf_counter() - t
        if restore:
            restore()
        rows.append(
            (
                f"Bulk process, {label}",
                f"{summary.analysed / elapsed:.0f} articles/s",
                f"{summary.analysed} articles, {summary.copies} copies, {summary.events_created} events "
                f"(synthetic stories: {args.bulk // STORY_SIZE}), "
                f"{elapsed:.1f}s",
            )
        )
        wipe()
        when += timedelta(days=60)

    print(f"\nAnalysis benchmark ({connection.vendor}, {os.cpu_count()} CPUs)\n")
    print("| measure | result | detail |")
    print("|---|---|---|")
    for row in rows:
        print(f"| {row[0]} | {row[1]} | {row[2]} |")


if __name__ == "__main__":
    main()
