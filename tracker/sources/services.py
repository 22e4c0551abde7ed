"""Writes of sources and feeds, and the poll of one feed.

`feed_poll` is the whole crawl path for one feed: conditional GET, parse, fetch the new
article pages (robots.txt, per-host politeness), fall back to the feed's own text when a page
fails or is paywalled, store through `article_ingest`, log the fetch, schedule the next one.
The beat task, the crawl command, the admin's "poll now" and the demo all call it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from scrapers.errors import (
    BlockedAddressError,
    InvalidURLError,
    RateLimitedError,
    ScraperError,
    UnsupportedSchemeError,
)
from scrapers.types import ExtractedArticle, FeedEntry, InputKind, ParsedFeed
from scrapers.urls import registrable_domain
from tracker.news.models import Article
from tracker.news.services import (
    ArticleData,
    IngestOutcome,
    article_ingest,
    feed_item_article,
)
from tracker.sources import scraping
from tracker.sources.models import Feed, FetchLog, Source

logger = logging.getLogger(__name__)

# A first poll of a big sitemap must finish inside the task time limit: at most this many page
# fetches and this many seconds per poll; the rest is left for the next poll, a few minutes later.
MAX_PAGE_FETCHES_PER_POLL = 100
POLL_BUDGET_SECONDS = 180  # Celery's soft time limit is 300 s
# A sitemap index can point at hundreds of sitemaps; the newest few carry the news.
MAX_CHILD_SITEMAPS = 5
# Page text shorter than this is a teaser, an AMP stub or a failed extraction, not the article.
MIN_PAGE_TEXT_CHARS = 200
# Interval change per poll: halve when new items came, grow by half when none did.
INTERVAL_SHRINK = 0.5
INTERVAL_GROWTH = 1.5
# Errors double the wait up to this many times (2**6 x interval, capped at a day).
MAX_BACKOFF_DOUBLINGS = 6

_FEED_KIND_BY_INPUT = {
    InputKind.FEED: Feed.Kind.RSS,
    InputKind.JSON_FEED: Feed.Kind.JSON_FEED,
    InputKind.SITEMAP: Feed.Kind.SITEMAP,
    InputKind.SITEMAP_INDEX: Feed.Kind.SITEMAP,
    InputKind.HTML: Feed.Kind.PAGE,
}


# --- sources ------------------------------------------------------------------------------------


def url_validate(url: str, *, resolve: bool = True) -> str:
    """Canonical form of a URL we may poll, or ValidationError saying why not.

    `resolve=False` checks IP literals only; the fetcher checks resolved addresses at connect time.
    """
    try:
        return scraping.url_check(url, resolve=resolve)
    except UnsupportedSchemeError as exc:
        raise ValidationError(f"{exc.message}. Use an http:// or https:// URL.", code="scheme") from exc
    except BlockedAddressError as exc:
        raise ValidationError(
            f"{exc.message}. Feeds must be on public addresses.", code="blocked_address"
        ) from exc
    except InvalidURLError as exc:
        raise ValidationError(f"Not a usable URL: {exc.message}.", code="invalid_url") from exc


def _unique_slug(name: str, domain: str) -> str:
    base = slugify(name)[:180] or slugify(domain.replace(".", "-"))[:180] or "source"
    slug, n = base, 2
    while Source.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def source_create(
    *,
    name: str,
    homepage: str = "",
    domain: str = "",
    kind: str = Source.Kind.NEWS_OUTLET,
    country=None,
    owner_group: str = "",
    reliability_note: str = "",
) -> Source:
    """Create a source. The domain defaults to the homepage's registrable domain."""
    name = name.strip()
    if not name:
        raise ValidationError("A source needs a name.", code="name")
    if homepage:
        homepage = url_validate(homepage)
    domain = (domain or registrable_domain(homepage) if homepage else domain).strip().lower()
    if not domain:
        raise ValidationError("A source needs a domain or a homepage to take it from.", code="domain")
    if Source.objects.filter(domain=domain).exists():
        raise ValidationError(f"A source for {domain} already exists.", code="duplicate")
    if Source.objects.filter(name=name).exists():
        raise ValidationError(f"A source named {name!r} already exists.", code="duplicate")
    return Source.objects.create(
        name=name,
        slug=_unique_slug(name, domain),
        domain=domain,
        homepage=homepage,
        kind=kind,
        country=country,
        owner_group=owner_group,
        reliability_note=reliability_note,
    )


