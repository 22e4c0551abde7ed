"""Reads for the dashboard, feeds and API. Each selector owns its joins and prefetches, so a page
costs a fixed number of queries however many events, articles or claims it shows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import TruncDay, TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404

from tracker.claims.models import Claim, ClaimArticle
from tracker.companies.models import Company, CompanyRelation
from tracker.events.models import Event, Topic
from tracker.jurisdictions.models import Jurisdiction
from tracker.news.models import Article
from tracker.sources.models import Source
from tracker.web.filters import Cursor, EventFilters
from tracker.web.links import event_url, slug_url, slug_url_builder
from tracker.web.prepared import PreparedQuery, prepared
from tracker.web.search import SearchHit, filter_by_text, search_model

# Events per timeline page: a morning's reading, and a bounded query.
TIMELINE_PAGE_SIZE = 25
# Items per feed: feed readers keep their own history; 50 covers a busy week.
FEED_SIZE = 50
# Lists on company, jurisdiction and source pages.
DETAIL_LIST_SIZE = 50


def events_visible() -> QuerySet[Event]:
    return Event.objects.filter(merged_into__isnull=True).exclude(status=Event.Status.HIDDEN)


def events_filtered(filters: EventFilters) -> QuerySet[Event]:
    """Visible events matching the filters, unordered."""
    qs = events_visible()
    if filters.jurisdiction:
        qs = qs.filter(jurisdictions=filters.jurisdiction)
    if filters.company:
        qs = qs.filter(companies=filters.company)
    if filters.topic:
        qs = qs.filter(topics=filters.topic)
    if filters.date_from:
        qs = qs.filter(event_date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(event_date__lte=filters.date_to)
    if filters.source_kind:
        qs = qs.filter(Exists(Article.objects.filter(event=OuterRef("pk"), source__kind=filters.source_kind)))
    if filters.query:
        qs = filter_by_text(qs, filters.query, fields=("title", "summary"))
    return qs


class Tag(NamedTuple):
    """A company, jurisdiction or topic as a list row shows it: name, slug and its page. A named
    tuple: a feed builds ~150 of them, and a frozen dataclass's __init__ costs three times more."""

    id: int
    slug: str
    name: str
    url: str
    code: str = ""


# What list rows, feeds and the API show of an event; the clustering profile (a JSON term vector)
# and the date evidence are left in the database.
EVENT_ROW_FIELDS = (
    "id",
    "title",
    "slug",
    "summary",
    "event_date",
    "date_precision",
    "date_method",
    "article_count",
    "independent_source_count",
    "first_reported_at",
    "first_reported_by",
    "first_reported_by__name",
    "first_reported_by__slug",
    "status",
    "created_at",
    "updated_at",
)


def _timeline_rows(qs: QuerySet[Event], limit: int) -> list[Event]:
    """Events of a list with event.company_list, jurisdiction_list and topic_list (Tags, by name),
    event.page_url and first_reported_by_url, in two queries. The prefetch machinery built a model
    and a related manager per row, which was most of a timeline page's or a feed's time."""
    return _attach_tags(list(_row_queryset(qs, limit)))


def _row_queryset(qs: QuerySet[Event], limit: int) -> QuerySet[Event]:
    return qs.select_related("first_reported_by").only(*EVENT_ROW_FIELDS)[:limit]


# Stand for the filter values while a filtered list is compiled (web/prepared.py); never sent to
# the database. Dates, search words and cursors change the SQL's shape (or, on SQLite, reach it
# rewritten), so lists filtered by them are built the ordinary way.
_FILTER_PLACEHOLDERS = {
    "jurisdiction": Jurisdiction(pk=-918_273_601),
    "company": Company(pk=-918_273_602),
    "topic": Topic(pk=-918_273_603),
    "source_kind": "tracker-source-kind-placeholder",
}


