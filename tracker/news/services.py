"""Writes of articles: idempotent storage of what feeds, pages and archives tell us.

One article per canonical URL, however many feeds, re-fetches or workers bring it. A change of
content bumps the revision and raises the pipeline flags so dedup, analysis and clustering look
at it again; a re-fetch that brings nothing new writes nothing.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import timezone

from scrapers.errors import InvalidURLError
from scrapers.urls import canonicalize_url
from tracker.news.models import Article, FeedItem
from tracker.sources.models import Feed, Source

logger = logging.getLogger(__name__)

# Concurrent inserts of one URL: after this many IntegrityErrors something else is wrong.
INGEST_ATTEMPTS = 3
# Field caps from the model, so an overlong title is cut instead of failing the insert.
TITLE_MAX = Article._meta.get_field("title").max_length
URL_MAX = Article._meta.get_field("canonical_url").max_length
EXTERNAL_ID_MAX = Article._meta.get_field("external_id").max_length

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ArticleData:
    """Everything one input (page, feed entry, archive line) says about an article."""

    url: str
    title: str
    canonical_url: str = ""
    text: str = ""
    summary: str = ""
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    language: str = ""
    site_name: str = ""
    is_paywalled: bool = False
    warnings: tuple[str, ...] = field(default=())
    external_id: str = ""


class IngestOutcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class IngestResult:
    article: Article
    outcome: IngestOutcome


def text_normalise(text: str) -> str:
    """The form content hashes are taken of: NFKC, case-folded, whitespace collapsed."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def content_hash_for(*, text: str) -> str:
    """sha256 of the normalised text; '' when there is no text (nothing to compare)."""
    normalised = text_normalise(text)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest() if normalised else ""


def _body(data: ArticleData) -> str:
    # A feed-only article (paywall, failed page) still has its summary as content.
    return data.text or data.summary


def article_ingest(
    *,
    data: ArticleData,
    source: Source | None = None,
    feed: Feed | None = None,
    guid: str = "",
) -> IngestResult:
    """Store or update the article `data` describes; remember (feed, guid) when given.

    Safe to call concurrently for one URL from several processes: the unique canonical URL
    decides, and the loser of an insert race updates the winner's row instead.
    `source=None` matches the source by the URL's registrable domain, creating it if unknown.
    Raises InvalidURLError when the URL is not an absolute http(s) URL.
    """
    canonical = canonicalize_url(data.canonical_url or data.url)
    if len(canonical) > URL_MAX:
        raise InvalidURLError(f"URL is longer than {URL_MAX} characters", url=canonical[:200])
    try:
        url = canonicalize_url(data.url)
    except InvalidURLError:
        url = canonical
    data = replace(data, canonical_url=canonical, url=url[:URL_MAX], title=(data.title or "").strip())
    if source is None:
        from tracker.sources.services import source_for_url

        source = source_for_url(url=canonical, site_name=data.site_name)
    for attempt in range(INGEST_ATTEMPTS):
        try:
            with transaction.atomic():
                result = _ingest_once(data=data, source=source)
                if feed is not None:
                    _feed_item_remember(feed=feed, guid=guid or canonical, article=result.article)
                return result
        except IntegrityError:
            # Another worker inserted the same URL (or feed item) between our read and write.
            if attempt == INGEST_ATTEMPTS - 1:
                raise
            logger.info("ingest race on %s, retrying", canonical)
    raise AssertionError("unreachable")