@dataclass(frozen=True)
class SourceSpec:
    """One entry of a source list (starter list, demo manifest)."""

    name: str
    domain: str
    homepage: str = ""
    kind: str = Source.Kind.NEWS_OUTLET
    country: str = ""  # ISO code of a Jurisdiction; unknown codes are left empty
    owner_group: str = ""
    reliability_note: str = ""
    feeds: tuple[tuple[str, str], ...] = ()  # (url, kind)


def source_upsert(*, spec: SourceSpec) -> tuple[Source, list[Feed]]:
    """Create or update a source by domain, and add its feeds. Running it twice changes nothing.

    Raises ValidationError naming the bad field (unknown kind, bad feed URL).
    """
    from tracker.jurisdictions.models import Jurisdiction

    domain = spec.domain.strip().lower()
    if not spec.name.strip() or not domain:
        raise ValidationError("Each source needs a name and a domain.", code="required")
    if spec.kind not in Source.Kind.values:
        raise ValidationError(
            f"{spec.name}: unknown kind {spec.kind!r}; use one of {', '.join(Source.Kind.values)}.",
            code="kind",
        )
    # Lists are written offline and loaded in bulk: no DNS lookups here, the fetcher checks later.
    homepage = url_validate(spec.homepage, resolve=False) if spec.homepage else f"https://{domain}/"
    country = Jurisdiction.objects.filter(code=spec.country.upper()).first() if spec.country else None
    fields = {
        "name": spec.name.strip(),
        "homepage": homepage,
        "kind": spec.kind,
        "country": country,
        "owner_group": spec.owner_group,
        "reliability_note": spec.reliability_note,
    }
    with transaction.atomic():
        source = Source.objects.filter(domain=domain).first()
        if source is None:
            source = Source.objects.create(domain=domain, slug=_unique_slug(spec.name, domain), **fields)
        else:
            changed = [name for name, value in fields.items() if getattr(source, name) != value]
            for name in changed:
                setattr(source, name, fields[name])
            if changed:
                source.save(update_fields=[*changed, "updated_at"])
        feeds = []
        for url, kind in spec.feeds:
            if kind not in Feed.Kind.values:
                raise ValidationError(f"{spec.name}: feed {url} has unknown kind {kind!r}.", code="kind")
            feeds.append(feed_create(source=source, url=url, kind=kind, resolve=False))
    return source, feeds


def source_for_url(*, url: str, site_name: str = "") -> Source:
    """The source an article URL belongs to, by registrable domain; created when unknown.

    An unknown site becomes a news outlet named after its site name (or domain), which an
    editor can correct in the admin.
    """
    domain = registrable_domain(url)
    if not domain:
        raise InvalidURLError("URL has no host to match a source by", url=url)
    found = Source.objects.filter(domain=domain).first()
    if found:
        return found
    name = (site_name or domain).strip()[:200]
    if Source.objects.filter(name=name).exists():
        name = f"{name} ({domain})"[:200]
    try:
        with transaction.atomic():
            return Source.objects.create(
                name=name,
                slug=_unique_slug(name, domain),
                domain=domain,
                homepage=f"https://{domain}/",
                kind=Source.Kind.NEWS_OUTLET,
            )
    except IntegrityError:
        # Another worker created it first.
        return Source.objects.get(domain=domain)


# --- feeds --------------------------------------------------------------------------------------


def feed_create(
    *, source: Source, url: str, kind: str = Feed.Kind.RSS, title: str = "", resolve: bool = True
) -> Feed:
    """Add a feed to a source after checking the URL (scheme, public address). Idempotent by URL."""
    canonical = url_validate(url, resolve=resolve)
    existing = Feed.objects.filter(url=canonical).first()
    if existing:
        if existing.source_id != source.pk:
            raise ValidationError(f"{canonical} is already a feed of {existing.source}.", code="duplicate")
        return existing
    return Feed.objects.create(source=source, url=canonical, kind=kind, title=title[:300])


