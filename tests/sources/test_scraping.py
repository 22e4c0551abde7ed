"""The tracker's fetcher: which per-host throttle the settings give it."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from scrapers.redis_throttle import RedisHostThrottle
from scrapers.throttle import LocalHostThrottle
from tests.redis_urls import closed_port_redis_url
from tracker.sources import scraping


def test_fetcher_shares_politeness_through_redis_when_a_throttle_url_is_set():
    scraping.reset_fetcher()
    try:
        with override_settings(SCRAPER_THROTTLE_URL="redis://127.0.0.1:6379/12"):
            throttle = scraping.get_fetcher().throttle
        assert isinstance(throttle, RedisHostThrottle)
        assert throttle.key("example.org:443") == "tracker:host-throttle:example.org:443"
    finally:
        scraping.reset_fetcher()


def test_fetcher_spaces_requests_in_process_without_a_throttle_url():
    scraping.reset_fetcher()
    try:
        with override_settings(SCRAPER_THROTTLE_URL=""):
            assert isinstance(scraping.get_fetcher().throttle, LocalHostThrottle)
    finally:
        scraping.reset_fetcher()


def test_no_interval_override_never_asks_the_throttle_store(http_server, caplog):
    # The demo and the tests set per_host_min_interval=0 for their own local server: fetches go
    # straight out, even when the configured Redis is not there.
    url = http_server.add("/p", "ok")
    with override_settings(SCRAPER_THROTTLE_URL=closed_port_redis_url()):
        scraping.reset_fetcher()
        scraping.configure_fetcher(allowed_hosts=("127.0.0.1",), per_host_min_interval=0.0)
        with caplog.at_level(logging.WARNING, logger="scrapers.redis_throttle"):
            assert scraping.fetch(url).content == b"ok"
            assert scraping.fetch(url).content == b"ok"
        assert isinstance(scraping.get_fetcher().throttle, RedisHostThrottle)
    assert not [record for record in caplog.records if record.name == "scrapers.redis_throttle"]


def test_a_throttle_url_that_is_not_redis_names_the_setting():
    scraping.reset_fetcher()
    try:
        with (
            override_settings(SCRAPER_THROTTLE_URL="http://127.0.0.1:6379/0"),
            pytest.raises(
                ImproperlyConfigured, match=r"SCRAPER_THROTTLE_URL='http://127\.0\.0\.1:6379/0' is not"
            ),
        ):
            scraping.get_fetcher()
    finally:
        scraping.reset_fetcher()
