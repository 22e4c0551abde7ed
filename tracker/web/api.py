"""Read-only JSON API under /api/. Stable shapes; errors are JSON with a message a person can act on."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from tracker.claims.models import Claim
from tracker.companies.models import Company
from tracker.events.models import Event
from tracker.news.models import Article
from tracker.web import selectors
from tracker.web.caching import cached_response
from tracker.web.feeds import event_path
from tracker.web.filters import FilterError, parse_event_filters, slug_filter_value
from tracker.web.links import claim_url, page_url, slug_url
from tracker.web.search import search_model

# Items per page on list endpoints without a keyset on dates.
API_PAGE_SIZE = 50


def error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": {"status": status, "message": message}}, status=status)


def api_view(func: Callable) -> Callable:
    """GET only; bad filters become 400 and missing objects 404, both as JSON."""

    cached = cached_response(func)

    @require_GET
    @wraps(cached)  # carries cached_response's mark, so ResponseCacheMiddleware serves it
    def wrapper(request: HttpRequest, *args, **kwargs) -> JsonResponse:
        try:
            return cached(request, *args, **kwargs)
        except FilterError as exc:
            return error(400, str(exc))
        except Http404:
            return error(404, "Not found.")

    return wrapper


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def ref(obj, *fields: str) -> dict | None:
    return {name: getattr(obj, name) for name in fields} if obj is not None else None


def event_json(request: HttpRequest, event: Event) -> dict:
    return {
        "id": event.pk,
        "title": event.title,
        "slug": event.slug,
        "summary": event.summary,
        "url": request.build_absolute_uri(event_path(event)),
        "event_date": _iso(event.event_date),
        "date_precision": event.date_precision,
        "date_method": event.date_method,
        "article_count": event.article_count,
        "independent_source_count": event.independent_source_count,
        "first_reported_at": _iso(event.first_reported_at),
        "first_reported_by": ref(event.first_reported_by, "slug", "name"),
        "companies": [ref(c, "slug", "name") for c in selectors.event_tags(event, "companies")],
        "jurisdictions": [
            ref(j, "code", "slug", "name") for j in selectors.event_tags(event, "jurisdictions")
        ],
        "topics": [ref(t, "slug", "name") for t in selectors.event_tags(event, "topics")],
        "created_at": _iso(event.created_at),
        "updated_at": _iso(event.updated_at),
    }


def claim_json(request: HttpRequest, claim: Claim) -> dict:
    return {
        "id": claim.pk,
        "text": claim.text,
        "kind": claim.kind,
        "status": claim.status,
        "attributed_to": ref(claim.attributed_to, "slug", "name"),
        "attributed_to_name": claim.attributed_to_name,
        "value": str(claim.value) if claim.value is not None else None,
        "unit": claim.unit,
        "measure": claim.measure,
        "event_id": claim.event_id,
        "independent_source_count": claim.independent_source_count,
        "article_count": claim.article_count,
        "url": request.build_absolute_uri(claim_url(claim.pk)),
        "created_at": _iso(claim.created_at),
        "updated_at": _iso(claim.updated_at),
    }


def article_json(article: Article) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "url": article.canonical_url,
        "source": ref(article.source, "slug", "name"),
        "published_at": _iso(article.published_at),
        "copy_of": article.copy_of_id,
        "copy_kind": article.copy_kind,
        "event_id": article.event_id,
    }


def company_json(request: HttpRequest, company: Company) -> dict:
    return {
        "slug": company.slug,
        "name": company.name,
        "kind": company.kind,
        "country": company.country.code if company.country else None,
        "website": company.website,
        "url": request.build_absolute_uri(slug_url("web:company", company.slug)),
    }


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise FilterError(f"'{name}' must be a positive whole number; got {raw[:40]!r}.")
    return int(raw)


@api_view
def events(request: HttpRequest) -> JsonResponse:
    filters = parse_event_filters(request.GET)
    page = selectors.timeline_page(filters)
    next_cursor = page.next_cursor.encode() if page.next_cursor else None
    next_url = None
    if next_cursor:
        next_url = request.build_absolute_uri(
            page_url("web:api_events") + "?" + filters.querystring(cursor=next_cursor)
        )
    return JsonResponse(
        {
            "results": [event_json(request, e) for e in page.events],
            "next_cursor": next_cursor,
            "next": next_url,
        }
    )


@api_view
def event(request: HttpRequest, event_id: int) -> JsonResponse:
    detail = selectors.event_detail(event_id=event_id)
    data = event_json(request, detail.event)
    data["date_evidence"] = detail.event.date_evidence
    data["articles"] = [article_json(a) for group in detail.groups for a in [group.original, *group.copies]]
    data["claims"] = [claim_json(request, c) for c in detail.claims]
    data["relations"] = [
        {
            "from": ref(r.from_company, "slug", "name"),
            "kind": r.kind,
            "to": ref(r.to_company, "slug", "name"),
            "jurisdiction": r.jurisdiction.code if r.jurisdiction else None,
        }
        for r in detail.relations
    ]
    return JsonResponse(data)


@api_view
def companies(request: HttpRequest) -> JsonResponse:
    """Companies by id (a stable keyset): ?after=<last id seen>."""
    after = _int_param(request, "after")
    qs = Company.objects.select_related("country").order_by("id")
    if after is not None:
        qs = qs.filter(id__gt=after)
    rows = list(qs[: API_PAGE_SIZE + 1])
    more = len(rows) > API_PAGE_SIZE
    rows = rows[:API_PAGE_SIZE]
    return JsonResponse(
        {
            "results": [company_json(request, c) | {"id": c.pk} for c in rows],
            "next_after": rows[-1].pk if more else None,
        }
    )


@api_view
def company(request: HttpRequest, slug: str) -> JsonResponse:
    context = selectors.company_detail(slug=slug)
    obj = context["company"]
    data = company_json(request, obj)
    data["description"] = obj.description
    data["aliases"] = [a.alias for a in obj.aliases.all()]
    data["relations"] = [
        {"from": r.from_company.slug, "kind": r.kind, "to": r.to_company.slug} for r in context["relations"]
    ]
    data["events"] = [e.pk for e in context["events"]]
    data["claims_by"] = [c.pk for c in context["claims_by"]]
    data["claims_about"] = [c.pk for c in context["claims_about"]]
    return JsonResponse(data)


@api_view
def claims(request: HttpRequest) -> JsonResponse:
    """Newest claims first; filters event=<id>, company=<slug> (by or about), status; ?before=<id>."""
    qs = Claim.objects.select_related("attributed_to").order_by("-id")
    event_id = _int_param(request, "event")
    if event_id is not None:
        qs = qs.filter(event_id=event_id)
    status = request.GET.get("status", "").strip()
    if status:
        if status not in Claim.Status.values:
            raise FilterError(
                f"'status' must be one of {', '.join(Claim.Status.values)}; got {status[:40]!r}."
            )
        qs = qs.filter(status=status)
    company_slug = request.GET.get("company", "").strip()
    if company_slug:
        obj = slug_filter_value("company", company_slug)
        qs = qs.filter(Q(attributed_to=obj) | Q(about_companies=obj)).distinct()
    before = _int_param(request, "before")
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs[: API_PAGE_SIZE + 1])
    more = len(rows) > API_PAGE_SIZE
    rows = rows[:API_PAGE_SIZE]
    return JsonResponse(
        {"results": [claim_json(request, c) for c in rows], "next_before": rows[-1].pk if more else None}
    )


@api_view
def claim(request: HttpRequest, claim_id: int) -> JsonResponse:
    context = selectors.claim_detail(claim_id=claim_id)
    data = claim_json(request, context["claim"])
    data["carriers"] = [
        {
            "article": article_json(link.article),
            "quote": link.quote,
            "stance": link.stance,
            "cited_name": link.cited_name,
            "reported_text": link.reported_text,
        }
        for link in context["carriers"]
    ]
    return JsonResponse(data)


@api_view
def search(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "").strip()
    if not query:
        raise FilterError("Give a search query as ?q=...")
    parse_event_filters(request.GET, allow_cursor=False)  # same length limits as the page

    def hits(items, render):
        return [
            {"item": render(h.obj), "title_html": h.title_html, "snippet_html": h.snippet_html} for h in items
        ]

    event_qs = (
        selectors.events_visible()
        .prefetch_related(
            Prefetch("companies", queryset=Company.objects.order_by("name")), "jurisdictions", "topics"
        )
        .select_related("first_reported_by")
    )
    return JsonResponse(
        {
            "query": query,
            "events": hits(
                search_model(Event, event_qs, query, key="api-events"), lambda e: event_json(request, e)
            ),
            "claims": hits(
                search_model(Claim, Claim.objects.select_related("attributed_to"), query, key="api-claims"),
                lambda c: claim_json(request, c),
            ),
            "companies": hits(
                search_model(Company, Company.objects.select_related("country"), query, key="api-companies"),
                lambda c: company_json(request, c),
            ),
            "articles": hits(
                search_model(Article, Article.objects.select_related("source"), query, key="api-articles"),
                article_json,
            ),
        }
    )


ENDPOINTS = {
    "events": "/api/events?jurisdiction=&company=&topic=&from=YYYY-MM-DD&to=YYYY-MM-DD&source_kind=&q=&cursor=",
    "event": "/api/events/<id>",
    "companies": "/api/companies?after=<id>",
    "company": "/api/companies/<slug>",
    "claims": "/api/claims?event=<id>&company=<slug>&status=&before=<id>",
    "claim": "/api/claims/<id>",
    "search": "/api/search?q=",
}


@require_GET
def index(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"endpoints": ENDPOINTS})


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    return error(
        404, f"No API endpoint at {request.path}. See /api/events, /api/companies, /api/claims, /api/search."
    )