def feed_discover(*, source: Source, url: str = "") -> list[Feed]:
    """Find feeds announced by a page's <link rel="alternate"> and add them to the source.

    Raises ValidationError for a bad URL and ScraperError when the page cannot be fetched.
    """
    page_url = url_validate(url or source.homepage or f"https://{source.domain}/")
    result = scraping.fetch(page_url)
    kind = scraping.detect_kind(result.content, content_type=result.content_type, url=result.url)
    if kind in (InputKind.FEED, InputKind.JSON_FEED, InputKind.SITEMAP, InputKind.SITEMAP_INDEX):
        return [feed_create(source=source, url=result.url, kind=_FEED_KIND_BY_INPUT[kind])]
    feeds = []
    for found in scraping.discover_feeds(result.content, url=result.url):
        feed_kind = _FEED_KIND_BY_INPUT.get(found.kind, Feed.Kind.RSS)
        if found.url.endswith(("atom.xml", "/atom")):
            feed_kind = Feed.Kind.ATOM
        try:
            feeds.append(feed_create(source=source, url=found.url, kind=feed_kind, title=found.title))
        except ValidationError as exc:
            logger.info("skipped discovered feed %s: %s", found.url, exc)
    return feeds


@dataclass
class PollResult:
    feed_id: int
    url: str
    status: int | None = None
    ok: bool = True
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str = ""
    entry_errors: list[str] = field(default_factory=list)
    duration_ms: int = 0
    deferred: int = 0  # entries left for the next poll (budget spent)

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated)


def feed_poll(*, feed: Feed) -> PollResult:
    """Poll one feed now and store what it brings. Never raises for fetch or parse failures:
    they are recorded on the feed (last_error, consecutive_errors) and in its FetchLog."""
    started_at = timezone.now()
    clock = time.monotonic()
    result = PollResult(feed_id=feed.pk, url=feed.url)
    retry_after: float | None = None
    try:
        fetched = scraping.fetch(feed.url, etag=feed.etag or None, last_modified=feed.last_modified or None)
        result.status = fetched.status
        if fetched.not_modified:
            # A 304 may omit the validators; the ones we sent stay valid.
            feed.etag = (fetched.etag or feed.etag)[:500]
            feed.last_modified = (fetched.last_modified or feed.last_modified)[:100]
        else:
            parsed = _parse_with_children(
                fetched.content, url=fetched.url, content_type=fetched.content_type, result=result
            )
            _ingest_entries(feed=feed, parsed=parsed, result=result, deadline=clock + POLL_BUDGET_SECONDS)
            if parsed.title and not feed.title:
                feed.title = parsed.title[:300]
            # With entries left over, forget the validators so the next poll gets the full feed, not a 304.
            feed.etag = "" if result.deferred else (fetched.etag or "")[:500]
            feed.last_modified = "" if result.deferred else (fetched.last_modified or "")[:100]
    except ScraperError as exc:
        result.ok = False
        result.error = f"{exc.code}: {exc}"
        result.status = getattr(exc, "status", None) or (429 if isinstance(exc, RateLimitedError) else None)
        retry_after = getattr(exc, "retry_after", None)
    except Exception as exc:
        # A bug or a database error: shown on the feed, then raised so the worker logs the traceback.
        result.ok = False
        result.error = f"internal error: {type(exc).__name__}: {exc}"
        result.duration_ms = int((time.monotonic() - clock) * 1000)
        _record_poll(feed=feed, result=result, started_at=started_at, retry_after=None)
        raise
    result.duration_ms = int((time.monotonic() - clock) * 1000)
    _record_poll(feed=feed, result=result, started_at=started_at, retry_after=retry_after)
    return result


def _parse_with_children(
    content: bytes, *, url: str, content_type: str | None, result: PollResult
) -> ParsedFeed:
    """Parse the feed; for a sitemap index, fetch and merge its first child sitemaps.

    A failing child is an entry error; only when every child fails does the poll fail.
    """
    parsed = scraping.parse_feed(content, url=url, content_type=content_type)
    if parsed.kind != InputKind.SITEMAP_INDEX:
        return parsed
    entries: list[FeedEntry] = []
    children = parsed.sitemaps[:MAX_CHILD_SITEMAPS]
    failures: list[ScraperError] = []
    for child_url in children:
        try:
            child = scraping.fetch(child_url)
            child_parsed = scraping.parse_feed(child.content, url=child.url, content_type=child.content_type)
        except ScraperError as exc:
            result.entry_errors.append(f"child sitemap {child_url}: {exc}")
            failures.append(exc)
            continue
        entries.extend(child_parsed.entries)
    if children and len(failures) == len(children):
        raise failures[-1]
    return ParsedFeed(
        kind=InputKind.SITEMAP, format=parsed.format, title=parsed.title, entries=tuple(entries)
    )


