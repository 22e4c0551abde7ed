"""article_ingest: one row per canonical URL whatever brings it, and revisions on change."""

import threading

import pytest
from django.db import connection

from tracker.news.models import Article, FeedItem
from tracker.news.services import ArticleData, IngestOutcome, article_ingest, content_hash_for
from tracker.sources.models import Feed, Source

TEXT = "Washington added 140 entities to the Entity List on Monday. " * 5


def data(**overrides) -> ArticleData:
    values = {
        "url": "https://news.example/2024/12/chip-rules?utm_source=rss",
        "title": "US widens chip curbs",
        "text": TEXT,
        "site_name": "News Example",
    }
    values.update(overrides)
    return ArticleData(**values)


@pytest.fixture
def feeds():
    source = Source.objects.create(name="News Example", slug="news-example", domain="news.example")
    return (
        Feed.objects.create(source=source, url="https://news.example/feed.xml"),
        Feed.objects.create(source=source, url="https://news.example/atom.xml"),
    )


@pytest.mark.django_db
def test_same_entry_twice_is_stored_once(feeds):
    first = article_ingest(data=data(), feed=feeds[0], guid="g-1")
    second = article_ingest(data=data(), feed=feeds[0], guid="g-1")
    assert first.outcome == IngestOutcome.CREATED and second.outcome == IngestOutcome.UNCHANGED
    assert Article.objects.count() == 1 and FeedItem.objects.count() == 1
    article = Article.objects.get()
    assert article.canonical_url == "https://news.example/2024/12/chip-rules"
    assert article.content_hash == content_hash_for(text=TEXT) and article.revision == 1


@pytest.mark.django_db
def test_same_article_from_two_feeds_is_one_article_two_feed_items(feeds):
    article_ingest(data=data(), feed=feeds[0], guid="rss-guid")
    result = article_ingest(
        data=data(url="https://news.example/2024/12/chip-rules/?fbclid=abc"), feed=feeds[1], guid="atom-id"
    )
    assert result.outcome == IngestOutcome.UNCHANGED
    assert Article.objects.count() == 1
    assert set(FeedItem.objects.values_list("guid", flat=True)) == {"rss-guid", "atom-id"}


@pytest.mark.django_db
def test_changed_content_bumps_revision_and_raises_pipeline_flags(feeds):
    article = article_ingest(data=data(), feed=feeds[0], guid="g").article
    Article.objects.filter(pk=article.pk).update(
        needs_dedup=False, needs_analysis=False, needs_clustering=False
    )

    result = article_ingest(data=data(text=TEXT + " Update: Beijing responded."), feed=feeds[0], guid="g")

    article.refresh_from_db()
    assert result.outcome == IngestOutcome.UPDATED
    assert article.revision == 2 and "Beijing responded" in article.text
    assert article.needs_dedup and article.needs_analysis and article.needs_clustering
    assert article.content_updated_at is not None


@pytest.mark.django_db
def test_whitespace_and_case_do_not_count_as_change(feeds):
    article_ingest(data=data())
    assert article_ingest(data=data(text=TEXT.upper().replace(" ", "  "))).outcome == IngestOutcome.UNCHANGED


@pytest.mark.django_db
def test_feed_only_text_never_replaces_full_page_text(feeds):
    article_ingest(data=data())
    result = article_ingest(data=data(text="", summary="Short feed summary."))
    article = Article.objects.get()
    assert result.outcome == IngestOutcome.UNCHANGED and article.text == TEXT and article.revision == 1
    assert article.summary == "Short feed summary."  # a missing field is filled in


@pytest.mark.django_db
def test_unknown_site_becomes_a_source_by_registrable_domain():
    article_ingest(data=data(url="https://amp.unknown-daily.example/a", site_name="Unknown Daily"))
    article_ingest(data=data(url="https://www.unknown-daily.example/b", site_name="Unknown Daily"))
    source = Source.objects.get(domain="unknown-daily.example")
    assert source.name == "Unknown Daily" and source.kind == Source.Kind.NEWS_OUTLET
    assert source.articles.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_ingesting_one_url_store_one_row():
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite's in-memory test database cannot be written from two threads; PostgreSQL runs this"
        )
    source = Source.objects.create(name="News Example", slug="news-example", domain="news.example")
    feed = Feed.objects.create(source=source, url="https://news.example/feed.xml")
    barrier = threading.Barrier(4)
    outcomes, errors = [], []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            outcomes.append(article_ingest(data=data(), source=source, feed=feed, guid="same").outcome)
        except Exception as exc:  # collected and asserted below, so a failure is visible
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes).count(IngestOutcome.CREATED) == 1
    assert Article.objects.count() == 1 and FeedItem.objects.count() == 1


@pytest.mark.django_db
def test_pipeline_dispatch_queues_the_analysis_task_after_commit(django_capture_on_commit_callbacks):
    from tracker.news.services import pipeline_dispatch

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = pipeline_dispatch()
    assert queued is True and len(callbacks) == 1
