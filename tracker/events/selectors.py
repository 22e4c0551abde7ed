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


def events_for_export(*, chunk_size: int = 200):
    """Every event that holds articles, as plain dicts for the JSON Lines export, newest first.
    Hidden events are included (with their status) so each article appears exactly once."""
    from tracker.claims.models import Claim

    articles = (
        Article.objects.select_related("source", "copy_of")
        .defer("text", "summary", "copy_of__text", "copy_of__summary")
        .order_by("published_at", "id")
    )
    claims = Claim.objects.order_by("-independent_source_count", "id")
    ids = sorted(
        set(Article.objects.filter(event__isnull=False).values_list("event_id", flat=True).distinct()),
        reverse=True,
    )
    for start in range(0, len(ids), chunk_size):
        chunk = (
            Event.objects.filter(pk__in=ids[start : start + chunk_size])
            .prefetch_related(
                Prefetch("articles", queryset=articles),
                Prefetch("claims", queryset=claims),
                "companies",
                "jurisdictions",
                "topics",
            )
            .order_by("-event_date", "-id")
        )
        for event in chunk:
            event_articles = list(event.articles.all())
            if not event_articles:
                continue
            yield {
                "id": event.pk,
                "title": event.title,
                "date": event.event_date.isoformat() if event.event_date else None,
                "date_precision": event.date_precision,
                "date_method": event.date_method,
                "status": event.status,
                "summary": event.summary,
                "companies": sorted(c.name for c in event.companies.all()),
                "jurisdictions": sorted(j.code for j in event.jurisdictions.all()),
                "topics": sorted(t.slug for t in event.topics.all()),
                "independent_sources": event.independent_source_count,
                "articles": [
                    {
                        "url": a.url,
                        "canonical_url": a.canonical_url,
                        "external_id": a.external_id or None,
                        "title": a.title,
                        "source": a.source.name,
                        "published": a.published_at.isoformat() if a.published_at else None,
                        "copy_of": a.copy_of.canonical_url if a.copy_of_id else None,
                        "copy_kind": a.copy_kind or None,
                        "id": a.pk,
                    }
                    for a in event_articles
                ],
                "claims": [
                    {
                        "text": c.text,
                        "kind": c.kind,
                        "status": c.status,
                        "independent_sources": c.independent_source_count,
                    }
                    for c in event.claims.all()
                ],
            }
