"""Claim lists load in a fixed number of queries; the admin shows claims and locks verdicts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tracker.claims.models import Claim
from tracker.claims.selectors import claim_list_for_company, claim_list_for_event, claim_list_for_events
from tracker.claims.services import claims_extract_for_article, claims_refresh_for_event

pytestmark = pytest.mark.django_db

TEXTS = [
    "OpenAI will block API access from mainland China starting July 9th. "
    "Microsoft continues to offer OpenAI models to eligible customers in China through 21Vianet.",
    "From 9 July, OpenAI blocks access to its API for developers in China. "
    "According to The Informant, three Chinese companies still reach OpenAI models through Azure.",
    "Washington added 140 entities to its trade blacklist on Monday.",
]


@pytest.fixture
def filled_event(event, outlets, add_article):
    for i, text in enumerate(TEXTS):
        article = add_article(list(outlets.values())[i], text, hours=i)
        claims_extract_for_article(article=article)
    claims_refresh_for_event(event=event)
    return event


def touch_everything(claims):
    for claim in claims:
        str(claim.attributed_to)
        str(claim.original_reporter)
        for link in claim.carriers.all():
            assert link.article.source.name
        list(claim.about_companies.all())


def test_event_claims_in_constant_queries(filled_event, django_assert_num_queries):
    with django_assert_num_queries(3):  # claims, carriers with articles and sources, companies
        claims = list(claim_list_for_event(event=filled_event))
        touch_everything(claims)
    assert len(claims) >= 4
    counts = [claim.independent_source_count for claim in claims]
    assert counts == sorted(counts, reverse=True)


def test_claims_of_many_events_grouped(filled_event, django_assert_num_queries):
    with django_assert_num_queries(2):
        grouped = claim_list_for_events(events=[filled_event])
    assert sum(len(claims) for claims in grouped.values()) == Claim.objects.count()


def test_company_claims(filled_event, companies, django_assert_num_queries):
    with django_assert_num_queries(2):
        claims = claim_list_for_company(company=companies["microsoft"])
    assert claims
    assert all(
        claim.attributed_to_id == companies["microsoft"].pk
        or companies["microsoft"] in claim.about_companies.all()
        for claim in claims
    )


def test_admin_lists_claims_and_marks_them_verified(filled_event, admin_client):
    response = admin_client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 200
    assert b"three Chinese companies" in response.content

    claim = Claim.objects.filter(kind=Claim.Kind.POLICY_ACTION).first()
    response = admin_client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "mark_verified", "_selected_action": [claim.pk]},
        follow=True,
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert (claim.status, claim.editor_locked) == (Claim.Status.VERIFIED, True)

    claims_refresh_for_event(event=filled_event)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED


def test_admin_change_page_shows_carriers(filled_event, admin_client):
    claim = Claim.objects.filter(carriers__isnull=False).first()
    response = admin_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert response.status_code == 200
    assert claim.carriers.first().quote.encode()[:40] in response.content
    assert admin_client.get(reverse("admin:claims_citation_changelist")).status_code == 200