def _ingest_entries(*, feed: Feed, parsed: ParsedFeed, result: PollResult, deadline: float) -> None:
    page_fetches = 0
    for entry in parsed.entries:
        known = feed_item_article(feed=feed, guid=entry.guid)
        if known is not None and not _entry_changed(entry, known):
            result.unchanged += 1
            continue
        if page_fetches >= MAX_PAGE_FETCHES_PER_POLL or time.monotonic() > deadline:
            result.deferred += 1
            continue
        page_fetches += 1
        try:
            outcome = entry_ingest(entry=entry, feed=feed, feed_language=parsed.language).outcome
        except (ScraperError, ValidationError, IntegrityError) as exc:
            result.entry_errors.append(f"{entry.url}: {exc}")
            continue
        if outcome == IngestOutcome.CREATED:
            result.new += 1
        elif outcome == IngestOutcome.UPDATED:
            result.updated += 1
        else:
            result.unchanged += 1


def _entry_changed(entry: FeedEntry, article: Article) -> bool:
    """Whether a feed entry we have stored before announces new content worth a page fetch."""
    # Titles are not compared: feed and page titles legitimately differ ("Title | Outlet").
    return bool(entry.updated) and (
        article.source_updated_at is None or entry.updated > article.source_updated_at
    )


def entry_ingest(
    *, entry: FeedEntry, feed: Feed | None = None, feed_language: str = "", fetch_page: bool = True
):
    """Fetch an entry's article page and store it; fall back to the entry's own text when the
    page fails, is paywalled or too thin (AMP stubs, teasers). Returns the IngestResult."""
    warnings: list[str] = []
    page: ExtractedArticle | None = None
    if fetch_page:
        try:
            fetched = scraping.fetch(entry.url, check_robots=True)
            page = scraping.extract_article(
                fetched.content, url=fetched.url, content_type=fetched.content_type
            )
        except ScraperError as exc:
            warnings.append(f"page not used ({exc.code}): {exc}; stored what the feed carried")
    data = article_data_merge(entry=entry, page=page, feed_language=feed_language, warnings=warnings)
    source = (
        feed.source if feed is not None and _same_site(feed.source, data.canonical_url or data.url) else None
    )
    return article_ingest(data=data, source=source, feed=feed, guid=entry.guid)


def _same_site(source: Source, url: str) -> bool:
    return registrable_domain(url) == source.domain


def article_data_merge(
    *,
    entry: FeedEntry,
    page: ExtractedArticle | None,
    feed_language: str = "",
    warnings: list[str] | None = None,
) -> ArticleData:
    """What we store: the page's reading where it is usable, the feed's where it is not."""
    warnings = list(warnings or [])
    feed_text = entry.content_text
    if page is None:
        return ArticleData(
            url=entry.url,
            title=entry.title,
            text=feed_text,
            summary=entry.summary,
            authors=entry.authors,
            published=entry.published,
            updated=entry.updated,
            language=entry.language or feed_language,
            warnings=tuple(warnings),
        )
    text = page.text
    if page.is_paywalled:
        # The feed may carry the whole story; when it carries less than the page's public
        # teaser (a summary, or nothing), the teaser is what readers get and what we analyse.
        if len(feed_text) >= len(page.text):
            warnings.append("paywalled page: text is what the feed carried")
            text = feed_text
        else:
            warnings.append("paywalled page: text is the public teaser (the feed carries less)")
    elif len(page.text) < MIN_PAGE_TEXT_CHARS and len(feed_text) > len(page.text):
        warnings.append("page text too thin (AMP or teaser): text is what the feed carried")
        text = feed_text
    return ArticleData(
        url=entry.url,
        canonical_url=page.canonical_url,
        title=page.title or entry.title,
        text=text,
        summary=page.summary or entry.summary,
        authors=page.authors or entry.authors,
        # The feed's timestamps carry the time of day; pages often give only the date.
        published=entry.published or page.published,
        updated=max(filter(None, [entry.updated, page.updated]), default=None),
        language=page.language or entry.language or feed_language,
        site_name=page.site_name,
        is_paywalled=page.is_paywalled,
        warnings=tuple(warnings) + tuple(page.warnings),
    )


# --- scheduling ---------------------------------------------------------------------------------


