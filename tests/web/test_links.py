import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from tracker.web.links import event_url, slug_url


@pytest.mark.parametrize("name", ["web:company", "web:jurisdiction", "web:source"])
def test_slug_url_matches_reverse(name):
    for slug in ["nvidia", "united-states", "a_b-9"]:
        assert slug_url(name, slug) == reverse(name, kwargs={"slug": slug})


def test_event_url_matches_reverse_and_defaults_the_slug():
    assert event_url(42, "chip-rule") == reverse("web:event", kwargs={"event_id": 42, "slug": "chip-rule"})
    assert event_url(42, "") == reverse("web:event", kwargs={"event_id": 42, "slug": "event"})


def test_a_slug_the_url_cannot_take_fails_like_reverse():
    with pytest.raises(NoReverseMatch):
        slug_url("web:company", "not a slug/")


def test_links_follow_the_script_prefix():
    set_script_prefix("/tracker/")
    try:
        assert slug_url("web:company", "nvidia") == reverse("web:company", args=["nvidia"])
        assert slug_url("web:company", "nvidia").startswith("/tracker/")
        assert event_url(7, "x") == reverse("web:event", args=[7, "x"])
    finally:
        set_script_prefix("/")
