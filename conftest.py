"""Project-wide pytest configuration."""

import os

import pytest
from django.conf import settings


def pytest_collection_modifyitems(config, items):
    """Broker tests need a real broker and worker; in eager mode they are skipped, unless CI
    demands them (TRACKER_REQUIRE_BROKER=1), where a missing broker is a failure instead."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        return
    if os.environ.get("TRACKER_REQUIRE_BROKER") == "1":
        raise pytest.UsageError("TRACKER_REQUIRE_BROKER=1 but CELERY_BROKER_URL is not set")
    skip = pytest.mark.skip(reason="needs CELERY_BROKER_URL and a running worker")
    for item in items:
        if "broker" in item.keywords:
            item.add_marker(skip)
