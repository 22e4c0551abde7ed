"""Claims stored per article, linked per event, and counted by independent voices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.claims.conftest import BASE_TIME
from tracker.claims.models import Citation, Claim, ClaimArticle
from tracker.claims.services import (
    claim_set_status,
    claim_unlock,
    claims_extract_for_article,
    claims_refresh_for_event,
)
from tracker.companies.models import Company

pytestmark = pytest.mark.django_db

BLOCK = "OpenAI will block API access from mainland China starting July 9th."
BLOCK_PARAPHRASE = "From 9 July, OpenAI blocks access to its API for developers in China."
AZURE = "Microsoft continues to offer OpenAI models to eligible customers in China through 21Vianet."


def process(event, *articles):
    for article in articles:
        claims_extract_for_article(article=article)
    claims_refresh_for_event(event=event)


def claims_of_kind(event, kind):
    return list(Claim.objects.filter(event=event, kind=kind))


def only_claim(event, kind):
    claims = claims_of_kind(event, kind)
    assert len(claims) == 1, [(c.text, c.fingerprint) for c in Claim.objects.all()]
    return claims[0]


def snapshot(article):
    links = ClaimArticle.objects.filter(article=article).order_by("claim_id")
    citations = Citation.objects.filter(article=article).order_by("cited_name", "kind")
    return (
        [
            (link.claim_id, link.claim.fingerprint, link.quote, link.stance, link.reported_value)
            for link in links
        ],
        [(c.kind, c.cited_name, c.cited_source_id, c.cited_company_id) for c in citations],
        Claim.objects.count(),
    )


# --- extraction ------------------------------------------------------------------------------


def test_extraction_stores_claims_with_quote_attribution_and_companies(outlets, companies, add_article):
    article = add_article(outlets["strait"], f"{BLOCK}\n\n{AZURE}")
    claims_extract_for_article(article=article)

    block = ClaimArticle.objects.get(article=article, claim__kind=Claim.Kind.POLICY_ACTION, quote=BLOCK)
    assert block.stance == ClaimArticle.Stance.ASSERTS
    assert block.claim.attributed_to == companies["openai"]
    assert block.claim.event_id == article.event_id
    azure = ClaimArticle.objects.get(article=article, quote=AZURE).claim
    assert azure.attributed_to == companies["microsoft"]
    assert set(azure.about_companies.all()) == {
        companies["microsoft"],
        companies["openai"],
        companies["21vianet"],
    }


def test_citations_resolve_to_known_outlets_and_organisations(outlets, companies, add_article):
    Company.objects.create(name="Reuters", slug="reuters", kind=Company.Kind.MEDIA)
    text = (
        "According to The Informant, three Chinese companies still reach OpenAI models through Azure. "
        "An OpenAI spokesperson told Reuters the company was blocking traffic from unsupported regions."
    )
    article = add_article(outlets["hub"], text)
    claims_extract_for_article(article=article)

    by_name = {c.cited_name: c for c in article.citations.all()}
    assert by_name["The Informant"].kind == Citation.Kind.REPORT
    assert by_name["The Informant"].cited_source == outlets["scoop"]
    assert by_name["Reuters"].cited_company.name == "Reuters"
    assert by_name["OpenAI"].cited_company == companies["openai"]
    assert by_name["OpenAI"].kind == Citation.Kind.STATEMENT


def test_extraction_is_idempotent(outlets, add_article):
    text = (
        f"{BLOCK}\n\n{AZURE}\n\n"
        "According to The Informant, three Chinese companies still reach OpenAI models through Azure."
    )
    article = add_article(outlets["strait"], text)
    claims_extract_for_article(article=article)
    first = snapshot(article)
    claims_extract_for_article(article=article)
    assert snapshot(article) == first
    assert len(first[0]) == 3


def test_changed_text_replaces_the_articles_claims(outlets, add_article):
    article = add_article(outlets["strait"], f"{BLOCK}\n\n{AZURE}")
    claims_extract_for_article(article=article)
    article.text = BLOCK
    article.save(update_fields=["text"])
    claims_extract_for_article(article=article)
    assert [link.quote for link in article.claim_links.all()] == [BLOCK]
    assert Claim.objects.count() == 1  # the dropped claim had no other carrier


def test_empty_text_stores_nothing(outlets, add_article):
    article = add_article(outlets["strait"], "")
    claims_extract_for_article(article=article)
    assert not article.claim_links.exists()
    assert not article.citations.exists()


# --- linking ------------------------------------------------------------------------------------


def test_paraphrases_in_one_event_become_one_claim(event, outlets, add_article):
    first = add_article(outlets["strait"], BLOCK)
    second = add_article(outlets["brief"], BLOCK_PARAPHRASE, hours=2)
    process(event, first, second)

    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    assert {link.article_id for link in claim.carriers.all()} == {first.pk, second.pk}
    assert {link.quote for link in claim.carriers.all()} == {BLOCK, BLOCK_PARAPHRASE}
    assert claim.article_count == 2
    assert claim.independent_source_count == 2
    assert claim.status == Claim.Status.CORROBORATED


def test_different_claims_in_one_event_stay_apart(event, outlets, add_article):
    first = add_article(outlets["strait"], f"{BLOCK}\n\n{AZURE}")
    second = add_article(outlets["brief"], BLOCK_PARAPHRASE)
    process(event, first, second)
    assert len(claims_of_kind(event, Claim.Kind.POLICY_ACTION)) == 2


def test_same_wording_in_another_event_is_another_claim(event, outlets, add_article):
    inside = add_article(outlets["strait"], BLOCK)
    outside = add_article(outlets["brief"], BLOCK, in_event=False)
    process(event, inside, outside)
    assert Claim.objects.filter(fingerprint=inside.claim_links.get().claim.fingerprint).count() == 2


def test_refresh_is_idempotent(event, outlets, add_article):
    articles = [add_article(outlets["strait"], BLOCK), add_article(outlets["brief"], BLOCK_PARAPHRASE)]
    process(event, *articles)
    before = list(Claim.objects.values_list("pk", "status", "independent_source_count", "article_count"))
    claims_refresh_for_event(event=event)
    assert (
        list(Claim.objects.values_list("pk", "status", "independent_source_count", "article_count")) == before
    )


# --- corroboration ---------------------------------------------------------------------------


def test_syndicated_copy_counts_once(event, outlets, add_article):
    original = add_article(outlets["wire"], BLOCK)
    copy = add_article(outlets["hub"], BLOCK, copy_of=original, hours=1)
    process(event, original, copy)
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    assert (claim.article_count, claim.independent_source_count) == (2, 1)
    assert claim.status == Claim.Status.UNVERIFIED

    other = add_article(outlets["strait"], BLOCK_PARAPHRASE, hours=2)
    process(event, other)
    claim.refresh_from_db()
    assert (claim.article_count, claim.independent_source_count) == (3, 2)
    assert claim.status == Claim.Status.CORROBORATED


def test_outlets_of_one_owner_group_count_once(event, outlets, add_article):
    wire = add_article(outlets["harbour_wire"], BLOCK)
    sister = add_article(outlets["ledger"], BLOCK_PARAPHRASE, hours=1)
    process(event, wire, sister)
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    assert (claim.article_count, claim.independent_source_count) == (2, 1)
    assert claim.status == Claim.Status.UNVERIFIED


ECHOES = [
    "According to The Informant, three Chinese companies still reach OpenAI models through Azure.",
    "Three Chinese companies can still use OpenAI models via Azure, The Informant reported.",
    "The Informant said it had confirmed with three Chinese companies that they still reach OpenAI models on Azure.",
    "Citing The Informant's report, the outlet said three Chinese companies keep using OpenAI models through Azure.",
]


def test_articles_citing_one_report_count_as_that_reporter(event, outlets, add_article):
    sources = [outlets["strait"], outlets["brief"], outlets["hub"], outlets["ledger"]]
    articles = [
        add_article(source, text, hours=i)
        for i, (source, text) in enumerate(zip(sources, ECHOES, strict=True))
    ]
    process(event, *articles)

    claim = only_claim(event, Claim.Kind.STATISTIC)
    assert claim.article_count == 4
    assert set(claim.carriers.values_list("stance", flat=True)) == {ClaimArticle.Stance.CITES}
    assert claim.independent_source_count == 1
    assert claim.original_reporter == outlets["scoop"]
    assert claim.original_reporter_name == "The Informant"
    assert claim.status == Claim.Status.UNVERIFIED
    assert (claim.value, claim.unit) == (Decimal(3), "count")


def test_the_original_reporters_own_article_is_the_same_voice(event, outlets, add_article):
    own = add_article(outlets["scoop"], "Three Chinese companies still reach OpenAI models through Azure.")
    echo = add_article(outlets["strait"], ECHOES[0], hours=3)
    process(event, own, echo)
    claim = only_claim(event, Claim.Kind.STATISTIC)
    assert (claim.article_count, claim.independent_source_count) == (2, 1)


def test_two_independent_original_reporters_corroborate(event, outlets, add_article):
    first = add_article(outlets["strait"], ECHOES[0])
    second = add_article(
        outlets["brief"],
        "According to Meridian Wire, three Chinese companies still reach OpenAI models through Azure.",
        hours=1,
    )
    process(event, first, second)
    claim = only_claim(event, Claim.Kind.STATISTIC)
    assert claim.independent_source_count == 2
    assert claim.status == Claim.Status.CORROBORATED


# --- echoes: repeating without naming ------------------------------------------------------

AZURE_TOLD = (
    "Microsoft told Meridian Wire that it continues to offer OpenAI models to eligible customers in "
    "China through 21Vianet."
)
AZURE_REPEATED = (
    "Microsoft has since confirmed that it continues to offer OpenAI models to eligible customers in "
    "China through 21Vianet, the local operator."
)


def test_repeating_a_statement_given_to_a_named_outlet_echoes_that_outlet(event, outlets, add_article):
    told = add_article(outlets["strait"], AZURE_TOLD)
    repeated = add_article(outlets["brief"], AZURE_REPEATED, hours=5)
    process(event, told, repeated)
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    assert claim.article_count == 2
    assert dict(claim.carriers.values_list("article_id", "stance")) == {
        told.pk: ClaimArticle.Stance.CITES,
        repeated.pk: ClaimArticle.Stance.ASSERTS,
    }
    assert claim.independent_source_count == 1
    assert claim.original_reporter == outlets["wire"]


def test_carrying_a_statement_before_any_outlet_named_it_is_independent(event, outlets, add_article):
    first = add_article(outlets["ledger"], AZURE_REPEATED)
    told = add_article(outlets["strait"], AZURE_TOLD, hours=5)
    process(event, first, told)
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    assert claim.independent_source_count == 2


def test_an_outlet_named_in_another_paragraph_of_the_article_is_its_source(
    event, outlets, add_article, companies
):
    # "The company said ..., according to Meridian Wire" in the next paragraph: the article rests
    # on Meridian Wire's report, so a later outlet repeating the block echoes Meridian Wire.
    cited = add_article(
        outlets["strait"],
        "OpenAI will begin blocking API traffic from mainland China starting Tuesday.\n\n"
        "The company said last month that it was taking additional steps to block API traffic from "
        "regions it does not support, according to Meridian Wire.",
    )
    later = add_article(
        outlets["brief"], "From 9 July, OpenAI blocks access to its API for developers in China.", hours=30
    )
    process(event, cited, later)
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    assert claim.attributed_to == companies["openai"]
    link = claim.carriers.get(article=cited)
    assert (link.stance, link.cited_name) == (ClaimArticle.Stance.CITES, "Meridian Wire")
    assert claim.independent_source_count == 1
    assert claim.original_reporter_name == "Meridian Wire"


def test_a_near_verbatim_rewrite_is_an_echo_but_a_paraphrase_is_not(event, outlets, add_article):
    first = add_article(
        outlets["strait"],
        "OpenAI will block API access from mainland China starting July 9th, the notices say.",
    )
    rewrite = add_article(
        outlets["brief"],
        "OpenAI will block API access from mainland China starting July 9th, notices say.",
        hours=1,
    )
    process(event, first, rewrite)
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    assert (claim.article_count, claim.independent_source_count) == (2, 1)
    assert claim.original_reporter == outlets["strait"]

    paraphrase = add_article(outlets["ledger"], BLOCK_PARAPHRASE, hours=2)
    process(event, paraphrase)
    claim.refresh_from_db()
    assert (claim.article_count, claim.independent_source_count) == (3, 2)


def test_an_aggregator_echoes_the_first_carrier(event, outlets, add_article):
    aggregated = add_article(outlets["hub"], BLOCK_PARAPHRASE, hours=1)
    process(event, aggregated)
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    assert claim.independent_source_count == 1  # first to carry it: its own voice

    reported = add_article(outlets["strait"], BLOCK)
    process(event, reported)
    claim.refresh_from_db()
    assert (claim.article_count, claim.independent_source_count) == (2, 1)
    assert claim.original_reporter == outlets["strait"]


def test_same_claim_with_different_precision_is_not_disputed(event, outlets, add_article):
    precise = add_article(outlets["strait"], ECHOES[0])
    vague = add_article(
        outlets["brief"],
        "The Informant reported that several Chinese companies still reach OpenAI models through Azure.",
    )
    process(event, precise, vague)
    claim = only_claim(event, Claim.Kind.STATISTIC)
    assert claim.article_count == 2
    assert sorted(claim.carriers.values_list("reported_text", flat=True)) == [
        "several Chinese companies",
        "three",
    ]
    assert claim.status != Claim.Status.DISPUTED


def test_differing_figures_for_one_measure_are_disputed(event, outlets, add_article):
    first = add_article(outlets["strait"], "Washington added 140 entities to its trade blacklist on Monday.")
    second = add_article(
        outlets["brief"], "Washington added 40 entities to its trade blacklist on Monday.", hours=1
    )
    process(event, first, second)
    claim = only_claim(event, Claim.Kind.STATISTIC)
    assert sorted(claim.carriers.values_list("reported_value", flat=True)) == [Decimal(40), Decimal(140)]
    assert claim.status == Claim.Status.DISPUTED


def test_same_figure_in_other_words_is_corroborated(event, outlets, add_article):
    first = add_article(outlets["strait"], "Washington added 140 entities to its trade blacklist on Monday.")
    second = add_article(
        outlets["brief"], "About 140 companies were put on the blacklist by Washington.", hours=1
    )
    third = add_article(
        outlets["wire"], "More than a hundred firms joined Washington's trade blacklist.", hours=2
    )
    process(event, first, second, third)
    claim = only_claim(event, Claim.Kind.STATISTIC)
    assert claim.article_count == 3
    assert claim.independent_source_count == 3
    assert claim.status == Claim.Status.CORROBORATED


def test_a_denial_makes_the_claim_disputed(event, outlets, add_article):
    report = add_article(
        outlets["strait"], "Microsoft will block API access for customers in China, a supplier said."
    )
    denial = add_article(
        outlets["brief"], "Microsoft denied that it will block API access for customers in China.", hours=1
    )
    process(event, report, denial)
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    assert set(claim.carriers.values_list("stance", flat=True)) == {"asserts", "disputes"}
    assert claim.status == Claim.Status.DISPUTED
    assert claim.independent_source_count == 1  # a denial is not corroboration


# --- editors ---------------------------------------------------------------------------------


def test_editor_verdict_survives_refresh(event, outlets, add_article):
    first = add_article(outlets["strait"], BLOCK)
    process(event, first)
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    claim_set_status(claim=claim, status=Claim.Status.FALSE)

    second = add_article(outlets["brief"], BLOCK_PARAPHRASE, hours=1)
    process(event, second)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.FALSE
    assert claim.editor_locked
    assert claim.independent_source_count == 2  # counts stay current under the lock

    claim_unlock(claim=claim)
    assert claim.status == Claim.Status.CORROBORATED


def test_editor_can_only_set_verdict_statuses(event, outlets, add_article):
    process(event, add_article(outlets["strait"], BLOCK))
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    with pytest.raises(ValidationError, match="verified"):
        claim_set_status(claim=claim, status=Claim.Status.CORROBORATED)
    claim.refresh_from_db()
    assert not claim.editor_locked


def test_locked_claim_is_kept_when_its_article_drops_it(event, outlets, add_article):
    article = add_article(outlets["strait"], BLOCK)
    process(event, article)
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    claim_set_status(claim=claim, status=Claim.Status.VERIFIED)
    article.text = "Nothing to see here."
    article.save(update_fields=["text"])
    process(event, article)
    assert Claim.objects.filter(pk=claim.pk, status=Claim.Status.VERIFIED).exists()


def test_article_moved_to_another_event_takes_its_own_copy_of_the_claim(event, outlets, add_article):
    from tracker.events.models import Event

    first = add_article(outlets["strait"], BLOCK)
    second = add_article(outlets["brief"], BLOCK_PARAPHRASE, hours=1)
    process(event, first, second)
    other = Event.objects.create(title="Split off")
    second.event = other
    second.save(update_fields=["event"])
    claims_refresh_for_event(event=other)
    claims_refresh_for_event(event=event)

    mine = only_claim(event, Claim.Kind.POLICY_ACTION)
    theirs = only_claim(other, Claim.Kind.POLICY_ACTION)
    assert [link.article_id for link in mine.carriers.all()] == [first.pk]
    assert [link.article_id for link in theirs.carriers.all()] == [second.pk]
    assert mine.independent_source_count == theirs.independent_source_count == 1


# --- cost ------------------------------------------------------------------------------------


def test_extraction_queries_do_not_grow_with_claims(
    event, outlets, add_article, django_assert_max_num_queries
):
    short = add_article(outlets["strait"], BLOCK)
    long = add_article(
        outlets["brief"],
        "\n\n".join(
            [BLOCK, AZURE, *ECHOES[:1], "Washington added 140 entities to its trade blacklist on Monday."]
        ),
    )
    # Organisations (3), names (4), citations (2), links and claims (2), inserts (3), savepoint.
    with django_assert_max_num_queries(18):
        claims_extract_for_article(article=short)
    with django_assert_max_num_queries(18):
        claims_extract_for_article(article=long)
    assert long.claim_links.count() >= 4


def test_locked_claim_absorbs_a_later_duplicate_and_two_rulings_never_merge(event, outlets, add_article):
    first = add_article(outlets["strait"], BLOCK)
    process(event, first)
    locked = only_claim(event, Claim.Kind.POLICY_ACTION)
    claim_set_status(claim=locked, status=Claim.Status.VERIFIED)

    # A paraphrase extracted before it is linked (no event yet) becomes its own claim...
    second = add_article(outlets["brief"], BLOCK_PARAPHRASE, in_event=False)
    claims_extract_for_article(article=second)
    other = second.claim_links.get().claim
    claim_set_status(claim=other, status=Claim.Status.FALSE)
    # ...and once both articles are in the event, two editor rulings stay apart.
    second.event = event
    second.save(update_fields=["event"])
    claims_refresh_for_event(event=event)
    assert len(claims_of_kind(event, Claim.Kind.POLICY_ACTION)) == 2

    # An unlocked duplicate is absorbed by the locked claim, which keeps its ruling.
    third = add_article(outlets["wire"], BLOCK)
    process(event, third)
    locked.refresh_from_db()
    assert locked.status == Claim.Status.VERIFIED
    assert third.pk in set(locked.carriers.values_list("article_id", flat=True))


def test_a_government_body_and_its_country_are_one_actor(event, outlets, add_article, china):
    from tracker.companies.models import Company
    from tracker.news.models import ArticleCompany

    ministry = Company.objects.create(
        name="Ministry of Commerce of China", slug="mofcom", kind=Company.Kind.GOVERNMENT_BODY, country=china
    )
    first = add_article(
        outlets["strait"], "China will stop approving exports of gallium to the United States."
    )
    second = add_article(
        outlets["brief"],
        "The Ministry of Commerce of China banned gallium exports to American buyers.",
        hours=1,
    )
    ArticleCompany.objects.create(article=second, company=ministry)
    process(event, first, second)
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    assert claim.independent_source_count == 2


def test_government_bodies_acting_jointly_are_their_countrys_action(event, outlets, add_article, china):
    from tracker.companies.models import Company
    from tracker.news.models import ArticleCompany

    bodies = [
        Company.objects.create(name=name, slug=slug, kind=Company.Kind.GOVERNMENT_BODY, country=china)
        for name, slug in [
            ("Ministry of Commerce of China", "mofcom"),
            ("State Council of China", "state-council"),
        ]
    ]
    first = add_article(
        outlets["strait"],
        "The Ministry of Commerce of China and the State Council of China agreed a licensing regime "
        "for rare earth magnets on Friday.",
    )
    for body in bodies:
        ArticleCompany.objects.create(article=first, company=body)
    second = add_article(
        outlets["brief"],
        "After weeks of talks, Beijing agreed a new licensing regime covering magnet exports.",
        hours=1,
    )
    process(event, first, second)
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    assert (claim.article_count, claim.independent_source_count) == (2, 2)


def test_a_task_given_with_and_without_its_author_named_is_one_claim(event, outlets, add_article, china):
    from tracker.companies.models import Company
    from tracker.news.models import ArticleCompany

    office = Company.objects.create(
        name="Standards Office of China",
        slug="standards-office",
        kind=Company.Kind.GOVERNMENT_BODY,
        country=china,
    )
    # One outlet names the author (the order's signatory), the other does not.
    first = add_article(
        outlets["strait"],
        "Microsoft published new rules for its cloud on Monday. The rules tell the Standards Office of "
        "China to write testing rules for chatbots.",
    )
    second = add_article(
        outlets["brief"],
        "Among many provisions, the Standards Office of China is directed to write testing rules for "
        "chatbots, with a first draft due before parliament rises for its summer recess next year.",
        hours=2,
    )
    for article in (first, second):
        ArticleCompany.objects.create(article=article, company=office)
    process(event, first, second)
    tasks = [
        c
        for c in claims_of_kind(event, Claim.Kind.POLICY_ACTION)
        if c.fingerprint.startswith("policy_action|require")
    ]
    assert [(c.article_count, c.independent_source_count) for c in tasks] == [(2, 2)], [c.text for c in tasks]


def test_one_actor_starting_one_measure_on_one_day_is_one_claim(event, outlets, add_article, companies):
    # A weekday and a date can name the same day; the objects share a word ("access").
    dated = add_article(outlets["strait"], "OpenAI shuts off API access for China starting July 9th.")
    weekday = add_article(
        outlets["brief"],
        "OpenAI will enforce tighter access controls beginning Tuesday, developers said.",
        hours=3,
    )
    other_day = add_article(
        outlets["ledger"], "OpenAI will restrict access to its model store from 1 September.", hours=6
    )
    process(event, dated, weekday, other_day)
    claims = claims_of_kind(event, Claim.Kind.POLICY_ACTION)
    carried = sorted(sorted(c.carriers.values_list("article_id", flat=True)) for c in claims)
    assert carried == [[dated.pk, weekday.pk], [other_day.pk]]


def test_event_counts_the_voices_its_shared_claims_rest_on(event, outlets, add_article):
    # Three write-ups that repeat what OpenAI told Meridian Wire are one source, not three;
    # an outlet with a claim of its own that nobody else carries is still a source of its own.
    told = add_article(
        outlets["strait"],
        "OpenAI will block API access from mainland China starting July 9th.\n\n"
        "An OpenAI spokesperson told Meridian Wire the step was taken for security reasons.",
    )
    echo_one = add_article(outlets["brief"], BLOCK_PARAPHRASE, hours=5)
    echo_two = add_article(outlets["ledger"], BLOCK_PARAPHRASE + " Developers are moving elsewhere.", hours=7)
    own = add_article(
        outlets["scoop"], "SenseTime offered free migration to developers leaving OpenAI.", hours=9
    )
    event.independent_source_count = 4  # what counting one per outlet gives
    event.save(update_fields=["independent_source_count"])
    process(event, told, echo_one, echo_two, own)
    block = Claim.objects.get(event=event, carriers__article=echo_one)
    assert block.independent_source_count == 1
    assert block.original_reporter_name == "Meridian Wire"
    event.refresh_from_db()
    assert event.independent_source_count == 2  # Meridian Wire, and the outlet with its own claim


def _told_and_echoed(outlets, add_article, **placement):
    """OpenAI's word to Meridian Wire, carried by one outlet and repeated by two others."""
    told = add_article(
        outlets["strait"],
        "OpenAI will block API access from mainland China starting July 9th.\n\n"
        "An OpenAI spokesperson told Meridian Wire the step was taken for security reasons.",
    )
    echo_one = add_article(outlets["brief"], BLOCK_PARAPHRASE, hours=5)
    echo_two = add_article(outlets["ledger"], BLOCK_PARAPHRASE + " Developers are moving elsewhere.", hours=7)
    return told, echo_one, echo_two