def feed_interval_next(*, current: int, new_items: int) -> int:
    """Adaptive polling: busy feeds are polled more often, quiet ones less, within the bounds."""
    factor = INTERVAL_SHRINK if new_items else INTERVAL_GROWTH
    return int(min(Feed.MAX_INTERVAL_SECONDS, max(Feed.MIN_INTERVAL_SECONDS, current * factor)))


def feed_backoff_seconds(*, interval: int, consecutive_errors: int, retry_after: float | None = None) -> int:
    """Wait after a failed poll: the interval doubled per consecutive error, capped at a day,
    and never shorter than the server's Retry-After."""
    doublings = min(max(consecutive_errors - 1, 0), MAX_BACKOFF_DOUBLINGS)
    wait = min(Feed.MAX_INTERVAL_SECONDS, max(Feed.MIN_INTERVAL_SECONDS, interval) * 2**doublings)
    if retry_after:
        wait = max(wait, int(retry_after))
    return int(wait)


def _record_poll(*, feed: Feed, result: PollResult, started_at, retry_after: float | None) -> None:
    now = timezone.now()
    feed.last_fetched_at = now
    feed.last_status = result.status
    if result.ok:
        feed.consecutive_errors = 0
        feed.last_error = ""
        feed.fetch_interval_seconds = feed_interval_next(
            current=feed.fetch_interval_seconds, new_items=result.new
        )
        # Entries left over by the budget are fetched soon, whatever the feed's usual pace.
        wait = Feed.MIN_INTERVAL_SECONDS if result.deferred else feed.fetch_interval_seconds
        if result.new:
            feed.last_new_item_at = now
    else:
        feed.consecutive_errors += 1
        feed.last_error = result.error
        wait = feed_backoff_seconds(
            interval=feed.fetch_interval_seconds,
            consecutive_errors=feed.consecutive_errors,
            retry_after=retry_after,
        )
    feed.next_fetch_at = now + timedelta(seconds=wait)
    entry_note = ""
    if result.entry_errors:
        entry_note = f"{len(result.entry_errors)} entries failed: " + "; ".join(result.entry_errors[:5])
    if result.deferred:
        entry_note += f"\n{result.deferred} entries left for the next poll (poll budget spent)"
    with transaction.atomic():
        feed.save(
            update_fields=[
                "title",
                "etag",
                "last_modified",
                "last_status",
                "last_error",
                "consecutive_errors",
                "last_fetched_at",
                "last_new_item_at",
                "next_fetch_at",
                "fetch_interval_seconds",
            ]
        )
        FetchLog.objects.create(
            feed=feed,
            started_at=started_at,
            duration_ms=result.duration_ms,
            status_code=result.status,
            ok=result.ok,
            new_items=result.new,
            updated_items=result.updated,
            error="\n".join(filter(None, [result.error, entry_note])),
        )


def feeds_due(*, now=None, limit: int = 500):
    """Active feeds of active sources whose next fetch time has come, most overdue first."""
    now = now or timezone.now()
    return (
        Feed.objects.filter(active=True, source__active=True, next_fetch_at__lte=now)
        .select_related("source")
        .order_by("next_fetch_at")[:limit]
    )


# A queued poll holds its feed this long, so the every-minute beat does not queue it again
# while the first poll waits in the queue; the poll itself sets the real next time.
DISPATCH_LEASE_SECONDS = 15 * 60


def feeds_claim_due(*, now=None, limit: int = 500) -> list[int]:
    """Ids of due feeds, each pushed DISPATCH_LEASE_SECONDS ahead so it is dispatched once."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(feeds_due(now=now, limit=limit).values_list("pk", flat=True))
        Feed.objects.filter(pk__in=ids).update(next_fetch_at=now + timedelta(seconds=DISPATCH_LEASE_SECONDS))
    return ids


# Fetch history older than this is only noise: feed health shows on the Feed itself.
FETCH_LOG_KEEP_DAYS = 30


def fetch_logs_prune(*, keep_days: int = FETCH_LOG_KEEP_DAYS) -> int:
    """Delete fetch history older than `keep_days`; returns how many rows went."""
    cutoff = timezone.now() - timedelta(days=keep_days)
    deleted, _by_model = FetchLog.objects.filter(started_at__lt=cutoff).delete()
    return deleted


def feed_poll_soon(*, feed: Feed) -> None:
    """Make a feed due now (admin "poll now" when running with a worker)."""
    feed.next_fetch_at = timezone.now()
    feed.save(update_fields=["next_fetch_at"])
