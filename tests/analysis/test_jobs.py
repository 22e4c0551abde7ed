"""`process --jobs N`: worker processes compute the text features, the results stay the same."""

import pytest
from django.db import transaction

from tests.analysis.helpers import DEMO_ARTICLES, demo_corpus_load
from tracker.claims import extraction
from tracker.claims.models import Citation, ClaimArticle
from tracker.companies.mentions import AliasMatcher
from tracker.events import clustering, dates, features
from tracker.events.models import Event
from tracker.events.pipeline import process_pending
from tracker.news import dedup
from tracker.news.models import Article, ArticleCompany

pytestmark = pytest.mark.skipif(
    not DEMO_ARTICLES.exists() or not any(DEMO_ARTICLES.glob("*/event.toml")),
    reason="demo corpus not written yet",
)


def _rows() -> dict:
    """Everything the analysis wrote, keyed by article URL (ids may differ between runs)."""
    url = dict(Article.objects.values_list("id", "canonical_url"))
    members: dict[int, set[str]] = {}
    for article_id, event_id in Article.objects.values_list("id", "event_id"):
        members.setdefault(event_id, set()).add(url[article_id])
    events = {
        frozenset(members.get(e.pk, ())): (
            e.title,
            e.summary,
            e.event_date,
            e.date_precision,
            e.date_method,
            e.date_evidence,
            e.article_count,
            e.independent_source_count,
            e.status,
            frozenset(e.companies.values_list("id", flat=True)),
            frozenset(e.jurisdictions.values_list("id", flat=True)),
            frozenset(e.topics.values_list("id", flat=True)),
        )
        for e in Event.objects.filter(merged_into__isnull=True)
    }
    copies = {
        url[a]: (url.get(c), kind, sim)
        for a, c, kind, sim in Article.objects.values_list("id", "copy_of_id", "copy_kind", "copy_similarity")
    }
    mentions = set(
        (url[a], c, n, p)
        for a, c, n, p in ArticleCompany.objects.values_list(
            "article_id", "company_id", "mention_count", "prominent"
        )
    )
    places = set(
        (url[a], j)
        for a, j in Article.jurisdictions.through.objects.values_list("article_id", "jurisdiction_id")
    )
    citations = set(
        (url[a], kind, name, quote)
        for a, kind, name, quote in Citation.objects.values_list("article_id", "kind", "cited_name", "quote")
    )
    claims = set(
        (
            url[link.article_id],
            link.claim.fingerprint,
            link.claim.kind,
            link.claim.text,
            link.claim.status,
            link.claim.independent_source_count,
            frozenset(members.get(link.claim.event_id, ())),
            link.stance,
            link.quote,
            link.cited_name,
        )
        for link in ClaimArticle.objects.select_related("claim")
    )
    return {
        "events": events,
        "copies": copies,
        "mentions": mentions,
        "places": places,
        "citations": citations,
        "claims": claims,
    }


def test_two_jobs_write_what_one_job_writes(reference_data, monkeypatch):
    demo_corpus_load()
    features.clear()
    with transaction.atomic():
        one = process_pending(jobs=1)
        by_one = _rows()
        transaction.set_rollback(True)  # back to the unprocessed corpus
    assert Article.objects.filter(needs_dedup=True).count() == len(by_one["copies"])

    # Features the main process computes itself: with workers, none (they delivered them all).
    features.clear()
    computed = []

    def counted(module, name):
        original = getattr(module, name)

        def spy(*args, **kwargs):
            computed.append(name)
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)

    counted(dedup, "fingerprint")
    counted(AliasMatcher, "analyse")
    counted(extraction, "extract")
    counted(clustering, "text_features")
    counted(dates, "date_candidates")
    two = process_pending(jobs=2)
    assert computed == []
    by_two = _rows()

    assert one.errors == two.errors == 0
    assert (one.analysed, one.copies, one.events_created) == (two.analysed, two.copies, two.events_created)
    assert len(by_one["events"]) == 12
    assert by_one["claims"]
    for name in by_one:
        assert by_two[name] == by_one[name], name


def test_the_pipeline_never_loads_a_deferred_field(reference_data, monkeypatch):
    # Stages load only the fields they read (`only()`); reading another costs a query per article.
    from django.db.models import Model

    demo_corpus_load()
    loads = []
    original = Model.refresh_from_db
    monkeypatch.setattr(
        Model,
        "refresh_from_db",
        lambda self, *a, **k: loads.append((type(self).__name__, k.get("fields"))) or original(self, *a, **k),
    )
    process_pending(jobs=1)
    assert loads == []
