"""The pure extractors, on our own sentences modelled on the claims an analyst tracks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tracker.claims.extraction import (
    MAX_CLAIMS_PER_ARTICLE,
    Organisation,
    Sentence,
    content_words,
    effective_date,
    effective_key,
    effective_start,
    extract,
    find_citations,
    find_quantities,
    quantities_compatible,
    split_sentences,
)

ORGS = [
    Organisation("company:1", "OpenAI", aliases=("Open AI",)),
    Organisation("company:2", "Microsoft", aliases=("Azure", "Azure OpenAI Service", "Microsoft Azure")),
    Organisation("company:3", "21Vianet"),
    Organisation("company:4", "Bureau of Industry and Security", case_sensitive_aliases=("BIS",)),
    Organisation("company:5", "Ministry of Commerce of China", aliases=("China's Ministry of Commerce",)),
    Organisation("jurisdiction:CN", "China", aliases=("Beijing", "mainland China")),
    Organisation("jurisdiction:US", "United States", aliases=("the United States", "Washington")),
]


def claims_of(text: str):
    return extract(text, organisations=ORGS).claims


def of_kind(text: str, kind: str):
    return [c for c in claims_of(text) if c.kind == kind]


def with_action(text: str, action: str):
    return [c for c in claims_of(text) if c.action == action]


def one_claim(text: str, kind: str):
    found = of_kind(text, kind)
    assert len(found) == 1, [(c.kind, c.text) for c in claims_of(text)]
    return found[0]


# --- sentences -------------------------------------------------------------------------------


def test_sentences_split_on_full_stops_but_not_abbreviations_or_inside_quotes():
    text = (
        "The U.S. government tightened rules on Monday. Officials met in Washington.\n\n"
        "“We will not comply. The rules are unfair,” said a ministry spokesperson. Trading resumed."
    )
    sentences = [s.text for s in split_sentences(text)]
    assert sentences == [
        "The U.S. government tightened rules on Monday.",
        "Officials met in Washington.",
        "“We will not comply. The rules are unfair,” said a ministry spokesperson.",
        "Trading resumed.",
    ]
    assert [s.paragraph for s in split_sentences(text)] == [0, 0, 1, 1]


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "measure_key"),
    [
        ("Beijing now holds 36% of the world's large AI models.", "36", "percent", "", "model"),
        ("Beijing now holds 36 per cent of the world's large AI models.", "36", "percent", "", "model"),
        ("The chip maker reached a market value of $3.15 trillion.", "3150000000000", "USD", "", "value"),
        ("The group agreed a US$5.5bn investment in the plant.", "5500000000", "USD", "", "investment"),
        ("The group agreed a $5.5 billion investment in the plant.", "5500000000", "USD", "", "investment"),
        ("Officials said 5.5 billion dollars of funding was pledged.", "5500000000", "USD", "", "funding"),
        ("The regulator set aside 35 million euros for audits.", "35000000", "EUR", "", "audit"),
        ("The regulator imposed a €35m penalty on the firm.", "35000000", "EUR", "", "penalty"),
        ("Washington added 140 entities to its trade blacklist.", "140", "count", "", "company"),
        ("Washington listed about 140 companies on Monday.", "140", "count", "about", "company"),
        ("The list now covers more than a hundred firms.", "100", "count", "more than", "company"),
        ("Regulators counted 1,328 large models worldwide.", "1328", "count", "", "model"),
        ("The pact was signed by 28 countries at the summit.", "28", "count", "", "country"),
        ("Twenty-eight countries signed the pact at the summit.", "28", "count", "", "country"),
        ("The list names about forty one companies in the region.", "41", "count", "about", "company"),
        (
            "China filed over six times as many patents as the United States.",
            "6",
            "multiplier",
            "over",
            "state",
        ),
        ("Its revenue grew to twice that of its nearest rival.", "2", "multiplier", "", "revenue"),
        ("The ministry imposed a fine of 50 million yuan on the platform.", "50000000", "CNY", "", "fine"),
    ],
)
def test_number_normalisation(text, value, unit, qualifier, measure_key):
    quantities = find_quantities(text)
    assert len(quantities) == 1, quantities
    q = quantities[0]
    assert q.value == Decimal(value)
    assert (q.unit, q.qualifier) == (unit, qualifier)
    assert q.measure_key == measure_key


@pytest.mark.parametrize(
    "text",
    [
        "The rules take effect on July 9 and were drafted in 2023.",
        "The firm runs Azure in China through 21Vianet.",
        "SenseTime launched SenseNova 5.5, its newest model.",
        "Nvidia designed the H20 for the Chinese market.",
        "The two firms met at 10 a.m. on Tuesday.",
        "Three of the firms declined to comment.",
        "The bill passed 52 to 48.",
    ],
)
def test_dates_years_names_and_bare_numbers_are_not_figures(text):
    assert find_quantities(text) == []


def test_several_is_a_vague_count_compatible_with_three():
    several = find_quantities("The outlet spoke to several Chinese companies about it.")[0]
    three = find_quantities("The outlet spoke to three Chinese companies about it.")[0]
    twenty = find_quantities("The outlet spoke to twenty Chinese companies about it.")[0]
    assert several.value is None and several.measure_key == three.measure_key == "company"
    assert quantities_compatible(several, three)
    assert not quantities_compatible(several, twenty)


def test_qualified_figures_are_compared_as_ranges():
    exact = find_quantities("Washington added 140 entities to the list.")[0]
    about = find_quantities("Washington added about 140 companies to the list.")[0]
    more_than = find_quantities("Washington added more than a hundred firms to the list.")[0]
    different = find_quantities("Washington added 40 entities to the list.")[0]
    assert quantities_compatible(exact, about)
    assert quantities_compatible(exact, more_than)
    assert quantities_compatible(about, more_than)
    assert not quantities_compatible(exact, different)


# --- citations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "kind", "name", "via_outlet"),
    [
        ("According to The Information, three companies kept access.", "report", "The Information", True),
        ("The Information reported that customers kept access.", "report", "The Information", True),
        (
            "The plan was first reported by Harbour Daily News last week.",
            "report",
            "Harbour Daily News",
            True,
        ),
        ("An OpenAI spokesperson told Reuters the block was deliberate.", "statement", "Reuters", True),
        ("The company confirmed to Pymnts that nothing had changed.", "statement", "Pymnts", True),
        ("In a statement to Ledger Wire, the ministry called it unfair.", "statement", "Ledger Wire", True),
        ("A Microsoft spokesperson declined to say more.", "statement", "Microsoft", False),
        ("The supplier disclosed the licence in a filing on Friday.", "document", "regulatory filing", False),
        ("Ledger Wire's report said the rules were final.", "report", "Ledger Wire", True),
    ],
)
def test_citation_patterns(sentence, kind, name, via_outlet):
    found = find_citations(Sentence(sentence, 0, 0))
    assert (kind, name, via_outlet) in [(c.kind, c.cited_name, c.via_outlet) for c in found], found


def test_told_reporters_is_not_a_citation_of_an_outlet():
    found = find_citations(Sentence("The minister told reporters the rules were final.", 0, 0))
    assert found == []


# --- policy actions --------------------------------------------------------------------------


def test_policy_action_with_actor_verb_object_and_start_date():
    claim = one_claim(
        "OpenAI will block API traffic from mainland China starting from 9 July.", "policy_action"
    )
    assert claim.attributed_to_name == "OpenAI"
    assert claim.attributed_key == "company:1"
    assert claim.action == "restrict"
    assert claim.effective == "9 July"
    assert "api" in claim.object_text.lower()


def test_allow_action_for_azure_via_joint_venture():
    claim = one_claim(
        "Microsoft continues to offer OpenAI models to eligible customers in China through 21Vianet.",
        "policy_action",
    )
    assert (claim.attributed_key, claim.action) == ("company:2", "allow")


def test_entity_list_addition_is_a_listing_action():
    text = "The Bureau of Industry and Security added 140 entities to the Entity List on Monday."
    action = one_claim(text, "policy_action")
    figure = one_claim(text, "statistic")
    assert (action.attributed_key, action.action) == ("company:4", "list")
    assert figure.value == Decimal(140)


@pytest.mark.parametrize(
    "text",
    [
        "OpenAI's restrictions present a challenge for developers.",  # a noun, not a verb
        "ChatGPT is also banned in mainland China.",  # passive: who acts is not said
        "OpenAI's decision to restrict access could be seen as caution.",  # hedged analysis
        "The company's API allows customers to build their own tools.",  # possessor is not the actor
    ],
)
def test_no_policy_action_without_a_clear_actor_and_verb(text):
    assert of_kind(text, "policy_action") == []


def test_the_company_opening_a_paragraph_is_the_previous_paragraphs_actor():
    text = (
        "OpenAI will begin blocking API traffic from mainland China starting Tuesday.\n\n"
        "The company said last month that it was taking additional steps to block API traffic from "
        "unsupported regions, according to Reuters."
    )
    second = of_kind(text, "policy_action")[1]
    assert (second.attributed_key, second.action) == ("company:1", "restrict")
    assert (second.stance, second.cited_name) == ("cites", "Reuters")
    # A bare "it" does not reach back into another paragraph.
    text = "OpenAI will begin blocking API traffic from mainland China.\n\nIt will block more regions soon."
    assert len(of_kind(text, "policy_action")) == 1


def test_agreements_name_every_party_of_the_subject():
    claim = one_claim(
        "Negotiators from the United States and China reached a provisional agreement on AI safety testing.",
        "policy_action",
    )
    assert (claim.action, claim.attributed_key) == ("agree", "jurisdiction:CN+jurisdiction:US")
    assert claim.attributed_to_name == "China and United States"
    signed = one_claim(
        "Both the United States and China signed the declaration on frontier AI.", "policy_action"
    )
    assert (signed.action, signed.attributed_key) == ("sign", "jurisdiction:CN+jurisdiction:US")
    # An aim is not an agreement; a single party stays a single actor.
    assert claims_of("Getting Washington and Beijing to agree on any text was not trivial.") == []
    alone = one_claim("Microsoft agreed a code of conduct for its cloud customers.", "policy_action")
    assert alone.attributed_key == "company:2"


def test_passive_actions_with_a_known_agent():
    claim = one_claim(
        "The interim measures were jointly issued by the Bureau of Industry and Security and two agencies.",
        "policy_action",
    )
    assert (claim.action, claim.attributed_key) == ("publish", "company:4")
    assert "interim measures" in claim.object_text.lower()
    banned = one_claim("The chatbot was banned by China's Ministry of Commerce on Monday.", "policy_action")
    assert (banned.action, banned.attributed_key) == ("restrict", "company:5")


def test_a_passive_listing_on_a_list_named_for_its_owner_is_the_owners_action():
    claim = one_claim(
        "Two cloud partners, Microsoft and 21Vianet, were placed on China's trade blacklist on Friday.",
        "policy_action",
    )
    assert (claim.action, claim.attributed_key) == ("list", "jurisdiction:CN")
    assert "21Vianet" in claim.object_text
    # No owner named, or only a possibility: no action.
    assert not of_kind("Microsoft and 21Vianet were placed on the Entity List.", "policy_action")
    assert not of_kind(
        "Microsoft and 21Vianet could be added to China's trade blacklist next year.", "policy_action"
    )


def test_obligations_on_regulated_parties():
    text = (
        "China's Ministry of Commerce published the final rules on Thursday. "
        "Providers must label generated images and videos."
    )
    claim = next(c for c in claims_of(text) if c.action == "require")
    assert claim.attributed_key == "company:5"  # the rule's author, from the sentence before
    assert "label" in claim.object_text
    # A hedge in a relative clause does not hedge the action around it.
    published = one_claim(
        "On Monday China's Ministry of Commerce published a rule that may prove the strictest yet.",
        "policy_action",
    )
    assert published.action == "publish"
    # Opinion about what someone should do is no rule.
    assert claims_of("Europe must act now on frontier models.") == []


def test_quoted_speech_is_not_read_as_narration():
    text = "“We will ban these chips from next month,” said analyst Dana Whitfield."
    kinds = [c.kind for c in claims_of(text)]
    assert "policy_action" not in kinds
    assert kinds == ["forecast"]


# --- quotes and statements --------------------------------------------------------------------


def test_quote_with_speaker_after():
    claim = one_claim(
        "“Cutting off developers will push them towards local models,” said Priya Raman, an analyst.",
        "forecast",
    )
    assert claim.attributed_to_name == "Priya Raman"


def test_attributed_statement_by_spokesperson_cites_the_outlet():
    text = "A Microsoft spokesperson confirmed to Pymnts that its offerings to eligible customers in China were unchanged."
    claim = one_claim(text, "quote")
    assert claim.attributed_to_name == "Microsoft spokesperson"
    assert claim.stance == "cites"
    assert claim.cited_name == "Pymnts"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Deputy chief of staff Marta Quill described the package as the strongest set of rules yet.",
            "Marta Quill",
        ),
        ("EU industry chief Tomas Verhoef hailed the agreement as historic.", "Tomas Verhoef"),
        (
            "Commissioner Tomas Verhoef wrote on social media late on Friday, calling the agreement historic.",
            "Commissioner Tomas Verhoef",
        ),
        (
            "Industry opposition is intense: Microsoft described the rule as misguided and harmful.",
            "Microsoft",
        ),
    ],
)
def test_judgements_by_a_named_speaker_are_quotes(text, speaker):
    claim = one_claim(text, "quote")
    assert claim.attributed_to_name == speaker


def test_pronoun_speakers_are_the_last_person_or_organisation_named():
    text = (
        "In a post, Dana Whitfield said Europe was heading in the wrong direction. "
        "She argued that the code creates legal uncertainty for model developers.\n\n"
        "Microsoft is the notable absence. Its global affairs chief said in July that the code goes beyond the law."
    )
    quotes = of_kind(text, "quote")
    assert [(c.attributed_to_name, c.attributed_key) for c in quotes] == [
        ("Dana Whitfield", "name:whitfield"),
        ("Dana Whitfield", "name:whitfield"),
        ("Microsoft", "company:2"),
    ]
    # Nobody named before: "He said" makes no claim.
    assert claims_of("He said the code creates legal uncertainty for model developers.") == []


def test_a_role_between_speaker_and_verb_keeps_the_speaker():
    def speakers(text):
        return [(c.attributed_to_name, c.kind) for c in claims_of(text) if c.kind in ("quote", "forecast")]

    assert speakers("Maria Lopez, the port director, said the harbour fees were fair for everyone.") == [
        ("Maria Lopez", "quote")
    ]
    assert speakers(
        "Kwame Mensah, chief executive of the ferry line, told reporters the winter timetable would be cut."
    ) == [("Kwame Mensah", "quote")]
    # A list of names is not a name and its role: the comma-separated first name is not the speaker.
    assert "Lena Okafor" not in [
        name
        for name, _ in speakers(
            "Lena Okafor, Maria Lopez and Kwame Mensah said the fees were unfair to fishers."
        )
    ]
    # A role of more than one clause is not read past.
    assert speakers("Maria Lopez, the port director; the fees, she said, were fair for everyone here.") == []


def test_a_pronoun_speaker_after_another_person_spoke_says_nobody():
    def speakers(text):
        return [c.attributed_to_name for c in claims_of(text) if c.kind == "quote"]

    ferries = "She said the northern ferry lanes would close for the whole winter."
    # Another person, named in full, spoke in between (a claim read from that sentence or not).
    assert speakers(
        "Lena Okafor said harbour fees were far too high for small boats. Maria Lopez, the port "
        f"director, said she disagreed. {ferries}"
    ) == ["Lena Okafor"]
    # When that person's words are a claim, "She" is the last person quoted.
    assert speakers(
        "Lena Okafor said harbour fees were far too high for small boats. Maria Lopez, the port "
        f"director, said the fees were fair for everyone. {ferries}"
    ) == ["Lena Okafor", "Maria Lopez", "Maria Lopez"]
    assert speakers(
        "Lena Okafor said harbour fees were far too high for small boats, while Kwame Mensah said the "
        f"fees were fair for everyone. {ferries}"
    ) == ["Lena Okafor"]
    # A body speaking in between is no "she": the person named before still is.
    assert speakers(
        "Port Minister Lena Okafor said harbour fees were far too high for small boats. The Port "
        f"Authority said the fees were fair for everyone. {ferries}"
    ) == ["Port Minister Lena Okafor", "Port Authority", "Port Minister Lena Okafor"]
    # The same person named again in between: still unambiguous.
    assert speakers(
        "Lena Okafor said harbour fees were far too high for small boats. Lena Okafor also said the "
        f"fees would be reviewed in spring. {ferries}"
    ) == ["Lena Okafor", "Lena Okafor", "Lena Okafor"]


def test_a_task_a_rule_gives_a_named_body_is_an_obligation_of_the_rules_author():
    text = (
        "China's Ministry of Commerce published the final rules on Thursday. "
        "The Bureau of Industry and Security is also tasked with guidance on chip export licences."
    )
    claim = next(c for c in claims_of(text) if c.action == "require")
    assert claim.attributed_key == "company:5"  # the rule's author, from the sentence before
    assert "guidance" in claim.object_text and "Bureau" in claim.object_text
    directed = one_claim("BIS is directed to publish licensing guidance within 90 days.", "policy_action")
    assert directed.action == "require"
    # Only a named body is tasked; a body after a preposition is no subject, and nobody named is none.
    assert not with_action("Exporters to China are asked to publish their licences.", "require")
    assert not with_action("Companies everywhere are asked to publish more guidance.", "require")


def test_a_rule_sparing_a_named_party_is_an_exemption_by_the_rules_author():
    text = (
        "China's Ministry of Commerce published the export rules on Tuesday. "
        "The United States is exempt from the new licence checks."
    )
    claim = next(c for c in claims_of(text) if c.action == "exempt")
    assert claim.attributed_key == "company:5"
    assert "licence" in claim.object_text and "United States" in claim.object_text
    # Nobody named, or the country only in an object: no exemption of anyone in particular.
    for text in (
        "Small firms are exempt from the new checks.",
        "Exporters to China are exempt from the checks.",
    ):
        assert not with_action(text, "exempt"), text


def test_the_body_leading_a_group_of_agencies_is_the_actor():
    claim = one_claim(
        "Seven agencies led by the Bureau of Industry and Security published the final export rules on Tuesday.",
        "policy_action",
    )
    assert (claim.attributed_key, claim.action) == ("company:4", "publish")
    # Any other "by" still makes an object, not the subject.
    assert not of_kind(
        "A list drawn up by the Bureau of Industry and Security restricts chip exports.", "policy_action"
    )


def test_a_hedge_in_a_later_clause_does_not_hedge_the_action_before_it():
    claim = one_claim(
        "China's Ministry of Commerce banned gallium exports on Tuesday, and it could change how chipmakers buy.",
        "policy_action",
    )
    assert (claim.attributed_key, claim.action) == ("company:5", "restrict")
    # A hedge before or around the action still hedges it.
    assert not of_kind(
        "China's Ministry of Commerce could ban gallium exports, and chipmakers are worried.", "policy_action"
    )


def test_a_titled_person_is_one_actor_however_the_name_is_written():
    first = one_claim(
        "President Joe Biden on Monday signed an executive order on AI safety.", "policy_action"
    )
    second = one_claim(
        "President Biden signed a huge executive order on AI safety on Monday.", "policy_action"
    )
    assert first.attributed_key == second.attributed_key == "name:biden"


def test_a_licence_requirement_someone_gave_notice_of_is_their_action():
    claim = one_claim(
        "Shares fell after the United States told the company that exports of its chips to China "
        "would require a licence.",
        "policy_action",
    )
    assert (claim.attributed_key, claim.action) == ("jurisdiction:US", "license")
    # The notice must hold the verb in its own clause.
    assert not with_action(
        "Washington told the company that it was reviewing sales, and exporters would require a licence.",
        "license",
    )


def test_quoted_as_saying_is_an_attributed_statement():
    claim = one_claim(
        "Huang was quoted as saying that China is a very important market for the company.", "quote"
    )
    assert claim.attributed_to_name == "Huang"


def test_ministry_said_that_is_a_quote():
    claim = one_claim(
        "China's Ministry of Commerce said it firmly opposed the measures and would protect Chinese firms.",
        "quote",
    )
    assert claim.attributed_key == "company:5"


# --- stance and attribution ---------------------------------------------------------------------


def test_figure_cited_from_an_outlet_and_referred_back_to():
    text = (
        "The Information first reported the workaround on Friday.\n\n"
        "According to the publication, three Chinese companies confirmed they still had access."
    )
    claim = one_claim(text, "statistic")
    assert claim.stance == "cites"
    assert claim.cited_name == "The Information"
    assert claim.value == Decimal(3)


def test_white_paper_attribution_for_a_statistic():
    claim = one_claim(
        "According to a white paper by the Academy of Digital Research, China holds 36% of the world's large AI models.",
        "statistic",
    )
    assert claim.attributed_to_name == "Academy of Digital Research"
    assert claim.stance == "asserts"
    assert (claim.value, claim.unit) == (Decimal(36), "percent")


def test_denial_is_a_disputing_stance():
    claim = one_claim(
        "Microsoft denied that it would block API access for customers in China.", "policy_action"
    )
    assert claim.stance == "disputes"


# --- fingerprints ------------------------------------------------------------------------------


def test_same_figure_in_different_words_has_one_fingerprint():
    first = one_claim("Washington added 140 entities to the trade blacklist on Monday.", "statistic")
    second = one_claim("The blacklist grew by about 140 companies, officials said on Monday.", "statistic")
    assert first.fingerprint == second.fingerprint == "statistic|company|count|140"


def test_policy_action_fingerprint_ignores_word_order_and_date_wording():
    first = one_claim("OpenAI will block API access from China starting July 9th.", "policy_action")
    second = one_claim("OpenAI blocks access to its API from China from 9 July.", "policy_action")
    assert first.fingerprint == second.fingerprint


def test_differing_actions_have_different_fingerprints():
    block = one_claim("OpenAI will block API access from China.", "policy_action")
    allow = one_claim("Microsoft continues to provide API access in China.", "policy_action")
    assert block.fingerprint != allow.fingerprint


# --- precision ------------------------------------------------------------------------------


def test_claims_per_article_are_capped_to_the_best():
    sentences = [
        f"Regulators in region {i} counted {100 + i} licensed AI models last year." for i in range(30)
    ]
    claims = claims_of(" ".join(sentences))
    assert len(claims) == MAX_CLAIMS_PER_ARTICLE


def test_one_claim_per_fingerprint_per_article():
    text = "OpenAI will block API access from China. Later, OpenAI will block API access from China."
    assert len(of_kind(text, "policy_action")) == 1


def test_plain_narration_yields_no_claims():
    text = (
        "The contrast between the two firms says a lot about the industry. "
        "It is a delicate balance, and one that could shape the future."
    )
    assert claims_of(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Three Chinese firms had ordered at least $16 billion of accelerators this year.",  # a purchase
        "Analysts in Beijing said the listings would slow local toolmakers.",  # a place, not a speaker
        "“We now know what the filing looks like,” the official said.",  # unnamed official
        "Three tiers, one big headache",  # a heading
    ],
)
def test_no_policy_order_or_named_speaker_in(text):
    claims = claims_of(text)
    assert not [c for c in claims if c.kind in ("policy_action", "quote", "forecast")]
    if text == "Three tiers, one big headache":
        assert claims == []


def test_regulator_order_is_a_policy_action():
    org = Organisation("company:9", "Garante")
    claims = extract(
        "The Garante on Thursday ordered DeepSeek to stop processing users' data.", organisations=[org]
    ).claims
    assert [(c.kind, c.action, c.attributed_to_name) for c in claims] == [
        ("policy_action", "order", "Garante")
    ]


def test_one_figure_per_unit_per_sentence_but_both_units_kept():
    text = "Companies face fines of up to 35 million euros or 7% of global turnover, and 29 signatories: 28 countries."
    units = sorted(c.unit for c in claims_of(text) if c.kind == "statistic")
    assert units == ["EUR", "percent"]


def test_unnamed_voices_make_no_claims():
    text = "Analysts said the risk has grown as Washington tightens technology controls on China."
    assert claims_of(text) == []


def test_paragraph_attribution_carries_to_unattributed_sentences():
    text = (
        "The Information reported the workaround on Friday. "
        "Three Chinese companies still reach OpenAI models through Azure.\n\n"
        "Washington added 140 entities to its trade blacklist on Monday."
    )
    stances = [(c.paragraph, c.stance, c.cited_name) for c in claims_of(text) if c.kind == "statistic"]
    assert stances == [(0, "cites", "The Information"), (1, "asserts", "")]


def test_a_named_speaker_is_not_carried_over_to_the_paragraphs_source():
    text = (
        "According to Ledger Wire, the rules were final. "
        "Microsoft said its Azure offer to eligible customers in China was unchanged."
    )
    quote = one_claim(text, "quote")
    assert (quote.stance, quote.attributed_to_name) == ("asserts", "Microsoft")


def test_a_position_restated_to_an_outlet_is_a_statement_through_that_outlet():
    found = find_citations(
        Sentence("A Microsoft representative reiterated the position to Harbour Wire on Monday.", 0, 0)
    )
    assert [(c.kind, c.cited_name, c.via_outlet) for c in found if c.via_outlet] == [
        ("statement", "Harbour Wire", True)
    ]


def test_an_organisations_word_through_an_outlet_sources_its_unattributed_actions():
    text = (
        "OpenAI cuts off API traffic from mainland China from 9 July.\n\n"
        "Developers there have few options left. The company has sent warning emails to them.\n\n"
        "An OpenAI spokesperson restated the policy to Meridian Wire, pointing to its list of supported regions."
    )
    block = one_claim(text, "policy_action")
    assert block.text.startswith("OpenAI cuts off")
    assert (block.stance, block.cited_name) == ("cites", "Meridian Wire")


def test_a_statement_given_to_an_outlet_about_an_action_is_that_actions_source_not_a_claim():
    text = (
        "Microsoft keeps serving Azure OpenAI Service customers in mainland China through 21Vianet.\n\n"
        "A Microsoft spokesperson confirmed to Harbour Wire that nothing has changed for eligible customers "
        "of the service there."
    )
    claims = claims_of(text)
    assert [c.kind for c in claims] == ["policy_action"], [(c.kind, c.text) for c in claims]
    assert (claims[0].stance, claims[0].cited_name) == ("cites", "Harbour Wire")
    assert claims[0].text.startswith("A Microsoft spokesperson confirmed")
    assert claims[0].attributed_to_name == "Microsoft"


def test_an_action_in_a_concessive_clause_is_not_what_the_cited_report_says():
    text = (
        "The Informant's report says that while OpenAI restricts Chinese developers from using its API, "
        "companies in China still reach the models through Azure."
    )
    block = one_claim(text, "policy_action")
    assert block.attributed_to_name == "OpenAI"
    assert (block.stance, block.cited_name, block.attributions) == ("asserts", "", ())


def test_the_date_a_rule_takes_effect_is_its_authors_claim():
    issued = with_action(
        "The export rules were published by the Bureau of Industry and Security, and take effect on Jan. 15.",
        "in_force",
    )
    assert [(c.attributed_key, c.effective) for c in issued] == [("company:4", "Jan. 15")]
    # "They" is the rule of the sentence before, whose author acts.
    later = with_action(
        "The Bureau of Industry and Security issued new rules on Monday. They take effect on 15 January.",
        "in_force",
    )
    assert [c.attributed_key for c in later] == ["company:4"]
    # The object word both share, so the services link the two wordings.
    assert later[0].object_text == "force" and issued[0].object_text.startswith("force The export rules")
    # A subordinate clause only places another step in time; a decision is not a rule.
    for text in (
        "The Bureau of Industry and Security gives industry 120 days to comment before the rules take effect on May 15.",
        "OpenAI's decision to block its API takes effect on July 9th.",
    ):
        assert not with_action(text, "in_force"), text


def test_opening_an_investigation_is_a_policy_action():
    claims = claims_of(
        "The Bureau of Industry and Security ordered the shipments halted. "
        "The bureau also opened a formal investigation into the exporter."
    )
    probe = [c for c in claims if c.action == "investigate"]
    assert [(c.attributed_key, c.object_text) for c in probe] == [
        ("company:4", "a formal investigation into the exporter")
    ]
    # "an investigation found" is no step anyone took.
    assert not with_action("An investigation by Microsoft found no misuse.", "investigate")


def test_the_authority_in_a_paragraph_that_names_no_actor_is_the_previous_paragraphs():
    text = (
        "The Bureau of Industry and Security ordered the shipments halted on Monday.\n\n"
        "The order covers two distributors. In practice it stops their trade. "
        "The bureau also opened a formal investigation."
    )
    probe = with_action(text, "investigate")
    assert [c.attributed_key for c in probe] == ["company:4"]
    # Once the paragraph names an actor of its own, "the bureau" is not reached back for.
    text = (
        "The Bureau of Industry and Security ordered the shipments halted on Monday.\n\n"
        "Washington said it was watching. The bureau also opened a formal investigation."
    )
    assert [c.attributed_key for c in claims_of(text) if c.action == "investigate"] != ["company:4"]


def test_the_length_of_talks_is_a_figure_but_other_durations_are_not():
    some, nearly = (
        find_quantities("The deal came after some 36 hours of talks spread over three days.")[0],
        find_quantities("It was struck after nearly 36 hours of negotiation.")[0],
    )
    assert (some.value, some.unit, some.measure_key) == (Decimal(36), "hour", "talk")
    assert (nearly.unit, nearly.measure_key) == ("hour", "talk")
    assert quantities_compatible(some, nearly)
    assert one_claim("The deal came after some 36 hours of talks.", "statistic").unit == "hour"
    # When something happens is not a figure to check.
    for text in (
        "Most provisions take effect 30 days after publication.",
        "Seoul will host a summit in six months.",
    ):
        assert find_quantities(text) == [], text


def test_a_ministry_spokesperson_speaks_for_the_ministry_just_named():
    text = (
        "China's Ministry of Commerce responded within hours. A ministry spokesperson said China "
        "firmly opposed the move and would protect the rights of Chinese firms."
    )
    assert one_claim(text, "quote").attributed_key == "company:5"
    # After a company acted, a ministry's spokesperson is someone else's voice.
    text = "OpenAI released a model. A ministry spokesperson said the model was not approved for use there."
    assert not [c for c in claims_of(text) if c.kind in ("quote", "forecast")]


def test_an_action_said_not_to_be_taken_is_not_that_action():
    for text in (
        "OpenAI will not sign the voluntary code of practice for model developers.",
        "Microsoft declined to sign the voluntary code of practice this week.",
        "Exports of the three metals to the United States would in principle not be permitted by China.",
    ):
        assert not [c for c in claims_of(text) if c.action in ("sign", "allow")], text
    assert one_claim("OpenAI will sign the voluntary code of practice.", "policy_action").action == "sign"


@pytest.mark.parametrize(
    ("sentence", "key"),
    [
        ("OpenAI will block API traffic, with the change taking effect on July 9th.", "7-9"),
        ("The rules take effect on Aug. 15.", "8-15"),
        ("OpenAI will begin blocking API traffic starting Tuesday.", "weekday:tuesday"),
        ("The block, which took effect on Tuesday, changes little.", ""),  # past: no start named ahead
    ],
)
def test_the_start_an_action_is_announced_for(sentence, key):
    assert effective_key(sentence) == key


def test_a_start_key_names_a_day_only_for_a_date():
    assert effective_date("7-9", 2025) == date(2025, 7, 9)
    assert effective_date("12-31", 2024) == date(2024, 12, 31)
    for key in ("immediately", "weekday:tuesday", ""):
        assert effective_date(key, 2025) is None
    assert effective_date("2-29", 2024) == date(2024, 2, 29)
    assert effective_date("2-29", 2025) is None  # not a day of that year


@pytest.mark.parametrize(
    ("sentence", "published", "start"),
    [
        # A start without a year in the next month but the next calendar year.
        ("The regulator will suspend the app starting January 6.", date(2025, 12, 20), date(2026, 1, 6)),
        ("The levy applies from 3 Feb.", date(2025, 11, 28), date(2026, 2, 3)),
        # Ahead in the same year, however far.
        ("The regulator will suspend the app starting August 2.", date(2025, 1, 15), date(2025, 8, 2)),
        # Behind, but nearer than next year's: a restatement of a past start.
        ("The ban, effective from 9 July, covers every store.", date(2025, 10, 12), date(2025, 7, 9)),
        # A written year wins.
        ("The levy applies from 3 February 2027.", date(2025, 12, 20), date(2027, 2, 3)),
        ("The regulator will suspend the app starting Tuesday.", date(2025, 12, 20), None),
    ],
)
def test_a_start_without_a_year_is_read_against_the_publication_day(sentence, published, start):
    assert effective_start(sentence, published) == start


def test_the_department_after_an_opening_adverbial_is_the_previous_paragraphs_actor():
    text = (
        "The Bureau of Industry and Security on Monday tightened its rules on memory chip exports.\n\n"
        "A second rule covers more tools.\n\n"
        "Separately, the bureau added four Chinese toolmakers to its Entity List."
    )
    listed = with_action(text, "list")
    assert [c.attributed_key for c in listed] == ["company:4"]
    text = text.replace("Separately, the bureau", "On Tuesday the bureau")
    assert [c.attributed_key for c in claims_of(text) if c.action == "list"] == ["company:4"]
    # A sentence that opens on something else is not "the bureau" acting.
    text = text.replace("On Tuesday the bureau added", "Critics said the bureau added")
    assert with_action(text, "list") == []


def test_a_long_list_of_those_added_to_the_entity_list_is_still_a_listing():
    text = (
        "The Bureau of Industry and Security added the toolmakers Alpha Semi and Beta Fab, together with "
        "a dozen of their research units and sales offices abroad, to its Entity List."
    )
    assert one_claim(text, "policy_action").action == "list"
    # "added that" reports what someone said.
    text = "The Bureau of Industry and Security added that the firms remain on the Entity List."
    assert with_action(text, "list") == []


def test_the_subject_of_a_reporting_verb_is_who_it_stands_for_across_a_clause_in_commas():
    text = (
        "On Wednesday the Senate Banking Committee, chaired by Senator Jane Roe, said it had opened an "
        "inquiry into chip sales to the region."
    )
    probe = one_claim(text, "policy_action")
    assert (probe.attributed_to_name, probe.action) == ("Senate Banking Committee", "investigate")
    text = "The Senate Banking Committee, chaired by Senator Jane Roe, opened an inquiry into chip sales."
    assert one_claim(text, "policy_action").attributed_key == "name:senate banking committee"
    text = "Microsoft, which runs Azure in the region, said on Monday it would stop allowing new sign-ups."
    assert one_claim(text, "policy_action").attributed_key == "company:2"
    # Unnamed voices stay unnamed: no one acts.
    text = "Analysts, who follow the sector, said it would restrict sales to the region."
    assert of_kind(text, "policy_action") == []


def test_made_clear_is_an_attributed_statement():
    text = "The Ministry of Commerce of China has made clear it will not accept the new licensing terms for rare earths."
    statement = one_claim(text, "forecast")
    assert statement.attributed_key == "company:5"
    text = "Microsoft made it clear that customers in the region keep their current contracts and prices."
    assert one_claim(text, "quote").attributed_key == "company:2"
    # Something other than a speaker making a point clear is no statement.
    assert claims_of("The result made clear that demand for the chips was strong across the region.") == []


def test_a_rule_as_the_subject_of_an_action_is_its_authors_action():
    text = (
        "The Bureau of Industry and Security on Monday published its new framework.\n\n"
        "Two elements matter. First, the rule controls the weights of the most capable closed models."
    )
    controls = with_action(text, "restrict")
    assert [(c.attributed_key, c.object_text) for c in controls] == [
        ("company:4", "the weights of the most capable closed models")
    ]
    text = (
        "The Bureau of Industry and Security published its framework. The rule also introduces, for the "
        "first time, export controls on the weights of closed models."
    )
    introduced = with_action(text, "restrict")
    assert [c.attributed_key for c in introduced] == ["company:4"]
    assert "first time" not in introduced[0].fingerprint  # the aside is not the object
    # An organisation in the rule's name is its author.
    text = "Analysts were unsurprised. China's new measures bar exports of graphite to military users."
    assert [c.attributed_key for c in claims_of(text) if c.action == "restrict"] == ["jurisdiction:CN"]


def test_a_rule_nobody_named_as_acting_wrote_makes_no_action():
    # A person quoted writes no rules; nor does an unnamed author.
    text = (
        "Thierry Roux hailed the deal as historic. The law bans certain uses of AI, such as social scoring."
    )
    assert of_kind(text, "policy_action") == []
    assert of_kind("The rule bans exports of advanced chips.", "policy_action") == []
    # "controls" is a verb only before what is controlled; "whoever" is no one's name.
    assert of_kind("Whoever controls the chips controls the future.", "policy_action") == []
    assert of_kind("Microsoft export controls on chips were discussed.", "policy_action") == []


def test_a_task_a_rule_gives_in_the_active_voice_is_the_same_obligation():
    text = (
        "China's Ministry of Commerce published the final rules on Thursday. "
        "The rules also tell the Bureau of Industry and Security to issue guidance on chip licences."
    )
    claim = next(c for c in claims_of(text) if c.action == "require")
    assert claim.attributed_key == "company:5"
    assert "Bureau" in claim.object_text and "guidance" in claim.object_text
    passive = next(
        c
        for c in claims_of(
            "China's Ministry of Commerce published the final rules on Thursday. "
            "The Bureau of Industry and Security is also directed to issue guidance on chip licences."
        )
        if c.action == "require"
    )
    assert passive.fingerprint == claim.fingerprint
    # Only a known body is tasked: "tells companies to" is no task of a named body.
    assert not [c for c in claims_of("The order tells companies to report their training runs.") if c.action]


@pytest.mark.parametrize(
    "text",
    [
        "The rule covers systems trained on more than 10^26 operations.",
        "The rule covers systems trained on more than 10**26 operations.",
        "The rule covers systems trained on more than 1e26 operations.",
        "The rule covers systems trained on more than 10 to the 26th operations.",
        "The rule covers systems trained on more than 10²⁶ operations.",
        "The rule covers systems trained on more than 100 septillion operations.",
        "The rule covers systems trained on more than 100,000 sextillion operations.",
    ],
)
def test_powers_of_ten_and_large_scale_words_are_one_figure(text):
    (quantity,) = find_quantities(text)
    assert quantity.value == Decimal(10) ** 26
    assert (quantity.unit, quantity.qualifier, quantity.measure_key) == ("count", "more than", "operation")


def test_large_scale_words_and_scaled_powers():
    assert find_quantities("a budget of 2 quadrillion operations")[0].value == 2 * Decimal(10) ** 15
    assert find_quantities("at least 3 quintillion operations")[0].value == 3 * Decimal(10) ** 18
    assert find_quantities("about 2.5 x 10^25 operations")[0].value == Decimal("2.5") * Decimal(10) ** 25


def test_plain_numbers_starting_with_ten_are_not_powers():
    assert [q.value for q in find_quantities("The agency fined 100 firms and 10 banks.")] == [100, 10]
    # Too large for the stored figure: no claim rather than a wrong one.
    assert find_quantities("a limit of 10^40 operations") == []


def test_differing_powers_of_ten_are_flagged_as_differing_figures():
    (lower,) = find_quantities("Models trained on 10^25 operations are covered.")
    (higher,) = find_quantities("Models trained on 100 septillion operations are covered.")
    (same,) = find_quantities("Models trained on 10^26 operations are covered.")
    assert not quantities_compatible(lower, higher)
    assert quantities_compatible(same, higher)


def test_how_often_is_one_word_however_it_is_worded():
    yearly = content_words("the fees are reviewed annually")
    assert content_words("the fees are reviewed at least once a year") == yearly
    assert content_words("the fees are reviewed every year") == yearly
    assert content_words("the fees are reviewed each month") != yearly


def test_a_speakers_figures_are_part_of_the_quotes_fingerprint():
    (five,) = [
        c
        for c in claims_of("Lena Okafor said harbour fees would rise by 5% next spring.")
        if c.kind != "statistic"
    ]
    (ten,) = [
        c
        for c in claims_of("Lena Okafor said harbour fees would rise by 10% next spring.")
        if c.kind != "statistic"
    ]
    assert five.fingerprint != ten.fingerprint


def test_two_modifiers_sharing_one_noun_count_that_noun():
    (quantity,) = find_quantities(
        "The duty covers runs of more than 10^26 integer or floating-point operations."
    )
    assert quantity.measure_key == "operation"
    (banks,) = find_quantities("Regulators closed 12 local and regional banks last year.")
    assert banks.measure_key == "bank"