def _filter_shape(filters: EventFilters) -> tuple[str, ...] | None:
    """Which of the placeholder-able filters are set, or None when the filters need more."""
    if filters.date_from or filters.date_to or filters.query or filters.cursor:
        return None
    return tuple(name for name in _FILTER_PLACEHOLDERS if getattr(filters, name))


def _prepared_filtered(
    name: str, filters: EventFilters, build: Callable[[EventFilters], QuerySet]
) -> tuple[PreparedQuery, list] | None:
    """`build(filters)` compiled once per set of filters used (company, topic, ...), with this
    request's values to run it with; None when the filters cannot be prepared."""
    shape = _filter_shape(filters)
    if shape is None:
        return None
    placeholders = [getattr(p, "pk", p) for p in (_FILTER_PLACEHOLDERS[n] for n in shape)]
    values = [getattr(v, "pk", v) for v in (getattr(filters, n) for n in shape)]
    stand_in = EventFilters(**{n: _FILTER_PLACEHOLDERS[n] for n in shape})
    query = prepared(f"{name}:{','.join(shape)}", lambda: build(stand_in), placeholders)
    return query, values


def _filtered_rows(
    name: str, filters: EventFilters, order: Callable[[QuerySet[Event]], QuerySet[Event]], limit: int
) -> list[Event]:
    """_timeline_rows(order(events_filtered(filters)), limit), compiled once per filter set."""
    found = _prepared_filtered(
        f"{name}:{limit}", filters, lambda f: _row_queryset(order(events_filtered(f)), limit)
    )
    if found is None:
        return _timeline_rows(order(events_filtered(filters)), limit)
    query, values = found
    return _attach_tags(query.run(*values))


def _attach_tags(events: list[Event]) -> list[Event]:
    """Set company_list, jurisdiction_list, topic_list, page_url and first_reported_by_url on each
    event (first_reported_by selected already): one flat query for the whole list."""
    by_id = {}
    for event in events:
        event.company_list, event.jurisdiction_list, event.topic_list = [], [], []
        event.page_url = event_url(event.pk, event.slug)
        if event.first_reported_by is not None:
            event.first_reported_by_url = slug_url("web:source", event.first_reported_by.slug)
        by_id[event.pk] = event
    if not by_id:
        return events
    ids = list(by_id)
    lists = ("company_list", "jurisdiction_list", "topic_list")
    company_url, place_url = slug_url_builder("web:company"), slug_url_builder("web:jurisdiction")
    with connection.cursor() as cursor:
        cursor.execute(*_tags_sql(ids))
        for kind, event_id, pk, slug, name, code in cursor.fetchall():
            if kind == 0:
                tag = Tag(pk, slug, name, company_url(slug))
            elif kind == 1:
                tag = Tag(pk, slug, name, place_url(slug), code)
            else:
                tag = Tag(pk, slug, name, "")
            getattr(by_id[event_id], lists[kind]).append(tag)
    return events


def _tags_sql(event_ids: list[int]) -> tuple[str, list[int]]:
    """One UNION ALL over the three relation tables (a round trip each cost more than the rows):
    (kind 0/1/2 = company/jurisdiction/topic, event id, id, slug, name, code), by kind then name.
    PostgreSQL gets the ids as one array parameter: with a parameter per id the SQL changed with
    the page length, and psycopg re-parses (no cache past 50 parameters) a feed's 150 every time."""
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        in_ids, params = "= ANY(%s)", [list(event_ids)] * 3
    else:
        in_ids, params = "IN ({})".format(", ".join(["%s"] * len(event_ids))), event_ids * 3
    parts = []
    for kind, (field_name, model) in enumerate(
        (("companies", Company), ("jurisdictions", Jurisdiction), ("topics", Topic))
    ):
        m2m = Event._meta.get_field(field_name)
        table = qn(model._meta.db_table)
        code = f"{table}.{qn('code')}" if model is Jurisdiction else "''"
        parts.append(
            f"SELECT {kind} AS kind, t.{qn(m2m.m2m_column_name())}, {table}.{qn('id')}, {table}.{qn('slug')}, "
            f"{table}.{qn('name')}, {code} FROM {qn(m2m.m2m_db_table())} t "
            f"INNER JOIN {table} ON {table}.{qn('id')} = t.{qn(m2m.m2m_reverse_name())} "
            f"WHERE t.{qn(m2m.m2m_column_name())} {in_ids}"
        )
    return " UNION ALL ".join(parts) + " ORDER BY 1, 5, 3", params