def test_the_event_refresh_leaves_the_count_of_an_event_with_claims_to_the_claims_refresh(
    event, outlets, add_article
):
    from tracker.events.services import events_refresh

    articles = _told_and_echoed(outlets, add_article)
    process(event, *articles)
    event.refresh_from_db()
    assert event.independent_source_count == 1  # Meridian Wire
    # Refreshing the event's title, dates and tags does not count one per outlet again (3).
    events_refresh(events=[event])
    event.refresh_from_db()
    assert event.independent_source_count == 1


def test_an_editor_merge_counts_the_merged_event_by_the_claim_rule(event, outlets, add_article):
    from tracker.events.models import Event
    from tracker.events.services import event_merge

    told, echo_one, echo_two = _told_and_echoed(outlets, add_article)
    other = Event.objects.create(title="OpenAI cuts off China")
    echo_two.event = other
    echo_two.save(update_fields=["event"])
    process(event, told, echo_one)
    process(other, echo_two)
    assert Event.objects.get(pk=other.pk).independent_source_count == 1  # its own outlet
    event_merge(target=event, others=[other])
    event.refresh_from_db()
    # Three write-ups of what OpenAI told Meridian Wire: one source, not three outlets.
    assert (event.article_count, event.independent_source_count) == (3, 1)
    assert Claim.objects.get(carriers__article=echo_two).independent_source_count == 1


