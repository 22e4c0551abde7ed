"""The pipeline's hot queries are answered by an index, whatever the store's size (SQLite plans;
the application never runs ANALYZE, so these hold without statistics)."""

from datetime import UTC, datetime

import pytest
from django.db import connection

from tracker.events.models import ArticleFingerprint, Event
from tracker.news.models import Article

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite query plans")


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("flags", "index"),
    [
        ({"needs_dedup": True}, "article_needs_dedup_idx"),
        ({"needs_analysis": True, "needs_dedup": False}, "article_needs_analysis_idx"),
        (
            {"needs_clustering": True, "needs_dedup": False, "needs_analysis": False},
            "article_needs_cluster_idx",
        ),
    ],
)
def test_stage_pickup_reads_its_partial_index_in_order(flags, index):
    plan = _plan(Article.objects.filter(**flags).order_by("published_at", "id").values_list("id")[:500])
    assert index in plan
    assert "TEMP B-TREE" not in plan


@pytest.mark.django_db
def test_event_candidates_and_fingerprint_window_use_indexes():
    lo, hi = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 3, 1, tzinfo=UTC)
    plan = _plan(
        Event.objects.filter(merged_into__isnull=True, last_article_at__gte=lo, first_reported_at__lte=hi)
        .exclude(status=Event.Status.HIDDEN)
        .order_by()
        .values("id")
    )
    assert "event_candidates_idx" in plan
    plan = _plan(ArticleFingerprint.objects.filter(published_at__range=(lo, hi)).values("article_id"))
    assert "SCAN" not in plan
    plan = _plan(Article.objects.filter(copy_of_id__in=[1, 2]).values_list("id", "copy_of_id"))
    assert "SCAN" not in plan


@pytest.mark.django_db
def test_event_refresh_pickup_reads_its_partial_index():
    plan = _plan(Event.objects.filter(needs_refresh=True).order_by("id")[:200])
    assert "event_needs_refresh_idx" in plan
    assert "TEMP B-TREE" not in plan
