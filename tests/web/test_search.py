import pytest
from django.db import connection

from tests.web import factories
from tracker.companies.models import Company
from tracker.events.models import Event
from tracker.news.models import Article
from tracker.web.search import filter_by_text, search_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(db):
    outlet = factories.source("Search Outlet")
    title_hit = factories.article(source=outlet, title="Gallium export ban announced", text="Beijing acted.")
    body_hit = factories.article(
        source=outlet, title="Markets move", text="Traders weighed the gallium news <b>late</b> on Tuesday."
    )
    factories.article(source=outlet, title="Unrelated", text="Nothing to see.")
    return title_hit, body_hit


def test_search_finds_title_and_body_matches_and_highlights(articles):
    hits = search_model(Article, Article.objects.select_related("source"), "gallium")
    assert {h.obj for h in hits} == set(articles)
    joined = " ".join(h.title_html + h.snippet_html for h in hits)
    assert "<mark>" in joined.lower()
    assert "<b>" not in joined  # outlet markup never survives into a highlight


def test_empty_and_punctuation_queries_return_nothing(articles):
    assert search_model(Article, Article.objects.all(), "") == []
    assert search_model(Article, Article.objects.all(), "!!!") == []


def test_company_search_matches_aliases_on_sqlite_and_names_everywhere(db):
    nvidia = factories.company("Nvidia")
    nvidia.aliases.create(alias="Team Green", normalized="team green")
    assert [h.obj for h in search_model(Company, Company.objects.all(), "nvidia")] == [nvidia]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stored search vectors exist on PostgreSQL only"
)
def test_postgres_ranks_title_matches_first_and_uses_the_stored_vector(articles):
    title_hit, body_hit = articles
    hits = search_model(Article, Article.objects.all(), "gallium")
    assert [h.obj for h in hits] == [title_hit, body_hit]
    assert hits[0].rank > hits[1].rank
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM news_article WHERE search_vector IS NOT NULL")
        assert cursor.fetchone()[0] == 3
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'news_article_search_gin'")
        assert "gin" in cursor.fetchone()[0].lower()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stored search vectors exist on PostgreSQL only"
)
def test_postgres_vector_follows_edits_and_websearch_syntax(db):
    ev = factories.event("Chip rule")
    ev.title = "Antimony export licence"
    ev.save(update_fields=["title"])
    assert [h.obj for h in search_model(Event, Event.objects.all(), "antimony -gallium")] == [ev]
    assert search_model(Event, Event.objects.all(), '"chip rule"') == []


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stored search vectors exist on PostgreSQL only"
)
def test_postgres_text_filter_stays_correct_inside_a_subquery(db):
    wanted = factories.event("Gallium licence rule")
    factories.event("Tariff review")
    matching = filter_by_text(Event.objects.all(), "gallium", fields=("title",))
    assert list(Event.objects.filter(id__in=matching.values("id"))) == [wanted]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stored search vectors exist on PostgreSQL only"
)
def test_postgres_a_named_search_is_compiled_once_and_gives_what_the_queryset_gives(
    articles, django_assert_num_queries
):
    """A keyed search reuses its compiled SQL with new words: same rows, related objects,
    annotations and prefetches as the queryset, still one query (plus one per prefetch)."""
    from django.db.models import Prefetch

    lab = factories.company("Gallium Lab")
    ev = factories.event("Gallium export licence")
    ev.companies.add(lab)
    factories.event("Antimony export licence")
    base = Article.objects.select_related("source", "event")
    events = Event.objects.prefetch_related(Prefetch("companies", queryset=Company.objects.order_by("name")))

    def seen(hits):
        return [
            (
                h.obj.pk,
                getattr(h.obj, "source", None) and h.obj.source.name,
                h.rank,
                h.title_html,
                h.snippet_html,
            )
            for h in hits
        ]

    for words in ["gallium", "export licence", "antimony -gallium", "nothing here"]:
        plain = search_model(Article, base, words)
        with django_assert_num_queries(1):
            keyed = search_model(Article, base, words, key="test-articles")
        assert seen(keyed) == seen(plain)
        plain_events = search_model(Event, events, words)
        keyed_events = search_model(Event, events, words, key="test-events")
        assert seen(keyed_events) == seen(plain_events)
        assert [[c.name for c in h.obj.companies.all()] for h in keyed_events] == [
            [c.name for c in h.obj.companies.all()] for h in plain_events
        ]
    assert [h.obj for h in search_model(Event, events, "gallium", key="test-events")] == [ev]
    with django_assert_num_queries(2):  # the events, then their companies
        search_model(Event, events, "gallium", key="test-events")


def test_a_named_search_gives_the_same_hits_on_either_database(articles):
    base = Article.objects.select_related("source")
    for words in ["gallium", "markets", "nothing"]:
        plain = [(h.obj, h.title_html, h.snippet_html) for h in search_model(Article, base, words)]
        keyed = [(h.obj, h.title_html, h.snippet_html) for h in search_model(Article, base, words, key="t")]
        assert keyed == plain


def _reference_hits(model, words: str, candidates: int, limit: int, keep=lambda pk: True) -> list:
    """(id, rank) of the best `limit` among the newest `candidates` matches that `keep` allows,
    ranked and sorted in Python: what search_model must return however it orders its SQL."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT id, ts_rank(search_vector, websearch_to_tsquery(%s::regconfig, %s)) FROM "{table}" '
            "WHERE search_vector @@ websearch_to_tsquery(%s::regconfig, %s) ORDER BY id DESC LIMIT %s",
            ["english", words, "english", words, candidates],
        )
        rows = [(pk, rank) for pk, rank in cursor.fetchall() if keep(pk)]
    return sorted(rows, key=lambda row: (-row[1], -row[0]))[:limit]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stored search vectors exist on PostgreSQL only"
)
def test_postgres_best_hits_among_the_newest_candidates_in_rank_then_id_order(db, monkeypatch):
    """Articles (an unfiltered base) are ranked while the candidates are read; events (visible
    ones only) after the base filter. Either way: the same rows and order as ranking every
    candidate, ties broken by newest id, and nothing older than the candidate window."""
    from tracker.web import search as search_module
    from tracker.web.selectors import events_visible

    monkeypatch.setattr(search_module, "RANK_CANDIDATES", 12)
    outlet = factories.source("Rank Outlet")
    for i in range(20):
        # Four rank levels, five articles each: ties everywhere, the strongest also among the oldest.
        factories.article(source=outlet, title=f"Item {i}", text=" ".join(["gallium"] * (i % 4 + 1)) + " ore")
    hidden = set()
    for i in range(10):
        ev = factories.event(f"Gallium rule {i}", summary="gallium " * (i % 3 + 1))
        if i % 3 == 2:  # the best-ranked events are the hidden ones
            Event.objects.filter(pk=ev.pk).update(status=Event.Status.HIDDEN)
            hidden.add(ev.pk)
    base = Article.objects.select_related("source", "event")
    for key in ("", "rank-test-articles"):
        hits = search_model(Article, base, "gallium", limit=5, key=key)
        expected = _reference_hits(Article, "gallium", 12, 5)
        assert [(h.obj.pk, h.rank) for h in hits] == [(pk, pytest.approx(r)) for pk, r in expected]
        assert len({h.rank for h in hits}) < len(hits)  # ties present, broken by id
    events = search_model(Event, events_visible(), "gallium", limit=4, key="rank-test-events")
    expected = _reference_hits(Event, "gallium", 12, 4, keep=lambda pk: pk not in hidden)
    assert [h.obj.pk for h in events] == [pk for pk, _ in expected]
    assert len(events) == 4