MIGRATION = "21Vianet said it would offer free migration support to developers who leave OpenAI."
MIGRATION_RETOLD = "21Vianet offered free migration to developers switching away from OpenAI."
INFORMANT = "Three Chinese companies told The Informant they still reach OpenAI models through Azure."
INFORMANT_RETOLD = (
    "According to The Informant, three Chinese companies still use OpenAI models through Azure."
)


def test_a_write_up_that_repeats_the_story_is_no_second_source_for_a_line_it_leaves_unattributed(
    event, outlets, add_article
):
    # The first outlet reports 21Vianet's offer (and OpenAI's word to Meridian Wire); a later
    # write-up repeats Meridian Wire and The Informant for the rest of the story, and the offer
    # with no source named: it took the offer from the coverage too, not from 21Vianet.
    first = add_article(
        outlets["strait"],
        "OpenAI will block API access from mainland China starting July 9th.\n\n"
        "An OpenAI spokesperson told Meridian Wire the step was taken for security reasons.\n\n" + MIGRATION,
    )
    scoop = add_article(outlets["brief"], INFORMANT, hours=2)
    write_up = add_article(
        outlets["ledger"], f"{BLOCK_PARAPHRASE}\n\n{INFORMANT_RETOLD}\n\n{MIGRATION_RETOLD}", hours=9
    )
    process(event, first, scoop, write_up)
    offer = Claim.objects.get(event=event, carriers__article=first, attributed_to_name="21Vianet")
    assert offer.article_count == 2
    assert offer.independent_source_count == 1
    assert offer.original_reporter_name == "Strait Morning Post"
    event.refresh_from_db()
    # Strait Morning Post (the offer), Meridian Wire (the block), The Informant (the companies).
    assert event.independent_source_count == 3


