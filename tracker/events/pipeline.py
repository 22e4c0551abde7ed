"""The analysis pipeline: dedup -> analysis (mentions, claims) -> clustering -> event refresh
(-> claims per event). Each stage picks its work up by a flag, in batches, so a crash or a lost
task message delays work but never loses it, and running a stage twice changes nothing."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from tracker.claims.services import (
    NameResolver,
    articles_with_claims,
    claims_extract_for_article,
    claims_refresh_for_event,
    events_with_claims,
    organisations_for_articles,
)
from tracker.companies.mentions import matcher_get
from tracker.companies.selectors import state_body_countries
from tracker.companies.services import candidates_record
from tracker.events import features
from tracker.events.models import Event, ProcessingIssue
from tracker.events.services import cluster_pending, events_merge_pass, events_refresh_pending
from tracker.news.bulk_sql import int_rows_insert
from tracker.news.dedup_services import dedup_pending
from tracker.news.models import (
    AWAITING_ANALYSIS,
    AWAITING_CLUSTERING,
    AWAITING_DEDUP,
    Article,
    ArticleCompany,
)

logger = logging.getLogger(__name__)

ANALYSIS_BATCH_SIZE = 500


def _claims_extract() -> Callable | None:
    """The claims stage of the analysis (bench/bench_analysis.py replaces this with one returning
    None to measure the pipeline without it)."""
    return claims_extract_for_article


def _claims_refresh() -> Callable | None:
    """The claims stage of the event refresh (switched off with _claims_extract by the bench)."""
    return claims_refresh_for_event


def _issue(*, stage: str, message: str, article_id: int | None = None, event_id: int | None = None) -> None:
    ProcessingIssue.objects.create(
        stage=stage, article_id=article_id, event_id=event_id, message=message[:5000]
    )


@dataclass
class AnalysisResult:
    processed: int = 0
    mentions: int = 0
    candidates: int = 0
    errors: int = 0


def _fingerprint(article: Article) -> tuple:
    """The dedup stage's fingerprint of an article, from the features cache (prefetch workers
    may have computed it)."""
    return features.fingerprint(article.text, article_id=article.pk)


def analyse_articles(*, article_ids: list[int]) -> AnalysisResult:
    """Organisations, jurisdictions and organisation candidates for these articles, then claims.
    Re-running replaces the mentions rather than adding to them."""
    result = AnalysisResult()
    if not article_ids:
        return result
    matcher = matcher_get()
    with transaction.atomic():
        articles = list(
            Article.objects.filter(pk__among=article_ids)
            .only("id", "title", "text", "canonical_url")
            .order_by("id")
        )
        ids = [a.pk for a in articles]
        mention_rows, jurisdiction_rows = [], []
        found: dict[str, tuple[str, str, str, int]] = {}
        through = Article.jurisdictions.through
        home = state_body_countries()
        for article in articles:
            analysed = features.mentions(matcher, article.title, article.text, article_id=article.pk)
            for company_id, count in analysed.companies.items():
                mention_rows.append(
                    (article.pk, company_id, count, company_id in analysed.prominent_companies)
                )
            for jurisdiction_id in analysed.places(home):
                jurisdiction_rows.append((article.pk, jurisdiction_id))
            for normalized, (name, context) in analysed.candidates.items():
                if normalized in found:
                    n, c, u, k = found[normalized]
                    found[normalized] = (n, c, u, k + 1)
                else:
                    found[normalized] = (name, context, article.canonical_url, 1)
        ArticleCompany.objects.filter(article_id__among=ids).delete()
        int_rows_insert(
            ArticleCompany, ["article_id", "company_id", "mention_count", "prominent"], mention_rows
        )
        through.objects.filter(article_id__among=ids).delete()
        int_rows_insert(through, ["article_id", "jurisdiction_id"], jurisdiction_rows)
        result.candidates = candidates_record(found=found)
        result.mentions = len(mention_rows)
    extract = _claims_extract()
    if extract is not None:
        # Each article's organisations, and which articles already have claims stored (the
        # others have nothing to replace).
        organisations = organisations_for_articles(article_ids=ids)
        stored = articles_with_claims(article_ids=ids)
        resolver = NameResolver()  # names seen earlier in the batch cost no query
        # One transaction for the batch, a savepoint per article (the service is atomic itself):
        # a failing article rolls back alone, and the batch pays for one commit, not one each.
        with transaction.atomic():
            # The fields claims extraction reads (text, copy and event marks, dates), in the
            # model's order as before: a copy finds the claims of an original stored before it.
            for article in Article.objects.filter(pk__among=ids).only(
                "id", "text", "copy_of_id", "event_id", "published_at", "fetched_at"
            ):
                try:
                    named = organisations.get(article.pk, [])
                    extracted = features.claims_extraction(article.text or "", named, article_id=article.pk)
                    fresh = article.pk not in stored
                    if fresh and not extracted.citations and not extracted.claims:
                        # Nothing stored and nothing to store: the service would write nothing,
                        # and its savepoint alone costs two round trips.
                        continue
                    extract(
                        article=article,
                        organisations=named,
                        resolver=resolver,
                        fresh=fresh,
                        extracted=extracted,
                    )
                except Exception as exc:  # one bad article must not stall the pipeline; recorded for editors
                    logger.exception("claims extraction failed for article %s", article.pk)
                    _issue(
                        stage="claims_extract", article_id=article.pk, message=f"{type(exc).__name__}: {exc}"
                    )
                    result.errors += 1
    Article.objects.filter(pk__among=ids).update(needs_analysis=False)
    result.processed = len(ids)
    return result


def analyse_pending(*, limit: int = ANALYSIS_BATCH_SIZE) -> AnalysisResult:
    ids = list(
        Article.objects.filter(AWAITING_ANALYSIS)
        .order_by("published_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    return analyse_articles(article_ids=ids)


def refresh_pending_with_claims(*, limit: int | None = None) -> tuple[int, int]:
    """Refresh flagged events, then their claims. Returns (events refreshed, errors)."""
    events = events_refresh_pending(**({"limit": limit} if limit else {}))
    refresh = _claims_refresh()
    errors = 0
    if refresh is not None and events:
        # One commit for the batch; each event's refresh rolls back alone on error (the service
        # is atomic itself: a savepoint here).
        resolver = NameResolver()
        # The events claims refresh has work in (the others carry and own no claim).
        with_claims = events_with_claims(event_ids=[event.pk for event in events])
        with transaction.atomic():
            for event in events:
                if event.pk not in with_claims:
                    continue
                try:
                    refresh(event=event, resolver=resolver)
                except Exception as exc:  # recorded for editors; the event itself is refreshed
                    logger.exception("claims refresh failed for event %s", event.pk)
                    _issue(stage="claims_refresh", event_id=event.pk, message=f"{type(exc).__name__}: {exc}")
                    errors += 1
    return len(events), errors


@dataclass
class PipelineSummary:
    deduplicated: int = 0
    copies: int = 0
    analysed: int = 0
    clustered: int = 0
    events_created: int = 0
    events_refreshed: int = 0
    errors: int = 0
    seconds: float = 0.0
    complete: bool = True  # False when the time budget ran out with work left
    stages: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "stages"}


def process_pending(
    *,
    batch_size: int = 500,
    max_seconds: float | None = None,
    progress: Callable[[str, int], None] | None = None,
    jobs: int = 1,
) -> PipelineSummary:
    """Run every stage until no flagged work is left (or the time budget is spent).
    Cheap when nothing is flagged: one indexed query per stage. With jobs > 1, that many forked
    worker processes compute the pending articles' features (fingerprints, mentions, claims,
    term vectors and phrases, dates) while this process runs the stages and writes, exactly as
    with one job (where this process computes them as it goes)."""
    started = time.monotonic()
    with features.prefetch(workers=jobs if jobs > 1 else 0, claims=_claims_extract() is not None):
        summary = _process(batch_size=batch_size, max_seconds=max_seconds, progress=progress, started=started)
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


def _process(
    *,
    batch_size: int,
    max_seconds: float | None,
    progress: Callable[[str, int], None] | None,
    started: float,
) -> PipelineSummary:
    summary = PipelineSummary()

    def out_of_time() -> bool:
        return max_seconds is not None and time.monotonic() - started > max_seconds

    def report(stage: str, n: int) -> None:
        if progress is not None and n:
            progress(stage, n)

    while True:
        worked = False
        while not out_of_time():
            r = dedup_pending(limit=batch_size, fingerprint=_fingerprint)
            if not r.processed:
                break
            worked = True
            summary.deduplicated += r.processed
            summary.copies += r.copies
            report("dedup", r.processed)
        while not out_of_time():
            a = analyse_pending(limit=batch_size)
            if not a.processed:
                break
            worked = True
            summary.analysed += a.processed
            summary.errors += a.errors
            report("analysis", a.processed)
        while not out_of_time():
            c = cluster_pending(limit=batch_size)
            if not c.processed:
                break
            worked = True
            summary.clustered += c.processed
            summary.events_created += c.created
            report("clustering", c.processed)
        while not out_of_time():
            n, errors = refresh_pending_with_claims()
            if not n:
                break
            worked = True
            summary.events_refreshed += n
            summary.errors += errors
            report("refresh", n)
        if out_of_time():
            summary.complete = not (
                Article.objects.filter(AWAITING_DEDUP).exists()
                or Article.objects.filter(AWAITING_ANALYSIS).exists()
                or Article.objects.filter(AWAITING_CLUSTERING).exists()
                or Event.objects.filter(needs_refresh=True).exists()
            )
            break
        if not worked:
            break
    return summary


def merge_pass() -> int:
    """Run the automatic merge pass, then refresh what it changed."""
    merged = events_merge_pass().merged
    if merged:
        refresh_pending_with_claims()
    return merged
