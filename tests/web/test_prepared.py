import threading

import pytest
from django.db.models import Q
from django.http import Http404

from tracker.claims.models import Claim
from tracker.companies.models import CompanyRelation
from tracker.events.models import Event
from tracker.news.models import Article
from tracker.web import selectors
from tracker.web.prepared import PreparedQuery, prepared

pytestmark = pytest.mark.django_db


def _fields(objects, *names):
    return [tuple(_get(obj, name) for name in names) for obj in objects]


def _get(obj, dotted):
    for part in dotted.split("."):
        obj = getattr(obj, part) if obj is not None else None
    return obj


def test_the_event_page_reads_what_plain_querysets_read(store):
    """Every event of the store, with its articles, copies, claims and relations, compared with
    the same querysets run the ordinary way."""
    events = list(Event.objects.all())
    assert any(ev.companies.exists() for ev in events)
    for ev in events:
        detail = selectors.event_detail(event_id=ev.pk)
        assert (detail.event.pk, detail.event.title, detail.event.date_evidence) == (
            ev.pk,
            ev.title,
            ev.date_evidence,
        )
        articles = [a for g in detail.groups for a in [g.original, *g.copies]]
        expected = Article.objects.filter(event=ev).select_related("source")
        assert sorted(
            _fields(articles, "pk", "title", "source.name", "copy_of_id", "published_at")
        ) == sorted(_fields(expected, "pk", "title", "source.name", "copy_of_id", "published_at"))
        claims = Claim.objects.filter(event=ev).order_by("-independent_source_count", "-article_count", "id")
        assert _fields(detail.claims, "pk", "text", "attributed_to.name") == _fields(
            claims.select_related("attributed_to"), "pk", "text", "attributed_to.name"
        )
        ids = list(ev.companies.values_list("id", flat=True))
        relations = CompanyRelation.objects.filter(Q(from_company__in=ids) | Q(to_company__in=ids)).order_by(
            "from_company__name", "kind"
        )
        assert _fields(detail.relations, "pk", "from_company.name", "to_company.slug", "kind") == _fields(
            relations, "pk", "from_company.name", "to_company.slug", "kind"
        )
    assert any(detail.relations for detail in [selectors.event_detail(event_id=ev.pk) for ev in events])


def test_hidden_merged_and_missing_events_are_404(store):
    hidden, merged = store.events[0], store.events[1]
    Event.objects.filter(pk=hidden.pk).update(status=Event.Status.HIDDEN)
    Event.objects.filter(pk=merged.pk).update(merged_into=store.events[2])
    for event_id in (hidden.pk, merged.pk, 10**9):
        with pytest.raises(Http404):
            selectors.event_detail(event_id=event_id)


def test_a_prepared_query_is_compiled_once_per_connection(store, monkeypatch, django_assert_num_queries):
    first, second = store.events[:2]
    selectors.event_detail(event_id=first.pk)
    builds = []
    monkeypatch.setattr(PreparedQuery, "build", classmethod(lambda cls, *a: builds.append(a)))
    with django_assert_num_queries(5):  # event, tags, articles, claims, relations
        assert selectors.event_detail(event_id=second.pk).event.pk == second.pk
    assert builds == []


def test_a_placeholder_that_is_not_a_parameter_is_refused(db):
    with pytest.raises(ValueError):
        PreparedQuery.build(Event.objects.filter(pk=5), (7,))
    with pytest.raises(ValueError):
        PreparedQuery.build(Event.objects.all()[:7], (7,))  # inlined as LIMIT 7


def test_each_thread_keeps_its_own_prepared_queries(db):
    def build():
        return Event.objects.filter(pk=-1)

    here = prepared("test:events", build, (-1,))
    assert prepared("test:events", build, (-1,)) is here
    there = []
    # Compiling needs no open connection, so another thread can prepare without a database.
    thread = threading.Thread(target=lambda: there.append(prepared("test:events", build, (-1,))))
    thread.start()
    thread.join()
    assert there and there[0] is not here and there[0].compiler.connection is not here.compiler.connection


FILTER_SETS = [
    "",
    "company=nvidia",
    "topic=chips",
    "jurisdiction=china&topic=export-controls",
    "source_kind=blog",
    "company=example-ai-lab&jurisdiction=united-states&topic=chips&source_kind=wire",
    "from=2025-02-01&to=2025-04-01",  # not prepared: dates
    "q=rule",  # not prepared: words
]


