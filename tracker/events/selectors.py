"""Reads of events shared by pages, feeds, the API and exports."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from tracker.events.models import Event
from tracker.news.models import Article


def event_list_visible() -> QuerySet[Event]:
    """Visible events (not hidden, not merged away), newest event date first."""
    return (
        Event.objects.filter(merged_into__isnull=True)
        .exclude(status=Event.Status.HIDDEN)
        .select_related("first_reported_by")
        .order_by("-event_date", "-id")
    )


def event_list_with_articles(*, limit: int = 50) -> list[Event]:
    """Visible events with their articles (originals first, then by publication) in two queries."""
    articles = Article.objects.select_related("source").order_by("copy_of_id", "published_at", "id")
    return list(event_list_visible().prefetch_related(Prefetch("articles", queryset=articles))[:limit])
