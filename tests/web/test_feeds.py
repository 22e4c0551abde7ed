import feedparser
import jsonschema
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.web.jsonfeed_schema import JSON_FEED_1_1
from tracker.events.models import Event

pytestmark = pytest.mark.django_db

EVENT_FEEDS = ["web:feed_events_rss", "web:feed_events_atom", "web:feed_events_json"]
FILTERS = [{}, {"company": "nvidia"}, {"jurisdiction": "china"}, {"topic": "chips"}, {"q": "rule"}]


def parse(response):
    if response["Content-Type"].startswith("application/feed+json"):
        data = response.json()
        jsonschema.validate(data, JSON_FEED_1_1)
        return data
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


CASES = [(name, params) for name in EVENT_FEEDS for params in FILTERS] + [
    (name, {}) for name in ["web:feed_claims_rss", "web:feed_claims_atom", "web:feed_claims_json"]
]


@pytest.mark.parametrize("name, params", CASES)
def test_every_feed_parses_cleanly(client, store, name, params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    feed = parse(response)
    entries = feed["items"] if isinstance(feed, dict) else feed.entries
    assert entries, "a populated store gives a non-empty feed"


def test_empty_feeds_are_valid_too(client, db):
    for name in [*EVENT_FEEDS, "web:feed_claims_json"]:
        parse(client.get(reverse(name)))


def test_filtered_feed_only_carries_matching_events(client, store):
    feed = parse(client.get(reverse("web:feed_events_json"), {"company": store.companies[2].slug}))
    ids = {item["id"].rsplit(":", 1)[1] for item in feed["items"]}
    assert ids == {str(e.pk) for i, e in enumerate(store.events) if i % 3 == 0}
    assert "Example AI Lab" in feed["title"]


def test_guids_are_stable_tag_uris_and_updates_are_marked(client, store):
    ev = store.events[0]
    before = feedparser.parse(client.get(reverse("web:feed_events_atom")).content)
    entry = next(e for e in before.entries if e.id.endswith(f":event:{ev.pk}"))
    assert entry.id.startswith("tag:")

    ev.title = "Export rule 0 widened to more chips"
    ev.updated_at = timezone.now() + timezone.timedelta(hours=1)
    ev.save(update_fields=["title", "updated_at"])
    after = feedparser.parse(client.get(reverse("web:feed_events_atom")).content)
    first = after.entries[0]
    assert first.id == entry.id  # same GUID, so readers update instead of duplicating
    assert first.title.startswith("Updated:")
    assert first.updated_parsed > entry.updated_parsed
    data = client.get(reverse("web:feed_events_json")).json()
    assert data["items"][0]["date_modified"] > data["items"][0]["date_published"]
    rss = feedparser.parse(client.get(reverse("web:feed_events_rss")).content)
    assert rss.entries[0].id == entry.id and "updated" in [t.term for t in rss.entries[0].tags]


@pytest.mark.parametrize("name", [*EVENT_FEEDS, "web:feed_claims_atom"])
def test_conditional_get_returns_304(client, store, name):
    first = client.get(reverse(name), {"topic": "chips"} if "events" in name else {})
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    again = client.get(reverse(name), {"topic": "chips"} if "events" in name else {}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    since = client.get(
        reverse(name), {"topic": "chips"} if "events" in name else {}, HTTP_IF_MODIFIED_SINCE=last_modified
    )
    assert since.status_code == 304


def test_etag_changes_when_an_event_changes(client, store):
    etag = client.get(reverse("web:feed_events_rss"))["ETag"]
    Event.objects.filter(pk=store.events[3].pk).update(updated_at=timezone.now() + timezone.timedelta(days=1))
    response = client.get(reverse("web:feed_events_rss"), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_feed_content_is_sanitised(client, db):
    from tests.web import factories

    factories.event(
        "Ev <script>x</script>", summary='<img src=x onerror="alert(1)"><a href="https://a.example">ok</a>'
    )
    for name in EVENT_FEEDS:
        body = client.get(reverse(name)).content.decode()
        assert "onerror" not in body and "<script>" not in body
    data = client.get(reverse("web:feed_events_json")).json()
    assert 'rel="noopener noreferrer"' in data["items"][0]["content_html"]


def test_bad_feed_filter_is_a_400_with_a_message(client, db):
    response = client.get(reverse("web:feed_events_atom"), {"company": "ghost"})
    assert response.status_code == 400
    assert b"No company" in response.content


@pytest.mark.parametrize(
    "name", [*EVENT_FEEDS, "web:feed_claims_rss", "web:feed_claims_atom", "web:feed_claims_json"]
)
def test_feed_query_counts_are_flat(client, store, name, django_assert_max_num_queries):
    # events: filter lookup (once), items (which give the last change too), their
    # companies/places/topics; claims: last change, items
    with django_assert_max_num_queries(3 if "events" in name else 2):
        client.get(reverse(name), {"company": "nvidia"} if "events" in name else {})


def test_last_modified_is_the_latest_change_among_the_matching_events(client, store):
    from django.utils.http import http_date

    chips = Event.objects.filter(topics__slug="chips")
    other = Event.objects.exclude(pk__in=chips.values("pk")).first()
    later = timezone.now() + timezone.timedelta(days=3)
    Event.objects.filter(pk=other.pk).update(updated_at=later)  # newest overall, but not on chips
    latest = max(e.updated_at for e in chips)
    for name in EVENT_FEEDS:
        response = client.get(reverse(name), {"topic": "chips"})
        assert response["Last-Modified"] == http_date(latest.timestamp())
        assert client.get(reverse(name))["Last-Modified"] == http_date(later.timestamp())
    empty = client.get(reverse("web:feed_events_rss"), {"q": "no such words anywhere"})
    assert empty.status_code == 200 and "ETag" not in empty and "Last-Modified" not in empty


def test_pages_advertise_their_feeds(client, store):
    html = client.get(reverse("web:company", args=["nvidia"])).content.decode()
    assert '<link rel="alternate" type="application/feed+json"' in html
    assert "/feeds/events.json?company=nvidia" in html
    html = client.get("/search/", {"q": "chip"}).content.decode()
    assert "/feeds/events.atom?q=chip" in html
    html = client.get("/", {"topic": "chips"}).content.decode()
    assert 'href="/feeds/events.rss?topic=chips"' in html


@pytest.mark.parametrize(
    "broken",
    [
        {"title": "t", "items": []},  # no version
        {"version": "https://jsonfeed.org/version/1", "title": "t", "items": []},  # 1.0 is not 1.1
        {"version": JSON_FEED_1_1["properties"]["version"]["const"], "title": "t", "items": [{"id": "1"}]},
        {
            "version": JSON_FEED_1_1["properties"]["version"]["const"],
            "title": "t",
            "items": [{"id": "1", "content_text": "x", "date_published": "22 Nov 2026"}],
        },
        {"version": JSON_FEED_1_1["properties"]["version"]["const"], "title": "t", "items": [], "author": {}},
    ],
)
def test_the_json_feed_schema_rejects_invalid_feeds(broken):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, JSON_FEED_1_1)


def test_atom_feeds_name_an_author(client, store):
    for name in ["web:feed_events_atom", "web:feed_claims_atom"]:
        assert feedparser.parse(client.get(reverse(name)).content).feed.author == "AI Policy Tracker"


def test_feed_entry_says_what_the_source_count_counts(client, db):
    # The count includes cited reports with no article in the event, so "N articles from K
    # sources" would be wrong; the entry names K for what it is.
    from tests.web import factories

    factories.event("Chip rule")
    item = client.get(reverse("web:feed_events_json")).json()["items"][0]
    assert "articles from" not in item["content_html"]
    assert (
        "independent sources (the original reports behind the articles, not the articles themselves)"
        in item["content_html"]
    )
