import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.web import factories
from tracker.events.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.WEB_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_second_request_is_served_from_cache_with_one_query(client, store, cached, django_assert_num_queries):
    assert client.get("/")["X-Cache"] == "miss"
    with django_assert_num_queries(1):  # the data version only
        response = client.get("/")
    assert response["X-Cache"] == "hit"
    assert store.events[-1].title in response.content.decode()
    assert "Content-Security-Policy" in response  # headers still come from the middleware


def test_an_edited_event_shows_at_once(client, store, cached):
    ev = store.events[-1]
    client.get("/")
    Event.objects.filter(pk=ev.pk).update(title="Renamed rule", updated_at=timezone.now())
    response = client.get("/")
    assert response["X-Cache"] == "miss"
    assert "Renamed rule" in response.content.decode()


def test_a_new_company_reaches_the_filter_form(client, db, cached):
    client.get("/")
    factories.company("Brand New Lab")
    assert "Brand New Lab" in client.get("/").content.decode()


def test_errors_are_not_cached(client, store, cached):
    assert client.get("/", {"company": "ghost"}).status_code == 400
    assert "X-Cache" not in client.get("/", {"company": "ghost"})
    factories.company("Ghost")
    assert client.get("/", {"company": "ghost"}).status_code == 200
    assert client.get("/api/events", {"cursor": "bad"}).status_code == 400


