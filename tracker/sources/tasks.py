"""Celery tasks for polling feeds. Thin: ids in, one service call; safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from tracker.news.services import pipeline_dispatch
from tracker.sources.models import Feed
from tracker.sources.services import feed_poll, feeds_claim_due, fetch_logs_prune


@shared_task(name="tracker.sources.tasks.feed_poll_task")
def feed_poll_task(feed_id: int) -> dict:
    """Poll one feed; when it brought new or changed articles, queue the analysis pipeline."""
    feed = Feed.objects.select_related("source").filter(pk=feed_id, active=True).first()
    if feed is None:  # deleted or deactivated since it was queued
        return {"feed_id": feed_id, "skipped": True}
    result = feed_poll(feed=feed)
    if result.changed:
        pipeline_dispatch()
    return {
        "feed_id": feed_id,
        "ok": result.ok,
        "status": result.status,
        "new": result.new,
        "updated": result.updated,
        "error": result.error,
    }


@shared_task(name="tracker.sources.tasks.feeds_poll_due")
def feeds_poll_due() -> int:
    """Queue a poll for every due feed. Due-ness is each feed's next_fetch_at, so this can run
    every minute; a claimed feed is not queued again until its poll has run or its lease ended."""
    feed_ids = feeds_claim_due()
    for feed_id in feed_ids:
        transaction.on_commit(lambda feed_id=feed_id: feed_poll_task.delay(feed_id))
    return len(feed_ids)


@shared_task(name="tracker.sources.tasks.fetch_logs_prune")
def fetch_logs_prune_task() -> int:
    return fetch_logs_prune()