def test_an_outlet_that_cites_one_report_still_reports_the_rest_itself(event, outlets, add_article):
    first = add_article(outlets["strait"], MIGRATION)
    scoop = add_article(outlets["brief"], INFORMANT, hours=2)
    # Cites The Informant for one line, carries the offer itself: half borrowed, not most.
    second = add_article(outlets["ledger"], f"{INFORMANT_RETOLD}\n\n{MIGRATION_RETOLD}", hours=9)
    process(event, first, scoop, second)
    offer = Claim.objects.get(event=event, carriers__article=first, attributed_to_name="21Vianet")
    assert (offer.article_count, offer.independent_source_count) == (2, 2)


def test_citing_a_report_first_is_not_reporting_of_ones_own(event, outlets, add_article):
    # The write-up is the first article to carry The Informant's finding, but it cites The
    # Informant for it; with the block it echoes Meridian Wire, so it adds no reporting of its own,
    # and the offer it repeats unattributed is the first outlet's, not a second source.
    first = add_article(
        outlets["strait"],
        "OpenAI will block API access from mainland China starting July 9th.\n\n"
        "An OpenAI spokesperson told Meridian Wire the step was taken for security reasons.\n\n" + MIGRATION,
    )
    write_up = add_article(
        outlets["ledger"], f"{BLOCK_PARAPHRASE}\n\n{INFORMANT_RETOLD}\n\n{MIGRATION_RETOLD}", hours=9
    )
    later = add_article(outlets["brief"], INFORMANT, hours=12)
    process(event, first, write_up, later)
    offer = Claim.objects.get(event=event, carriers__article=first, attributed_to_name="21Vianet")
    assert (offer.article_count, offer.independent_source_count) == (2, 1)
    event.refresh_from_db()
    # Strait Morning Post (the offer), Meridian Wire (the block), The Informant (the companies).
    assert event.independent_source_count == 3


