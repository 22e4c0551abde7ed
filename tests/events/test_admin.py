"""Editors' admin: pages load, and actions go through the services."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User

from tests.analysis.helpers import article_make, source_get
from tracker.companies.models import Company, OrganisationCandidate
from tracker.events.models import Event

T0 = datetime(2024, 7, 9, tzinfo=UTC)


@pytest.fixture
def editor(client, reference_data):
    User.objects.create_superuser("editor", "editor@example.invalid", "pw")
    client.login(username="editor", password="pw")
    return client


def _event(title, n):
    event = Event.objects.create(title=title, event_date=T0.date(), first_reported_at=T0)
    article = article_make(
        source=source_get(domain=f"s{n}.example"), title=title, text="Body text.", published=T0
    )
    article.event = event
    article.save()
    return event, article


def test_event_pages_and_merge_action(editor):
    first, _ = _event("One", 1)
    second, article = _event("Two", 2)
    assert editor.get("/admin/events/event/").status_code == 200
    assert editor.get(f"/admin/events/event/{first.pk}/change/").status_code == 200
    response = editor.post(
        "/admin/events/event/", {"action": "merge_selected", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    article.refresh_from_db()
    assert second.merged_into_id == first.pk and article.event_id == first.pk
    assert Event.objects.get(pk=first.pk).editor_locked


def test_candidate_accept_as_alias_action(editor):
    candidate = OrganisationCandidate.objects.create(
        name="Redmond Cloud Group", normalized="redmond cloud group"
    )
    microsoft = Company.objects.get(name="Microsoft")
    page = editor.post(
        "/admin/companies/organisationcandidate/",
        {"action": "accept_as_alias", "_selected_action": [candidate.pk]},
    )
    assert page.status_code == 200 and b"Accept as aliases" in page.content
    editor.post(
        "/admin/companies/organisationcandidate/",
        {
            "action": "accept_as_alias",
            "_selected_action": [candidate.pk],
            "apply": "1",
            "company": microsoft.pk,
        },
    )
    candidate.refresh_from_db()
    assert candidate.status == "accepted" and candidate.company == microsoft
    assert microsoft.aliases.filter(alias="Redmond Cloud Group").exists()
    assert editor.get(f"/admin/companies/company/{microsoft.pk}/change/").status_code == 200
