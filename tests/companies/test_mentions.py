"""Organisations and jurisdictions found in one pass: aliases, capitals, word boundaries."""

from datetime import UTC, datetime

from tracker.companies.mentions import (
    COMPANY,
    JURISDICTION,
    AliasMatcher,
    AliasTarget,
    candidates_find,
    matcher_get,
    text_prepare,
)
from tracker.companies.models import Company, OrganisationCandidate
from tracker.companies.services import (
    alias_add,
    candidate_accept_as_alias,
    candidate_accept_as_company,
    candidate_reject,
    reference_data_load,
)
from tracker.jurisdictions.models import Jurisdiction


def _names(result, kind=COMPANY):
    model = Company if kind == COMPANY else Jurisdiction
    ids = result.companies if kind == COMPANY else result.jurisdictions
    return {model.objects.get(pk=i).name: n for i, n in ids.items()}


def test_aliases_resolve_to_their_organisation(reference_data):
    matcher = matcher_get()
    result = matcher.analyse(
        title="Open AI cuts off China",
        text=(
            "Microsoft said Azure OpenAI Service stays available through 21Vianet. Facebook's parent also "
            "offers models on Azure. The Commerce Department's Bureau of Industry and Security said nothing."
        ),
    )
    names = _names(result)
    assert names["OpenAI"] == 1
    assert names["Microsoft"] == 3  # Microsoft, Azure OpenAI Service, Azure
    assert names["Meta"] == 1 and names["21Vianet"] == 1
    assert names["Bureau of Industry and Security"] == 1  # the longest alias wins, counted once
    assert "OpenAI" in {Company.objects.get(pk=i).name for i in result.prominent_companies}
    assert _names(result, JURISDICTION) == {"China": 1}


def test_case_sensitivity_and_word_boundaries():
    matcher = AliasMatcher(
        [
            AliasTarget(COMPANY, 1, "Meta", True),
            AliasTarget(COMPANY, 2, "Arm", True),
            AliasTarget(COMPANY, 3, "Nvidia", False),
            AliasTarget(JURISDICTION, 10, "US", True),
            AliasTarget(JURISDICTION, 11, "China", False),
        ]
    )
    found = matcher.find(
        text_prepare("Meta and NVIDIA; the meta debate; an arm of Arm; US users use it; Chinatown; CHINA")
    )
    assert [(m.kind, m.target_id, m.text) for m in found] == [
        (COMPANY, 1, "Meta"),
        (COMPANY, 3, "NVIDIA"),
        (COMPANY, 2, "Arm"),
        (JURISDICTION, 10, "US"),
        (JURISDICTION, 11, "CHINA"),
    ]


def test_longer_organisation_names_win_over_places(reference_data):
    result = matcher_get().analyse(
        title="", text="The China Academy of Information and Communications Technology counted the models."
    )
    assert _names(result) == {"China Academy of Information and Communications Technology": 1}
    assert result.jurisdictions == {}


def test_legislators_and_trade_ministries_behind_chip_rules_are_known(reference_data):
    result = matcher_get().analyse(
        title="",
        text=(
            "The House Select Committee on the Chinese Communist Party asked Nvidia about its sales, "
            "the Dutch government widened its licence rule, and Malaysia's trade ministry set a permit "
            "for US chips; Taiwan's Ministry of Economic Affairs added Huawei to its list."
        ),
    )
    names = _names(result)
    assert names["House Select Committee on the CCP"] == 1
    assert names["Government of the Netherlands"] == 1
    assert names["Ministry of Investment, Trade and Industry"] == 1
    assert names["Ministry of Economic Affairs of Taiwan"] == 1
    # The committee's name holds "Chinese Communist Party", not a place: China is not counted.
    assert "China" not in _names(result, JURISDICTION)


def test_matcher_is_rebuilt_when_aliases_change(reference_data):
    assert matcher_get().analyse(title="", text="Frobnitz Labs said so.").companies == {}
    company = Company.objects.get(name="OpenAI")
    alias_add(company=company, alias="Frobnitz Labs")
    assert set(matcher_get().analyse(title="", text="Frobnitz Labs said so.").companies) == {company.pk}


def test_organisation_candidates_go_to_review_never_to_companies(reference_data):
    matcher = matcher_get()
    text = text_prepare(
        "According to the Zhongguancun Robotics Institute, demand rose. Microsoft agreed. "
        "The Shenzhen Quantum Technologies Group declined to comment. The Big Event happened."
    )
    found = candidates_find(text, matcher.find(text), matcher.known_normalized)
    assert set(found) == {"zhongguancun robotics institute", "shenzhen quantum technologies group"}
    before = Company.objects.count()
    from tracker.companies.services import candidates_record

    candidates_record(found={k: (n, c, "http://x.example/a", 1) for k, (n, c) in found.items()})
    assert Company.objects.count() == before
    institute = OrganisationCandidate.objects.get(normalized="zhongguancun robotics institute")
    group = OrganisationCandidate.objects.get(normalized="shenzhen quantum technologies group")
    assert institute.status == "pending" and institute.mention_count == 1
    company = candidate_accept_as_company(candidate=institute, kind=Company.Kind.RESEARCH_LAB)
    assert company.name == "Zhongguancun Robotics Institute"
    candidate_accept_as_alias(candidate=group, company=Company.objects.get(name="Huawei"))
    assert set(matcher_get().analyse(title="", text="Shenzhen Quantum Technologies Group").companies) == {
        Company.objects.get(name="Huawei").pk
    }
    other = OrganisationCandidate.objects.create(name="Foo Agency", normalized="foo agency")
    candidate_reject(candidate=other)
    assert OrganisationCandidate.objects.get(pk=other.pk).status == "rejected"


def test_reference_data_is_idempotent(reference_data):
    counts = (Company.objects.count(), Jurisdiction.objects.count())
    reference_data_load()
    assert (Company.objects.count(), Jurisdiction.objects.count()) == counts
    assert Company.objects.count() >= 120
    relation = Company.objects.get(name="21Vianet").relations_from.get(kind="operates_for")
    assert relation.to_company.name == "Microsoft" and relation.jurisdiction.code == "CN"


def test_reanalysis_after_an_alias_change_does_not_reuse_remembered_mentions(reference_data):
    # The pipeline remembers each article's mentions; a rebuilt matcher must not be served them.
    from tests.analysis.helpers import article_make, source_get
    from tracker.events.pipeline import analyse_articles
    from tracker.news.models import Article, ArticleCompany

    article = article_make(
        source=source_get(domain="frob.example"),
        title="Frobnitz Labs opens a lab",
        text="Frobnitz Labs said so.",
        published=datetime(2025, 3, 1, tzinfo=UTC),
    )
    analyse_articles(article_ids=[article.pk])
    assert not ArticleCompany.objects.filter(article=article).exists()
    company = Company.objects.get(name="OpenAI")
    alias_add(company=company, alias="Frobnitz Labs")
    Article.objects.filter(pk=article.pk).update(needs_analysis=True)
    analyse_articles(article_ids=[article.pk])
    assert set(ArticleCompany.objects.filter(article=article).values_list("company_id", flat=True)) == {
        company.pk
    }
