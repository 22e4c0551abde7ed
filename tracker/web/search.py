"""Full-text search over articles, events, claims and companies.

PostgreSQL: a stored `search_vector` column per table, kept by a trigger and indexed with GIN (see
tracker/web/migrations/0001_search_vectors.py), ranked with SearchRank and highlighted with
SearchHeadline. SQLite: every word must appear (icontains), highlighted in Python. Both return the
same shape, so templates, feeds and the API do not care which database answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, F, Model, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape

from tracker.claims.models import Claim
from tracker.companies.models import Company
from tracker.events.models import Event
from tracker.news.models import Article
from tracker.web.prepared import prepared
from tracker.web.sanitize import cleaner

SEARCH_CONFIG = "english"
# Results per kind on the search page: enough to find the thing, small enough to rank quickly.
DEFAULT_LIMIT = 20
# Words either side of a match in a highlighted snippet.
SNIPPET_WORDS = 30
# Ranking reads every candidate's stored vector, so a common word over 100k articles would rank
# them all; the newest 500 matches bound that cost, and recent coverage is what readers look for.
RANK_CANDIDATES = 500
# Highlights only ever contain <mark>; everything else the database returns is treated as text.
HIGHLIGHT_TAGS = {"mark"}
_HIGHLIGHT = cleaner(HIGHLIGHT_TAGS)


@dataclass
class SearchHit:
    obj: Model
    rank: float
    title_html: str
    snippet_html: str


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _vector(model: type[Model]) -> RawSQL:
    table = model._meta.db_table
    return RawSQL(f'"{table}"."search_vector"', [], output_field=SearchVectorField())


def _words(query: str) -> list[str]:
    return [w for w in re.findall(r"\w[\w.\-]*", query) if len(w) > 1 or w.isdigit()][:10]


def filter_by_text(qs: QuerySet, query: str, *, fields: tuple[str, ...]) -> QuerySet:
    """Restrict a queryset of a searchable model to rows matching `query` (no ordering change)."""
    if not query.strip():
        return qs
    if is_postgres():
        # An id subquery stays correct when this queryset is itself nested in another query.
        table = qs.model._meta.db_table
        matching = RawSQL(
            f'SELECT id FROM "{table}" WHERE search_vector @@ websearch_to_tsquery(%s::regconfig, %s)',
            [SEARCH_CONFIG, query],
        )
        return qs.filter(id__in=matching)
    words = _words(query)
    if not words:
        return qs.none()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        qs = qs.filter(any_field)
    return qs


def _highlight_python(text: str, words: list[str], *, snippet: bool) -> str:
    """Escape `text` and wrap each word in <mark>; with snippet, cut around the first match."""
    if snippet:
        lower = text.lower()
        positions = [lower.find(w.lower()) for w in words if lower.find(w.lower()) >= 0]
        start = max(0, min(positions) - 120) if positions else 0
        text = ("…" if start else "") + text[start : start + 320] + ("…" if len(text) > start + 320 else "")
    html = escape(text)
    for word in sorted(words, key=len, reverse=True):
        html = re.sub(f"({re.escape(escape(word))})", r"<mark>\1</mark>", html, flags=re.IGNORECASE)
    return html


def _clean_headline(html: str | None) -> str:
    return _HIGHLIGHT.clean(html or "")


SEARCH_FIELDS: dict[type[Model], tuple[str, str, tuple[str, ...]]] = {
    # model: (title field, body field, fields matched on SQLite)
    Article: ("title", "text", ("title", "summary", "text")),
    Event: ("title", "summary", ("title", "summary")),
    Claim: ("text", "attributed_to_name", ("text", "attributed_to_name", "measure")),
    Company: ("name", "description", ("name", "description", "aliases__alias")),
}


def _ranked_queryset(model: type[Model], base: QuerySet, query: str, limit: int) -> QuerySet:
    """PostgreSQL: the base rows among the newest RANK_CANDIDATES matches, ranked, best `limit`
    first, with `rank`, `title_hl` and `body_hl` (raw ts_headline output, not yet sanitised)."""
    title_field, body_field, _ = SEARCH_FIELDS[model]
    sq = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    table = model._meta.db_table
    # Raw SQL on purpose: a queryset subquery would be aliased (U0) while the vector column is
    # named by table, which turns it into a correlated subquery. `= ANY(ARRAY(...))` rather than
    # `IN (...)`: with IN, PostgreSQL hashed the candidates and scanned the whole table beside
    # them (events: 16 -> 10 ms at 100k articles); the array makes it look the candidate ids up.
    candidates = (
        f'SELECT id, search_vector FROM "{table}" '
        "WHERE search_vector @@ websearch_to_tsquery(%s::regconfig, %s) ORDER BY id DESC LIMIT %s"
    )
    if base.query.where:
        # The base drops some rows (hidden events, say): rank what is left of the candidates.
        in_candidates = RawSQL(
            f'"{table}"."id" = ANY(ARRAY(SELECT id FROM ({candidates}) c))',
            [SEARCH_CONFIG, query, RANK_CANDIDATES],
            output_field=BooleanField(),
        )
    else:
        # Every candidate is a base row, so the best `limit` are picked while the candidates are
        # read, from the vector that pass already fetched; only those few rows are then looked up
        # again and joined (articles at 100k: 10.5 -> ~4 ms). The outer query ranks them again
        # with the same function and sorts by the same keys, so rows and order are unchanged.
        in_candidates = RawSQL(
            f'"{table}"."id" = ANY(ARRAY(SELECT id FROM ({candidates}) c '
            "ORDER BY ts_rank(c.search_vector, websearch_to_tsquery(%s::regconfig, %s)) DESC, id DESC "
            "LIMIT %s))",
            [SEARCH_CONFIG, query, RANK_CANDIDATES, SEARCH_CONFIG, query, limit],
            output_field=BooleanField(),
        )
    # One query: rank the candidates, keep the best `limit`, and only then build headlines (a
    # headline re-parses the whole text; PostgreSQL evaluates these costly output columns after
    # the sort and limit, so 20 rows pay for it, not 500).
    return (
        base.filter(in_candidates)
        .alias(search_vector_=_vector(model))
        .annotate(
            rank=SearchRank(F("search_vector_"), sq),
            title_hl=SearchHeadline(
                title_field,
                sq,
                config=SEARCH_CONFIG,
                start_sel="<mark>",
                stop_sel="</mark>",
                highlight_all=True,
            ),
            body_hl=SearchHeadline(
                body_field,
                sq,
                config=SEARCH_CONFIG,
                start_sel="<mark>",
                stop_sel="</mark>",
                max_words=SNIPPET_WORDS,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-id")[:limit]
    )


# Stands for the reader's words while a search shape is compiled; never sent to the database.
_QUERY_PLACEHOLDER = "tracker-search-placeholder-5c1d"


def search_model(
    model: type[Model],
    base: QuerySet,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    only: tuple[str, ...] = (),
    key: str = "",
) -> list[SearchHit]:
    """Ranked, highlighted hits of one kind, in one query on either database. `only`: the columns
    the caller shows (all when empty); PostgreSQL builds the highlights itself, so the title and
    body columns are read only on SQLite. `key` names a search whose model, base queryset and
    `only` never change between calls (the search page's four kinds, say): on PostgreSQL its SQL
    is then compiled once per connection and reused with the new words."""
    title_field, body_field, sqlite_fields = SEARCH_FIELDS[model]
    if not query.strip():
        return []
    if only:
        base = base.only(*only) if is_postgres() else base.only(*only, title_field, body_field)
    if is_postgres():
        if key:
            # Compiling the ranked queryset (four annotations, the headline options quoted one by
            # one) cost more Python time than running it.
            rows = prepared(
                f"search:{key}:{limit}",
                lambda: _ranked_queryset(model, base, _QUERY_PLACEHOLDER, limit),
                (_QUERY_PLACEHOLDER,),
            ).run(query)
        else:
            rows = list(_ranked_queryset(model, base, query, limit))
        return [
            SearchHit(
                obj=row,
                rank=float(row.rank),
                title_html=_clean_headline(row.title_hl),
                snippet_html=_clean_headline(row.body_hl),
            )
            for row in rows
        ]
    words = _words(query)
    qs = filter_by_text(base, query, fields=sqlite_fields)
    if model is Company:
        qs = qs.distinct()
    hits = []
    for obj in qs.order_by("-id")[:limit]:
        title = getattr(obj, title_field) or ""
        body = getattr(obj, body_field) or ""
        hits.append(
            SearchHit(
                obj=obj,
                rank=0.0,
                title_html=_highlight_python(title, words, snippet=False),
                snippet_html=_highlight_python(body, words, snippet=True),
            )
        )
    return hits
