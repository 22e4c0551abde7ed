"""An event's independent sources: the one rule behind `Event.independent_source_count`.

Both refreshes call this module, so the figure on the timeline, the event page, the feeds and
the API always follows one rule (tracker/claims/README.md, "The event's independent sources"):

- an article speaks as its outlet; a copy speaks as its original's outlet, and outlets of one
  owner group are one voice (`Source.independence_key`);
- an article that carries claims other articles of the event carry too (the story itself)
  speaks as the voices the claims refresh found for it there: its own outlet where it reports
  them, the cited or echoed outlet where it repeats another's report. So four write-ups of one
  report count as that report, which may have no article in the event (Reuters, say).

The claims refresh knows those voices and stores the count of the events whose articles carry
claims; the event refresh stores it for the others (no voices: one per outlet). Pure Python:
no database and no import of either service, so the rule has no part in how the two services
depend on each other (the event refresh calls the claims refresh; the reverse never happens).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.news.models import Article
    from tracker.sources.models import Source


def speaking_outlet(article: Article) -> Source:
    """The outlet an article speaks as: a copy speaks as its original's outlet."""
    return (article.copy_of if article.copy_of_id else article).source


def event_independent_sources(
    *,
    outlets: Mapping[int, str],
    story_voices: Mapping[int, Iterable[str]] | None = None,
    cited_reports: Mapping[int, Iterable[str]] | None = None,
) -> int:
    """How many independent sources an event has.

    `outlets`: every article of the event (id -> the independence key of the outlet it speaks
    as, see `speaking_outlet`). `story_voices`: per article, the voices it gives the claims two
    or more of the event's articles carry; an article with none counts as its outlet.
    `cited_reports`: per article, the outlets whose reports it names for a claim no other article
    carries ("according to Reuters, Nvidia called the rule misguided"); each is an origin of the
    event's coverage too, whatever else the article counts as."""
    story_voices = story_voices or {}
    cited_reports = cited_reports or {}
    keys: set[str] = set()
    for article_id, outlet in outlets.items():
        voices = story_voices.get(article_id)
        if voices:
            keys.update(voices)
        else:
            keys.add(outlet)
        keys.update(cited_reports.get(article_id, ()))
    return len(keys)
