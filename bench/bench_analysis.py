"""Analysis benchmark: clustering quality on the demo corpus, per-article cost as the store grows,
and bulk throughput of `process`.

    .venv/bin/python bench/bench_analysis.py                       # sizes 10k and 100k
    .venv/bin/python bench/bench_analysis.py --sizes 10000,100000,1000000 --store-cache var/bench-cache
    .venv/bin/python bench/bench_analysis.py --database-url postgres://postgres@127.0.0.1:5432/tracker_bench_analysis

What it measures
- Clustering: pairwise precision/recall of events against demo/corpus/articles/*/event.toml.
- Incremental cost: a synthetic store is grown to each size (bulk inserted: articles with
  fingerprints whose signatures overlap within a story the way real reports do, organisation and
  jurisdiction mentions, and events, at a steady 300 articles a day, so 1M articles span about
  nine years), then 200 new articles at the end of the timeline are processed; reported as ms per
  article, wall and CPU. The cost must stay nearly flat: every stage looks only at a time window,
  never at the store. Before the timed pass the SQLite WAL is checkpointed (no ANALYZE: the
  application never runs it, so the plans must be right without statistics); on PostgreSQL the
  tables are VACUUM ANALYZEd, as autovacuum would have done in a steady state.
- Bulk throughput: a fresh batch of synthetic stories (with syndicated copies) processed by the
  pipeline, in articles per second, with and without the claims stage, for each --jobs count
  (as `process --jobs N`: N > 1 forks N workers that compute the articles' text features).

Each size starts from a store of exactly that many articles. With --store-cache DIR a built store
is kept (SQLite: a file in DIR; PostgreSQL: a template database named after the bench database)
and reused by later runs; building 1M articles takes several minutes. CPU is this process's CPU
time and its finished worker processes' (--jobs), plus the PostgreSQL server process's when it
runs on this machine. --profile runs cProfile over the timed passes (this process only, not the
workers) and prints the functions with the most own time.

The database is SQLite under var/ unless --database-url is given; it is rebuilt on each run.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import os
import pstats
import random
import shutil
import sys
import time
from contextlib import contextmanager
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


SQLITE_PATH = ROOT / "var" / "bench_analysis.sqlite3"


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
    parser.add_argument(
        "--database-url",
        default="",
        help="Database to use; it is EMPTIED first, so give it one of its own and create it before "
        "(createdb -h 127.0.0.1 -U postgres NAME). Default: SQLite under var/.",
    )
    parser.add_argument(
        "--sqlite-path",
        default=str(SQLITE_PATH),
        help="SQLite file to (re)create when no --database-url is given (default var/bench_analysis.sqlite3).",
    )
    parser.add_argument(
        "--store-cache",
        default="",
        metavar="DIR",
        help="Keep built stores (SQLite files in DIR, or PostgreSQL template databases) and reuse them.",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the timed passes; print the top functions."
    )
    parser.add_argument(
        "--skip-bulk", action="store_true", help="Only the clustering and incremental measures."
    )
    parser.add_argument(
        "--jobs",
        default="1",
        help="Comma-separated process counts for the bulk measures, as `process --jobs N` (default 1).",
    )
    args = parser.parse_args()
    try:
        args.sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    except ValueError:
        parser.error("--sizes must be whole numbers separated by commas, e.g. 10000,100000")
    if any(s < 1000 for s in args.sizes):
        parser.error("each size must be at least 1000")
    try:
        args.jobs = [int(j) for j in args.jobs.split(",") if j.strip()]
    except ValueError:
        parser.error("--jobs must be whole numbers separated by commas, e.g. 1,2")
    if not args.jobs or any(j < 1 for j in args.jobs):
        parser.error("each --jobs value must be at least 1")
    return args


def setup_django(database_url: str, sqlite_path: str) -> None:
    global SQLITE_PATH
    if not database_url:
        path = SQLITE_PATH = Path(sqlite_path).resolve()
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        database_url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # As the worker runs in production: with DEBUG on, Django records every query's SQL.
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-analysis-not-secret")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError, connection

    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        raise SystemExit(f"error: cannot open the benchmark database: {exc}") from None
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

    def __init__(self, seed: int, common: list[str] | None = None) -> None:
        self.rng = random.Random(seed)
        self.story = 0
        # General vocabulary: the policy words plus made-up ones, so that two stories share
        # common words the way real articles do (many, each rarely) rather than all of them.
        self.common = common or COMMON + [self.word() for _ in range(600)]

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


STORE_CHUNK = 10000  # the store is built in chunks seeded by their start: any path gives the same store
# Share of a signature a story's later reports keep from its first: about a third of the phrasing
# in common, as separate reports of one story have (below the rewrite threshold: not copies).
STORY_SIGNATURE_KEEP = 0.35


def grow_store(target: int, start: datetime, have: int, common: list[str]) -> int:
    """Bulk-insert already-processed articles (with fingerprints, mentions and events) up to
    `target`."""
    import numpy as np

    from tracker.companies.models import Company
    from tracker.events.models import ArticleFingerprint, Event
    from tracker.jurisdictions.models import Jurisdiction
    from tracker.news import dedup
    from tracker.news.models import Article, ArticleCompany

    outlets = sources()
    company_ids = sorted(Company.objects.exclude(kind=Company.Kind.MEDIA).values_list("id", flat=True))
    jurisdiction_ids = sorted(Jurisdiction.objects.values_list("id", flat=True))
    through = Article.jurisdictions.through
    while have < target:
        n = min(STORE_CHUNK - have % STORE_CHUNK, target - have)
        synth = Synth(SEED + have, common)
        rng = np.random.default_rng(SEED + have)
        stories = (n + STORY_SIZE - 1) // STORY_SIZE
        events, story_companies, story_places = [], [], []
        for s in range(stories):
            when = start + timedelta(days=(have + s * STORY_SIZE) / ARTICLES_PER_DAY)
            words = [synth.word() for _ in range(30)] + synth.rng.sample(synth.common, 10)
            comps = synth.rng.sample(company_ids, 2)
            places = synth.rng.sample(jurisdiction_ids, 1)
            story_companies.append(comps)
            story_places.append(places)
            profile = {
                "terms": {w: 1.0 for w in words},
                "companies": {str(c): STORY_SIZE for c in comps},
                "jurisdictions": {str(j): STORY_SIZE for j in places},
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
                    article_count=STORY_SIZE,
                    independent_source_count=STORY_SIZE,
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
                    content_hash=f"{have + i:064x}",
                    event=event,
                    needs_dedup=False,
                    needs_analysis=False,
                    needs_clustering=False,
                )
            )
        Article.objects.bulk_create(articles, batch_size=2000)
        # Signatures: each story's reports share about a third of their first report's values.
        base = rng.integers(0, 2**32 - 1, size=(stories, dedup.NUM_PERM), dtype=np.uint32)
        own = rng.integers(0, 2**32 - 1, size=(n, dedup.NUM_PERM), dtype=np.uint32)
        story = np.arange(n) // STORY_SIZE
        keep = (rng.random((n, dedup.NUM_PERM)) < STORY_SIGNATURE_KEEP) | (np.arange(n) % STORY_SIZE == 0)[
            :, None
        ]
        sigs = np.where(keep, base[story], own)
        ArticleFingerprint.objects.bulk_create(
            [
                ArticleFingerprint(
                    article_id=a.pk,
                    signature=dedup.signature_to_bytes(sigs[k]),
                    published_at=a.published_at,
                    content_hash=a.content_hash,
                    shingle_count=200,
                )
                for k, a in enumerate(articles)
            ],
            batch_size=2000,
        )
        ArticleCompany.objects.bulk_create(
            [
                ArticleCompany(
                    article_id=a.pk,
                    company_id=c,
                    mention_count=1 + (k + c) % 3,
                    prominent=c == story_companies[k // STORY_SIZE][0],
                )
                for k, a in enumerate(articles)
                for c in story_companies[k // STORY_SIZE]
            ],
            batch_size=2000,
        )
        through.objects.bulk_create(
            [
                through(article_id=a.pk, jurisdiction_id=j)
                for k, a in enumerate(articles)
                for j in story_places[k // STORY_SIZE]
            ],
            batch_size=2000,
        )
        have += n
        if have % 100000 == 0 or have == target:
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


# --- stores kept between runs ----------------------------------------------------------------


def _store_key() -> str:
    """Changes when this file's store generator changes: a store built otherwise is not reused.
    (Schema changes need no new store: a restored store is migrated, as a deployment's is.)"""
    source = Path(__file__).read_text()
    generator = source[source.index("def grow_store") : source.index("def add_new")]
    return hashlib.sha256(generator.encode()).hexdigest()[:10]


class StoreCache:
    """Built stores by size: SQLite files in a folder, or PostgreSQL template databases."""

    def __init__(self, folder: str) -> None:
        from django.conf import settings

        self.folder = Path(folder) if folder else None
        self.key = _store_key()
        self.postgres = settings.IS_POSTGRES
        if self.postgres:
            self.dbname = settings.DATABASES["default"]["NAME"]

    def _name(self, size: int) -> str:
        return (
            f"{self.dbname}_store{size}_{self.key}"
            if self.postgres
            else f"analysis-{size}-{self.key}.sqlite3"
        )

    def _admin(self):
        """Autocommit connection to the server's maintenance database (CREATE/DROP DATABASE)."""
        import psycopg
        from django.conf import settings

        db = settings.DATABASES["default"]
        return psycopg.connect(
            dbname="postgres",
            user=db["USER"],
            password=db["PASSWORD"] or None,
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            autocommit=True,
        )

    def _pg_exists(self, name: str) -> bool:
        with self._admin() as admin:
            return (
                admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
            )

    def largest(self, up_to: int) -> int:
        """The largest kept size not above `up_to` (0: none)."""
        if self.folder is None:
            return 0
        sizes = []
        if self.postgres:
            prefix = f"{self.dbname}_store"
            with self._admin() as admin:
                for (name,) in admin.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"]
                ):
                    size, _, key = name[len(prefix) :].partition("_")
                    if key == self.key and size.isdigit():
                        sizes.append(int(size))
        else:
            for path in self.folder.glob(f"analysis-*-{self.key}.sqlite3"):
                sizes.append(int(path.name.split("-")[1]))
        return max((s for s in sizes if s <= up_to), default=0)

    def restore(self, size: int) -> None:
        from django.core.management import call_command
        from django.db import connection

        connection.close()
        if self.postgres:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{self.dbname}" TEMPLATE "{self._name(size)}"')
        else:
            for suffix in ("-wal", "-shm"):
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.folder / self._name(size), SQLITE_PATH)
        call_command("migrate", "--noinput", verbosity=0)

    def save(self, size: int) -> None:
        from django.db import connection

        if self.folder is None:
            return
        steady_state()
        connection.close()
        if self.postgres:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self._name(size)}"')
                admin.execute(f'CREATE DATABASE "{self._name(size)}" TEMPLATE "{self.dbname}"')
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / (self._name(size) + ".partial")
            shutil.copyfile(SQLITE_PATH, partial)
            partial.rename(self.folder / self._name(size))
        print(f"  store of {size} kept ({self._name(size)})", file=sys.stderr, flush=True)


