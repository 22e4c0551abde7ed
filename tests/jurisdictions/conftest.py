import pytest

from tracker.companies.services import reference_data_load


@pytest.fixture
def reference_data(db):
    """Jurisdictions, topics and the starter organisations, loaded through the service."""
    return reference_data_load()
