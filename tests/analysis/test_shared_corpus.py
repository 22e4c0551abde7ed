"""The four seed articles in ../shared/corpus (not part of the repo) form one event dated 9 July 2024."""

from datetime import date

import pytest

from tests.analysis.helpers import SHARED_CORPUS, seed_corpus_load
from tracker.events.pipeline import process_pending

pytestmark = pytest.mark.skipif(
    not (SHARED_CORPUS / "seeds").is_dir(), reason="../shared/corpus is not present on this machine"
)


def test_seed_articles_form_one_event_dated_9_july_2024(reference_data):
    articles = seed_corpus_load()
    assert len(articles) == 4
    process_pending()
    for article in articles:
        article.refresh_from_db()
    events = {a.event_id for a in articles}
    assert len(events) == 1, events
    event = articles[0].event
    assert event.article_count == 4
    assert event.event_date == date(2024, 7, 9), event.date_evidence
    assert event.date_precision == "day"
    names = set(event.companies.values_list("name", flat=True))
    assert {"OpenAI", "Microsoft", "21Vianet"} <= names, names
    assert "CN" in set(event.jurisdictions.values_list("code", flat=True))
    # None of the four copies another: they are four write-ups, not syndication.
    assert all(a.copy_of_id is None for a in articles)
    assert event.independent_source_count == 4
