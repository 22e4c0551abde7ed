import pytest

from tests.web import factories


@pytest.fixture
def store(db):
    return factories.populate(n_events=32)
