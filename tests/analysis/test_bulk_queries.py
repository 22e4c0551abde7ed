"""Round trips of the bulk path: a batch's queries must not grow with its articles where the
work per article writes nothing or can be written for the whole batch at once."""

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.analysis.helpers import article_make, source_get
from tracker.claims.models import Citation, ClaimArticle
from tracker.events import features
from tracker.events.pipeline import analyse_articles

T0 = datetime(2025, 3, 3, 9, tzinfo=UTC)
# Plain reporting with no quote, citation or figure: claim extraction finds nothing in it.
QUIET_TEXT = (
    "Rain moved across the northern hills on the morning of the fair, and the stalls opened late. "
    "Visitors walked between the tents and looked at the baskets, the bread and the old tools. "
)


def _analysis_queries(n: int) -> int:
    ids = [
        article_make(
            source=source_get(domain=f"quiet{n}-{i % 3}.example"),
            title=f"Village fair opens in the rain, day {i}",
            text=QUIET_TEXT * 2,
            published=T0 + timedelta(hours=i),
            path=f"quiet-{n}-{i}",
        ).pk
        for i in range(n)
    ]
    features.clear()
    with CaptureQueriesContext(connection) as queries:
        result = analyse_articles(article_ids=ids)
    assert result.processed == n and result.errors == 0
    assert not Citation.objects.filter(article_id__in=ids).exists()
    assert not ClaimArticle.objects.filter(article_id__in=ids).exists()
    return len(queries)


def test_articles_without_claims_cost_the_analysis_stage_no_query_each(reference_data):
    _analysis_queries(1)  # the alias matcher and name caches are built once per process
    assert _analysis_queries(2) == _analysis_queries(8)
