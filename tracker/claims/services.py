"""Writes for claims: extraction per article, linking and corroboration per event."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.events.models import Event
    from tracker.news.models import Article


def claims_extract_for_article(*, article: Article) -> None:
    """Replace this article's citations and claim links with what its text says now.

    Idempotent. Call after the article's company mentions are stored.
    """


def claims_refresh_for_event(*, event: Event) -> None:
    """Link and merge claims across the event's articles and recompute corroboration and status.

    Call after the event's articles are clustered and copies are marked.
    """