_TAG_LISTS = {"companies": "company_list", "jurisdictions": "jurisdiction_list", "topics": "topic_list"}


def event_tags(event: Event, name: str) -> list:
    """The Tags a list selector attached (company_list, ...), else the related objects; `name` is
    "companies", "jurisdictions" or "topics"."""
    attached = getattr(event, _TAG_LISTS[name], None)
    return attached if attached is not None else list(getattr(event, name).all())


@dataclass
class TimelinePage:
    events: list[Event]
    next_cursor: Cursor | None


def timeline_page(filters: EventFilters, *, size: int = TIMELINE_PAGE_SIZE) -> TimelinePage:
    """One keyset page of the timeline: event date newest first (undated last), then id."""
    cursor = filters.cursor

    def ordered(qs: QuerySet[Event]) -> QuerySet[Event]:
        if cursor is not None:
            if cursor.event_date is None:
                qs = qs.filter(event_date__isnull=True, id__lt=cursor.id)
            else:
                qs = qs.filter(
                    Q(event_date__lt=cursor.event_date)
                    | Q(event_date=cursor.event_date, id__lt=cursor.id)
                    | Q(event_date__isnull=True)
                )
        return qs.order_by(F("event_date").desc(nulls_last=True), "-id")

    events = _filtered_rows("timeline", filters, ordered, size + 1)
    next_cursor = None
    if len(events) > size:
        events = events[:size]
        last = events[-1]
        next_cursor = Cursor(event_date=last.event_date, id=last.id)
    return TimelinePage(events=events, next_cursor=next_cursor)


def feed_events(filters: EventFilters, *, size: int = FEED_SIZE) -> list[Event]:
    """New and updated events for feeds, most recently changed first."""
    return _filtered_rows("feed", filters, lambda qs: qs.order_by("-updated_at", "-id"), size)


def feed_claims(*, size: int = FEED_SIZE) -> list[Claim]:
    return list(
        Claim.objects.select_related("attributed_to", "event", "original_reporter").order_by(
            "-created_at", "-id"
        )[:size]
    )


def feed_claims_last_modified() -> dt.datetime | None:
    return Claim.objects.aggregate(latest=Max("updated_at"))["latest"]


# --- charts ---------------------------------------------------------------------------------------


