import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EVENT_KEYS = {
    "id",
    "title",
    "slug",
    "summary",
    "url",
    "event_date",
    "date_precision",
    "date_method",
    "article_count",
    "independent_source_count",
    "first_reported_at",
    "first_reported_by",
    "companies",
    "jurisdictions",
    "topics",
    "created_at",
    "updated_at",
}


def test_events_list_shape_and_filters(client, store):
    data = client.get("/api/events", {"jurisdiction": "china"}).json()
    assert set(data) == {"results", "next_cursor", "next"}
    assert set(data["results"][0]) == EVENT_KEYS
    assert all(any(j["code"] == "CN" for j in e["jurisdictions"]) for e in data["results"])
    dates = [e["event_date"] for e in data["results"]]
    assert dates == sorted(dates, reverse=True)


def test_event_detail_has_articles_claims_and_relations(client, store):
    ev = store.events[0]
    data = client.get(f"/api/events/{ev.pk}").json()
    assert len(data["articles"]) == 3
    assert data["claims"][0]["independent_source_count"] == 2
    assert data["relations"][0]["kind"] == "partner_of"


def test_companies_claims_and_search(client, store):
    companies = client.get("/api/companies").json()
    assert {c["slug"] for c in companies["results"]} >= {"nvidia", "example-ai-lab"}
    nvidia = client.get("/api/companies/nvidia").json()
    assert nvidia["aliases"] == ["NVIDIA Corp"] and len(nvidia["claims_about"]) == 32
    claims = client.get("/api/claims", {"company": "nvidia"}).json()
    assert len(claims["results"]) == 32 and claims["next_before"] is None
    page = client.get("/api/claims").json()
    assert len(page["results"]) == 32
    one = client.get(f"/api/claims/{store.claims[0].pk}").json()
    assert one["carriers"][0]["stance"] == "asserts"
    found = client.get("/api/search", {"q": "Nvidia"}).json()
    assert found["companies"][0]["item"]["slug"] == "nvidia"
    assert "<mark>" in found["companies"][0]["title_html"]


@pytest.mark.parametrize(
    "url, status, message",
    [
        ("/api/events?cursor=zzz", 400, "cursor"),
        ("/api/events?topic=nothing", 400, "No topic"),
        ("/api/events/999999", 404, "Not found"),
        ("/api/companies/ghost", 404, "Not found"),
        ("/api/claims?status=maybe", 400, "status"),
        ("/api/claims?before=abc", 400, "whole number"),
        ("/api/search", 400, "?q="),
        ("/api/nothing-here", 404, "No API endpoint"),
    ],
)
def test_api_errors_are_json(client, db, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert message in response.json()["error"]["message"]


def test_api_is_read_only(client, db):
    assert client.post("/api/events").status_code == 405


def test_api_query_counts(client, store, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/api/events")
    with django_assert_max_num_queries(8):
        client.get(reverse("web:api_event", args=[store.events[0].pk]))
    with django_assert_max_num_queries(12):
        client.get("/api/search", {"q": "chip"})


def test_api_index_lists_endpoints(client, db):
    assert "/api/events/<id>" in client.get("/api/").json()["endpoints"].values()
