"""Web latency under concurrent load, on PostgreSQL, through a real WSGI server.

    .venv/bin/python bench/bench_web.py                 # 100k synthetic articles (loads once, then reuses)
    .venv/bin/python bench/bench_web.py --articles 5000 --seconds 5   # quick run
    .venv/bin/python bench/bench_web.py --clients 8 --only search,feed --no-cache

Loads a synthetic store into its own database (tracker_bench_web, dropped and rebuilt when the
requested size differs), starts gunicorn (gthread) on 127.0.0.1, and drives it with N client
threads over keep-alive connections. Each endpoint group runs for a bounded number of requests
and a bounded time over many different URLs (events, filters, queries, feed formats), so a response
cache sees a realistic mix of hits and misses rather than one URL hammered. Reports p50/p95/max
latency, throughput, the cache hit share, server CPU per request (gunicorn workers plus their
PostgreSQL backends, read from /proc) and the load average per group, beside /healthz (a view that
touches nothing) as the ceiling of this server on this machine. With the cache on, the server uses
Redis (BENCH_CACHE_URL, default db 5, flushed before each run) so every worker shares one cache,
as in production. Loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "tracker_bench_web"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SEED = 20250101
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/5")
# Words of our own for synthetic titles and texts: policy vocabulary so searches find things.
_VOCAB_TEXT = (
    "export controls chips semiconductor accelerator licence rule entity list commerce ministry "
    "regulation act parliament council data centre cloud model weights compute threshold tariff "
    "gallium germanium antimony minerals ban sanction investment screening lab safety audit "
    "frontier disclosure api access region customers subsidiary partner joint venture memory "
    "wafer foundry lithography equipment smuggling enforcement penalty fine review guidance draft "
    "consultation deadline vote approval court appeal agreement summit pledge budget fund"
)
VOCAB = _VOCAB_TEXT.split(" ")
SEARCH_WORDS = ["gallium", "export controls", "licence", "foundry", "smuggling penalty", "frontier safety"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000, help="synthetic articles to load")
    parser.add_argument(
        "--clients",
        type=lambda v: [int(x) for x in v.split(",") if x],
        default=[8, 4, 2],
        help="concurrent client threads; a comma-separated list runs each in turn (default 8,4,2)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated endpoint groups to run (timeline, event, search, feed; the ceiling always runs)",
    )
    parser.add_argument("--requests", type=int, default=1200, help="max requests per endpoint group")
    parser.add_argument("--seconds", type=float, default=30.0, help="max seconds per endpoint group")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: pick a free one)")
    parser.add_argument("--database", default=DEFAULT_DB)
    parser.add_argument("--reload", action="store_true", help="rebuild the store even if it matches")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="disable the response cache (measure the full work per request)",
    )
    return parser.parse_args()


# --- the synthetic store --------------------------------------------------------------------------


def ensure_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(n))


def load_store(n_articles: int) -> None:
    """Synthetic store: ~8 articles per event, a third of them copies, claims, companies, places."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from tracker.claims.models import Claim, ClaimArticle
    from tracker.companies.models import Company
    from tracker.events.models import Event, Topic
    from tracker.jurisdictions.models import Jurisdiction
    from tracker.news.models import Article, ArticleCompany
    from tracker.sources.models import Source

    rng = random.Random(SEED)
    n_events = max(n_articles // 8, 10)
    started = time.perf_counter()
    with transaction.atomic():
        places = Jurisdiction.objects.bulk_create(
            Jurisdiction(code=f"J{i}", name=f"Jurisdiction {i}", slug=f"jurisdiction-{i}") for i in range(30)
        )
        topics = Topic.objects.bulk_create(Topic(name=f"Topic {i}", slug=f"topic-{i}") for i in range(8))
        sources = Source.objects.bulk_create(
            Source(
                name=f"Outlet {i}",
                slug=f"outlet-{i}",
                domain=f"outlet-{i}.example",
                kind=rng.choice(Source.Kind.values),
                owner_group=f"group-{i % 40}",
                country=rng.choice(places),
            )
            for i in range(200)
        )
        companies = Company.objects.bulk_create(
            Company(
                name=f"Company {i}",
                slug=f"company-{i}",
                description=words(rng, 20),
                country=rng.choice(places),
            )
            for i in range(300)
        )
    print(f"  reference data in {time.perf_counter() - started:.1f}s", flush=True)
    now = timezone.now()
    base_day = dt.date(2023, 1, 1)
    batch = 5000
    article_total = 0
    for start in range(0, n_events, batch // 8):
        with transaction.atomic():
            chunk = range(start, min(start + batch // 8, n_events))
            events = Event.objects.bulk_create(
                Event(
                    title=f"{words(rng, 6).capitalize()} {i}",
                    slug=f"event-{i}",
                    summary=words(rng, 30),
                    event_date=base_day + dt.timedelta(days=rng.randrange(0, 1000)),
                    date_precision=Event.DatePrecision.DAY,
                    date_method=Event.DateMethod.EXPLICIT,
                    article_count=8,
                    independent_source_count=rng.randint(1, 6),
                    first_reported_by=rng.choice(sources),
                    first_reported_at=now - dt.timedelta(hours=rng.randrange(0, 20000)),
                    needs_refresh=False,
                    updated_at=now - dt.timedelta(minutes=rng.randrange(0, 200000)),
                )
                for i in chunk
            )
            Event.jurisdictions.through.objects.bulk_create(
                Event.jurisdictions.through(event_id=e.pk, jurisdiction_id=j.pk)
                for e in events
                for j in rng.sample(places, 2)
            )
            Event.companies.through.objects.bulk_create(
                Event.companies.through(event_id=e.pk, company_id=c.pk)
                for e in events
                for c in rng.sample(companies, 3)
            )
            Event.topics.through.objects.bulk_create(
                Event.topics.through(event_id=e.pk, topic_id=rng.choice(topics).pk) for e in events
            )
            articles = []
            for e in events:
                for k in range(8):
                    if article_total + len(articles) >= n_articles:
                        break
                    url = f"https://outlet.example/{e.pk}/{k}"
                    articles.append(
                        Article(
                            source=rng.choice(sources),
                            url=url,
                            canonical_url=url,
                            title=f"{words(rng, 8).capitalize()}",
                            text=words(rng, 120),
                            summary=words(rng, 20),
                            published_at=now - dt.timedelta(hours=rng.randrange(0, 20000)),
                            event=e,
                            needs_dedup=False,
                            needs_analysis=False,
                            needs_clustering=False,
                        )
                    )
            articles = Article.objects.bulk_create(articles)
            originals = {}
            copies = []
            for a in articles:
                if a.event_id in originals and rng.random() < 0.35:
                    a.copy_of_id = originals[a.event_id]
                    a.copy_kind = Article.CopyKind.SYNDICATED
                    copies.append(a)
                else:
                    originals.setdefault(a.event_id, a.pk)
            Article.objects.bulk_update(copies, ["copy_of", "copy_kind"], batch_size=2000)
            ArticleCompany.objects.bulk_create(
                ArticleCompany(article_id=a.pk, company_id=c.pk)
                for a in articles
                for c in rng.sample(companies, 2)
            )
            claims = Claim.objects.bulk_create(
                Claim(
                    text=words(rng, 12),
                    fingerprint=f"fp-{e.pk}",
                    kind=Claim.Kind.POLICY_ACTION,
                    event=e,
                    attributed_to=rng.choice(companies),
                    independent_source_count=rng.randint(1, 5),
                    article_count=3,
                )
                for e in events
            )
            by_event: dict[int, list[int]] = {}
            for a in articles:
                by_event.setdefault(a.event_id, []).append(a.pk)
            ClaimArticle.objects.bulk_create(
                ClaimArticle(claim_id=c.pk, article_id=aid, quote=words(rng, 10))
                for c in claims
                for aid in by_event.get(c.event_id, [])[:3]
            )
            article_total += len(articles)
        print(f"  {article_total} articles after {time.perf_counter() - started:.0f}s", flush=True)
        if article_total >= n_articles:
            break


def prepare(args: argparse.Namespace) -> None:
    """Migrate and load the bench database unless it already holds a store of the requested size."""
    import django

    django.setup()
    from django.core.management import call_command

    from tracker.news.models import Article

    ensure_database(args.database)
    call_command("migrate", verbosity=0)
    count = Article.objects.count()
    if count == args.articles and not args.reload:
        print(f"reusing {count} articles in {args.database}")
        return
    from django.db import connections

    connections.close_all()
    drop_database(args.database)
    ensure_database(args.database)
    call_command("migrate", verbosity=0)
    print(f"loading {args.articles} synthetic articles into {args.database}", flush=True)
    load_store(args.articles)
    with connections["default"].cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # sets the visibility map, as autovacuum would in production


def sample_urls(args: argparse.Namespace) -> dict[str, list[str]]:
    """Many distinct URLs per group, as many readers asking for different things would."""
    from tracker.companies.models import Company
    from tracker.events.models import Event, Topic
    from tracker.jurisdictions.models import Jurisdiction
    from tracker.sources.models import Source

    rng = random.Random(SEED + 1)
    events = list(Event.objects.order_by("?").values_list("id", "slug")[:1000])
    companies = list(Company.objects.values_list("slug", flat=True))
    places = list(Jurisdiction.objects.values_list("slug", flat=True))
    topics = list(Topic.objects.values_list("slug", flat=True))
    kinds = list(Source.Kind.values)
    filters = (
        [f"jurisdiction={p}" for p in places]
        + [f"topic={t}" for t in topics]
        + [f"company={c}" for c in rng.sample(companies, min(60, len(companies)))]
        + [f"source_kind={k}" for k in kinds]
        + [f"jurisdiction={rng.choice(places)}&topic={rng.choice(topics)}" for _ in range(20)]
        + [f"from=2024-{m:02d}-01&to=2024-{m:02d}-28" for m in range(1, 13)]
    )
    queries = SEARCH_WORDS + [" ".join(rng.sample(VOCAB, 2)) for _ in range(60)]
    feeds = ["/feeds/events.rss", "/feeds/events.atom", "/feeds/events.json", "/feeds/claims.atom"]
    return {
        "ceiling /healthz": ["/healthz"],
        "timeline": ["/"] + [f"/?{f}" for f in filters],
        "event page": [f"/events/{pk}/{slug}/" for pk, slug in events],
        "search": [f"/search/?q={q.replace(' ', '+')}" for q in queries],
        "feed": feeds
        + [f"{rng.choice(feeds[:3])}?{f}" for f in filters]
        + [f"{rng.choice(feeds[:3])}?q={q.replace(' ', '+')}" for q in queries[:20]],
    }


# --- server and clients ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(args: argparse.Namespace, static_root: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{PG}/{args.database}",
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
        WEB_CACHE_SECONDS="0" if args.no_cache else os.environ.get("WEB_CACHE_SECONDS", "60"),
    )
    if args.no_cache:
        env.pop("CACHE_URL", None)
    else:
        env["CACHE_URL"] = CACHE_URL
    env.pop("CELERY_BROKER_URL", None)
    return env


def start_server(args: argparse.Namespace, env: dict[str, str], port: int) -> subprocess.Popen:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "tracker.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def drive(port: int, urls: list[str], *, clients: int, max_requests: int, max_seconds: float) -> dict:
    """Run `clients` threads until max_requests are done or max_seconds pass; return latency stats."""
    latencies: list[float] = []
    errors: list[str] = []
    hits = [0]
    lock = threading.Lock()
    counter = iter(range(max_requests))
    deadline = time.monotonic() + max_seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if next(counter, None) is None:
                    break
            url = rng.choice(urls)
            t0 = time.perf_counter()
            try:
                conn.request("GET", url)
                response = conn.getresponse()
                response.read()
                status = response.status
                hit = response.getheader("X-Cache") == "hit"
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status, url, hit = 0, f"{url} ({exc})", False
            elapsed = time.perf_counter() - t0
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                    hits[0] += hit
                else:
                    errors.append(f"{status} {url}")
        conn.close()

    threads = [threading.Thread(target=client, args=(SEED + i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()

    def pct(p: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
        )

    return {
        "n": len(latencies),
        "errors": errors,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95": pct(0.95),
        "max": latencies[-1] * 1000 if latencies else float("nan"),
        "rps": len(latencies) / wall if wall else 0.0,
        "hits": hits[0],
    }


# --- server CPU -----------------------------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one process, from /proc (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def server_pids(master: int, database: str) -> list[int]:
    """The gunicorn workers and the PostgreSQL backends connected to the bench database (connections
    persist, DB_CONN_MAX_AGE, so a backend's CPU is the queries it ran for the workers)."""
    import psycopg

    pids = _children(master)
    try:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (database,)
            ).fetchall()
        pids += [row[0] for row in rows]
    except psycopg.Error:
        pass
    return pids


def server_cpu(master: int, database: str) -> dict[int, float]:
    return {pid: _cpu_seconds(pid) for pid in server_pids(master, database)}


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings; a process new since `before` counts from zero."""
    return sum(max(0.0, cpu - before.get(pid, 0.0)) for pid, cpu in after.items())


def load_average() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def flush_cache() -> None:
    """Empty the bench's Redis database (only that one: the URL names it)."""
    import redis

    redis.Redis.from_url(CACHE_URL).flushdb()


def main() -> None:
    args = parse_args()
    os.environ["DATABASE_URL"] = f"{PG}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("CACHE_URL", None)
    prepare(args)
    groups = sample_urls(args)
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    if wanted:
        groups = {
            name: urls
            for name, urls in groups.items()
            if name.startswith("ceiling") or any(w in name for w in wanted)
        }
    from django.db import connections

    connections.close_all()
    port = args.port or free_port()
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-web-static-") as static_root:
        proc = start_server(args, server_env(args, static_root), port)
        try:
            for clients in args.clients:
                if not args.no_cache:
                    flush_cache()
                for urls in groups.values():  # warm connections and worker imports, not the cache
                    drive(port, urls, clients=clients, max_requests=2 * clients, max_seconds=10)
                print(
                    f"\n{args.articles} articles, gunicorn {args.workers}x{args.threads} gthread, "
                    f"{clients} clients, <= {args.requests} requests or {args.seconds:.0f}s per group, "
                    f"response cache {'off' if args.no_cache else 'on (Redis, shared by the workers)'}, "
                    f"{os.cpu_count()} CPUs shared by server and clients\n"
                )
                print(
                    f"{'endpoint':<18} {'n':>5} {'urls':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
                    f"{'req/s':>7} {'hits':>5} {'cpu ms/req':>10}  {'loadavg':<15} errors"
                )
                for name, urls in groups.items():
                    before = server_cpu(proc.pid, args.database)
                    stats = drive(
                        port, urls, clients=clients, max_requests=args.requests, max_seconds=args.seconds
                    )
                    cpu = cpu_used(before, server_cpu(proc.pid, args.database))
                    n = stats["n"] or 1
                    failed |= bool(stats["errors"])
                    print(
                        f"{name:<18} {stats['n']:>5} {len(urls):>5} {stats['p50']:>8.1f} {stats['p95']:>8.1f} "
                        f"{stats['max']:>8.1f} {stats['rps']:>7.1f} {stats['hits'] / n:>5.0%} "
                        f"{cpu * 1000 / n:>10.1f}  {load_average():<15} {len(stats['errors'])}"
                        + (f" e.g. {stats['errors'][0]}" if stats["errors"] else ""),
                        flush=True,
                    )
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    if failed:
        raise SystemExit("some requests failed; see the errors column")


if __name__ == "__main__":
    main()
