import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.web import factories
from tracker.claims.models import ClaimArticle
from tracker.events.models import Event
from tracker.web.filters import Cursor
from tracker.web.glossary import INDEPENDENT_SOURCES_NOTE

pytestmark = pytest.mark.django_db


def test_timeline_lists_newest_events_first_with_counts(client, store):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    listing = html[html.index('<ol class="timeline">') :]
    newest, older = store.events[-1], store.events[-2]
    assert listing.index(newest.title) < listing.index(older.title)
    assert "3 articles · 2 independent sources" in html
    assert "Nvidia" in html
    assert 'rel="alternate" type="application/atom+xml"' in html


def test_timeline_keyset_pagination_walks_every_event_once(client, store):
    seen, url = [], "/api/events"
    while url:
        data = client.get(url).json()
        seen += [e["id"] for e in data["results"]]
        url = data["next"]
    assert sorted(seen) == sorted(e.pk for e in store.events)
    assert len(seen) == len(set(seen))

    first = client.get("/")
    assert b'rel="next"' in first.content


def test_timeline_filters_narrow_and_keep_shareable_urls(client, store):
    lab = store.companies[2]
    response = client.get("/", {"company": lab.slug, "jurisdiction": "china", "topic": "export-controls"})
    assert response.status_code == 200
    html = response.content.decode()
    expected = [e for i, e in enumerate(store.events) if i % 3 == 0 and i % 2 == 0]
    for ev in store.events:
        assert (ev.title in html) == (ev in expected)
    assert f"company={lab.slug}" in html  # feed links keep the filters


def test_timeline_date_range_and_source_kind(client, store):
    response = client.get("/", {"from": "2025-01-01", "to": "2025-01-11", "source_kind": "blog"})
    html = response.content.decode()
    assert store.events[0].title in html and store.events[2].title in html
    assert store.events[3].title not in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"company": "nope"}, "No company"),
        ({"from": "yesterday"}, "YYYY-MM-DD"),
        ({"from": "2025-02-01", "to": "2025-01-01"}, "swap"),
        ({"source_kind": "tabloid"}, "source_kind"),
        ({"cursor": "!!!"}, "cursor"),
    ],
)
def test_bad_filters_get_a_clear_400(client, store, params, message):
    response = client.get("/", params)
    assert response.status_code == 400
    assert message in response.content.decode()
    api = client.get("/api/events", params)
    assert api.status_code == 400
    assert message in api.json()["error"]["message"]


def test_cursor_round_trips_undated_events():
    assert Cursor.decode(Cursor(None, 7).encode()) == Cursor(None, 7)
    assert Cursor.decode(Cursor(dt.date(2025, 3, 1), 9).encode()) == Cursor(dt.date(2025, 3, 1), 9)


