"""`__among`: the rows of `__in`, sent on PostgreSQL as one array parameter."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper

from tests.analysis.helpers import article_make, source_get
from tracker.news.models import Article, ArticleCompany

T0 = datetime(2025, 2, 3, 9, tzinfo=UTC)


@pytest.fixture
def articles(db):
    source = source_get(domain="among.example")
    return [
        article_make(source=source, title=f"Story {i}", text="Text.", published=T0 + timedelta(hours=i))
        for i in range(5)
    ]


@pytest.mark.parametrize("pick", [[0, 2, 4], [1, 1, 3], [], [4]])
def test_among_selects_what_in_selects(articles, pick):
    ids = [articles[i].pk for i in pick] + [None, 10**9]
    expected = sorted(Article.objects.filter(pk__in=ids).values_list("id", flat=True))
    assert sorted(Article.objects.filter(pk__among=ids).values_list("id", flat=True)) == expected
    assert len(expected) == len(set(pick))
    assert Article.objects.filter(pk__among=ids).update(needs_analysis=False) == len(expected)
    assert Article.objects.filter(needs_analysis=False).count() == len(expected)


def test_among_on_a_foreign_key_and_with_a_subquery(articles):
    assert sorted(
        Article.objects.filter(source_id__among=[articles[0].source_id]).values_list("id", flat=True)
    ) == [a.pk for a in articles]
    inner = Article.objects.filter(pk=articles[1].pk).values("pk")
    assert list(Article.objects.filter(pk__among=inner).values_list("id", flat=True)) == [articles[1].pk]
    assert ArticleCompany.objects.filter(article_id__among=[a.pk for a in articles]).delete()[0] == 0


def test_among_sends_one_array_parameter_to_postgresql():
    # Compiled for PostgreSQL without connecting: the statement does not grow with the ids.
    wrapper = PostgresWrapper({**_postgres_settings(), "NAME": "unused"}, alias="among-sql")
    query = Article.objects.filter(pk__among=list(range(1, 501))).values_list("id").query
    sql, params = query.get_compiler(connection=wrapper).as_sql()
    assert "= ANY(%s::bigint[])" in sql and " IN " not in sql
    assert params == ("{" + ",".join(str(i) for i in range(1, 501)) + "}",)


def _postgres_settings() -> dict:
    from django.db import connections

    settings = dict(connections["default"].settings_dict)
    settings["ENGINE"] = "django.db.backends.postgresql"
    return settings
