"""Reads of the organisation registry."""

from __future__ import annotations

from tracker.companies.models import Company


def state_body_countries() -> dict[int, int]:
    """Government body or regulator id -> its country's jurisdiction id: a body named in a text
    places the story in its country."""
    return dict(
        Company.objects.filter(
            kind__in=[Company.Kind.GOVERNMENT_BODY, Company.Kind.REGULATOR], country__isnull=False
        ).values_list("id", "country_id")
    )
