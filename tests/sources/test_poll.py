"""Polling a feed: conditional GET, storing entries, fallbacks, errors, adaptive scheduling."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.sources.http_server import RSS, article_page, rss
from tracker.news.models import Article, FeedItem
from tracker.sources import scraping
from tracker.sources.models import Feed, FetchLog, Source
from tracker.sources.services import (
    feed_backoff_seconds,
    feed_create,
    feed_discover,
    feed_interval_next,
    feed_poll,
    url_validate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return Source.objects.create(name="Fixture Times", slug="fixture-times", domain="127.0.0.1")


def serve_story(server, slug: str, *, title: str = "US widens chip curbs", paywalled=False, **page) -> str:
    url = server.url(f"/news/{slug}")
    server.add(f"/news/{slug}", article_page(title=title, url=url, paywalled=paywalled, **page))
    return url


def serve_feed(server, items, *, etag: str = "") -> str:
    return server.add("/feed.xml", rss(items), content_type=RSS, etag=etag)


def test_poll_stores_entries_logs_the_fetch_and_shrinks_the_interval(http_server, source):
    urls = [serve_story(http_server, f"story-{n}", title=f"Story {n}") for n in range(3)]
    feed = feed_create(
        source=source,
        url=serve_feed(http_server, [{"link": u, "title": f"Story {n}"} for n, u in enumerate(urls)]),
    )

    result = feed_poll(feed=feed)

    feed.refresh_from_db()
    assert (result.ok, result.status, result.new, result.updated) == (True, 200, 3, 0)
    assert Article.objects.count() == 3 and FeedItem.objects.filter(feed=feed).count() == 3
    article = Article.objects.get(canonical_url=urls[0])
    assert article.title == "Story 0" and "Entity List" in article.text
    assert article.content_hash and article.revision == 1
    assert article.needs_dedup and article.needs_analysis and article.needs_clustering
    log = FetchLog.objects.get(feed=feed)
    assert (log.ok, log.status_code, log.new_items, log.updated_items) == (True, 200, 3, 0)
    assert feed.fetch_interval_seconds == Feed.DEFAULT_INTERVAL_SECONDS // 2
    assert feed.last_new_item_at is not None and feed.consecutive_errors == 0
    assert feed.next_fetch_at > timezone.now() + timedelta(minutes=29)


def test_conditional_get_304_stores_nothing_and_lengthens_the_interval(http_server, source):
    url = serve_story(http_server, "one")
    feed = feed_create(
        source=source, url=serve_feed(http_server, [{"link": url, "title": "One"}], etag='"v1"')
    )
    feed_poll(feed=feed)
    interval_after_first = Feed.objects.get(pk=feed.pk).fetch_interval_seconds
    page_hits = http_server.hits("/news/one")

    result = feed_poll(feed=feed)

    feed.refresh_from_db()
    assert (result.ok, result.status, result.new) == (True, 304, 0)
    assert http_server.requests[-1][1].get("if-none-match") == '"v1"'
    assert feed.etag == '"v1"'
    assert http_server.hits("/news/one") == page_hits  # no page fetched on 304
    assert feed.fetch_interval_seconds == int(interval_after_first * 1.5)
    assert Article.objects.count() == 1 and FetchLog.objects.filter(feed=feed).count() == 2


def test_repoll_without_304_does_not_refetch_known_pages(http_server, source):
    url = serve_story(http_server, "known")
    feed = feed_create(source=source, url=serve_feed(http_server, [{"link": url, "title": "Known"}]))
    feed_poll(feed=feed)
    hits = http_server.hits("/news/known")
    result = feed_poll(feed=feed)
    assert (result.new, result.updated, result.unchanged) == (0, 0, 1)
    assert http_server.hits("/news/known") == hits


def test_changed_article_is_updated_with_revision_two(http_server, source):
    url = serve_story(http_server, "changing", title="Chip curbs")
    feed = feed_create(
        source=source,
        url=serve_feed(
            http_server, [{"link": url, "title": "Chip curbs", "updated": "2024-12-03T10:00:00Z"}]
        ),
    )
    feed_poll(feed=feed)
    first = Article.objects.get()
    serve_story(http_server, "changing", title="Chip curbs", extra="Update: China responded on Tuesday.")
    serve_feed(http_server, [{"link": url, "title": "Chip curbs", "updated": "2024-12-04T08:00:00Z"}])

    result = feed_poll(feed=feed)

    article = Article.objects.get()
    assert (result.new, result.updated) == (0, 1)
    assert article.pk == first.pk and article.revision == 2
    assert "China responded" in article.text and article.content_hash != first.content_hash
    assert article.content_updated_at > first.content_updated_at
    assert FetchLog.objects.filter(feed=feed).first().updated_items == 1


def test_paywalled_page_falls_back_to_the_feed_content(http_server, source):
    url = serve_story(http_server, "locked", title="Locked story", paywalled=True)
    feed_text = "The full story as the feed carries it. " * 12
    feed = feed_create(
        source=source,
        url=serve_feed(
            http_server, [{"link": url, "title": "Locked story", "content": f"<p>{feed_text}</p>"}]
        ),
    )
    feed_poll(feed=feed)
    article = Article.objects.get()
    assert article.is_paywalled
    assert article.text.startswith("The full story as the feed carries it.")
    assert any("paywalled" in warning for warning in article.extraction_warnings)


def test_paywalled_page_keeps_its_public_teaser_when_the_feed_carries_only_a_summary(http_server, source):
    # The demo's paywalled story: the page shows its first paragraph, the feed a one-line summary.
    url = serve_story(http_server, "teaser", title="Teaser story", paywalled=True)
    feed = feed_create(
        source=source,
        url=serve_feed(http_server, [{"link": url, "title": "Teaser story", "description": "Short."}]),
    )
    feed_poll(feed=feed)
    article = Article.objects.get()
    assert article.is_paywalled
    assert article.text.startswith("The Commerce Department said on Monday")
    assert article.summary == "Short."
    assert any("public teaser" in warning for warning in article.extraction_warnings)


def test_failing_page_falls_back_to_the_feed_summary(http_server, source):
    missing = http_server.url("/news/gone")  # the server answers 404
    feed = feed_create(
        source=source,
        url=serve_feed(
            http_server, [{"link": missing, "title": "Gone", "description": "What the feed said."}]
        ),
    )
    result = feed_poll(feed=feed)
    article = Article.objects.get()
    assert result.new == 1 and article.summary == "What the feed said."
    assert any("HTTP 404" in warning for warning in article.extraction_warnings)


def test_feed_errors_are_recorded_and_back_off(http_server, source):
    feed = feed_create(source=source, url=http_server.add("/broken.xml", "oops", status=500))
    for expected_errors in (1, 2, 3):
        result = feed_poll(feed=feed)
        feed.refresh_from_db()
        assert not result.ok and feed.consecutive_errors == expected_errors
    assert "HTTP 500" in feed.last_error and feed.last_status == 500
    wait = (feed.next_fetch_at - timezone.now()).total_seconds()
    assert wait == pytest.approx(Feed.DEFAULT_INTERVAL_SECONDS * 4, abs=5)
    log = FetchLog.objects.filter(feed=feed).first()
    assert not log.ok and "HTTP 500" in log.error

    http_server.add("/broken.xml", rss([]), content_type=RSS)
    assert feed_poll(feed=feed).ok
    feed.refresh_from_db()
    assert feed.consecutive_errors == 0 and feed.last_error == ""


def test_retry_after_is_honoured(http_server, source):
    feed = feed_create(
        source=source,
        url=http_server.add("/busy.xml", "slow down", status=429, headers={"Retry-After": "7200"}),
    )
    result = feed_poll(feed=feed)
    feed.refresh_from_db()
    assert not result.ok and feed.last_status == 429
    assert feed.next_fetch_at >= timezone.now() + timedelta(seconds=7190)


def test_unparseable_feed_is_an_error_on_the_feed(http_server, source):
    feed = feed_create(source=source, url=http_server.add("/junk.xml", "<html><body>no feed</body></html>"))
    result = feed_poll(feed=feed)
    feed.refresh_from_db()
    assert not result.ok and feed.consecutive_errors == 1 and feed.last_error


def test_interval_bounds_and_backoff():
    assert feed_interval_next(current=Feed.MIN_INTERVAL_SECONDS, new_items=5) == Feed.MIN_INTERVAL_SECONDS
    assert feed_interval_next(current=Feed.MAX_INTERVAL_SECONDS, new_items=0) == Feed.MAX_INTERVAL_SECONDS
    assert feed_interval_next(current=3600, new_items=0) == 5400
    assert feed_interval_next(current=3600, new_items=1) == 1800
    assert feed_backoff_seconds(interval=3600, consecutive_errors=1) == 3600
    assert feed_backoff_seconds(interval=3600, consecutive_errors=2) == 7200
    assert feed_backoff_seconds(interval=3600, consecutive_errors=50) == Feed.MAX_INTERVAL_SECONDS
    assert feed_backoff_seconds(interval=300, consecutive_errors=1, retry_after=9000) == 9000


def test_feed_urls_are_checked(source):
    scraping.reset_fetcher()
    with pytest.raises(ValidationError, match="http"):
        url_validate("ftp://files.example/feed.xml")
    with pytest.raises(ValidationError, match="loopback"):
        url_validate("http://127.0.0.1/feed.xml")
    with pytest.raises(ValidationError, match="private"):
        url_validate("http://10.1.2.3/feed.xml")
    with pytest.raises(ValidationError, match="usable URL"):
        url_validate("not a url")
    assert url_validate("HTTPS://News.Example/feed.xml?utm_source=x") == "https://news.example/feed.xml"
    feed = feed_create(source=source, url="https://news.example/feed.xml")
    assert feed_create(source=source, url="https://news.example/feed.xml/").pk == feed.pk


def test_discover_feeds_from_homepage(http_server, source):
    home = http_server.add(
        "/",
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml" title="All">'
        '<link rel="alternate" type="application/atom+xml" href="/atom.xml"></head><body>Hi</body></html>',
    )
    feeds = feed_discover(source=source, url=home)
    assert sorted(f.url for f in feeds) == [http_server.url("/atom.xml"), http_server.url("/feed.xml")]
    assert feed_discover(source=source, url=home)[0].pk in {f.pk for f in feeds}  # idempotent


def test_entries_over_the_poll_budget_are_left_for_the_next_poll(http_server, source, monkeypatch):
    from tracker.sources import services

    monkeypatch.setattr(services, "MAX_PAGE_FETCHES_PER_POLL", 2)
    urls = [serve_story(http_server, f"s{n}", title=f"S{n}") for n in range(3)]
    feed = feed_create(
        source=source,
        url=serve_feed(
            http_server, [{"link": u, "title": f"S{n}"} for n, u in enumerate(urls)], etag='"big"'
        ),
    )
    first = feed_poll(feed=feed)
    feed.refresh_from_db()
    assert (first.new, first.deferred) == (2, 1)
    assert feed.etag == ""  # so the next poll is not answered 304
    assert (feed.next_fetch_at - timezone.now()).total_seconds() <= Feed.MIN_INTERVAL_SECONDS + 5
    assert "1 entries left for the next poll" in FetchLog.objects.filter(feed=feed).first().error

    second = feed_poll(feed=feed)
    assert (second.new, second.deferred, second.unchanged) == (1, 0, 2)
    assert Article.objects.count() == 3


def test_304_without_validators_keeps_the_stored_ones(http_server, source):
    feed = feed_create(source=source, url=serve_feed(http_server, [], etag='"v9"'))
    feed_poll(feed=feed)
    feed.refresh_from_db()
    assert feed.etag == '"v9"'
    http_server.add("/feed.xml", b"", status=304)  # a 304 that repeats no validators
    feed_poll(feed=feed)
    feed.refresh_from_db()
    assert feed.etag == '"v9"' and feed.last_status == 304