def steady_state() -> None:
    """What a long-running store looks like after bulk loading: SQLite's WAL folded into the
    database file (no ANALYZE: the application never runs it); PostgreSQL's tables vacuumed and
    analysed, as autovacuum would have done."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            cursor.execute("VACUUM ANALYZE")


# --- CPU time and profiles -------------------------------------------------------------------


def _server_pid() -> int | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def _proc_cpu(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    """CPU seconds of this process and of its finished children (the feature workers of
    `process --jobs N` are joined before the pass returns)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@contextmanager
def measured(profile: bool, label: str):
    """Wall, own CPU and database-server CPU seconds of the block; the load average at its end."""
    out = {}
    pid = _server_pid()
    profiler = cProfile.Profile() if profile else None
    server0, cpu0, wall0 = _proc_cpu(pid), _own_cpu(), time.perf_counter()
    main0 = time.process_time()
    if profiler:
        profiler.enable()
    try:
        yield out
    finally:
        if profiler:
            profiler.disable()
        out["wall"] = time.perf_counter() - wall0
        out["cpu"] = _own_cpu() - cpu0
        out["main"] = time.process_time() - main0
        out["server"] = _proc_cpu(pid) - server0 if pid else None
        # `--jobs` closes the connection before forking its workers: the server process that
        # served the block is not the one measured at its start, and its CPU is not known here.
        out["reconnected"] = bool(pid) and _server_pid() != pid
        if out["reconnected"]:
            out["server"] = None
        out["load"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        if profiler:
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(30)
            print(f"\n=== profile: {label} ===\n{text.getvalue()}", file=sys.stderr, flush=True)


def _cpu_text(m: dict, per: int = 0) -> str:
    def each(seconds: float) -> str:
        return f"{1000 * seconds / per:.2f} ms/article" if per else f"{seconds:.1f}s"

    text = f"CPU {each(m['cpu'])}"
    if m["cpu"] - m["main"] > 0.05:  # worker processes ran: the main process's share apart
        text += f" (main process {each(m['main'])})"
    if m["server"] is not None:
        text += f" + server {each(m['server'])}"
    elif m.get("reconnected"):
        text += " + server (not measured: reconnected after the fork)"
    return f"{text}; load {m['load']}"


def main() -> None:
    args = parse_args()
    setup_django(args.database_url, args.sqlite_path)
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
    cache = StoreCache(args.store_cache)
    if cache.folder is not None:
        cache.save(0)  # an empty store with reference data: every other size can start from it

    common = Synth(SEED).common
    start = datetime(2016, 1, 1, tzinfo=UTC)
    have = 0
    for size in args.sizes:
        t = time.perf_counter()
        kept = cache.largest(size)
        if cache.folder is not None:
            cache.restore(kept)
            have = kept
        elif have > size:
            raise SystemExit("sizes must grow")
        if have < size:
            have = grow_store(size, start, have, common)
            cache.save(size)
        load_s = time.perf_counter() - t
        end = start + timedelta(days=have / ARTICLES_PER_DAY)
        synth = Synth(SEED + 7 * size + 1, common)
        add_new(NEW_ARTICLES, end, synth, tag=f"inc{size}")
        steady_state()
        restore = without_claims()
        with measured(args.profile, f"incremental, store of {size:,}") as m:
            summary = process_pending()
        restore()
        assert summary.analysed == NEW_ARTICLES, summary
        built = "loaded" if kept == size else "built"
        rows.append(
            (
                f"Incremental, store of {size:,}",
                f"{1000 * m['wall'] / NEW_ARTICLES:.2f} ms/article",
                f"{NEW_ARTICLES} new articles in {m['wall']:.2f}s (no claims); "
                f"{_cpu_text(m, NEW_ARTICLES)}; store {built} in {load_s:.0f}s",
            )
        )
        if cache.folder is None:
            have += NEW_ARTICLES
    if cache.folder is not None:
        cache.restore(0)
    else:
        wipe()

    when = datetime(2025, 3, 1, tzinfo=UTC)
    passes = [
        (jobs, label, claims)
        for jobs in args.jobs
        for label, claims in (("no claims stage", False), ("with claims stage", True))
    ]
    for jobs, label, claims in passes:
        if args.skip_bulk:
            break
        # Every pass gets the same synthetic batch (same seed), so the passes compare like with like.
        add_new(args.bulk, when, Synth(SEED + 3, common), tag=f"bulk-{jobs}-{claims}")
        steady_state()
        restore = None if claims else without_claims()
        label = f"{label}, {jobs} job{'s' if jobs > 1 else ''}"
        with measured(args.profile, f"bulk, {label}") as m:
            summary = process_pending(jobs=jobs)
        if restore:
            restore()
        rows.append(
            (
                f"Bulk process, {label}",
                f"{summary.analysed / m['wall']:.0f} articles/s",
                f"{summary.analysed} articles, {summary.copies} copies, {summary.events_created} events "
                f"(synthetic stories: {args.bulk // STORY_SIZE}), "
                f"{m['wall']:.1f}s; {_cpu_text(m)} "
                f"({summary.analysed / m['cpu']:.0f} articles per CPU second)",
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