# --- restating an action after it took effect -------------------------------------------------

ANNOUNCED = (
    "The notices say that OpenAI will take additional steps to block API traffic from mainland "
    "China, with the change taking effect on July 9th."
)
ANNOUNCED_TOO = "OpenAI will begin blocking API traffic from mainland China starting July 9th."
RESTATED = (
    "OpenAI's block on API traffic from mainland China, which took effect on Tuesday, has been "
    "widely described as a decoupling moment."
)


def test_an_action_restated_after_the_start_others_announced_repeats_their_coverage(
    event, outlets, add_article
):
    # Two outlets report the block before 9 July; a third restates it three days after it took
    # effect, naming no source: the start was public by then, so it repeats the first report.
    first = add_article(outlets["strait"], ANNOUNCED, hours=-14 * 24)
    second = add_article(outlets["brief"], ANNOUNCED_TOO, hours=-2 * 24)
    later = add_article(outlets["ledger"], RESTATED, hours=2 * 24)
    process(event, first, second, later)
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    assert claim.article_count == 3
    assert claim.independent_source_count == 2  # Strait Morning Post, Valley Policy Brief
    event.refresh_from_db()
    assert event.independent_source_count == 2


def test_an_action_restated_when_no_one_announced_its_start_ahead_is_reported_afresh(
    event, outlets, add_article
):
    # The same sentences, but the first report came out on the start day itself: no carrier told
    # of it ahead, so the later restatement is a voice of its own.
    first = add_article(outlets["strait"], ANNOUNCED, hours=-8)
    later = add_article(outlets["ledger"], RESTATED, hours=2 * 24)
    process(event, first, later)
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    assert (claim.article_count, claim.independent_source_count) == (2, 2)


