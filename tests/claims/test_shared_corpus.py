"""The claims an analyst reads from the four seed articles in ../shared/corpus (other people's
writing, not part of the repo; the test skips when the folder is absent). The four are put in
one event directly, so this checks the claims stage alone."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.claims.conftest import make_source
from tracker.claims.models import Claim, ClaimArticle
from tracker.claims.services import claims_extract_for_article, claims_refresh_for_event
from tracker.companies.mentions import matcher_get
from tracker.companies.services import reference_data_load
from tracker.events.models import Event
from tracker.jurisdictions.models import Jurisdiction
from tracker.news.models import Article, ArticleCompany

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus is not present on this machine"),
]


@pytest.fixture
def seed_event() -> tuple[Event, list[Article]]:
    reference_data_load()
    matcher = matcher_get()
    event = Event.objects.create(title="OpenAI API block in China (seeds)")
    articles = []
    for number, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        source = make_source(f"Seed Outlet {number}", f"seed{number}.example")
        text = path.read_text(encoding="utf-8")
        article = Article.objects.create(
            source=source,
            url=f"http://seed{number}.example/a",
            canonical_url=f"http://seed{number}.example/a",
            title=text.strip().splitlines()[0][:300],
            text=text,
            event=event,
        )
        found = matcher.analyse(title=article.title, text=article.text)
        ArticleCompany.objects.bulk_create(
            [
                ArticleCompany(article=article, company_id=cid, mention_count=n)
                for cid, n in found.companies.items()
            ]
        )
        article.jurisdictions.set(Jurisdiction.objects.filter(pk__in=list(found.jurisdictions)))
        claims_extract_for_article(article=article)
        articles.append(article)
    claims_refresh_for_event(event=event)
    return event, articles


def claim_with(event: Event, kind: str, **filters) -> Claim:
    claims = list(Claim.objects.filter(event=event, kind=kind, **filters))
    assert len(claims) == 1, [(c.text, c.fingerprint) for c in Claim.objects.filter(event=event)]
    return claims[0]


def test_three_and_several_companies_are_one_claim_resting_on_the_information(seed_event):
    event, _ = seed_event
    claim = claim_with(event, Claim.Kind.STATISTIC, fingerprint__startswith="statistic|company|count")
    figures = sorted(claim.carriers.values_list("reported_text", flat=True))
    assert any("several" in figure for figure in figures) and "three" in figures
    assert claim.status != Claim.Status.DISPUTED
    assert claim.value == Decimal(3)  # the precise figure, not "several"
    assert claim.original_reporter_name == "The Information"
    assert claim.independent_source_count == 1  # one original report, echoed
    assert set(claim.carriers.values_list("stance", flat=True)) == {ClaimArticle.Stance.CITES}


def test_statistics_with_their_units(seed_event):
    event, _ = seed_event
    share = claim_with(event, Claim.Kind.STATISTIC, unit="percent")
    assert share.value == Decimal(36)
    assert "China Academy of Information and Communications Technology" in share.attributed_to_name
    cap = claim_with(event, Claim.Kind.STATISTIC, unit="USD")
    assert cap.value == Decimal("3150000000000")
    multiple = claim_with(event, Claim.Kind.STATISTIC, unit="multiplier")
    assert multiple.value == Decimal(6)
    assert multiple.carriers.get().reported_text.startswith("over six times")


def test_the_block_is_one_policy_action_by_openai_carried_by_three_write_ups(seed_event):
    event, _ = seed_event
    block = Claim.objects.get(event=event, carriers__quote__contains="starting July 9th")
    assert block.kind == Claim.Kind.POLICY_ACTION
    assert block.attributed_to.name == "OpenAI"
    assert block.carriers.count() >= 3
    azure = Claim.objects.get(event=event, carriers__quote__startswith="Strikingly, Microsoft")
    assert azure.attributed_to.name == "Microsoft"
    assert "allow" in azure.fingerprint
    assert azure.carriers.count() >= 3


def test_the_block_rests_on_openais_statement_to_reuters_and_counts_once(seed_event):
    """000 names the outlet OpenAI spoke through (its spokesperson to Reuters); 002 and 003 repeat
    the block without naming anyone, and 002's mention of The Information's report is about the
    Azure route, the block being only the background of that sentence ("while OpenAI restricts")."""
    event, _ = seed_event
    block = Claim.objects.get(event=event, carriers__quote__contains="starting July 9th")
    assert block.original_reporter_name == "Reuters"
    assert block.independent_source_count == 1
    assert block.status == Claim.Status.UNVERIFIED
    stances = dict(block.carriers.values_list("article__source__domain", "stance"))
    assert stances["seed0.example"] == ClaimArticle.Stance.CITES
    assert block.carriers.get(article__source__domain="seed0.example").cited_name == "Reuters"


def test_the_azure_route_rests_on_microsofts_statement_to_pymnts_and_counts_once(seed_event):
    event, _ = seed_event
    azure = Claim.objects.get(event=event, carriers__quote__startswith="Strikingly, Microsoft")
    assert azure.original_reporter_name == "Pymnts"
    assert azure.independent_source_count == 1
    assert azure.status == Claim.Status.UNVERIFIED
    # The sentence naming Pymnts is the source of the Azure claim in 000, not a claim of its own.
    carrier = azure.carriers.get(article__source__domain="seed0.example")
    assert carrier.cited_name == "Pymnts" and "Pymnts" in carrier.quote
    assert not Claim.objects.filter(event=event, carriers__cited_name="Pymnts").exclude(pk=azure.pk).exists()


def test_the_unverifiable_interview_yields_little(seed_event):
    _, articles = seed_event
    interview = next(a for a in articles if "sit down with" in a.text)
    assert interview.claim_links.count() <= 3
