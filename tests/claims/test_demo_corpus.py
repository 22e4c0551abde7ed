"""The claims stage on the demo corpus: the headline claims, linked across outlets and counted
by independent voices as each event.toml says. Events come from the directories (not from
clustering), so this checks claims alone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.claims.demo_corpus import CORPUS, corpus_load, match_expected
from tracker.claims.extraction import MAX_CLAIMS_PER_ARTICLE
from tracker.claims.models import Claim, ClaimArticle

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not (CORPUS / "manifest.json").exists(), reason="demo corpus not built"),
]

EVENTS = [
    "us-chip-export-rules-dec-2024",
    "openai-china-api-block",
    "china-minerals-export-ban-dec-2024",
    "eu-ai-act-deal-dec-2023",
    "nvidia-h20-licence-apr-2025",
]


@pytest.fixture
def loaded():
    missing = [key for key in EVENTS if not (CORPUS / "articles" / key / "event.toml").exists()]
    if missing:
        pytest.skip(f"demo corpus lacks {missing}")
    return {item.key: item for item in corpus_load(EVENTS)}


def expected_match(item, fragment: str):
    for match in match_expected(item):
        if fragment in match.expected.text:
            assert match.claim is not None, f"no stored claim for {match.expected.text!r}"
            return match
    raise AssertionError(f"event.toml of {item.key} has no claim containing {fragment!r}")


def test_entity_list_figure_links_all_wordings_and_counts_copies_once(loaded):
    item = loaded["us-chip-export-rules-dec-2024"]
    match = expected_match(item, "140 entities")
    assert match.carried_by == match.expected.articles
    assert match.claim.independent_source_count == match.expected.independent_sources == 3
    assert match.claim.status == Claim.Status.CORROBORATED
    figures = set(match.claim.carriers.values_list("reported_text", flat=True))
    assert {"140", "about 140", "more than a hundred"} <= figures


def test_echoes_of_one_report_count_once_with_the_original_reporter(loaded):
    item = loaded["openai-china-api-block"]
    match = expected_match(item, "confirmed to The Information")
    assert match.carried_by == match.expected.articles
    assert match.claim.independent_source_count == 1
    assert match.claim.original_reporter_name == "The Information"
    # "three" and "several" Chinese companies: the same claim at different precision, not a dispute.
    assert match.claim.status == Claim.Status.UNVERIFIED
    assert set(match.claim.carriers.values_list("stance", flat=True)) == {ClaimArticle.Stance.CITES}


def test_statement_given_to_an_outlet_names_that_outlet(loaded):
    item = loaded["openai-china-api-block"]
    match = expected_match(item, "Azure OpenAI Service remains available")
    assert match.claim.original_reporter_name == "PYMNTS"
    assert match.claim.attributed_to.name == "Microsoft"
    # "In a statement carried by PYMNTS", "told PYMNTS" and "has since confirmed" are one claim.
    assert match.carried_by == match.expected.articles


def test_outlets_repeating_a_report_without_naming_it_are_echoes(loaded):
    item = loaded["openai-china-api-block"]
    # 01 reviewed OpenAI's notices itself; 02 rests on OpenAI's statement as Reuters reported it;
    # 03 and 05 repeat the block later without naming anyone, 04 is an aggregator.
    block = expected_match(item, "OpenAI blocks API traffic")
    assert block.carried_by == block.expected.articles
    assert block.claim.independent_source_count == block.expected.independent_sources == 2
    assert block.claim.original_reporter_name == "Reuters"
    # 05's "Microsoft has since confirmed" repeats the statement Microsoft gave PYMNTS.
    azure = expected_match(item, "Azure OpenAI Service remains available")
    assert azure.claim.independent_source_count == azure.expected.independent_sources == 1
    assert azure.claim.status == Claim.Status.UNVERIFIED


def test_a_write_up_is_no_second_source_for_a_line_it_repeats_unattributed(loaded):
    item = loaded["openai-china-api-block"]
    # 05 cites or echoes others for the block, the companies and the Azure route, then says
    # "SenseTime offered free migration" 16 days after 01 reported SenseTime's offer.
    offer = expected_match(item, "SenseTime offers free migration")
    assert offer.carried_by == offer.expected.articles == {"01", "05"}
    assert offer.claim.independent_source_count == offer.expected.independent_sources == 1
    assert offer.claim.original_reporter_name == "Beijing Tech Observer"
    item.event.refresh_from_db()
    # 01's own reporting, Reuters, PYMNTS and The Information, as the event.toml explains.
    assert item.event.independent_source_count == 4


def test_same_owner_group_counts_once(loaded):
    item = loaded["china-minerals-export-ban-dec-2024"]
    match = expected_match(item, "White House")
    assert match.carried_by == {"01", "02"}
    assert match.claim.independent_source_count == 1


def test_currency_figures_in_different_notations_match(loaded):
    item = loaded["eu-ai-act-deal-dec-2023"]
    expected = expected_match(item, "35 million euros").expected
    fines = Claim.objects.get(event=item.event, unit="EUR", value=Decimal(35_000_000))
    figures = set(fines.carriers.values_list("reported_text", flat=True))
    assert {"up to 35 million euros", "€35m", "EUR 35m"} <= figures
    assert fines.independent_source_count == expected.independent_sources
    share = Claim.objects.get(event=item.event, unit="percent", value=Decimal(7))
    assert share.carriers.count() == 4  # "7%" and "7 per cent"

    nvidia = expected_match(loaded["nvidia-h20-licence-apr-2025"], "$5.5 billion")
    assert nvidia.claim.value == Decimal(5_500_000_000)
    assert len(nvidia.carried_by) >= 4  # "$5.5 billion", "US$5.5bn", "5.5 billion dollars"


def test_precision_claims_per_article_are_capped(loaded):
    for item in loaded.values():
        for article in item.articles.values():
            assert article.claim_links.count() <= MAX_CLAIMS_PER_ARTICLE
        assert Claim.objects.filter(event=item.event, independent_source_count=0).count() == 0


def test_recall_over_every_demo_event_does_not_fall_back():
    # Measured with bench/bench_claims.py --recall: 73 of 90 listed claims found, 37 of them
    # with the listed independent-source count (38 before one speaker's paraphrased remark became
    # one claim: Raimondo's press-call remark counts 2, listed 1); the floor leaves a margin of one
    # on recall and none on the count (71 and 35 before reported "said it had", rules acting for
    # their authors, tasks in the active voice and unnamed authors of obligations; 69 and 33 before
    # the date a rule takes effect, the length of talks and "a ministry spokesperson"; 66 and 31
    # before secondary write-ups, tasks given to a named body, exemptions and "was quoted as
    # saying"; 51 and 20 before echoes, agreements, judgements, passives, obligations and pronoun
    # speakers). A floor, so a lost rule shows up here.
    loaded = corpus_load()
    matches = [match for item in loaded for match in match_expected(item)]
    found = [match for match in matches if match.claim is not None]
    exact = [m for m in found if m.claim.independent_source_count == m.expected.independent_sources]
    assert len(matches) >= 90
    assert len(found) >= 72
    assert len(exact) >= 37