def _ingest_once(*, data: ArticleData, source: Source) -> IngestResult:
    existing = Article.objects.select_for_update().filter(canonical_url=data.canonical_url).first()
    if existing is None:
        now = timezone.now()
        body = _body(data)
        with transaction.atomic():  # savepoint: a lost race rolls back only this insert
            article = Article.objects.create(
                source=source,
                url=data.url,
                canonical_url=data.canonical_url,
                external_id=data.external_id[:EXTERNAL_ID_MAX],
                title=data.title[:TITLE_MAX] or data.canonical_url[:TITLE_MAX],
                authors=list(data.authors),
                published_at=data.published,
                source_updated_at=data.updated,
                fetched_at=now,
                language=data.language[:16],
                text=data.text,
                summary=data.summary,
                is_paywalled=data.is_paywalled,
                extraction_warnings=list(data.warnings),
                content_hash=content_hash_for(text=body),
                content_updated_at=now,
                needs_dedup=True,
                needs_analysis=True,
                needs_clustering=True,
            )
        return IngestResult(article=article, outcome=IngestOutcome.CREATED)
    return _update_existing(article=existing, data=data)


def _update_existing(*, article: Article, data: ArticleData) -> IngestResult:
    """Apply `data` to a stored article. Content that is poorer than what we hold never replaces it."""
    changed: set[str] = set()
    new_hash = content_hash_for(text=_body(data))
    # A feed-only fallback (summary) must not overwrite full text a page fetch gave earlier.
    poorer = bool(article.text) and not data.text
    content_changed = bool(new_hash) and new_hash != article.content_hash and not poorer
    title_changed = bool(data.title) and data.title[:TITLE_MAX] != article.title and not poorer
    if content_changed or title_changed:
        now = timezone.now()
        article.text = data.text
        article.summary = data.summary or article.summary
        article.title = data.title[:TITLE_MAX] or article.title
        article.content_hash = new_hash or article.content_hash
        article.is_paywalled = data.is_paywalled
        article.extraction_warnings = list(data.warnings)
        article.revision += 1
        article.content_updated_at = now
        article.fetched_at = now
        article.needs_dedup = article.needs_analysis = article.needs_clustering = True
        changed |= {
            "text",
            "summary",
            "title",
            "content_hash",
            "is_paywalled",
            "extraction_warnings",
            "revision",
            "content_updated_at",
            "fetched_at",
            "needs_dedup",
            "needs_analysis",
            "needs_clustering",
        }
    # Metadata a richer input adds without the content changing: fill gaps, do not bump revision.
    fills = {
        "published_at": data.published,
        "source_updated_at": data.updated,
        "language": data.language[:16],
        "authors": list(data.authors),
        "summary": data.summary,
        "external_id": data.external_id[:EXTERNAL_ID_MAX],
    }
    for name, value in fills.items():
        if value and not getattr(article, name):
            setattr(article, name, value)
            changed.add(name)
    if data.updated and article.source_updated_at and data.updated > article.source_updated_at:
        article.source_updated_at = data.updated
        changed.add("source_updated_at")
    if not changed:
        return IngestResult(article=article, outcome=IngestOutcome.UNCHANGED)
    article.save(update_fields=sorted(changed | {"updated_at"}))
    outcome = IngestOutcome.UPDATED if (content_changed or title_changed) else IngestOutcome.UNCHANGED
    return IngestResult(article=article, outcome=outcome)


def _feed_item_remember(*, feed: Feed, guid: str, article: Article) -> None:
    guid = guid[:1000]
    with transaction.atomic():
        FeedItem.objects.get_or_create(feed=feed, guid=guid, defaults={"article": article})


def feed_item_article(*, feed: Feed, guid: str) -> Article | None:
    """The article a feed's GUID was stored as, if we have seen it."""
    item = FeedItem.objects.select_related("article").filter(feed=feed, guid=guid[:1000]).first()
    return item.article if item else None


# The analysis pipeline's task, looked up by its registered name so this app does not depend on
# how the events app names its function.
PIPELINE_TASK = "tracker.events.tasks.process_pending"


def pipeline_dispatch() -> bool:
    """Queue the analysis pipeline after commit, when the analysis app provides it.

    Returns False when there is no pipeline task (yet); the flags on articles keep the work.
    """
    try:
        import tracker.events.tasks  # noqa: F401  (registers the task with the Celery app)
    except ImportError:
        return False
    from celery import current_app

    task = current_app.tasks.get(PIPELINE_TASK)
    if task is None:
        return False
    task.delay_on_commit()
    return True
