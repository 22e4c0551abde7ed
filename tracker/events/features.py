"""Per-article features of the analysis, computed once and optionally ahead in worker processes.

Every stage of the pipeline reads an article through pure functions of its text: the copy
fingerprint (dedup), organisation and place mentions (analysis), claim extraction, the term
vector and three-word phrases (clustering), date candidates (event refresh). Each result is
remembered here under a digest of exactly the inputs it depends on, so a stage that needs
what an earlier stage already computed finds it, and a changed text is never served a stale
result (its digest differs).

`prefetch(workers=N)` goes further for the bulk path (`manage.py process --jobs N`): it forks N
worker processes that compute the features of the pending articles while the main process runs
the stages, in the same order and with the same writes as without workers. The workers never
touch the database (connections are closed before the fork; everything they need, the alias
matcher and the organisation catalogue, is loaded before it). The main process awaits a feature
a worker is computing and computes itself one a worker failed on, or one whose inputs differ
from what the worker saw (the keys are the inputs), so results never depend on the workers.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import multiprocessing
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

logger = logging.getLogger(__name__)

FINGERPRINT, MENTIONS, CLAIMS = "fingerprint", "mentions", "claims"
VECTOR, PHRASES, DATES = "vector", "phrases", "dates"
# Remembered results per kind, the oldest dropped first, bounded so that a long-running Celery
# worker's memory stays flat. Fingerprints, mentions, claims and phrases are read again only
# within their stage's batch; term vectors (~15-25 kB each) and dates are read again by the
# event refresh after all clustering batches, so they are kept for a bulk run's worth.
CACHE_LIMITS = {
    FINGERPRINT: 1000,
    MENTIONS: 1000,
    CLAIMS: 1000,
    PHRASES: 1000,
    VECTOR: 4000,
    DATES: 4000,
}
# Pending articles a prefetch computes ahead; while it runs the caches hold all their features
# (~150 MB), and they are cut back to CACHE_LIMITS after. Articles past these are computed in
# the main process as it reaches them.
PREFETCH_MAX_ARTICLES = 5_000
# Articles per task sent to a worker: large enough to amortise the pickling round trip.
PREFETCH_CHUNK = 50
# How long the main process waits for one chunk of worker results before computing them itself:
# far more than a chunk takes, so it only ends a wait on a chunk that will never come.
PREFETCH_WAIT_SECONDS = 120.0

_caches: dict[str, dict[tuple, Any]] = {kind: {} for kind in CACHE_LIMITS}
_extra = 0  # room a running prefetch adds to every kind
_lock = threading.Lock()  # the pool's result thread fills the caches while the stages read them


def digest(*parts: str) -> bytes:
    """A digest of the exact strings (lengths first: parts cannot run together)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        raw = part.encode("utf-8", "surrogatepass")
        h.update(len(raw).to_bytes(8, "little"))
        h.update(raw)
    return h.digest()


def _store(key: tuple, value: Any) -> None:
    cache = _caches[key[0]]
    with _lock:
        if key not in cache and len(cache) >= CACHE_LIMITS[key[0]] + _extra:
            del cache[next(iter(cache))]  # the oldest first
        cache[key] = value


def remembered(key: tuple, compute: Callable[[], Any], *, article_id: int | None = None) -> Any:
    """The remembered value for `key` (its first item is its kind), or compute() remembered.
    When a prefetch worker is busy with `article_id`, its result is awaited rather than
    computed twice."""
    cache = _caches[key[0]]
    value = cache.get(key)
    if value is None and article_id is not None and _prefetch is not None:
        _prefetch.wait_for(key[0], article_id)
        value = cache.get(key)
    if value is None:
        value = compute()
        _store(key, value)
    return value


def clear() -> None:
    with _lock:
        for cache in _caches.values():
            cache.clear()


def _trim() -> None:
    with _lock:
        for kind, cache in _caches.items():
            for key in list(itertools.islice(cache, max(0, len(cache) - CACHE_LIMITS[kind]))):
                del cache[key]


# --- the features ----------------------------------------------------------------------------


def fingerprint_key(text: str) -> tuple:
    return (FINGERPRINT, digest(text))


def fingerprint(text: str, *, article_id: int | None = None):
    """dedup.fingerprint(text), remembered (the signature array is shared: do not modify it)."""
    from tracker.news import dedup

    return remembered(fingerprint_key(text), lambda: dedup.fingerprint(text), article_id=article_id)


@dataclass(frozen=True, slots=True)
class Mentions:
    """What the analysis stage keeps of an article's mention scan."""

    companies: dict[int, int]  # company id -> mentions, in order of first mention
    prominent_companies: frozenset[int]
    jurisdictions: dict[int, int]
    candidates: dict[str, tuple[str, str]]  # organisation candidates: normalized -> (name, context)

    def places(self, home: dict[int, int]) -> set[int]:
        """The jurisdictions the article is placed in: those named, and the countries of the
        government bodies and regulators named (`home`: companies.selectors.state_body_countries)."""
        return set(self.jurisdictions) | {home[c] for c in self.companies if c in home}


