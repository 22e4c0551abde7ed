"""int_rows_insert writes exactly the rows given (on PostgreSQL through unnest, else bulk_create)."""

from datetime import UTC, datetime, timedelta

from tests.analysis.helpers import article_make, source_get
from tracker.companies.models import Company
from tracker.jurisdictions.models import Jurisdiction
from tracker.news.bulk_sql import int_rows_insert
from tracker.news.models import Article, ArticleCompany

T0 = datetime(2025, 2, 10, 9, tzinfo=UTC)


def test_int_rows_insert_writes_the_rows_given(db):
    source = source_get(domain="rows.example")
    a, b = (
        article_make(source=source, title=f"Story {i}", text="Text.", published=T0 + timedelta(hours=i))
        for i in range(2)
    )
    acme = Company.objects.create(name="Acme Robotics", slug="acme-robotics")
    zeta = Company.objects.create(name="Zeta Labs", slug="zeta-labs")
    rows = [(a.pk, acme.pk, 3, True), (a.pk, zeta.pk, 1, False), (b.pk, zeta.pk, 7, True)]
    int_rows_insert(ArticleCompany, ["article_id", "company_id", "mention_count", "prominent"], rows)
    int_rows_insert(ArticleCompany, ["article_id", "company_id", "mention_count", "prominent"], [])
    stored = ArticleCompany.objects.values_list("article_id", "company_id", "mention_count", "prominent")
    assert sorted(stored) == sorted(rows)
    # Inserted in the order given (ids ascending).
    assert list(stored.order_by("id")) == rows

    through = Article.jurisdictions.through
    places = list(Jurisdiction.objects.order_by("pk").values_list("pk", flat=True)[:2])
    if not places:
        places = [Jurisdiction.objects.create(code="ZZ", name="Zedland", slug="zedland").pk]
    int_rows_insert(through, ["article_id", "jurisdiction_id"], [(b.pk, j) for j in places])
    assert sorted(through.objects.values_list("article_id", "jurisdiction_id")) == [(b.pk, j) for j in places]
