"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for new and updated events, and for new claims.

Every feed takes the timeline's filters (company, jurisdiction, topic, q, from, to, source_kind),
answers conditional GETs (ETag and Last-Modified, 304) and gives each entry a stable tag: URI.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.utils import feedgenerator
from django.views.decorators.http import condition, require_GET

from tracker.claims.models import Claim
from tracker.events.models import Event
from tracker.web import selectors
from tracker.web.caching import cached_response
from tracker.web.filters import EventFilters, FilterError, parse_event_filters
from tracker.web.links import event_url
from tracker.web.sanitize import clean_html, clean_text
from tracker.web.templatetags.web_tags import event_date_display

# Tag URIs (RFC 4151) stay the same whatever host serves the site, so readers never see an entry
# twice after a move. The authority is ours to choose; the date pins it to when it was minted.
TAG_AUTHORITY = getattr(settings, "TRACKER_TAG_AUTHORITY", "ai-policy-tracker.example")
TAG_DATE = "2025"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# An event counts as updated when it changed this long after it was first created.
UPDATED_AFTER = dt.timedelta(minutes=1)


def event_guid(event: Event) -> str:
    return f"tag:{TAG_AUTHORITY},{TAG_DATE}:event:{event.pk}"


def claim_guid(claim: Claim) -> str:
    return f"tag:{TAG_AUTHORITY},{TAG_DATE}:claim:{claim.pk}"


def event_path(event: Event) -> str:
    return event_url(event.pk, event.slug)


def is_updated(event: Event) -> bool:
    return event.updated_at - event.created_at > UPDATED_AFTER


def feed_title(filters: EventFilters) -> str:
    parts = []
    if filters.company:
        parts.append(filters.company.name)
    if filters.jurisdiction:
        parts.append(filters.jurisdiction.name)
    if filters.topic:
        parts.append(filters.topic.name)
    if filters.query:
        parts.append(f"“{filters.query}”")
    return "AI policy events" + (": " + ", ".join(parts) if parts else "")


def event_content_html(event: Event) -> str:
    companies = ", ".join(c.name for c in selectors.event_tags(event, "companies"))
    lines = [
        f"<p>{clean_html(event.summary)}</p>" if event.summary else "",
        f"<p>Event date: {clean_text(event_date_display(event))}. "
        f"{event.article_count} articles from {event.independent_source_count} independent sources.</p>",
        f"<p>Companies: {clean_text(companies)}</p>" if companies else "",
    ]
    if is_updated(event):
        lines.append(f"<p>Updated {event.updated_at:%Y-%m-%d %H:%M} UTC.</p>")
    return clean_html("".join(lines))


def claim_content_html(claim: Claim) -> str:
    who = claim.attributed_to.name if claim.attributed_to else claim.attributed_to_name or "unattributed"
    return clean_html(
        f"<p>{clean_text(claim.text)}</p><p>Said by {clean_text(who)}. Status: {claim.get_status_display()}; "
        f"carried by {claim.independent_source_count} independent sources.</p>"
    )


# --- conditional GET --------------------------------------------------------------------------------


def _cached(request: HttpRequest, key: str, compute: Callable[[], dt.datetime | None]):
    """Compute the feed's last change once per request (ETag and Last-Modified both need it)."""
    store = request.__dict__.setdefault("_feed_state", {})
    if key not in store:
        try:
            store[key] = compute()
        except FilterError:
            store[key] = None
    return store[key]


def request_filters(request: HttpRequest) -> EventFilters:
    """The feed filters of this request, parsed (with their slug lookups) once: the conditional-GET
    check and the feed body both need them. Raises FilterError."""
    store = request.__dict__.setdefault("_feed_state", {})
    if "filters" not in store:
        try:
            store["filters"] = parse_event_filters(request.GET, allow_cursor=False)
        except FilterError as exc:
            store["filters"] = exc
    if isinstance(store["filters"], FilterError):
        raise store["filters"]
    return store["filters"]


def _events_last_modified(request: HttpRequest, *args, **kwargs) -> dt.datetime | None:
    return _cached(request, "events", lambda: selectors.feed_events_last_modified(request_filters(request)))


def _claims_last_modified(request: HttpRequest, *args, **kwargs) -> dt.datetime | None:
    return _cached(request, "claims", selectors.feed_claims_last_modified)


def _etag(last_modified_func: Callable) -> Callable:
    def etag(request: HttpRequest, *args, **kwargs) -> str | None:
        latest = last_modified_func(request)
        if latest is None:
            return None
        # The representation differs by path (format) and query (filters), not only by data.
        key = f"{request.path}?{request.GET.urlencode()}|{latest.isoformat()}"
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    return etag


def _bad_filter(exc: FilterError) -> HttpResponse:
    return HttpResponseBadRequest(f"Bad feed filter: {exc}\n", content_type="text/plain; charset=utf-8")


# --- RSS and Atom -----------------------------------------------------------------------------------


class EventsRssFeed(Feed):
    feed_type = feedgenerator.Rss201rev2Feed
    # Atom requires an author on the feed when entries carry none.
    author_name = "AI Policy Tracker"
    description = "New and updated AI-policy events: export controls, chip rules, API access, regulation."

    def get_object(self, request: HttpRequest, *args, **kwargs) -> EventFilters:
        self.request = request
        return request_filters(request)

    def title(self, filters: EventFilters) -> str:
        return feed_title(filters)

    def link(self, filters: EventFilters) -> str:
        query = filters.querystring()
        return reverse("web:timeline") + (f"?{query}" if query else "")

    def feed_url(self, filters: EventFilters) -> str:
        query = filters.querystring()
        return self.request.path + (f"?{query}" if query else "")

    def items(self, filters: EventFilters) -> list[Event]:
        return selectors.feed_events(filters)

    def item_title(self, item: Event) -> str:
        return clean_text(("Updated: " if is_updated(item) else "") + item.title)

    def item_description(self, item: Event) -> str:
        return event_content_html(item)

    def item_link(self, item: Event) -> str:
        return event_path(item)

    def item_guid(self, item: Event) -> str:
        return event_guid(item)

    item_guid_is_permalink = False

    def item_pubdate(self, item: Event) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item: Event) -> dt.datetime:
        return item.updated_at

    def item_categories(self, item: Event) -> list[str]:
        return [topic.name for topic in selectors.event_tags(item, "topics")] + (
            ["updated"] if is_updated(item) else []
        )


