"""Fixtures shared by the tests of several apps."""

import pytest

from tests.sources.http_server import FixtureServer
from tracker.sources import scraping


@pytest.fixture
def http_server():
    """A local HTTP server for fixtures; the tracker's fetcher may reach 127.0.0.1 for the test's duration."""
    server = FixtureServer()
    scraping.configure_fetcher(allowed_hosts=("127.0.0.1", "localhost"), per_host_min_interval=0.0)
    yield server
    scraping.reset_fetcher()
    server.close()
