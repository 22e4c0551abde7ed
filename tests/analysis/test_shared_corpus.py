"""The four seed articles in ../shared/corpus (not part of the repo) form one event dated 9 July 2024."""

from datetime import date

import pytest

from tests.analysis.helpers import SHARED_CORPUS, seed_corpus_load
from tracker.claims.models import Claim
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
    # But none is original reporting either: the story rests on OpenAI's statement to Reuters,
    # Microsoft's statement to Pymnts and The Information's report, each echoed by the four
    # write-ups. "Four sources confirm" would be wrong; the event counts what they rest on.
    assert event.independent_source_count == 3
    reporters = dict(
        Claim.objects.filter(event=event, article_count__gte=2).values_list(
            "original_reporter_name", "independent_source_count"
        )
    )
    assert reporters == {"Reuters": 1, "Pymnts": 1, "The Information": 1}, reporters
    block = Claim.objects.get(event=event, original_reporter_name="Reuters")
    assert block.attributed_to.name == "OpenAI"
    assert block.article_count == 4  # "beginning Tuesday" in the interview is the same block
