"""A feed poll through the real broker: the task runs in a separate Celery worker process.

CI starts the worker with SCRAPER_ALLOWED_HOSTS=127.0.0.1,localhost so it may fetch from this
test's local server; the worker uses the same (test) database.

The poll queues the analysis pipeline, which runs in the worker too. The test waits for it to
cluster the articles and for the worker to go idle: pytest-django empties every table after a
transactional test, and a task still writing then can deadlock with that and fail the run.
"""

import time

import pytest
from celery import current_app
from kombu.exceptions import ChannelError

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

        assert _wait_until(lambda: not Article.objects.filter(event__isnull=True).exists()), (
            "the pipeline queued by the poll did not put both articles in an event"
        )
    finally:
        _wait_until(_worker_idle)
        server.close()


def _wait_until(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _worker_idle() -> bool:
    queue = current_app.conf.task_default_queue
    with current_app.connection_for_read() as connection:
        try:
            waiting = connection.default_channel.queue_declare(queue=queue, passive=True).message_count
        except ChannelError:  # Redis keeps no empty queue: not found means none waiting
            waiting = 0
    if waiting:
        return False
    inspect = current_app.control.inspect(timeout=1.0)
    busy = [inspect.active(), inspect.reserved(), inspect.scheduled()]
    if any(replies is None for replies in busy):  # no worker answered: nothing can be running
        return True
    return not any(tasks for replies in busy for tasks in replies.values())
