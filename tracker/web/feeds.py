"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for new and updated events, and for new claims.

Every feed takes the timeline's filters (company, jurisdiction, topic, q, from, to, source_kind),
answers conditional GETs (ETag and Last-Modified, 304) and gives each entry a stable tag: URI.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import format_datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.html import escape
from django.views.decorators.http import condition, require_GET

from tracker.claims.models import Claim
from tracker.events.models import Event
from tracker.web import selectors
from tracker.web.caching import cached_fragment, cached_response, with_data_version
from tracker.web.filters import EventFilters, FilterError, parse_event_filters
from tracker.web.glossary import INDEPENDENT_SOURCES_MEANING
from tracker.web.links import claim_url, event_url, page_url
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


def claim_path(claim_id: int) -> str:
    return claim_url(claim_id)


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
    return EVENTS_TITLE + (": " + ", ".join(parts) if parts else "")


def event_content_html(event: Event) -> str:
    """The entry's HTML: the outlet-provided summary through the sanitiser, our own facts escaped
    (one sanitiser pass per entry rather than one per part and another over the whole)."""
    companies = ", ".join(c.name for c in selectors.event_tags(event, "companies"))
    lines = [
        f"<p>{clean_html(event.summary)}</p>" if event.summary else "",
        f"<p>Event date: {escape(event_date_display(event))}. "
        f"{event.article_count} articles; {event.independent_source_count} independent sources "
        f"({escape(INDEPENDENT_SOURCES_MEANING)}).</p>",
        f"<p>Companies: {escape(companies)}</p>" if companies else "",
    ]
    if is_updated(event):
        lines.append(f"<p>Updated {event.updated_at:%Y-%m-%d %H:%M} UTC.</p>")
    return "".join(lines)


def claim_content_html(claim: Claim) -> str:
    who = claim.attributed_to.name if claim.attributed_to else claim.attributed_to_name or "unattributed"
    return clean_html(
        f"<p>{clean_text(claim.text)}</p><p>Said by {clean_text(who)}. Status: {claim.get_status_display()}; "
        f"carried by {claim.independent_source_count} independent sources.</p>"
    )


# --- conditional GET --------------------------------------------------------------------------------


def _feed_state(request: HttpRequest) -> dict:
    """What this request has worked out already (filters, rows, last change), kept on the request."""
    return request.__dict__.setdefault("_feed_state", {})


def _cached(request: HttpRequest, key: str, compute: Callable[[], dt.datetime | None]):
    """Compute the feed's last change once per request (ETag and Last-Modified both need it)."""
    store = _feed_state(request)
    if key not in store:
        try:
            store[key] = compute()
        except FilterError:
            store[key] = None
    return store[key]


def request_filters(request: HttpRequest) -> EventFilters:
    """The feed filters of this request, parsed (with their slug lookups) once: the conditional-GET
    check and the feed body both need them. Raises FilterError."""
    store = _feed_state(request)
    if "filters" not in store:
        try:
            store["filters"] = parse_event_filters(request.GET, allow_cursor=False)
        except FilterError as exc:
            store["filters"] = exc
    if isinstance(store["filters"], FilterError):
        raise store["filters"]
    return store["filters"]


def request_feed_events(request: HttpRequest) -> list[Event]:
    """The feed's events for this request (list rows: tags and page_url attached), read once: the
    conditional-GET check and the feed body both need them. Raises FilterError."""
    store = _feed_state(request)
    if "rows" not in store:
        store["rows"] = selectors.feed_events(request_filters(request))
    return store["rows"]


def _events_last_modified(request: HttpRequest, *args, **kwargs) -> dt.datetime | None:
    # Kept per data version and filter set: a repeated poll then costs no filter lookups. Worked
    # out from the feed's own rows (newest change first, so the first row holds the latest change)
    # rather than by a second query over the filtered events: a changed feed needs those rows
    # anyway, and the answer is the same.
    return _cached(
        request,
        "events",
        lambda: cached_fragment(
            "feed-events-last-modified",
            str(sorted(request.GET.lists())),
            lambda: next((event.updated_at for event in request_feed_events(request)), None),
        ),
    )


