"""The editors' admin pages for sources, feeds, fetch history and articles."""

import pytest
from django.urls import reverse

from tests.sources.http_server import RSS, article_page, rss
from tracker.news.models import Article
from tracker.news.services import ArticleData, article_ingest
from tracker.sources.models import Feed, FetchLog, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def stored():
    source = Source.objects.create(name="News Example", slug="news-example", domain="news.example")
    feed = Feed.objects.create(source=source, url="https://news.example/feed.xml", last_error="HTTP 500")
    FetchLog.objects.create(feed=feed, status_code=500, ok=False, error="server answered HTTP 500")
    article_ingest(
        data=ArticleData(url="https://news.example/a", title="A story", text="Body."), feed=feed, guid="a"
    )
    return source, feed


@pytest.mark.parametrize(
    "model", ["sources/source", "sources/feed", "sources/fetchlog", "news/article", "news/feeditem"]
)
def test_changelists_load(editor, stored, model):
    app, name = model.split("/")
    response = editor.get(reverse(f"admin:{app}_{name}_changelist"))
    assert response.status_code == 200


def test_change_pages_load(editor, stored):
    source, feed = stored
    for url in (
        reverse("admin:sources_source_change", args=[source.pk]),
        reverse("admin:sources_feed_change", args=[feed.pk]),
        reverse("admin:news_article_change", args=[Article.objects.get().pk]),
    ):
        assert editor.get(url).status_code == 200


def test_feed_list_shows_health(editor, stored):
    response = editor.get(reverse("admin:sources_feed_changelist"))
    assert b"HTTP 500" in response.content


def test_fetch_log_is_read_only(editor, stored):
    assert editor.get(reverse("admin:sources_fetchlog_add")).status_code == 403


def test_poll_now_action_polls_through_the_service(editor, http_server, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no worker: the poll runs in the request
    source = Source.objects.create(name="Fixture Times", slug="fixture-times", domain="127.0.0.1")
    url = http_server.url("/news/a")
    http_server.add("/news/a", article_page(title="A", url=url))
    feed = Feed.objects.create(
        source=source, url=http_server.add("/feed.xml", rss([{"link": url, "title": "A"}]), content_type=RSS)
    )
    response = editor.post(
        reverse("admin:sources_feed_changelist"),
        {"action": "poll_now", "_selected_action": [feed.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert b"1 new" in response.content
    assert (
        Article.objects.filter(canonical_url=url).exists() and FetchLog.objects.filter(feed=feed).count() == 1
    )


def test_discover_feeds_action_reports_errors_plainly(editor):
    source = Source.objects.create(
        name="Nowhere", slug="nowhere", domain="nowhere.example", homepage="ftp://nowhere.example/"
    )
    response = editor.post(
        reverse("admin:sources_source_changelist"),
        {"action": "discover_feeds", "_selected_action": [source.pk]},
        follow=True,
    )
    assert response.status_code == 200 and b"http" in response.content
    assert Feed.objects.count() == 0


def test_adding_a_feed_with_a_private_address_is_refused_with_a_reason(editor, stored):
    source, _feed = stored
    response = editor.post(
        reverse("admin:sources_feed_add"),
        {
            "source": source.pk,
            "url": "http://10.0.0.7/feed.xml",
            "kind": "rss",
            "active": "on",
            "next_fetch_at_0": "2025-01-01",
            "next_fetch_at_1": "00:00:00",
            "fetch_interval_seconds": 3600,
            "created_at_0": "2025-01-01",
            "created_at_1": "00:00:00",
        },
    )
    assert response.status_code == 200
    assert b"private address" in response.content
    assert not Feed.objects.filter(url__contains="10.0.0.7").exists()


@pytest.mark.parametrize(
    "model", ["sources/source", "sources/feed", "sources/fetchlog", "news/article", "news/feeditem"]
)
def test_changelist_queries_do_not_grow_with_rows(editor, stored, model, django_assert_max_num_queries):
    for n in range(15):
        other = Source.objects.create(name=f"Outlet {n}", slug=f"outlet-{n}", domain=f"outlet{n}.example")
        other_feed = Feed.objects.create(source=other, url=f"https://outlet{n}.example/feed.xml")
        FetchLog.objects.create(feed=other_feed, status_code=200)
        article_ingest(
            data=ArticleData(url=f"https://outlet{n}.example/a", title=f"Story {n}", text=f"Body {n}."),
            feed=other_feed,
            guid=f"g{n}",
        )
    app, name = model.split("/")
    # Session, user, count, rows, filters: a fixed number, not one per row.
    with django_assert_max_num_queries(20):
        assert editor.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200


def test_poll_now_action_queues_the_task_when_a_worker_exists(
    editor, stored, settings, django_capture_on_commit_callbacks, monkeypatch
):
    _source, feed = stored
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a worker exists
    queued = []
    monkeypatch.setattr("tracker.sources.tasks.feed_poll_task.delay", lambda feed_id: queued.append(feed_id))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("admin:sources_feed_changelist"),
            {"action": "poll_now", "_selected_action": [feed.pk]},
            follow=True,
        )
    assert b"Queued 1 feed poll" in response.content
    assert queued == [feed.pk] and FetchLog.objects.filter(feed=feed).count() == 1  # only the fixture's log