def test_feeds_keep_conditional_get_when_cached(client, store, cached):
    first = client.get(reverse("web:feed_events_atom"))
    second = client.get(reverse("web:feed_events_atom"))
    assert second["X-Cache"] == "hit" and second["ETag"] == first["ETag"]
    assert client.get(reverse("web:feed_events_atom"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_pages_show_what_the_pipeline_wrote_at_once(client, store, cached):
    """A new article placed in an event and the event refreshed by the pipeline reach the event
    page, the timeline (counts), the feed and search on the next request, cache or no cache."""
    from tracker.events import services as event_services

    ev = Event.objects.get(pk=store.events[-1].pk)
    page = reverse("web:event", args=[ev.pk, ev.slug])
    feed = reverse("web:feed_events_json")
    for url in [page, "/", feed, "/search/?q=quasar"]:
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit"
    before = Event.objects.get(pk=ev.pk).article_count

    factories.article(source=store.sources[2], event=ev, title="Quasar audit widens the chip rule")
    event_services.events_refresh(events=[ev])
    ev.refresh_from_db()
    assert ev.article_count == before + 1

    html = client.get(page, follow=True).content.decode()  # the refresh may retitle it: a redirect
    assert "Quasar audit widens the chip rule" in html
    assert f"{ev.article_count} articles" in html
    timeline = client.get("/").content.decode()
    assert f"{ev.article_count} articles" in timeline
    item = next(i for i in client.get(feed).json()["items"] if i["id"].endswith(f":event:{ev.pk}"))
    assert f"{ev.article_count} articles" in item["content_html"]
    assert "audit widens the chip rule" in client.get("/search/?q=quasar").content.decode()


def test_fragments_follow_the_data_version(client, store, cached):
    """The timeline's month chart and filter choices are kept per data version, not per time."""
    html = client.get("/", {"topic": "chips"}).content.decode()
    assert "Brand New Lab" not in html
    undated = store.events[1]
    Event.objects.filter(pk=undated.pk).update(event_date=None, updated_at=timezone.now())
    factories.company("Brand New Lab")
    again = client.get("/", {"topic": "chips"}).content.decode()
    assert "Brand New Lab" in again and again != html


def test_a_repeated_feed_poll_costs_one_query(client, store, cached, django_assert_num_queries):
    url = reverse("web:feed_events_rss")
    first = client.get(url, {"company": "nvidia"})
    with django_assert_num_queries(1):  # the data version: no filter lookup, no last-change query
        again = client.get(url, {"company": "nvidia"})
    assert again["X-Cache"] == "hit" and again.content == first.content
    with django_assert_num_queries(1):
        assert client.get(url, {"company": "nvidia"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_cached_feed_etag_follows_an_edit(client, store, cached):
    url = reverse("web:feed_events_rss")
    etag = client.get(url)["ETag"]
    Event.objects.filter(pk=store.events[3].pk).update(updated_at=timezone.now() + timezone.timedelta(days=1))
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_a_hit_is_served_before_sessions_auth_and_routing_with_the_same_headers(
    client, store, cached, django_assert_num_queries, monkeypatch
):
    """The stored page comes back with every header the full response had (CSP, frame, content
    type, referrer and permissions policies) without running the view or the inner middleware."""
    from django.contrib.sessions.middleware import SessionMiddleware

    from tracker.web import views

    miss = client.get("/", {"topic": "chips"})
    assert miss["X-Cache"] == "miss"
    monkeypatch.setattr(views.selectors, "timeline_page", lambda *a, **k: pytest.fail("the view ran"))
    monkeypatch.setattr(SessionMiddleware, "process_request", lambda *a: pytest.fail("sessions ran"))
    with django_assert_num_queries(1):  # the data version
        hit = client.get("/", {"topic": "chips"})
    assert hit["X-Cache"] == "hit" and hit.content == miss.content
    skip = {"X-Cache"}
    assert {k: v for k, v in hit.items() if k not in skip} == {k: v for k, v in miss.items() if k not in skip}
    for header in ["Content-Security-Policy", "X-Frame-Options", "Content-Type", "Permissions-Policy"]:
        assert hit[header] == miss[header]


def test_a_hit_answers_conditional_gets_from_the_stored_validators(client, store, cached):
    url = reverse("web:feed_events_atom")
    first = client.get(url, {"topic": "chips"})
    assert first["X-Cache"] == "miss"
    not_modified = client.get(url, {"topic": "chips"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not_modified.content == b""
    since = client.get(url, {"topic": "chips"}, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    stale = client.get(url, {"topic": "chips"}, HTTP_IF_NONE_MATCH='"something-else"')
    assert stale.status_code == 200 and stale["X-Cache"] == "hit" and stale["ETag"] == first["ETag"]


def test_responses_that_set_cookies_are_never_stored(client, store, cached, monkeypatch):
    from tracker.web import views

    real = views.render

    def with_cookie(*args, **kwargs):
        response = real(*args, **kwargs)
        response.set_cookie("seen", "1")
        return response

    monkeypatch.setattr(views, "render", with_cookie)
    client.get("/search/", {"q": "rule"})
    again = client.get("/search/", {"q": "rule"})
    assert "X-Cache" not in again and again.cookies["seen"].value == "1"


def test_responses_that_read_the_session_are_never_stored(client, store, cached, monkeypatch):
    from tracker.web import views

    real = views.render

    def reading_the_session(request, *args, **kwargs):
        request.session.get("anything")  # SessionMiddleware then adds Vary: Cookie
        return real(request, *args, **kwargs)

    monkeypatch.setattr(views, "render", reading_the_session)
    client.get("/search/", {"q": "rule"})
    again = client.get("/search/", {"q": "rule"})
    assert "X-Cache" not in again and "Cookie" in again["Vary"]


def test_the_admin_is_never_served_from_the_page_cache(client, store, cached, admin_client):
    assert admin_client.get("/admin/").status_code == 200
    assert "X-Cache" not in admin_client.get("/admin/")
    assert client.get("/admin/").status_code == 302  # an anonymous reader still goes to the login


def test_pages_cache_without_the_middleware_too(client, store, cached, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("ResponseCacheMiddleware")]
    assert client.get("/").get("X-Cache") == "miss"
    assert client.get("/").get("X-Cache") == "hit"


def test_only_cached_views_pay_for_a_lookup(client, store, cached, django_assert_num_queries):
    """The health check, the feeds index and unknown paths run no version query; the API and the
    pages are served from the page cache."""
    with django_assert_num_queries(0):
        assert client.get("/healthz").status_code == 200
        assert client.get("/feeds/").status_code == 200
        assert client.get("/no-such-page/").status_code == 404
    assert client.get("/api/events").get("X-Cache") == "miss"
    with django_assert_num_queries(1):
        assert client.get("/api/events")["X-Cache"] == "hit"


def test_the_data_version_reads_company_and_source_changes_from_indexes(db):
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("companies_company", "sources_source"):
            constraints = connection.introspection.get_constraints(cursor, table)
            assert any(c["index"] and c["columns"] == ["updated_at"] for c in constraints.values()), table