def _claims_last_modified(request: HttpRequest, *args, **kwargs) -> dt.datetime | None:
    return _cached(
        request,
        "claims",
        lambda: cached_fragment("feed-claims-last-modified", "", selectors.feed_claims_last_modified),
    )


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

EVENTS_TITLE = "AI policy events"
EVENTS_DESCRIPTION = "New and updated AI-policy events: export controls, chip rules, API access, regulation."
CLAIMS_TITLE = "AI policy claims"
CLAIMS_DESCRIPTION = (
    "New claims found in AI-policy coverage, with who made them and how many sources carry them."
)
# Atom requires an author on the feed when entries carry none.
FEED_AUTHOR = "AI Policy Tracker"
RSS_CONTENT_TYPE = "application/rss+xml; charset=utf-8"
ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"

# Characters XML 1.0 does not allow at all (the sanitiser keeps them, as HTML tolerates them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    """Text or attribute value for XML: forbidden characters dropped, markup characters escaped."""
    return (
        _NOT_XML.sub("", text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


@dataclass(slots=True)
class Entry:
    guid: str
    title: str
    link: str  # absolute
    html: str  # sanitised already
    published: dt.datetime
    updated: dt.datetime
    categories: list[str]


@dataclass(slots=True)
class FeedDoc:
    title: str
    description: str
    link: str  # absolute: the page the feed follows
    self_url: str  # absolute: the feed itself
    entries: list[Entry]

    @property
    def updated(self) -> dt.datetime:
        # An empty feed still needs a date; "now" is what Django's generator said too.
        return max((e.updated for e in self.entries), default=None) or dt.datetime.now(dt.UTC)


def rss_xml(doc: FeedDoc, language: str) -> str:
    """RSS 2.0, built as one string: a feed is 50 items of a few fields, and the generic generator
    (a SAX writer and a dict per item) cost more than the queries behind them."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0"><channel>'
        f"<title>{_x(doc.title)}</title><link>{_x(doc.link)}</link>"
        f"<description>{_x(doc.description)}</description>"
        f'<atom:link href="{_x(doc.self_url)}" rel="self"></atom:link>'
        f"<language>{_x(language)}</language>"
        f"<lastBuildDate>{format_datetime(doc.updated)}</lastBuildDate>"
    ]
    for e in doc.entries:
        categories = "".join(f"<category>{_x(c)}</category>" for c in e.categories)
        parts.append(
            f"<item><title>{_x(e.title)}</title><link>{_x(e.link)}</link>"
            f"<description>{_x(e.html)}</description><pubDate>{format_datetime(e.published)}</pubDate>"
            f'<guid isPermaLink="false">{_x(e.guid)}</guid>{categories}</item>'
        )
    parts.append("</channel></rss>")
    return "".join(parts)


def atom_xml(doc: FeedDoc, language: str) -> str:
    """Atom 1.0 (RFC 4287), built as one string like rss_xml."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{_x(language)}">'
        f'<title>{_x(doc.title)}</title><link href="{_x(doc.link)}" rel="alternate"></link>'
        f'<link href="{_x(doc.self_url)}" rel="self"></link><id>{_x(doc.link)}</id>'
        f"<updated>{doc.updated.isoformat()}</updated>"
        f"<author><name>{_x(FEED_AUTHOR)}</name></author><subtitle>{_x(doc.description)}</subtitle>"
    ]
    for e in doc.entries:
        categories = "".join(f'<category term="{_x(c)}"></category>' for c in e.categories)
        parts.append(
            f'<entry><title>{_x(e.title)}</title><link href="{_x(e.link)}" rel="alternate"></link>'
            f"<published>{e.published.isoformat()}</published><updated>{e.updated.isoformat()}</updated>"
            f'<id>{_x(e.guid)}</id><summary type="html">{_x(e.html)}</summary>{categories}</entry>'
        )
    parts.append("</feed>")
    return "".join(parts)


def _site(request: HttpRequest) -> str:
    """scheme://host of this request, to make feed links absolute."""
    return f"{request.scheme}://{request.get_host()}"


def _xml_response(doc: FeedDoc, kind: str) -> HttpResponse:
    language = settings.LANGUAGE_CODE.lower()
    if kind == "rss":
        return HttpResponse(rss_xml(doc, language), content_type=RSS_CONTENT_TYPE)
    return HttpResponse(atom_xml(doc, language), content_type=ATOM_CONTENT_TYPE)


def _events_doc(request: HttpRequest, filters: EventFilters) -> FeedDoc:
    site = _site(request)
    query = filters.querystring()
    suffix = f"?{query}" if query else ""
    entries = []
    for event in request_feed_events(request):
        updated = is_updated(event)
        topics = [topic.name for topic in selectors.event_tags(event, "topics")]
        entries.append(
            Entry(
                guid=event_guid(event),
                title=clean_text(("Updated: " if updated else "") + event.title),
                link=site + event.page_url,
                html=event_content_html(event),
                published=event.created_at,
                updated=event.updated_at,
                categories=topics + (["updated"] if updated else []),
            )
        )
    return FeedDoc(
        title=feed_title(filters),
        description=EVENTS_DESCRIPTION,
        link=site + page_url("web:timeline") + suffix,
        self_url=site + request.path + suffix,
        entries=entries,
    )


def _claims_doc(request: HttpRequest) -> FeedDoc:
    site = _site(request)
    entries = [
        Entry(
            guid=claim_guid(claim),
            title=clean_text(claim.text[:200]),
            link=site + claim_path(claim.pk),
            html=claim_content_html(claim),
            published=claim.created_at,
            updated=claim.updated_at,
            categories=[],
        )
        for claim in selectors.feed_claims()
    ]
    return FeedDoc(
        title=CLAIMS_TITLE,
        description=CLAIMS_DESCRIPTION,
        link=site + page_url("web:timeline"),
        self_url=site + request.path,
        entries=entries,
    )


def _events_xml_view(kind: str) -> Callable:
    @with_data_version
    @require_GET
    @condition(etag_func=_etag(_events_last_modified), last_modified_func=_events_last_modified)
    @cached_response
    def view(request: HttpRequest) -> HttpResponse:
        try:
            filters = request_filters(request)
        except FilterError as exc:
            return _bad_filter(exc)
        return _xml_response(_events_doc(request, filters), kind)

    return view


def _claims_xml_view(kind: str) -> Callable:
    @with_data_version
    @require_GET
    @condition(etag_func=_etag(_claims_last_modified), last_modified_func=_claims_last_modified)
    @cached_response
    def view(request: HttpRequest) -> HttpResponse:
        return _xml_response(_claims_doc(request), kind)

    return view


feed_events_rss = _events_xml_view("rss")
feed_events_atom = _events_xml_view("atom")
feed_claims_rss = _claims_xml_view("rss")
feed_claims_atom = _claims_xml_view("atom")


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


@with_data_version
@require_GET
@condition(etag_func=_etag(_events_last_modified), last_modified_func=_events_last_modified)
@cached_response
def feed_events_json(request: HttpRequest) -> HttpResponse:
    try:
        filters = request_filters(request)
    except FilterError as exc:
        return _bad_filter(exc)
    items = []
    for event in request_feed_events(request):
        item = {
            "id": event_guid(event),
            "url": request.build_absolute_uri(event.page_url),
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
        description=EVENTS_DESCRIPTION,
        home=page_url("web:timeline") + (f"?{query}" if query else ""),
        items=items,
    )
    return JsonFeedResponse(data)


@with_data_version
@require_GET
@condition(etag_func=_etag(_claims_last_modified), last_modified_func=_claims_last_modified)
@cached_response
def feed_claims_json(request: HttpRequest) -> HttpResponse:
    items = [
        {
            "id": claim_guid(claim),
            "url": request.build_absolute_uri(claim_path(claim.pk)),
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
        title=CLAIMS_TITLE,
        description=CLAIMS_DESCRIPTION,
        home=page_url("web:timeline"),
        items=items,
    )
    return JsonFeedResponse(data)
