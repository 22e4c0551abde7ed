"""Parsing of the timeline/feed/API filters from a query string.

One parser serves the HTML timeline, the feeds and the JSON API, so a filtered URL means the same
thing everywhere and every bad value gets the same clear message.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Model
from django.http import QueryDict

from tracker.companies.models import Company
from tracker.events.models import Topic
from tracker.jurisdictions.models import Jurisdiction
from tracker.sources.models import Source
from tracker.web.prepared import prepared

# Longest search query accepted: longer input is a paste accident, not a search.
MAX_QUERY_LENGTH = 200


class FilterError(ValueError):
    """A filter value the user gave that we cannot use; the message is shown to them."""


@dataclass(frozen=True)
class Cursor:
    """Keyset position on the timeline: the last (event_date, id) seen. A None date sorts last."""

    event_date: dt.date | None
    id: int

    def encode(self) -> str:
        raw = f"{self.event_date.isoformat() if self.event_date else 'none'}:{self.id}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        try:
            padded = token + "=" * (-len(token) % 4)
            raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
            date_part, id_part = raw.split(":", 1)
            event_date = None if date_part == "none" else dt.date.fromisoformat(date_part)
            return cls(event_date=event_date, id=int(id_part))
        except (ValueError, UnicodeError, binascii.Error):
            raise FilterError(
                "The 'cursor' value is not one this site produced; start again from the first page."
            ) from None


@dataclass
class EventFilters:
    jurisdiction: Jurisdiction | None = None
    company: Company | None = None
    topic: Topic | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    source_kind: str = ""
    query: str = ""
    cursor: Cursor | None = None
    # The raw values, so forms can be re-filled and links rebuilt.
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return any(
            (
                self.jurisdiction,
                self.company,
                self.topic,
                self.date_from,
                self.date_to,
                self.source_kind,
                self.query,
            )
        )

    def querystring(self, **overrides: str) -> str:
        """The filter part of a URL (without the cursor unless given), for links and feeds."""
        params = {k: v for k, v in self.raw.items() if v and k != "cursor"}
        params.update({k: v for k, v in overrides.items() if v})
        query = QueryDict(mutable=True)
        for key in sorted(params):
            query[key] = params[key]
        return query.urlencode()


FILTER_KEYS = ("jurisdiction", "company", "topic", "from", "to", "source_kind", "q", "cursor")


def _parse_date(name: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"'{name}' must be a date written YYYY-MM-DD; got {value[:40]!r}.") from None


# Stands for a slug while a lookup is compiled (web/prepared.py); never sent to the database.
_SLUG = "tracker-filter-slug-placeholder"


def _by_slug(model: type[Model], slug: str) -> Model | None:
    """The row with this slug, or None: the same query for every request, compiled once."""
    found = prepared(
        f"filter:{model._meta.label}", lambda: model.objects.filter(slug=_SLUG).order_by("pk")[:1], (_SLUG,)
    ).run(slug)
    return found[0] if found else None


# The filters that name a row by its slug: the model, and what the error calls it.
SLUG_FILTERS: dict[str, tuple[type[Model], str]] = {
    "jurisdiction": (Jurisdiction, "jurisdiction"),
    "company": (Company, "company or organisation"),
    "topic": (Topic, "topic"),
}


def slug_filter_value(name: str, slug: str) -> Model:
    """The row the slug filter `name` (a key of SLUG_FILTERS) names. Raises FilterError."""
    model, what = SLUG_FILTERS[name]
    found = _by_slug(model, slug)
    if found is None:
        raise FilterError(f"No {what} is called {slug[:80]!r}.")
    return found


def parse_event_filters(params: QueryDict, *, allow_cursor: bool = True) -> EventFilters:
    """Read filters from GET parameters. Unknown slugs and malformed values raise FilterError."""
    raw = {key: params.get(key, "").strip() for key in FILTER_KEYS}
    filters = EventFilters(raw=raw)
    for name in SLUG_FILTERS:
        if raw[name]:
            setattr(filters, name, slug_filter_value(name, raw[name]))
    if raw["from"]:
        filters.date_from = _parse_date("from", raw["from"])
    if raw["to"]:
        filters.date_to = _parse_date("to", raw["to"])
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise FilterError("'from' is after 'to'; swap the two dates.")
    if raw["source_kind"]:
        if raw["source_kind"] not in Source.Kind.values:
            kinds = ", ".join(Source.Kind.values)
            raise FilterError(f"'source_kind' must be one of {kinds}; got {raw['source_kind'][:40]!r}.")
        filters.source_kind = raw["source_kind"]
    if len(raw["q"]) > MAX_QUERY_LENGTH:
        raise FilterError(f"The search query is longer than {MAX_QUERY_LENGTH} characters.")
    filters.query = raw["q"]
    if raw["cursor"]:
        if not allow_cursor:
            raise FilterError("'cursor' is not accepted here.")
        filters.cursor = Cursor.decode(raw["cursor"])
    return filters
