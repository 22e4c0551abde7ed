import pytest

from tests.web import factories


@pytest.fixture
def store(db):
    return factories.populate(n_events=32)


@pytest.fixture(autouse=True)
def no_response_cache(settings):
    """Query-count and content tests measure the real work; caching has its own tests."""
    settings.WEB_CACHE_SECONDS = 0