def test_a_start_announced_in_december_for_january_is_announced_ahead(event, outlets, add_article):
    # The same story across a year's end: announced on 18 and 23 December for "January 6th"
    # (no year), restated on 9 January, after the start. January 6th is the next year's, so the
    # restatement repeats the December coverage as it would within one year.
    december_18 = (datetime(2023, 12, 18, 8, 0, tzinfo=UTC) - BASE_TIME) // timedelta(hours=1)
    first = add_article(outlets["strait"], ANNOUNCED.replace("July 9th", "January 6th"), hours=december_18)
    second = add_article(
        outlets["brief"], ANNOUNCED_TOO.replace("July 9th", "January 6th"), hours=december_18 + 5 * 24
    )
    later = add_article(
        outlets["ledger"], RESTATED.replace("Tuesday", "Saturday"), hours=december_18 + 22 * 24
    )
    process(event, first, second, later)
    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    assert claim.article_count == 3
    assert claim.independent_source_count == 2  # Strait Morning Post, Valley Policy Brief


# --- an outlet cited for a speaker's word that another article reports in other words -----------

REACTION = "Microsoft described the rule as misguided and warned of damage to innovation worldwide."
REACTION_CITED = (
    "According to Meridian Wire, Microsoft blasted the framework, calling the measure unprecedented "
    "and warning that it could derail economic growth around the globe."
)
OTHER_CITED = (
    "According to Meridian Wire, 21Vianet called the measure unprecedented and warned that it could "
    "derail economic growth around the globe."
)


def test_an_outlet_cited_for_a_speakers_word_another_article_reports_is_a_source_of_the_event(
    event, outlets, add_article
):
    reported = add_article(outlets["strait"], REACTION)
    cited = add_article(outlets["hub"], REACTION_CITED, hours=3)
    process(event, reported, cited)
    # Worded too differently to be one claim, but both are Microsoft's reaction.
    quotes = claims_of_kind(event, Claim.Kind.QUOTE)
    assert len(quotes) == 2, [(c.text, c.fingerprint) for c in quotes]
    assert {c.attributed_to_name for c in quotes} == {"Microsoft"}
    event.refresh_from_db()
    # Strait Morning Post, AI Buzz Hub (no claim shared: its outlet) and Meridian Wire's report.
    assert event.independent_source_count == 3


def test_an_outlet_cited_for_a_word_no_other_article_reports_adds_no_source(event, outlets, add_article):
    # Background from another report about someone else is no origin of the event's story.
    reported = add_article(outlets["strait"], REACTION)
    cited = add_article(outlets["hub"], OTHER_CITED, hours=3)
    process(event, reported, cited)
    event.refresh_from_db()
    assert event.independent_source_count == 2


def test_a_figure_beyond_a_trillion_trillion_is_stored_whole(event, outlets, add_article):
    first = add_article(outlets["strait"], "The order covers models trained on more than 10^26 operations.")
    second = add_article(
        outlets["brief"],
        "The order covers any model trained on more than 100 septillion operations.",
        hours=2,
    )
    process(event, first, second)

    claim = only_claim(event, Claim.Kind.STATISTIC)
    claim.refresh_from_db()
    assert claim.value == Decimal(10) ** 26
    assert {link.reported_value for link in claim.carriers.all()} == {Decimal(10) ** 26}
    assert claim.article_count == 2


# --- speakers -----------------------------------------------------------------------------------

STEEL = "the new tariffs would shield local steel makers from cheap imports"
PORTS = "the ports needed fresh investment before the next harvest season"


