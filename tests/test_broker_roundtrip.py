"""A feed poll through the real broker: the task runs in a separate Celery worker process.

CI starts the worker with SCRAPER_ALLOWED_HOSTS=127.0.0.1,localhost so it may fetch from this
test's local server; the worker uses the same (test) database.
"""

import pytest

from tests.sources.http_server import RSS, FixtureServer, article_page, rss
from tracker.news.models import Article
from tracker.sources.models import Feed, FetchLog, Source
from tracker.sources.tasks import feed_poll_task


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_feed_poll_task_through_the_worker_stores_articles():
    server = FixtureServer()
    try:
        urls = []
        for n in range(2):
            url = server.url(f"/news/{n}")
            server.add(f"/news/{n}", article_page(title=f"Broker story {n}", url=url))
            urls.append(url)
        feed_url = server.add(
            "/feed.xml",
            rss([{"link": u, "title": f"Broker story {n}"} for n, u in enumerate(urls)]),
            content_type=RSS,
        )
        source = Source.objects.create(name="Broker Times", slug="broker-times", domain="127.0.0.1")
        feed = Feed.objects.create(source=source, url=feed_url)

        outcome = feed_poll_task.delay(feed.id).get(timeout=60)

        assert outcome["ok"], outcome
        assert outcome["new"] == 2
        assert set(Article.objects.values_list("canonical_url", flat=True)) == set(urls)
        assert FetchLog.objects.filter(feed=feed, ok=True).count() == 1
        assert server.hits("/feed.xml") == 1
    finally:
        server.close()
