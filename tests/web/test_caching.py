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
