"""Reads of claims shared by event pages, company pages, feeds, the API and exports."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from tracker.claims.models import Claim, ClaimArticle
from tracker.companies.models import Company
from tracker.events.models import Event


def _carriers() -> Prefetch:
    # Originals before copies, then by publication: the first carrier is the one to show.
    articles = ClaimArticle.objects.select_related("article__source").order_by(
        "article__copy_of_id", "article__published_at", "id"
    )
    return Prefetch("carriers", queryset=articles)


def claim_list_for_event(*, event: Event) -> QuerySet[Claim]:
    """An event's claims, best corroborated first, with carriers, companies and reporters loaded."""
    return (
        Claim.objects.filter(event=event)
        .select_related("attributed_to", "original_reporter")
        .prefetch_related(_carriers(), "about_companies")
        .order_by("-independent_source_count", "-article_count", "kind", "id")
    )


def claim_list_for_events(*, events: list[Event]) -> dict[int, list[Claim]]:
    """Claims of many events in three queries, grouped by event id (for timelines and exports)."""
    grouped: dict[int, list[Claim]] = {event.pk: [] for event in events}
    claims = (
        Claim.objects.filter(event__in=events)
        .select_related("attributed_to", "original_reporter")
        .prefetch_related(_carriers())
        .order_by("event_id", "-independent_source_count", "-article_count", "kind", "id")
    )
    for claim in claims:
        grouped[claim.event_id].append(claim)
    return grouped


def claim_list_for_company(*, company: Company, limit: int = 100) -> list[Claim]:
    """Claims made by or about a company, newest first."""
    ids = (
        Claim.objects.filter(Q(attributed_to=company) | Q(about_companies=company))
        .values_list("pk", flat=True)
        .distinct()
    )
    return list(
        Claim.objects.filter(pk__in=ids)
        .select_related("attributed_to", "original_reporter", "event")
        .prefetch_related(_carriers())
        .order_by("-first_seen_at", "-id")[:limit]
    )