class EventsAtomFeed(EventsRssFeed):
    feed_type = feedgenerator.Atom1Feed

    def subtitle(self, filters: EventFilters) -> str:
        return self.description


class ClaimsRssFeed(Feed):
    feed_type = feedgenerator.Rss201rev2Feed
    author_name = "AI Policy Tracker"
    title = "AI policy claims"
    description = (
        "New claims found in AI-policy coverage, with who made them and how many sources carry them."
    )
    item_guid_is_permalink = False

    def get_object(self, request: HttpRequest, *args, **kwargs) -> None:
        self.request = request
        return None

    def link(self) -> str:
        return reverse("web:timeline")

    def feed_url(self) -> str:
        return self.request.path

    def items(self) -> list[Claim]:
        return selectors.feed_claims()

    def item_title(self, item: Claim) -> str:
        return clean_text(item.text[:200])

    def item_description(self, item: Claim) -> str:
        return claim_content_html(item)

    def item_link(self, item: Claim) -> str:
        return reverse("web:claim", kwargs={"claim_id": item.pk})

    def item_guid(self, item: Claim) -> str:
        return claim_guid(item)

    def item_pubdate(self, item: Claim) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item: Claim) -> dt.datetime:
        return item.updated_at


class ClaimsAtomFeed(ClaimsRssFeed):
    feed_type = feedgenerator.Atom1Feed

    def subtitle(self) -> str:
        return self.description


def _syndication_view(feed: Feed, last_modified_func: Callable) -> Callable:
    @require_GET
    @condition(etag_func=_etag(last_modified_func), last_modified_func=last_modified_func)
    @cached_response
    def view(request: HttpRequest) -> HttpResponse:
        try:
            return feed(request)
        except FilterError as exc:
            return _bad_filter(exc)

    return view


feed_events_rss = _syndication_view(EventsRssFeed(), _events_last_modified)
feed_events_atom = _syndication_view(EventsAtomFeed(), _events_last_modified)
feed_claims_rss = _syndication_view(ClaimsRssFeed(), _claims_last_modified)
feed_claims_atom = _syndication_view(ClaimsAtomFeed(), _claims_last_modified)


# --- JSON Feed 1.1 ----------------------------------------------------------------------------------


def _rfc3339(value: dt.datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


class JsonFeedResponse(JsonResponse):
    def __init__(self, data: dict, **kwargs) -> None:
        super().__init__(
            data,
            content_type="application/feed+json; charset=utf-8",
            json_dumps_params={"ensure_ascii": False},
            **kwargs,
        )


def _json_feed(request: HttpRequest, *, title: str, description: str, home: str, items: list[dict]) -> dict:
    feed_url = request.build_absolute_uri(request.get_full_path())
    return {
        "version": JSON_FEED_VERSION,
        "title": title,
        "home_page_url": request.build_absolute_uri(home),
        "feed_url": feed_url,
        "description": description,
        "language": "en",
        "items": items,
    }


@require_GET
@condition(etag_func=_etag(_events_last_modified), last_modified_func=_events_last_modified)
@cached_response
def feed_events_json(request: HttpRequest) -> HttpResponse:
    try:
        filters = request_filters(request)
    except FilterError as exc:
        return _bad_filter(exc)
    items = []
    for event in selectors.feed_events(filters):
        item = {
            "id": event_guid(event),
            "url": request.build_absolute_uri(event_path(event)),
            "title": clean_text(event.title),
            "content_html": event_content_html(event),
            "summary": clean_text(event.summary)[:500] if event.summary else clean_text(event.title),
            "date_published": _rfc3339(event.created_at),
            "date_modified": _rfc3339(event.updated_at),
            "tags": [topic.name for topic in selectors.event_tags(event, "topics")],
        }
        if event.first_reported_by:
            item["authors"] = [{"name": event.first_reported_by.name}]
        items.append(item)
    query = filters.querystring()
    data = _json_feed(
        request,
        title=feed_title(filters),
        description=EventsRssFeed.description,
        home=reverse("web:timeline") + (f"?{query}" if query else ""),
        items=items,
    )
    return JsonFeedResponse(data)


@require_GET
@condition(etag_func=_etag(_claims_last_modified), last_modified_func=_claims_last_modified)
@cached_response
def feed_claims_json(request: HttpRequest) -> HttpResponse:
    items = [
        {
            "id": claim_guid(claim),
            "url": request.build_absolute_uri(reverse("web:claim", kwargs={"claim_id": claim.pk})),
            "title": clean_text(claim.text[:200]),
            "content_html": claim_content_html(claim),
            "date_published": _rfc3339(claim.created_at),
            "date_modified": _rfc3339(claim.updated_at),
            "tags": [claim.get_kind_display(), claim.get_status_display()],
        }
        for claim in selectors.feed_claims()
    ]
    data = _json_feed(
        request,
        title=ClaimsRssFeed.title,
        description=ClaimsRssFeed.description,
        home=reverse("web:timeline"),
        items=items,
    )
    return JsonFeedResponse(data)