def coverage_by_month(articles: QuerySet[Article]) -> list[tuple[dt.date, int]]:
    """Articles per calendar month, by publication time, in one grouped query."""
    rows = (
        articles.filter(published_at__isnull=False)
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return [(_as_date(row["month"]), row["n"]) for row in rows]


def coverage_by_day(articles: QuerySet[Article]) -> list[tuple[dt.date, int]]:
    rows = (
        articles.filter(published_at__isnull=False)
        .annotate(day=TruncDay("published_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    return [(_as_date(row["day"]), row["n"]) for row in rows]


def _events_by_day(events: QuerySet[Event]) -> QuerySet:
    return (
        events.filter(event_date__isnull=False).values_list("event_date").annotate(n=Count("id")).order_by()
    )


def _fold_months(rows: list[tuple]) -> list[tuple[dt.date, int]]:
    months: dict[dt.date, int] = defaultdict(int)
    for day, n in rows:
        if isinstance(day, str):  # SQLite hands dates back as text
            day = dt.date.fromisoformat(day)
        months[day.replace(day=1)] += n
    return sorted(months.items())


def events_by_month(events: QuerySet[Event]) -> list[tuple[dt.date, int]]:
    """Events per calendar month of their event date. Grouped by the date itself in SQL (a few
    hundred distinct days, read from the timeline index) and folded into months here: cheaper than
    truncating every row's date in the database, and no event rows come back to Python."""
    sql, params = _events_by_day(events).query.sql_with_params()
    with connection.cursor() as cursor:  # plain tuples: no per-row converters for ~1000 rows
        cursor.execute(sql, params)
        return _fold_months(cursor.fetchall())


def filtered_events_by_month(filters: EventFilters) -> list[tuple[dt.date, int]]:
    """events_by_month(events_filtered(filters)), compiled once per filter set."""
    found = _prepared_filtered("chart", filters, lambda f: _events_by_day(events_filtered(f)))
    if found is None:
        return events_by_month(events_filtered(filters))
    query, values = found
    return _fold_months(query.rows(*values))


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# --- event page -----------------------------------------------------------------------------------


@dataclass
class ArticleGroup:
    original: Article
    copies: list[Article] = field(default_factory=list)


@dataclass
class EventDetail:
    event: Event
    groups: list[ArticleGroup]
    article_count: int
    claims: list[Claim]
    relations: list[CompanyRelation]
    coverage: list[tuple[dt.date, int]]
    # The earliest article of the event's first reporter, marked on the page.
    first_report_id: int | None = None


def group_articles(articles: list[Article]) -> list[ArticleGroup]:
    """Originals in publication order, each with its copies beneath. A copy whose original is not
    in the list (another event) stands as its own group, so nothing disappears."""
    present = {a.id for a in articles}
    groups: dict[int, ArticleGroup] = {}
    copies: dict[int, list[Article]] = defaultdict(list)
    for article in articles:
        if article.copy_of_id and article.copy_of_id in present:
            copies[article.copy_of_id].append(article)
        else:
            groups[article.id] = ArticleGroup(original=article)
    for original_id, items in copies.items():
        groups[original_id].copies = items
    return sorted(
        groups.values(),
        key=lambda g: (g.original.published_or_fetched, g.original.id),
    )


# The columns the event page and /api/events/<id> show: no article text, no claim evidence.
EVENT_ARTICLE_FIELDS = (
    "id",
    "title",
    "canonical_url",
    "published_at",
    "fetched_at",
    "copy_of",
    "copy_kind",
    "event",
    "source",
    "source__name",
    "source__slug",
)
EVENT_CLAIM_FIELDS = (
    "id",
    "text",
    "kind",
    "status",
    "attributed_to_name",
    "value",
    "unit",
    "measure",
    "event",
    "independent_source_count",
    "article_count",
    "created_at",
    "updated_at",
    "attributed_to",
    "attributed_to__name",
    "attributed_to__slug",
)


# Stands for the event id while the event page's queries are compiled; never sent to the database.
_EVENT_ID = -918_273_645


def _event_page_event() -> QuerySet[Event]:
    return (
        events_visible()
        .select_related("first_reported_by")
        .only(*EVENT_ROW_FIELDS, "date_evidence")
        .filter(pk=_EVENT_ID)
    )


def _event_page_articles() -> QuerySet[Article]:
    return (
        Article.objects.filter(event=_EVENT_ID)
        .select_related("source")
        .only(*EVENT_ARTICLE_FIELDS)
        .order_by("published_at", "id")
    )


def _event_page_claims() -> QuerySet[Claim]:
    return (
        Claim.objects.filter(event=_EVENT_ID)
        .select_related("attributed_to")
        .only(*EVENT_CLAIM_FIELDS)
        .order_by("-independent_source_count", "-article_count", "id")
    )


def _event_page_relations() -> QuerySet[CompanyRelation]:
    """Relations among the event's companies (read by subquery, so the SQL does not depend on
    how many companies the event has)."""
    company_ids = Event.companies.through.objects.filter(event=_EVENT_ID).values("company")
    return (
        CompanyRelation.objects.filter(Q(from_company__in=company_ids) | Q(to_company__in=company_ids))
        .select_related("from_company", "to_company", "jurisdiction")
        .only(
            "kind",
            "from_company__name",
            "from_company__slug",
            "to_company__name",
            "to_company__slug",
            "jurisdiction__name",
            "jurisdiction__code",
        )
        .order_by("from_company__name", "kind")
    )


def event_detail(*, event_id: int) -> EventDetail:
    """Everything the event page shows, in a fixed number of queries. Raises Http404.
    The queries have the same shape for every event, so each is compiled once (web/prepared.py)."""
    found = prepared("event-page:event", _event_page_event, (_EVENT_ID,)).run(event_id)
    if not found:
        raise Http404("No visible event with that id.")
    event = found[0]
    _attach_tags([event])
    articles = prepared("event-page:articles", _event_page_articles, (_EVENT_ID,)).run(event.pk)
    claims = prepared("event-page:claims", _event_page_claims, (_EVENT_ID,)).run(event.pk)
    relations = []
    if event.company_list:
        relations = prepared("event-page:relations", _event_page_relations, (_EVENT_ID,)).run(event.pk)
    coverage: dict[dt.date, int] = defaultdict(int)
    for article in articles:
        if article.published_at:
            coverage[article.published_at.date()] += 1
    first_report = next((a for a in articles if a.source_id == event.first_reported_by_id), None)
    return EventDetail(
        first_report_id=first_report.id if first_report else None,
        event=event,
        groups=group_articles(articles),
        article_count=len(articles),
        claims=claims,
        relations=relations,
        coverage=sorted(coverage.items()),
    )


# --- company, jurisdiction, source, claim -----------------------------------------------------------


def company_detail(*, slug: str) -> dict:
    company = get_object_or_404(
        Company.objects.select_related("country").prefetch_related("aliases"), slug=slug
    )
    relations = list(
        CompanyRelation.objects.filter(Q(from_company=company) | Q(to_company=company))
        .select_related("from_company", "to_company", "jurisdiction")
        .order_by("kind", "id")
    )
    events = _timeline_rows(
        events_visible().filter(companies=company).order_by(F("event_date").desc(nulls_last=True), "-id"),
        DETAIL_LIST_SIZE,
    )
    claim_qs = Claim.objects.select_related("attributed_to", "event").order_by(
        "-independent_source_count", "-id"
    )
    return {
        "company": company,
        "relations": relations,
        "events": events,
        "claims_by": list(claim_qs.filter(attributed_to=company)[:DETAIL_LIST_SIZE]),
        "claims_about": list(claim_qs.filter(about_companies=company)[:DETAIL_LIST_SIZE]),
        "coverage": coverage_by_month(Article.objects.filter(company_mentions__company=company)),
    }


def jurisdiction_detail(*, slug: str) -> dict:
    jurisdiction = get_object_or_404(Jurisdiction.objects.select_related("parent"), slug=slug)
    events = _timeline_rows(
        events_visible()
        .filter(jurisdictions=jurisdiction)
        .order_by(F("event_date").desc(nulls_last=True), "-id"),
        DETAIL_LIST_SIZE,
    )
    return {
        "jurisdiction": jurisdiction,
        "children": list(jurisdiction.children.order_by("name")),
        "events": events,
        "companies": list(jurisdiction.companies.order_by("name")[:DETAIL_LIST_SIZE]),
        "sources": list(jurisdiction.sources.order_by("name")[:DETAIL_LIST_SIZE]),
        "coverage": coverage_by_month(Article.objects.filter(jurisdictions=jurisdiction)),
    }


@dataclass
class SourceStats:
    total: int
    copies: int
    echo_only: int  # originals whose every claim is cited from someone else

    @property
    def echo(self) -> int:
        return self.copies + self.echo_only

    @property
    def original(self) -> int:
        return self.total - self.echo

    @property
    def original_share(self) -> float:
        return self.original / self.total if self.total else 0.0


def source_stats(source: Source) -> SourceStats:
    """Original reporting versus echo: copies, plus articles whose claims only cite others."""
    counts = Article.objects.filter(source=source).aggregate(
        total=Count("id"), copies=Count("id", filter=Q(copy_of__isnull=False))
    )
    own_claim = ClaimArticle.objects.filter(article=OuterRef("pk")).exclude(stance=ClaimArticle.Stance.CITES)
    any_claim = ClaimArticle.objects.filter(article=OuterRef("pk"))
    echo_only = (
        Article.objects.filter(source=source, copy_of__isnull=True)
        .filter(Exists(any_claim))
        .exclude(Exists(own_claim))
        .count()
    )
    return SourceStats(total=counts["total"], copies=counts["copies"], echo_only=echo_only)


def source_detail(*, slug: str) -> dict:
    source = get_object_or_404(Source.objects.select_related("country"), slug=slug)
    articles = list(
        Article.objects.filter(source=source)
        .select_related("event", "copy_of__source")
        .defer("text", "extraction_warnings")
        .order_by(F("published_at").desc(nulls_last=True), "-id")[:DETAIL_LIST_SIZE]
    )
    return {
        "source": source,
        "articles": articles,
        "stats": source_stats(source),
        "coverage": coverage_by_month(Article.objects.filter(source=source)),
    }


def claim_detail(*, claim_id: int) -> dict:
    claim = get_object_or_404(
        Claim.objects.select_related("attributed_to", "event", "original_reporter").prefetch_related(
            Prefetch("about_companies", queryset=Company.objects.order_by("name"))
        ),
        pk=claim_id,
    )
    carriers = list(
        ClaimArticle.objects.filter(claim=claim)
        .select_related("article__source", "article__copy_of")
        .defer("article__text", "article__extraction_warnings")
        .order_by(F("article__published_at").asc(nulls_last=True), "id")
    )
    return {"claim": claim, "carriers": carriers}


def search_page_results(query: str) -> dict[str, list[SearchHit]]:
    """The search page's hits per kind (events, claims, companies, articles), reading only the
    columns the page shows: the headlines are built in the database."""
    return {
        "events": search_model(Event, events_visible(), query, only=("id", "slug"), key="page-events"),
        "claims": search_model(
            Claim,
            Claim.objects.all(),
            query,
            only=("id", "independent_source_count"),
            key="page-claims",
        ),
        "companies": search_model(
            Company, Company.objects.all(), query, only=("id", "slug"), key="page-companies"
        ),
        "articles": search_model(
            Article,
            Article.objects.select_related("source", "event"),
            query,
            only=("id", "canonical_url", "published_at", "source__name", "event__slug"),
            key="page-articles",
        ),
    }


def _filter_choices_union() -> QuerySet:
    jurisdictions = Jurisdiction.objects.annotate(choice_list=Value(0)).values_list(
        "choice_list", "slug", "name"
    )
    companies = Company.objects.annotate(choice_list=Value(1)).values_list("choice_list", "slug", "name")
    topics = Topic.objects.annotate(choice_list=Value(2)).values_list("choice_list", "slug", "name")
    union = jurisdictions.order_by().union(companies.order_by(), topics.order_by(), all=True)
    # Sorted by the database, as each list was before (its collation, not Python's code points).
    return union.order_by("choice_list", "name")


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """(value, label) options for the timeline filter form: one UNION ALL query, no model objects.
    Its SQL is compiled once per connection and its ~340 rows read as plain tuples (integers and
    text need no converters): compiling the union and converting each row cost more than the query."""
    rows: list[list[tuple[str, str]]] = [[], [], []]
    for kind, slug, name in prepared("filter-choices", _filter_choices_union, ()).rows():
        rows[kind].append((slug, name))
    return {
        "jurisdictions": rows[0],
        "companies": rows[1],
        "topics": rows[2],
        "source_kinds": [(value, str(label)) for value, label in Source.Kind.choices],
    }