_matcher_tokens = itertools.count(1)


def _matcher_token(matcher) -> int:
    """A number for this matcher object, never reused in the process (unlike its id()): a
    matcher rebuilt after an alias change never finds mentions the old one found."""
    token = getattr(matcher, "features_token", None)
    if token is None:
        token = matcher.features_token = next(_matcher_tokens)
    return token


def mentions_key(matcher, title: str, text: str) -> tuple:
    return (MENTIONS, _matcher_token(matcher), digest(title, text))


def _mentions_compute(matcher, title: str, text: str) -> Mentions:
    from tracker.companies.mentions import candidates_find

    analysed = matcher.analyse(title=title, text=text)
    return Mentions(
        companies=dict(analysed.companies),
        prominent_companies=frozenset(analysed.prominent_companies),
        jurisdictions=dict(analysed.jurisdictions),
        candidates=candidates_find(analysed.body, analysed.body_matches, matcher.known_normalized),
    )


def mentions(matcher, title: str, text: str, *, article_id: int | None = None) -> Mentions:
    return remembered(
        mentions_key(matcher, title, text),
        lambda: _mentions_compute(matcher, title, text),
        article_id=article_id,
    )


def text_keys(title: str, text: str) -> tuple[tuple, tuple]:
    d = digest(title, text)
    return (VECTOR, d), (PHRASES, d)


def _text_store(keys: tuple[tuple, tuple], found: tuple[dict, dict]) -> None:
    _store(keys[0], found[0])
    _store(keys[1], found[1])


def text_features(title: str, text: str, *, article_id: int | None = None) -> tuple[dict, dict]:
    """(clustering.term_vector, clustering.phrases) of the title and text, remembered; callers
    must not modify them."""
    from tracker.events import clustering

    vector_key, phrases_key = keys = text_keys(title, text)
    found: list[tuple[dict, dict]] = []

    def compute(n: int):
        if not found:
            found.append(clustering.text_features(title, text))
            _text_store(keys, found[0])
        return found[0][n]

    vector = remembered(vector_key, lambda: compute(0), article_id=article_id)
    return vector, remembered(phrases_key, lambda: compute(1), article_id=article_id)


def term_vector(title: str, text: str) -> dict[str, float]:
    """clustering.term_vector, remembered (callers must not modify it)."""
    return remembered(text_keys(title, text)[0], lambda: text_features(title, text)[0])


def dates_key(text: str, published: datetime) -> tuple:
    return (DATES, digest(text), published)


def date_candidates(text: str, published: datetime, *, article_id: int | None = None):
    """dates.date_candidates as a tuple, remembered (candidates are frozen)."""
    from tracker.events import dates

    return remembered(
        dates_key(text, published),
        lambda: tuple(dates.date_candidates(text, published)),
        article_id=article_id,
    )


def claims_key(text: str, organisations) -> tuple:
    return (CLAIMS, digest(text), tuple(organisations))


def claims_extraction(text: str, organisations, *, article_id: int | None = None):
    """extraction.extract(text, organisations=...) without its sentences (the services store
    citations and claims only), remembered. Callers must not modify it."""
    return remembered(
        claims_key(text, organisations), lambda: _claims_compute(text, organisations), article_id=article_id
    )


def _claims_compute(text: str, organisations):
    from tracker.claims import extraction

    found = extraction.extract(text, organisations=organisations)
    return extraction.Extraction(sentences=[], citations=found.citations, claims=found.claims)


def refresh_text(title: str, text: str) -> str:
    """The text the event refresh reads dates from; the workers compute dates of the same text,
    so that the refresh finds them."""
    return f"{title}.\n{text}"


# --- computing ahead in worker processes -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Pending:
    article_id: int
    title: str
    text: str
    published: datetime


@dataclass
class _WorkerContext:
    matcher: Any
    home: dict[int, int]  # government body or regulator -> its country's jurisdiction id
    catalogue: Any  # claims' organisation catalogue, or None without the claims stage


_context: _WorkerContext | None = None  # set before the fork; the workers inherit it


# Features in the order the stages read them: the workers deliver the copy fingerprints first
# (dedup), then mentions and claims (analysis), term vectors and phrases (clustering), dates
# (refresh), so the main process runs one stage while the workers compute the next one's input.
STAGES = ((FINGERPRINT,), (MENTIONS, CLAIMS), (VECTOR, PHRASES), (DATES,))
_STAGE_OF = {kind: n for n, kinds in enumerate(STAGES) for kind in kinds}