def test_event_page_groups_copies_and_shows_date_evidence(client, store):
    ev = store.events[0]
    ev.date_evidence = "'on Tuesday' resolved against publication"
    ev.save(update_fields=["date_evidence"])
    response = client.get(reverse("web:event", args=[ev.pk, ev.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<details>" in html and "1 copy" in html
    assert "Explicit date in the text" in html and "resolved against publication" in html
    assert "first reporter" in html
    assert "Rule 0 adds 140 entities" in html and "Corroborated" in html
    assert "Example AI Lab</a> is a partner of" in html
    assert "<svg" in html and 'role="img"' in html


def test_hidden_and_merged_events_are_not_shown(client, store):
    hidden = store.events[1]
    hidden.status = Event.Status.HIDDEN
    hidden.save(update_fields=["status"])
    assert client.get(reverse("web:event", args=[hidden.pk, hidden.slug])).status_code == 404
    assert hidden.title not in client.get("/").content.decode()


def test_company_page(client, store):
    nvidia = store.companies[0]
    html = client.get(reverse("web:company", args=[nvidia.slug])).content.decode()
    assert "NVIDIA Corp" in html  # alias
    assert "is a partner of" in html
    assert "Claims about Nvidia" in html and "Rule 1 adds 140 entities" in html
    assert f"feeds/events.atom?company={nvidia.slug}" in html


def test_jurisdiction_and_source_pages(client, store):
    assert "Export rule 0" in client.get(reverse("web:jurisdiction", args=["china"])).content.decode()
    paper = store.sources[1]
    html = client.get(reverse("web:source", args=[paper.slug])).content.decode()
    assert "0%</strong> original" in html  # every Pacific Ledger article is a syndicated copy


def test_source_share_counts_articles_whose_claims_only_cite_others(client, store):
    blog = store.sources[2]
    cited = blog.articles.first()
    ClaimArticle.objects.create(
        claim=store.claims[0], article=cited, quote="x", stance=ClaimArticle.Stance.CITES
    )
    html = client.get(reverse("web:source", args=[blog.slug])).content.decode()
    assert "1 article whose claims only cite others" in html


def test_claim_page_lists_carriers_with_quote_and_stance(client, store):
    claim = store.claims[0]
    html = client.get(reverse("web:claim", args=[claim.pk])).content.decode()
    assert "Rule 0 adds 140 entities." in html and "Asserts" in html
    assert 'rel="noopener noreferrer"' in html


def test_search_finds_all_kinds_with_highlights(client, store):
    html = client.get("/search/", {"q": "Nvidia"}).content.decode()
    assert "<mark>Nvidia</mark>" in html
    assert reverse("web:company", args=["nvidia"]) in html
    assert client.get("/search/", {"q": "x" * 300}).status_code == 400


def test_outlet_html_is_sanitised_and_escaped(client, db):
    ev = factories.event(
        "Safe <b>title</b>",
        summary='<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:evil()">l</a></p>',
    )
    html = client.get(reverse("web:event", args=[ev.pk, ev.slug])).content.decode()
    assert "<script>alert" not in html and "onclick" not in html and "javascript:" not in html
    assert "Safe &lt;b&gt;title&lt;/b&gt;" in html


def test_security_headers(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_have_no_inline_scripts_or_styles(client, store):
    ev = store.events[0]
    for url in ["/", reverse("web:event", args=[ev.pk, ev.slug]), "/search/?q=chip"]:
        html = client.get(url).content.decode()
        assert "<script" not in html and "style=" not in html, url


@pytest.mark.parametrize("path, ceiling", [("/", 4), ("/?company=nvidia&jurisdiction=united-states", 6)])
def test_timeline_query_count_is_flat(client, store, django_assert_max_num_queries, path, ceiling):
    # page, its companies/places/topics, the chart, the filter choices; plus one lookup per filter
    with django_assert_max_num_queries(ceiling):
        assert client.get(path).status_code == 200


def test_detail_pages_query_counts(client, store, django_assert_max_num_queries):
    ev = store.events[0]
    with django_assert_max_num_queries(5):
        client.get(reverse("web:event", args=[ev.pk, ev.slug]))
    with django_assert_max_num_queries(12):
        client.get(reverse("web:company", args=["nvidia"]))
    with django_assert_max_num_queries(10):
        client.get(reverse("web:jurisdiction", args=["united-states"]))
    with django_assert_max_num_queries(8):
        client.get(reverse("web:source", args=[store.sources[0].slug]))
    with django_assert_max_num_queries(8):
        client.get(reverse("web:claim", args=[store.claims[0].pk]))
    with django_assert_max_num_queries(4):  # one per kind: events, claims, companies, articles
        client.get("/search/", {"q": "chip rule"})


def test_undated_events_sort_last_and_say_so(client, store):
    undated = factories.event("Undated rumour")
    Event.objects.filter(pk=undated.pk).update(event_date=None, date_precision=Event.DatePrecision.UNKNOWN)
    seen, url = [], "/api/events"
    while url:
        data = client.get(url).json()
        seen += [e["id"] for e in data["results"]]
        url = data["next"]
    assert seen[-1] == undated.pk and len(seen) == len(set(seen)) == 33
    html = client.get(reverse("web:event", args=[undated.pk, undated.slug])).content.decode()
    assert "Date unknown" in html


def test_feeds_page_lists_every_feed(client, db):
    html = client.get(reverse("web:feeds")).content.decode()
    for name in [
        "feed_events_rss",
        "feed_events_atom",
        "feed_events_json",
        "feed_claims_rss",
        "feed_claims_atom",
        "feed_claims_json",
    ]:
        assert reverse(f"web:{name}") in html


def test_old_or_missing_slugs_redirect_to_the_current_one(client, store):
    ev = store.events[0]
    for url in [f"/events/{ev.pk}/", f"/events/{ev.pk}/an-old-title/"]:
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == reverse("web:event", args=[ev.pk, ev.slug])


def test_timeline_draws_a_dot_per_event_linking_to_it(client, store):
    html = client.get("/").content.decode()
    assert html.count('<circle class="dot"') == 25
    newest = store.events[-1]
    assert f'href="{reverse("web:event", args=[newest.pk, newest.slug])}" tabindex="-1"' in html


def test_pages_say_what_the_independent_source_count_counts(client, store):
    # The count is of original reports, which may have no article in the event (a cited Reuters
    # story): "N articles from K sources" would be wrong, so the pages say what K is.
    timeline = client.get("/").content.decode()
    assert "Independent sources are the original reports behind the articles, not the articles" in timeline
    ev = store.events[0]
    page = client.get(reverse("web:event", args=[ev.pk, ev.slug])).content.decode()
    assert "3 articles · 2 independent sources" in page
    assert "counts even without an article here" in page
    assert "articles from" not in page
    # One wording for both pages (tracker.web.glossary), so they cannot come to say different things.
    note = escape(INDEPENDENT_SOURCES_NOTE)
    assert f"Independent sources are {note}.</p>" in timeline
    assert f'<span class="hint">({note})</span>' in page