def test_a_title_the_full_name_and_the_surname_are_one_speaker_in_an_event(event, outlets, add_article):
    titled = add_article(outlets["strait"], f"Trade Minister Elena Varga said {STEEL}.")
    surname = add_article(outlets["brief"], f"Varga said {STEEL}.", hours=1)
    full = add_article(outlets["scoop"], f"Elena Varga said {PORTS}.", hours=2)
    process(event, titled, surname, full)

    quotes = claims_of_kind(event, Claim.Kind.QUOTE)
    assert len(quotes) == 2
    assert {claim.attributed_to_name for claim in quotes} == {"Trade Minister Elena Varga"}
    steel = next(claim for claim in quotes if claim.article_count == 2)
    assert {link.article_id for link in steel.carriers.all()} == {titled.pk, surname.pk}


def test_two_people_sharing_a_surname_in_an_event_stay_apart(event, outlets, add_article):
    elena = add_article(outlets["strait"], f"Elena Varga said {STEEL}.")
    tomas = add_article(outlets["brief"], f"Tomas Varga said {STEEL}.", hours=1)
    either = add_article(outlets["scoop"], f"Varga said {STEEL}.", hours=2)
    process(event, elena, tomas, either)

    quotes = claims_of_kind(event, Claim.Kind.QUOTE)
    assert sorted(claim.attributed_to_name for claim in quotes) == ["Elena Varga", "Tomas Varga", "Varga"]
    assert all(claim.article_count == 1 for claim in quotes)


def test_one_speakers_remark_in_other_words_is_one_claim(event, outlets, add_article):
    longer = add_article(
        outlets["strait"],
        "Speaking at a briefing, Lena Okafor said the authority expected to review its harbour fees "
        "once a year as shipping volumes change.",
    )
    shorter = add_article(
        outlets["brief"], "Okafor told reporters the harbour fees would be reviewed annually.", hours=1
    )
    process(event, longer, shorter)

    claims = list(Claim.objects.filter(event=event))
    assert len(claims) == 1, [(c.kind, c.fingerprint) for c in claims]
    assert claims[0].article_count == 2
    assert claims[0].attributed_to_name == "Lena Okafor"


def test_one_speakers_remarks_with_different_figures_stay_apart(event, outlets, add_article):
    five = add_article(outlets["strait"], "Lena Okafor said the harbour fees would rise by 5% every year.")
    ten = add_article(
        outlets["brief"], "Okafor told reporters the harbour fees would rise by 10% annually.", hours=1
    )
    process(event, five, ten)

    speech = [c for c in Claim.objects.filter(event=event) if c.kind != Claim.Kind.STATISTIC]
    assert len(speech) == 2, [(c.kind, c.fingerprint) for c in speech]


def test_one_speakers_stated_aim_in_other_words_is_one_claim(event, outlets, add_article):
    goal = add_article(
        outlets["strait"],
        "Port Minister Lena Okafor said the goal was to stop unsafe cargo ships from reaching the "
        "northern harbours while keeping ferry traffic moving.",
    )
    aim = add_article(
        outlets["brief"],
        "Lena Okafor said inspections would start in the spring. She said the aim was to keep unsafe "
        "cargo ships, the kind that could spill fuel, out of the northern harbours.",
        hours=1,
    )
    process(event, goal, aim)

    speech = [
        c for c in Claim.objects.filter(event=event) if c.kind in (Claim.Kind.QUOTE, Claim.Kind.FORECAST)
    ]
    stated_aim = [c for c in speech if c.article_count == 2]
    assert len(stated_aim) == 1, [(c.kind, c.fingerprint) for c in speech]
    assert stated_aim[0].attributed_to_name == "Port Minister Lena Okafor"
    quotes = {link.quote for link in stated_aim[0].carriers.all()}
    assert any(quote.startswith("She said the aim") for quote in quotes)


def test_one_speakers_two_different_aims_stay_apart(event, outlets, add_article):
    fees = add_article(
        outlets["strait"], "Lena Okafor said the goal was to cut harbour fees for small fishing boats."
    )
    ships = add_article(
        outlets["brief"],
        "Okafor said the aim was to keep unsafe cargo ships out of the northern harbours.",
        hours=1,
    )
    process(event, fees, ships)

    assert Claim.objects.filter(event=event).count() == 2


def test_two_speakers_stating_one_aim_stay_apart(event, outlets, add_article):
    okafor = add_article(
        outlets["strait"],
        "Lena Okafor said the goal was to stop unsafe cargo ships from reaching the northern harbours.",
    )
    mensah = add_article(
        outlets["brief"],
        "Kwame Mensah said the aim was to keep unsafe cargo ships out of the northern harbours.",
        hours=1,
    )
    process(event, okafor, mensah)

    assert sorted(Claim.objects.filter(event=event).values_list("attributed_to_name", flat=True)) == [
        "Kwame Mensah",
        "Lena Okafor",
    ]


def test_another_speaker_saying_less_is_not_the_same_remark(event, outlets, add_article):
    okafor = add_article(
        outlets["strait"], "Lena Okafor said the authority expected to review its harbour fees once a year."
    )
    mensah = add_article(
        outlets["brief"], "Kwame Mensah said the harbour fees would be reviewed annually.", hours=1
    )
    process(event, okafor, mensah)

    assert Claim.objects.filter(event=event).count() == 2


# --- a figure and the action it counts -----------------------------------------------------------


def test_a_count_of_what_a_named_actor_acted_on_is_one_claim_with_the_action(event, outlets, add_article):
    both = add_article(outlets["strait"], "Beijing added 12 companies to its trade blacklist on Friday.")
    figure = add_article(outlets["brief"], "In all, 12 companies were added.", hours=1)
    process(event, both, figure)

    claim = Claim.objects.get(event=event)
    assert claim.kind == Claim.Kind.STATISTIC
    assert claim.attributed_to_name == "China"
    assert {link.article_id for link in claim.carriers.all()} == {both.pk, figure.pk}
    assert {link.reported_value for link in claim.carriers.all()} == {Decimal(12)}
    assert claim.independent_source_count == 2


