"""The beat task dispatches due feeds once; the poll task runs one poll (eager Celery here)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.sources.http_server import RSS, article_page, rss
from tracker.news.models import Article
from tracker.sources.models import Feed, FetchLog, Source
from tracker.sources.tasks import feed_poll_task, feeds_poll_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return Source.objects.create(name="Fixture Times", slug="fixture-times", domain="127.0.0.1")


@pytest.fixture
def dispatched(monkeypatch):
    """Records pipeline dispatches instead of running the analysis (its own tests cover it)."""
    calls = []
    monkeypatch.setattr("tracker.sources.tasks.pipeline_dispatch", lambda: calls.append(1) or True)
    return calls


@pytest.fixture
def eager(monkeypatch):
    """Run dispatched tasks in this process even when a broker is configured (the PG+Redis CI run)."""
    from tracker.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def test_feeds_poll_due_polls_only_due_feeds_once(
    http_server, source, django_capture_on_commit_callbacks, dispatched, eager
):
    url = http_server.url("/news/a")
    http_server.add("/news/a", article_page(title="A", url=url))
    due = Feed.objects.create(
        source=source, url=http_server.add("/feed.xml", rss([{"link": url, "title": "A"}]), content_type=RSS)
    )
    later = Feed.objects.create(
        source=source, url=http_server.url("/later.xml"), next_fetch_at=timezone.now() + timedelta(hours=1)
    )
    Feed.objects.create(source=source, url=http_server.url("/off.xml"), active=False)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert feeds_poll_due() == 1
    assert len(callbacks) >= 1
    assert FetchLog.objects.filter(feed=due).count() == 1
    assert not FetchLog.objects.filter(feed=later).exists()
    assert Article.objects.filter(canonical_url=url).exists()
    assert dispatched == [1]  # new articles: the analysis pipeline was queued once
    # Just polled: not due again, so a second beat tick dispatches nothing.
    assert feeds_poll_due() == 0


def test_feed_poll_task_skips_a_deleted_feed():
    assert feed_poll_task(123456) == {"feed_id": 123456, "skipped": True}


def test_robots_disallow_falls_back_to_feed_text(http_server, source, dispatched):
    http_server.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    url = http_server.url("/private/story")
    http_server.add("/private/story", article_page(title="Private", url=url))
    feed = Feed.objects.create(
        source=source,
        url=http_server.add(
            "/feed.xml",
            rss([{"link": url, "title": "Private", "description": "Feed summary."}]),
            content_type=RSS,
        ),
    )
    outcome = feed_poll_task(feed.pk)
    article = Article.objects.get()
    assert outcome["new"] == 1 and http_server.hits("/private/story") == 0
    assert article.summary == "Feed summary." and any("robots" in w for w in article.extraction_warnings)


def test_fetch_logs_older_than_thirty_days_are_pruned(source):
    from tracker.sources.tasks import fetch_logs_prune_task

    feed = Feed.objects.create(source=source, url="https://news.example/feed.xml")
    old = FetchLog.objects.create(feed=feed, started_at=timezone.now() - timedelta(days=31))
    recent = FetchLog.objects.create(feed=feed, started_at=timezone.now() - timedelta(days=29))
    assert fetch_logs_prune_task() == 1
    assert list(FetchLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not FetchLog.objects.filter(pk=old.pk).exists()
