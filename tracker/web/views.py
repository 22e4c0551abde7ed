"""Dashboard pages: server-rendered, no JavaScript needed."""

from __future__ import annotations

from operator import attrgetter

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tracker.events.models import Event
from tracker.sources.models import Source
from tracker.web import selectors
from tracker.web.caching import cached_fragment, cached_response
from tracker.web.charts import bar_chart, dot_timeline
from tracker.web.filters import EventFilters, FilterError, parse_event_filters
from tracker.web.links import page_url


def _feed_links(querystring: str, title: str) -> list[dict]:
    """<link rel="alternate"> entries for a page whose events feed takes `querystring`."""
    suffix = f"?{querystring}" if querystring else ""
    return [
        {
            "type": "application/rss+xml",
            "title": f"{title} (RSS)",
            "href": page_url("web:feed_events_rss") + suffix,
        },
        {
            "type": "application/atom+xml",
            "title": f"{title} (Atom)",
            "href": page_url("web:feed_events_atom") + suffix,
        },
        {
            "type": "application/feed+json",
            "title": f"{title} (JSON Feed)",
            "href": page_url("web:feed_events_json") + suffix,
        },
    ]


@cached_response
def timeline(request: HttpRequest) -> HttpResponse:
    status = 200
    error = ""
    try:
        filters = parse_event_filters(request.GET)
        page = selectors.timeline_page(filters)
        # The same for every page of one filtered timeline: kept per data version.
        chart = cached_fragment(
            "timeline-chart",
            filters.querystring(),
            lambda: bar_chart("Events per month", selectors.filtered_events_by_month(filters)),
        )
        dots = dot_timeline(page.events, attrgetter("page_url"))  # set by the row selector
    except FilterError as exc:
        filters, page, chart, dots, error, status = EventFilters(), None, None, None, str(exc), 400
    feed_query = filters.querystring()
    context = {
        "filters": filters,
        "page": page,
        "chart": chart,
        "dots": dots,
        "error": error,
        "choices": cached_fragment("filter-choices", "", selectors.filter_choices),
        "feed_links": _feed_links(feed_query, "AI policy events"),
        "feed_query": feed_query,
    }
    return render(request, "web/timeline.html", context, status=status)


@cached_response
def event_detail(request: HttpRequest, event_id: int, slug: str = "") -> HttpResponse:
    detail = selectors.event_detail(event_id=event_id)
    canonical = detail.event.slug or "event"
    if slug != canonical:
        # Titles (and so slugs) change as coverage grows; old links keep working.
        return redirect("web:event", event_id=event_id, slug=canonical, permanent=True)
    chart = bar_chart("Articles per day", detail.coverage, by="day")
    return render(
        request,
        "web/event.html",
        {"detail": detail, "event": detail.event, "chart": chart, "date_methods": Event.DateMethod},
    )


@cached_response
def company_detail(request: HttpRequest, slug: str) -> HttpResponse:
    context = selectors.company_detail(slug=slug)
    context["chart"] = bar_chart("Articles naming it per month", context["coverage"])
    context["feed_links"] = _feed_links(f"company={slug}", f"Events involving {context['company'].name}")
    return render(request, "web/company.html", context)


@cached_response
def jurisdiction_detail(request: HttpRequest, slug: str) -> HttpResponse:
    context = selectors.jurisdiction_detail(slug=slug)
    context["chart"] = bar_chart("Articles per month", context["coverage"])
    context["feed_links"] = _feed_links(f"jurisdiction={slug}", f"Events in {context['jurisdiction'].name}")
    return render(request, "web/jurisdiction.html", context)


@cached_response
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    context = selectors.source_detail(slug=slug)
    context["chart"] = bar_chart("Articles per month", context["coverage"])
    return render(request, "web/source.html", context)


@cached_response
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    return render(request, "web/claim.html", selectors.claim_detail(claim_id=claim_id))


@cached_response
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    try:
        filters = parse_event_filters(request.GET, allow_cursor=False)
    except FilterError as exc:
        return render(request, "web/search.html", {"query": query, "error": str(exc)}, status=400)
    results = selectors.search_page_results(query) if query else {}
    feed_query = filters.querystring()
    context = {
        "query": query,
        "results": results,
        "total": sum(len(hits) for hits in results.values()),
        "feed_links": _feed_links(feed_query, f"Events matching “{query}”") if query else [],
        "feed_query": feed_query,
    }
    return render(request, "web/search.html", context)


def feeds_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/feeds.html",
        {"source_kinds": Source.Kind.choices, "feed_links": _feed_links("", "AI policy events")},
    )


def health(request: HttpRequest) -> HttpResponse:
    """A view that touches nothing: the ceiling for bench/bench_web.py."""
    return HttpResponse("ok", content_type="text/plain")