def test_a_count_merged_with_its_action_reads_as_the_sentence_that_does_both(event, outlets, add_article):
    figure = add_article(outlets["brief"], "In all, 12 companies were added.")
    both = add_article(
        outlets["strait"], "Beijing added 12 companies to its trade blacklist on Friday.", hours=1
    )
    process(event, figure, both)

    claim = Claim.objects.get(event=event)
    assert claim.text == "Beijing added 12 companies to its trade blacklist on Friday."
    assert claim.kind == Claim.Kind.STATISTIC


def test_a_figure_about_something_else_in_an_actions_sentence_stays_apart(event, outlets, add_article):
    both = add_article(
        outlets["strait"],
        "Beijing added the chipmaker to its trade blacklist, a move affecting 12 countries.",
    )
    process(event, both)

    assert sorted(Claim.objects.filter(event=event).values_list("kind", flat=True)) == [
        Claim.Kind.POLICY_ACTION,
        Claim.Kind.STATISTIC,
    ]


# --- one actor's one action on the same named organisations ------------------------------------


@pytest.fixture
def listing_parties(db, china):
    from tracker.companies.models import Company
    from tracker.jurisdictions.models import Jurisdiction

    freedonia = Jurisdiction.objects.create(code="FD", name="Freedonia", slug="freedonia")
    return {
        "bureau": Company.objects.create(
            name="Trade Bureau of China",
            slug="trade-bureau",
            kind=Company.Kind.GOVERNMENT_BODY,
            country=china,
        ),
        "freedonia": Company.objects.create(
            name="Freedonian Export Office",
            slug="freedonian-export-office",
            kind=Company.Kind.GOVERNMENT_BODY,
            country=freedonia,
        ),
        "harbor": Company.objects.create(name="Harbor Graphics", slug="harbor-graphics"),
        "lumen": Company.objects.create(name="Lumen Silicon", slug="lumen-silicon"),
        "kestrel": Company.objects.create(name="Kestrel Systems", slug="kestrel-systems"),
    }


def _mentioning(article, *companies):
    from tracker.news.models import ArticleCompany

    for company in companies:
        ArticleCompany.objects.create(article=article, company=company)
    return article


def _bureau_lists_harbor_and_lumen(outlets, add_article, parties):
    """The plain listing the tests below set other wordings against."""
    return _mentioning(
        add_article(
            outlets["strait"],
            "The Trade Bureau of China added chip designers Harbor Graphics and Lumen Silicon to its "
            "trade blacklist on Friday.",
        ),
        parties["bureau"],
        parties["harbor"],
        parties["lumen"],
    )


def test_one_actors_listing_of_the_same_named_companies_is_one_claim(
    event, outlets, add_article, listing_parties
):
    parties = listing_parties
    counted = _mentioning(
        add_article(
            outlets["strait"],
            "The Trade Bureau of China added 9 foreign firms to its trade blacklist on Friday, led by "
            "chip designers Harbor Graphics and Lumen Silicon.",
        ),
        parties["bureau"],
        parties["harbor"],
        parties["lumen"],
    )
    named = _mentioning(
        add_article(
            outlets["brief"],
            "Beijing added graphics developers Lumen Silicon and Harbor Graphics, along with several of "
            "their affiliates, to its trade blacklist, which stops suppliers from shipping to them "
            "without a permit.",
            hours=1,
        ),
        parties["harbor"],
        parties["lumen"],
    )
    process(event, counted, named)

    claims = list(Claim.objects.filter(event=event))
    assert len(claims) == 1, [(c.kind, c.fingerprint, c.text) for c in claims]
    assert (claims[0].article_count, claims[0].independent_source_count) == (2, 2)
    assert claims[0].attributed_to_name == "Trade Bureau of China"


def test_another_actors_listing_of_the_same_companies_stays_apart(
    event, outlets, add_article, listing_parties
):
    parties = listing_parties
    china = _bureau_lists_harbor_and_lumen(outlets, add_article, parties)
    freedonia = _mentioning(
        add_article(
            outlets["brief"],
            "Separately, the Freedonian Export Office added Lumen Silicon and Harbor Graphics, with several "
            "affiliates, to its trade blacklist, which stops suppliers from shipping to them.",
            hours=1,
        ),
        parties["freedonia"],
        parties["harbor"],
        parties["lumen"],
    )
    process(event, china, freedonia)

    actions = claims_of_kind(event, Claim.Kind.POLICY_ACTION)
    assert sorted(c.attributed_to_name for c in actions) == [
        "Freedonian Export Office",
        "Trade Bureau of China",
    ]


def test_one_actors_listing_of_other_companies_stays_apart(event, outlets, add_article, listing_parties):
    parties = listing_parties
    first = _bureau_lists_harbor_and_lumen(outlets, add_article, parties)
    second = _mentioning(
        add_article(
            outlets["brief"],
            "Separately, the Trade Bureau of China added the router maker Kestrel Systems and Harbor Graphics, "
            "with several affiliates, to its trade blacklist, which stops suppliers from shipping to them.",
            hours=1,
        ),
        parties["bureau"],
        parties["harbor"],
        parties["kestrel"],
    )
    process(event, first, second)

    actions = claims_of_kind(event, Claim.Kind.POLICY_ACTION)
    assert [c.article_count for c in actions] == [1, 1], [c.text for c in actions]


def test_a_passive_listing_on_the_owners_list_links_with_the_owners_listing(
    event, outlets, add_article, listing_parties
):
    parties = listing_parties
    active = _bureau_lists_harbor_and_lumen(outlets, add_article, parties)
    passive = _mentioning(
        add_article(
            outlets["brief"],
            "Two fast-growing start-ups, Lumen Silicon and Harbor Graphics, were placed on China's trade "
            "blacklist at the end of the week.",
            hours=1,
        ),
        parties["harbor"],
        parties["lumen"],
    )
    process(event, active, passive)

    claim = only_claim(event, Claim.Kind.POLICY_ACTION)
    assert (claim.article_count, claim.independent_source_count) == (2, 2)