def _rows(events):
    return [
        (e.pk, e.title, e.first_reported_by_id, e.page_url, [t.slug for t in e.company_list + e.topic_list])
        for e in events
    ]


@pytest.mark.parametrize("querystring", FILTER_SETS)
def test_filtered_lists_and_charts_read_what_plain_querysets_read(store, querystring):
    from django.db.models import F
    from django.http import QueryDict

    from tracker.web.filters import parse_event_filters

    filters = parse_event_filters(QueryDict(querystring))
    for _ in range(2):  # compiled on the first pass, reused on the second
        newest_first = selectors.events_filtered(filters).order_by(
            F("event_date").desc(nulls_last=True), "-id"
        )
        page = selectors.timeline_page(filters, size=5)
        assert _rows(page.events) == _rows(selectors._timeline_rows(newest_first, 5))
        changed_first = selectors.events_filtered(filters).order_by("-updated_at", "-id")
        assert _rows(selectors.feed_events(filters)) == _rows(selectors._timeline_rows(changed_first, 50))
        assert selectors.filtered_events_by_month(filters) == selectors.events_by_month(
            selectors.events_filtered(filters)
        )
    assert page.events or "company=example-ai-lab" in querystring


def test_the_second_page_of_a_filtered_timeline_follows_the_first(store):
    from django.http import QueryDict

    from tracker.web.filters import parse_event_filters

    first = selectors.timeline_page(parse_event_filters(QueryDict("topic=chips")), size=4)
    token = first.next_cursor.encode()
    second = selectors.timeline_page(parse_event_filters(QueryDict(f"topic=chips&cursor={token}")), size=4)
    assert second.events and not {e.pk for e in first.events} & {e.pk for e in second.events}
    assert (second.events[0].event_date, second.events[0].pk) < (
        first.events[-1].event_date,
        first.events[-1].pk,
    )


def test_a_missing_related_row_comes_back_as_none(store):
    from django.http import QueryDict

    from tracker.web.filters import parse_event_filters

    ev = store.events[-1]
    Event.objects.filter(pk=ev.pk).update(first_reported_by=None)
    filters = parse_event_filters(QueryDict("topic=export-controls"))
    for _ in range(2):
        rows = {e.pk: e for e in selectors.feed_events(filters)}
        assert rows[ev.pk].first_reported_by is None
        assert rows[store.events[0].pk].first_reported_by.name == "Ledger Wire"
        assert selectors.event_detail(event_id=ev.pk).event.first_reported_by is None


def test_attached_tags_are_the_related_rows_by_name_and_the_sql_does_not_grow_with_the_list(store):
    """Tags read in one flat query equal the related managers' rows (by name, then id); on
    PostgreSQL the ids go as one array, so the SQL is the same for a page of 1 or 60 events."""
    from django.db import connection

    events = selectors._attach_tags(list(Event.objects.select_related("first_reported_by").order_by("id")))
    assert any(e.company_list for e in events) and any(e.topic_list for e in events)
    for event in events:
        for name, attached in (
            ("companies", event.company_list),
            ("jurisdictions", event.jurisdiction_list),
            ("topics", event.topic_list),
        ):
            related = sorted(getattr(event, name).all(), key=lambda o: (o.name, o.pk))
            assert [(t.id, t.slug, t.name) for t in attached] == [(o.pk, o.slug, o.name) for o in related]
    one_sql, _ = selectors._tags_sql([1])
    many_sql, many_params = selectors._tags_sql(list(range(1, 61)))
    if connection.vendor == "postgresql":
        assert one_sql == many_sql
        assert many_params == [list(range(1, 61))] * 3
    else:
        assert many_params == list(range(1, 61)) * 3


def test_filter_choices_are_every_jurisdiction_company_and_topic_by_name_in_one_query(
    store, django_assert_num_queries
):
    from tracker.companies.models import Company
    from tracker.events.models import Topic
    from tracker.jurisdictions.models import Jurisdiction

    selectors.filter_choices()  # compiled on first use
    with django_assert_num_queries(1):
        choices = selectors.filter_choices()
    for key, model in (("jurisdictions", Jurisdiction), ("companies", Company), ("topics", Topic)):
        assert choices[key] == list(model.objects.order_by("name").values_list("slug", "name"))
        assert choices[key]
    assert all(isinstance(slug, str) and isinstance(name, str) for slug, name in choices["companies"])