def _compute_chunk(stage: int, chunk: list[_Pending]) -> list[tuple[tuple, Any]]:
    """In a worker: one stage's features of these articles, as [(key, value)]."""
    from tracker.events import clustering, dates
    from tracker.news import dedup

    context = _context
    kinds = STAGES[stage]
    entries: list[tuple[tuple, Any]] = []
    for a in chunk:
        if FINGERPRINT in kinds:
            entries.append((fingerprint_key(a.text), dedup.fingerprint(a.text)))
        if VECTOR in kinds:
            keys = text_keys(a.title, a.text)
            entries.extend(zip(keys, clustering.text_features(a.title, a.text), strict=True))
        if DATES in kinds:
            refresh = refresh_text(a.title, a.text)
            entries.append(
                (dates_key(refresh, a.published), tuple(dates.date_candidates(refresh, a.published)))
            )
        if MENTIONS in kinds and context is not None:
            found = _mentions_compute(context.matcher, a.title, a.text)
            entries.append((mentions_key(context.matcher, a.title, a.text), found))
            if context.catalogue is not None:
                # The organisations claims extraction gets: those the analysis stage stores.
                organisations = context.catalogue.organisations_of(
                    found.companies, found.places(context.home)
                )
                text = a.text or ""
                entries.append((claims_key(text, organisations), _claims_compute(text, organisations)))
    return entries


class _Prefetch:
    def __init__(self, pool, articles: list[_Pending]) -> None:
        self.pool = pool
        self.results: dict[tuple[int, int], Any] = {}  # (stage, article id) -> its chunk's AsyncResult
        self.abandoned: set[Any] = set()  # chunks that gave no answer in time
        for stage in range(len(STAGES)):
            for start in range(0, len(articles), PREFETCH_CHUNK):
                chunk = articles[start : start + PREFETCH_CHUNK]
                handle = pool.apply_async(
                    _compute_chunk, (stage, chunk), callback=self._deliver, error_callback=self._failed
                )
                for a in chunk:
                    self.results[(stage, a.article_id)] = handle

    @staticmethod
    def _deliver(entries: list[tuple[tuple, Any]]) -> None:
        for key, value in entries:
            _store(key, value)

    @staticmethod
    def _failed(exc: BaseException) -> None:
        logger.warning("a feature worker failed (the main process computes those features): %r", exc)

    def wait_for(self, kind: str, article_id: int) -> None:
        handle = self.results.pop((_STAGE_OF[kind], article_id), None)
        if handle is None or handle in self.abandoned:
            return
        # A failed chunk is not fatal: the main process computes those features itself. Nor is
        # a lost one (a worker killed, say, which the pool never reports): past the wait limit
        # its articles are computed here too, and nothing waits on that chunk again.
        handle.wait(PREFETCH_WAIT_SECONDS)
        if not handle.ready():
            self.abandoned.add(handle)
            logger.warning(
                "a feature worker gave no answer in %ss (the main process computes those features)",
                PREFETCH_WAIT_SECONDS,
            )


_prefetch: _Prefetch | None = None
_EARLIEST = datetime.min.replace(tzinfo=UTC)


def _pending_articles(limit: int) -> list[_Pending]:
    """The first `limit` articles some stage still has to read, oldest publication first: three
    queries, one per stage flag, each answered by that flag's partial index."""
    from tracker.news.models import AWAITING_ANALYSIS, AWAITING_CLUSTERING, AWAITING_DEDUP, Article

    pending = Article.objects.order_by("published_at", "id").values_list("published_at", "id")
    flagged = [
        pending.filter(AWAITING_DEDUP),
        pending.filter(AWAITING_ANALYSIS),
        pending.filter(AWAITING_CLUSTERING),
    ]
    found = [row for q in flagged for row in q[:limit]]
    # Undated articles (published_at NULL) first; the order only decides what is computed first.
    found.sort(key=lambda row: (row[0] is not None, row[0] or _EARLIEST, row[1]))
    ids = [pk for _, pk in found[:limit]]
    rows = {
        pk: _Pending(pk, title, text, published or fetched)
        for pk, title, text, published, fetched in Article.objects.filter(pk__among=ids).values_list(
            "id", "title", "text", "published_at", "fetched_at"
        )
    }
    return [rows[pk] for pk in ids]


@contextmanager
def prefetch(*, workers: int, claims: bool) -> Iterator[None]:
    """Compute the pending articles' features in `workers` forked processes while the block
    runs (`claims`: claim extraction too). workers < 1: nothing is started."""
    global _context, _prefetch, _extra
    if workers < 1 or _prefetch is not None:
        yield
        return
    from django.db import connections

    from tracker.companies.mentions import matcher_get
    from tracker.companies.selectors import state_body_countries

    articles = _pending_articles(PREFETCH_MAX_ARTICLES)
    if not articles:
        yield
        return
    catalogue = None
    if claims:
        from tracker.claims.services import OrganisationCatalogue

        catalogue = OrganisationCatalogue.load()
    _context = _WorkerContext(matcher=matcher_get(), home=state_body_countries(), catalogue=catalogue)
    _matcher_token(_context.matcher)  # numbered here, so that the workers inherit its number
    # A forked child must not share the parent's database connections: close them (they reopen
    # on next use). One inside a transaction (a caller's atomic block, a test) stays open; the
    # workers never use it.
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()
    pool = multiprocessing.get_context("fork").Pool(workers)
    _extra = len(articles)
    try:
        _prefetch = _Prefetch(pool, articles)
        yield
    finally:
        _prefetch = None
        _context = None
        pool.terminate()
        pool.join()
        _extra = 0
        _trim()
