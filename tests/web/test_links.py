import datetime as dt

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import NoReverseMatch, reverse, set_script_prefix

from tracker.web.links import event_url, page_url, slug_url
from tracker.web.templatetags.web_tags import day_text, day_time_text


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
        assert page_url("web:search") == reverse("web:search") == "/tracker/search/"
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize(
    "name", ["web:timeline", "web:search", "web:feeds", "web:feed_events_rss", "web:api_events"]
)
def test_page_url_matches_reverse(name):
    assert page_url(name) == reverse(name)


def test_day_texts_match_the_date_filter_in_every_month():
    for month in range(1, 13):
        for value in [
            dt.datetime(2024, month, 9, 14, 5, tzinfo=dt.UTC),
            dt.datetime(2025, month, 28, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        ]:
            assert day_text(value) == date_filter(value, "j M Y")
            assert day_time_text(value) == date_filter(value, "j M Y H:i")
            assert value.isoformat() == date_filter(value, "c")
