# Word lists read better as prose than as quoted lists:
# ruff: noqa: SIM905
"""Writes for claims: extraction per article, linking and corroboration per event, editor verdicts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from tracker.claims import extraction
from tracker.claims.extraction import ClaimCandidate, Organisation, content_words, jaccard, overlap
from tracker.claims.models import Citation, Claim, ClaimArticle
from tracker.companies.models import Company, CompanyAlias
from tracker.events.independence import event_independent_sources, speaking_outlet
from tracker.sources.models import Source

if TYPE_CHECKING:
    from tracker.events.models import Event
    from tracker.news.models import Article

# Above this many comparable claims (same kind and unit or action) in one event, pairwise fuzzy
# matching is skipped (exact fingerprints still merge): a runaway event must not make refresh quadratic.
MAX_CLAIMS_FOR_FUZZY_MERGE = 400
# Two sentences carrying the same figure for the same measure in one event share at least this
# much vocabulary ("140 entities" / "about 140 companies" on the Entity List).
STATISTIC_SAME_FIGURE_SIMILARITY = 0.1
# Differing figures are only called the same measure when the sentences are close paraphrases.
STATISTIC_DIFFERENT_FIGURE_SIMILARITY = 0.3
# Same actor and action: the objects must overlap this much ("API access from China" / "API traffic").
POLICY_OBJECT_OVERLAP = 0.5
POLICY_SENTENCE_SIMILARITY = 0.35
# ... or share one telling word ("api", "gallium") and a quarter of the object words.
POLICY_SPECIFIC_OBJECT_OVERLAP = 0.25
# Object words so common in policy stories that sharing them says nothing about sameness.
GENERIC_OBJECT_WORDS = frozenset(
    (
        "access export import user customer company chinese china us american service product rule control "
        "restriction technology model ai new developer market sale license chip"
    ).split()
)
# What a rule asks of or spares others: the author of such a claim may go unnamed.
RULE_ACTIONS = frozenset({"require", "exempt"})
# Different actors named differently ("BIS" / "the Commerce Department") need near-identical wording.
POLICY_ANY_ACTOR_SIMILARITY = 0.5
QUOTE_SAME_SPEAKER_SIMILARITY = 0.3
QUOTE_ANY_SPEAKER_SIMILARITY = 0.6
# One speaker's remark reported in other words ("would be updated at least annually" / "expected to
# update the rules at least once a year"): nearly all the words of the shorter report are in the
# longer one, and there are enough of them to say something.
QUOTE_PARAPHRASE_OVERLAP = 0.75
QUOTE_PARAPHRASE_MIN_WORDS = 3
# One speaker stating what a measure is for, twice in other words ("the goal was to limit X's access
# to advanced chips" / "the aim was to keep the most advanced chips out of X's hands"): both state an
# aim ("goal", "aim" and "purpose" are one word) and share this many other content words, a third of
# the shorter report at least. Two different aims of one speaker share few words besides.
STATED_AIM_WORD = "goal"
QUOTE_STATED_AIM_MIN_WORDS = 5
QUOTE_STATED_AIM_OVERLAP = 1 / 3
# The words that frame a report rather than carry its content: "told reporters", "said".
REPORTING_WORDS = frozenset("say said told tell reporter journalist add speak statement".split())
# A word before a surname that is a title or role, not a given name: "Commerce Secretary Raimondo".
PERSON_TITLE_WORDS = frozenset(
    "president secretary minister commissioner senator governor chairman chairwoman chair chief director "
    "premier chancellor ambassador representative rep sen mr mrs ms dr prof judge justice general officer "
    "executive ceo spokesperson spokesman spokeswoman head leader founder".split()
)
# Lower-case parts of a surname: "Ursula von der Leyen".
SURNAME_PARTICLES = frozenset("von van der den de du da di del la le bin al".split())
# Counts and multipliers need the same measure to match: "three metals" is not "three firms".
COUNTABLE_UNITS = frozenset({"count", "multiplier"})
# Two or more independent voices make a claim corroborated.
CORROBORATION_THRESHOLD = 2
# A carrier whose sentence and an earlier carrier's have this Jaccard similarity over their
# three-word sequences is a near-verbatim echo (a lightly edited copy), even without naming it.
# Independent reports of one fact share words, rarely word order ("Nvidia shares fell about 6%"
# in two reports of different length stays apart).
ECHO_SHARED_SEQUENCES = 0.5

EDITOR_STATUSES = (Claim.Status.VERIFIED, Claim.Status.FALSE)

# Single-word jurisdiction aliases that are adjectives ("Chinese", "American") describe things,
# they do not act: keeping them out stops "Chinese customers" being read as China acting.
_DEMONYM_RE = re.compile(r"^[A-Z][a-z]+(?:ese|ian|an|ish|ch|i)$")


# ---------------------------------------------------------------------------------------------
# Name resolution


class NameResolver:
    """Maps a cited or attributed name to a Source or Company, caching per call.

    `prime(names)` loads every name an article needs in a few queries; lookups of names not
    primed fall back to one query each."""

    def __init__(self) -> None:
        self._sources: dict[str, Source | None] = {}
        self._companies: dict[str, Company | None] = {}

    @staticmethod
    def _compact(key: str) -> str:
        return re.sub(r"[^a-z0-9]", "", key)

    def prime(self, names: Iterable[str]) -> None:
        keys = {extraction.name_key(name) for name in names if name} - {""}
        keys -= self._sources.keys() & self._companies.keys()
        if not keys:
            return
        variants = keys | {f"the {key}" for key in keys}
        sources = list(
            Source.objects.annotate(lname=Lower("name")).filter(
                Q(lname__in=variants) | Q(slug__in=[key.replace(" ", "-") for key in keys])
            )
        )
        compacts = {self._compact(key): key for key in keys if self._compact(key)}
        if compacts:
            # "Reuters" is reuters.com; "The Information" is theinformation.com.
            pattern = r"^(the)?(" + "|".join(re.escape(c) for c in compacts) + r")\."
            sources += list(Source.objects.filter(domain__iregex=pattern).order_by("id"))
        for key in keys:
            compact = self._compact(key)
            by_name = [
                src
                for src in sources
                if src.name.lower() in (key, f"the {key}") or src.slug == key.replace(" ", "-")
            ]
            by_domain = [
                src
                for src in sources
                if compact and re.match(rf"^(the)?{re.escape(compact)}\.", src.domain.lower())
            ]
            self._sources[key] = (by_name or by_domain or [None])[0]

        companies = {
            company.name.lower(): company
            for company in Company.objects.annotate(lname=Lower("name")).filter(lname__in=variants)
        }
        aliases = {
            alias.normalized: alias.company
            for alias in CompanyAlias.objects.filter(normalized__in=variants).select_related("company")
        }
        for key in keys:
            self._companies[key] = (
                companies.get(key)
                or companies.get(f"the {key}")
                or aliases.get(key)
                or aliases.get(f"the {key}")
            )

    def source(self, name: str) -> Source | None:
        key = extraction.name_key(name)
        if not key:
            return None
        if key not in self._sources:
            self.prime([name])
        return self._sources.get(key)

    def company(self, name: str) -> Company | None:
        key = extraction.name_key(name)
        if not key:
            return None
        if key not in self._companies:
            self.prime([name])
        return self._companies.get(key)


def _organisations_for(article: Article) -> list[Organisation]:
    """The organisations and jurisdictions the analysis stage found in this article."""
    return organisations_for_articles(article_ids=[article.pk]).get(article.pk, [])


def organisations_for_articles(*, article_ids: Iterable[int]) -> dict[int, list[Organisation]]:
    """Per article, the organisations and then the jurisdictions the analysis stage found in it
    (each in name order), in five queries for any number of articles."""
    from tracker.news.models import Article, ArticleCompany

    ids = list(article_ids)
    mentioned = list(
        ArticleCompany.objects.filter(article_id__among=ids).values_list("article_id", "company_id")
    )
    placed = list(
        Article.jurisdictions.through.objects.filter(article_id__among=ids).values_list(
            "article_id", "jurisdiction_id"
        )
    )
    catalogue = OrganisationCatalogue.load(
        company_ids={c for _, c in mentioned}, jurisdiction_ids={j for _, j in placed}
    )
    found_companies: dict[int, list[int]] = {}
    for article_id, company_id in mentioned:
        found_companies.setdefault(article_id, []).append(company_id)
    found_places: dict[int, list[int]] = {}
    for article_id, jurisdiction_id in placed:
        found_places.setdefault(article_id, []).append(jurisdiction_id)
    return {
        article_id: catalogue.organisations_of(
            found_companies.get(article_id, ()), found_places.get(article_id, ())
        )
        for article_id in ids
    }


@dataclass
class OrganisationCatalogue:
    """Companies and jurisdictions as claims extraction knows them, each with its rank in the
    database's name order. Loaded once, it answers for any article without a query, which the
    analysis workers (forked processes that never touch the database) rely on."""

    companies: dict[int, tuple[int, Organisation]]
    jurisdictions: dict[int, tuple[int, Organisation]]

    @classmethod
    def load(
        cls, *, company_ids: Iterable[int] | None = None, jurisdiction_ids: Iterable[int] | None = None
    ) -> OrganisationCatalogue:
        """These companies and jurisdictions (None: all of them), in three queries."""
        from tracker.jurisdictions.models import Jurisdiction

        alias_rows = CompanyAlias.objects.order_by("alias")
        company_rows = Company.objects.order_by("name")
        place_rows = Jurisdiction.objects.order_by("name")
        if company_ids is not None:
            company_ids = set(company_ids)
            alias_rows = alias_rows.filter(company_id__in=company_ids)
            company_rows = company_rows.filter(pk__in=company_ids)
        if jurisdiction_ids is not None:
            place_rows = place_rows.filter(pk__in=set(jurisdiction_ids))
        aliases: dict[int, list[CompanyAlias]] = {}
        for alias in alias_rows:
            aliases.setdefault(alias.company_id, []).append(alias)
        # Ranks follow the database's name order, as the per-article queries did.
        companies: dict[int, tuple[int, Organisation]] = {}
        for rank, company in enumerate(company_rows):
            own = aliases.get(company.pk, [])
            companies[company.pk] = (
                rank,
                Organisation(
                    key=f"company:{company.pk}",
                    name=company.name,
                    aliases=tuple(a.alias for a in own if not a.case_sensitive),
                    case_sensitive_aliases=tuple(a.alias for a in own if a.case_sensitive),
                ),
            )
        places: dict[int, tuple[int, Organisation]] = {}
        for rank, jurisdiction in enumerate(place_rows):
            places[jurisdiction.pk] = (
                rank,
                Organisation(
                    key=f"jurisdiction:{jurisdiction.code}",
                    name=jurisdiction.name,
                    aliases=tuple(a for a in jurisdiction.alias_list if not _DEMONYM_RE.match(a)),
                ),
            )
        return cls(companies=companies, jurisdictions=places)

    def organisations_of(
        self, company_ids: Iterable[int], jurisdiction_ids: Iterable[int]
    ) -> list[Organisation]:
        """An article's organisations (by name), then its jurisdictions (by name)."""
        return [org for _, org in sorted((self.companies[c] for c in company_ids), key=lambda x: x[0])] + [
            org for _, org in sorted((self.jurisdictions[j] for j in jurisdiction_ids), key=lambda x: x[0])
        ]


def _company_id(key: str) -> int | None:
    # Joint actors ("company:3+company:9") are no single company.
    number = key.split(":", 1)[1] if key.startswith("company:") else ""
    return int(number) if number.isdigit() else None


# ---------------------------------------------------------------------------------------------
# Extraction


def _text_of(article: Article) -> str:
    return article.text or ""


@transaction.atomic
def claims_extract_for_article(
    *,
    article: Article,
    organisations: list[Organisation] | None = None,
    resolver: NameResolver | None = None,
    fresh: bool = False,
    extracted: extraction.Extraction | None = None,
) -> None:
    """Replace this article's citations and claim links with what its text says now.

    Idempotent: running it twice leaves the same rows. Call after the article's company
    mentions and jurisdictions are stored; the event and copy marks are used when present.
    `organisations`: what `organisations_for_articles` gives for this article, when a batch
    caller has loaded it already (otherwise it is loaded here). `resolver`: one shared by a
    batch, so names seen in earlier articles cost no query (sources and companies do not change
    during extraction). `fresh`: the caller knows the article has no citations or claim links
    stored yet (see `articles_with_claims`), so there is nothing to replace. `extracted`: what
    `extraction.extract` gives for the article's text and these organisations, when the caller
    has it already (the bulk pipeline computes it once, possibly in a worker process).
    """
    resolver = resolver if resolver is not None else NameResolver()
    result = extracted
    if result is None:
        if organisations is None:
            organisations = _organisations_for(article)
        result = extraction.extract(_text_of(article), organisations=organisations)
    resolver.prime(
        [c.cited_name for c in result.citations]
        + [name for claim in result.claims for name in (claim.attributed_to_name, *claim.attributions)]
    )
    _store_citations(article=article, citations=result.citations, resolver=resolver, fresh=fresh)
    _store_claims(article=article, candidates=result.claims, resolver=resolver, fresh=fresh)


def articles_with_claims(*, article_ids: Iterable[int]) -> set[int]:
    """Which of these articles already have citations or claim links stored (two queries)."""
    ids = list(article_ids)
    return set(Citation.objects.filter(article_id__among=ids).values_list("article_id", flat=True)) | set(
        ClaimArticle.objects.filter(article_id__among=ids).values_list("article_id", flat=True)
    )


def _store_citations(
    *,
    article: Article,
    citations: Iterable[extraction.FoundCitation],
    resolver: NameResolver,
    fresh: bool = False,
) -> None:
    rows: dict[tuple[str, str], Citation] = {}
    for found in citations:
        name = found.cited_name[:300]
        source = resolver.source(name)
        company = None if source else resolver.company(name)
        kind = found.kind
        # A name we know as an outlet makes "according to X" another outlet's report.
        if source is not None and kind == Citation.Kind.STATEMENT and not found.via_outlet:
            kind = Citation.Kind.REPORT if source.kind != Source.Kind.COMPANY else kind
        if company is not None and company.kind == Company.Kind.MEDIA and kind == Citation.Kind.STATEMENT:
            kind = Citation.Kind.REPORT
        rows.setdefault(
            (name.lower(), kind),
            Citation(
                article=article,
                kind=kind,
                cited_name=name,
                cited_source=source,
                cited_company=company,
                quote=found.quote,
            ),
        )
    if not fresh:
        article.citations.all().delete()
    Citation.objects.bulk_create(list(rows.values()))


# Sources of these kinds speak for themselves: "Microsoft said" is a primary statement, not echo.
_PRIMARY_SOURCE_KINDS = (Source.Kind.COMPANY, Source.Kind.GOVERNMENT)


def _is_outlet(resolver: NameResolver, name: str) -> bool:
    if not name:
        return False
    source = resolver.source(name)
    if source is not None:
        return source.kind not in _PRIMARY_SOURCE_KINDS
    company = resolver.company(name)
    return company is not None and company.kind == Company.Kind.MEDIA


def _stance_for(candidate: ClaimCandidate, resolver: NameResolver) -> tuple[str, str]:
    """(stance, cited name) for one carrying sentence."""
    if candidate.stance in (ClaimArticle.Stance.DISPUTES, ClaimArticle.Stance.CITES):
        return candidate.stance, candidate.cited_name
    # "According to X" or "X said" where X turns out to be an outlet we know is echo, not assertion.
    for name in dict.fromkeys([candidate.cited_name, *candidate.attributions]):
        if not name:
            continue
        if _is_outlet(resolver, name):
            return ClaimArticle.Stance.CITES, name
    return ClaimArticle.Stance.ASSERTS, candidate.cited_name


def _store_claims(
    *, article: Article, candidates: list[ClaimCandidate], resolver: NameResolver, fresh: bool = False
) -> None:
    old_links: dict[int, ClaimArticle] = (
        {} if fresh else {link.claim_id: link for link in article.claim_links.select_related("claim")}
    )
    fingerprints = [c.fingerprint for c in candidates]
    reusable: dict[str, Claim] = {}
    # Claims this article already carried, then its original's (a copy says what the original
    # says), then claims of its event: each fingerprint links to one claim.
    for link in old_links.values():
        reusable.setdefault(link.claim.fingerprint, link.claim)
    if article.copy_of_id:
        for claim in Claim.objects.filter(
            carriers__article_id=article.copy_of_id, fingerprint__in=fingerprints
        ):
            reusable.setdefault(claim.fingerprint, claim)
    if article.event_id:
        # A person named by surname is reused only under the same given name (or none): two people
        # of one surname must stay apart, and the event refresh links the rest (_speakers_resolve).
        given = {
            c.fingerprint: _given_name(c.attributed_to_name)
            for c in candidates
            if _names_person(c.fingerprint)
        }
        for claim in Claim.objects.filter(event_id=article.event_id, fingerprint__in=fingerprints).order_by(
            "id"
        ):
            if (
                claim.fingerprint in given
                and _given_name(claim.attributed_to_name) != given[claim.fingerprint]
            ):
                continue
            reusable.setdefault(claim.fingerprint, claim)

    seen_at = article.published_or_fetched or timezone.now()
    now = timezone.now()
    plans: list[tuple[ClaimCandidate, Claim]] = []
    planned: set[int] = set()
    new_claims: list[Claim] = []
    for candidate in candidates:
        if candidate.kind in (Claim.Kind.QUOTE, Claim.Kind.FORECAST) and _is_outlet(
            resolver, candidate.attributed_to_name
        ):
            continue  # an outlet "saying" something is a citation of its report, already recorded
        claim = reusable.get(candidate.fingerprint)
        if claim is None:
            attributed = _company_id(candidate.attributed_key)
            if attributed is None and candidate.attributed_to_name:
                company = resolver.company(candidate.attributed_to_name)
                attributed = company.pk if company else None
            claim = Claim(
                text=candidate.text,
                fingerprint=candidate.fingerprint,
                kind=candidate.kind,
                attributed_to_id=attributed,
                attributed_to_name=candidate.attributed_to_name[:300],
                value=candidate.value,
                unit=candidate.unit,
                measure=candidate.measure[:200],
                event_id=article.event_id,
                first_seen_at=seen_at,
                created_at=now,
                updated_at=now,
            )
            new_claims.append(claim)
            reusable[candidate.fingerprint] = claim
        elif id(claim) in planned:
            continue  # two sentences of one article saying the same thing: the first is the quote
        planned.add(id(claim))
        plans.append((candidate, claim))
    # PostgreSQL and SQLite >= 3.35 return the new ids, which the links below need.
    Claim.objects.bulk_create(new_claims)

    link_fields = ["quote", "stance", "reported_value", "reported_text", "cited_name"]
    to_update: list[ClaimArticle] = []
    to_create: list[ClaimArticle] = []
    about_rows: set[tuple[int, int]] = set()
    for candidate, claim in plans:
        stance, cited_name = _stance_for(candidate, resolver)
        values = {
            "quote": candidate.text,
            "stance": stance,
            "reported_value": candidate.value,
            "reported_text": candidate.reported_text[:200],
            "cited_name": cited_name[:300],
        }
        link = old_links.get(claim.pk)
        if link is None:
            to_create.append(ClaimArticle(claim=claim, article=article, created_at=now, **values))
        elif any(getattr(link, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(link, name, value)
            to_update.append(link)
        about_rows.update(
            (claim.pk, company_id) for company_id in map(_company_id, candidate.about_keys) if company_id
        )
    ClaimArticle.objects.bulk_create(to_create)
    if to_update:
        ClaimArticle.objects.bulk_update(to_update, link_fields)
    if about_rows:
        through = Claim.about_companies.through
        through.objects.bulk_create(
            [through(claim_id=claim_id, company_id=company_id) for claim_id, company_id in about_rows],
            ignore_conflicts=True,
        )

    kept = {claim.pk for _candidate, claim in plans}
    stale = [claim_id for claim_id in old_links if claim_id not in kept]
    if stale:
        ClaimArticle.objects.filter(article=article, claim_id__in=stale).delete()
        _delete_orphans(stale)


def _delete_orphans(claim_ids: Iterable[int]) -> None:
    """Claims nobody carries any more go, unless an editor ruled on them."""
    Claim.objects.filter(pk__in=list(claim_ids), carriers__isnull=True, editor_locked=False).delete()


# ---------------------------------------------------------------------------------------------
# Linking within an event


@dataclass
class _ClaimView:
    """What matching needs to know about a stored claim."""

    claim: Claim
    links: list[ClaimArticle] = field(default_factory=list)
    content: frozenset[str] = frozenset()
    parts: list[str] = field(default_factory=list)
    starts: frozenset[str] = frozenset()  # month-days its carriers say it takes effect on
    # Policy actions: the organisations its sentences name besides the actor (see _named_objects).
    named_objects: frozenset[int] = frozenset()
    # The fingerprint compared within the event: the stored one, told apart by given name when two
    # people of one surname speak in the event (see _speakers_resolve).
    fingerprint: str = ""

    @property
    def kind(self) -> str:
        return self.claim.kind

    @property
    def carrying(self) -> list[ClaimArticle]:
        """The links of the articles that carry the claim without disputing it."""
        return [link for link in self.links if link.stance != ClaimArticle.Stance.DISPUTES]

    @cached_property
    def text_quantities(self) -> list[extraction.Quantity]:
        """The figures of the claim's text, read once: speech claims are compared pairwise."""
        return extraction.find_quantities(self.claim.text)


def _parts(claim: Claim) -> list[str]:
    """Fingerprint fields after the kind, in the (sorted-key) order fingerprint_for wrote them:
    policy_action: action, actor, object; statistic: measure, unit, value; quote: speaker, words."""
    return claim.fingerprint.split("|")[1:]


def _qualifier(reported_text: str) -> str:
    return extraction.qualifier_of(reported_text)


def _same_claim(a: _ClaimView, b: _ClaimView) -> bool:
    if a.fingerprint == b.fingerprint:
        return True
    similarity = jaccard(a.content, b.content)
    speech = {Claim.Kind.QUOTE, Claim.Kind.FORECAST}
    if a.kind != b.kind and not (a.kind in speech and b.kind in speech):
        return False
    if a.kind == Claim.Kind.STATISTIC:
        if len(a.parts) < 3 or len(b.parts) < 3:
            return False
        (measure_a, unit_a, value_a), (measure_b, unit_b, value_b) = a.parts[:3], b.parts[:3]
        if unit_a != unit_b:
            return False
        if unit_a not in COUNTABLE_UNITS and value_a == value_b and value_a != "~":
            # The same sum of money or share in one event is the same figure, however its
            # measure was worded ("charges", "the bill", none at all).
            return similarity >= STATISTIC_SAME_FIGURE_SIMILARITY
        if not measure_a or measure_a != measure_b:
            return False
        if _figures_compatible(unit_a, a, b):
            return similarity >= STATISTIC_SAME_FIGURE_SIMILARITY
        return similarity >= STATISTIC_DIFFERENT_FIGURE_SIMILARITY
    if a.kind == Claim.Kind.POLICY_ACTION:
        if len(a.parts) < 3 or len(b.parts) < 3:
            return False
        (action_a, actor_a, object_a), (action_b, actor_b, object_b) = a.parts[:3], b.parts[:3]
        if action_a != action_b:
            return False
        # An obligation or exemption whose author went unnamed ("NIST is directed to ...") is the
        # same rule's as one with its author ("The order tells NIST to ..."): nobody is not
        # somebody else.
        unknown_author = action_a in RULE_ACTIONS and not (actor_a and actor_b)
        if actor_a == actor_b or unknown_author:
            words_a, words_b = set(object_a.split()), set(object_b.split())
            specific = (words_a & words_b) - GENERIC_OBJECT_WORDS
            return (
                overlap(words_a, words_b) >= POLICY_OBJECT_OVERLAP
                or (specific and overlap(words_a, words_b) >= POLICY_SPECIFIC_OBJECT_OVERLAP)
                or similarity >= POLICY_SENTENCE_SIMILARITY
                # One actor starting one kind of measure on one day, on a shared object word
                # ("API access from July 9th", "stricter access controls beginning Tuesday").
                or bool(words_a & words_b and a.starts & b.starts)
                # One actor taking one kind of action on the same named organisations ("added 13
                # entities to the Entity List, led by A and B" / "added A and B, with subsidiaries,
                # to its Entity List"), whatever else the sentences count or describe.
                or bool(a.named_objects and a.named_objects == b.named_objects)
            )
        return similarity >= POLICY_ANY_ACTOR_SIMILARITY and not _namesakes(actor_a, actor_b)
    speaker_a = a.parts[0] if a.parts else ""
    speaker_b = b.parts[0] if b.parts else ""
    if _namesakes(speaker_a, speaker_b) or not _figures_agree(a.text_quantities, b.text_quantities):
        return False
    if speaker_a and speaker_a == speaker_b:
        return similarity >= QUOTE_SAME_SPEAKER_SIMILARITY or _paraphrased(a, b)
    return similarity >= QUOTE_ANY_SPEAKER_SIMILARITY


def _remark_words(sentence: str, speaker: str) -> frozenset[str]:
    """What a report of a remark says, without who said it or how: content words less the speaker's
    name and the reporting verbs, a final "e" dropped so "update" and "updated" ("updat") agree."""
    framing = REPORTING_WORDS | content_words(speaker)
    return frozenset(
        word[:-1] if word.endswith("e") and len(word) > 5 else word
        for word in content_words(sentence) - framing
    )


def _figures_agree(figures_a: list[extraction.Quantity], figures_b: list[extraction.Quantity]) -> bool:
    """Whether two reports of speech can be one remark by their figures: in every unit both give,
    some figure of one is compatible with one of the other ("5%" and "10%" are two remarks)."""
    for unit in {q.unit for q in figures_a} & {q.unit for q in figures_b}:
        if not any(
            extraction.quantities_compatible(qa, qb)
            for qa in figures_a
            if qa.unit == unit
            for qb in figures_b
            if qb.unit == unit
        ):
            return False
    return True


def _paraphrased(a: _ClaimView, b: _ClaimView) -> bool:
    """Whether two reports of one speaker say the same in other words: the shorter's words nearly
    all in the longer (synonyms folded by content_words), or both state one aim in enough shared
    words; _same_claim has checked the figures."""
    speaker = a.claim.attributed_to_name or b.claim.attributed_to_name
    reports_b = [_remark_words(link.quote, speaker) for link in b.links]
    for link_a in a.links:
        words_a = _remark_words(link_a.quote, speaker)
        for words_b in reports_b:
            if (
                len(words_a & words_b) >= QUOTE_PARAPHRASE_MIN_WORDS
                and overlap(words_a, words_b) >= QUOTE_PARAPHRASE_OVERLAP
            ):
                return True
            if (
                STATED_AIM_WORD in words_a & words_b
                and len((words_a & words_b) - {STATED_AIM_WORD}) >= QUOTE_STATED_AIM_MIN_WORDS
                and overlap(words_a, words_b) >= QUOTE_STATED_AIM_OVERLAP
            ):
                return True  # one speaker's stated aim, reported twice
    return False


def _namesakes(key_a: str, key_b: str) -> bool:
    """Two people of one surname told apart by _speakers_resolve ("person:elena varga" and
    "person:tomas varga", or either and the ambiguous "name:varga"): never one speaker."""
    if key_a == key_b or not (key_a.startswith("person:") or key_b.startswith("person:")):
        return False
    return key_a.split(":", 1)[-1].split()[-1] == key_b.split(":", 1)[-1].split()[-1]


def _figures(view: _ClaimView) -> list[tuple[Decimal | None, str]]:
    figures = [
        (link.reported_value, _qualifier(link.reported_text))
        for link in view.carrying
        if link.reported_value is not None or link.reported_text
    ]
    if not figures and (view.claim.value is not None):
        figures.append((view.claim.value, ""))
    return figures


def _figures_compatible(unit: str, a: _ClaimView, b: _ClaimView) -> bool:
    return all(
        extraction.values_compatible(unit, first, second) for first in _figures(a) for second in _figures(b)
    )


def _merge_into(survivor: Claim, duplicate: Claim) -> None:
    """Move a duplicate's carriers and companies onto the survivor, then delete the duplicate."""
    carried = {link.article_id: link for link in ClaimArticle.objects.filter(claim=survivor)}
    for link in ClaimArticle.objects.filter(claim=duplicate):
        kept = carried.get(link.article_id)
        if kept is not None:
            # The article already carries the survivor; its first sentence stays, but when this
            # one names where the claim came from ("..., according to Reuters"), so does the article.
            changed: list[str] = []
            if link.stance == ClaimArticle.Stance.CITES and kept.stance == ClaimArticle.Stance.ASSERTS:
                kept.stance, kept.cited_name = link.stance, link.cited_name
                changed += ["stance", "cited_name"]
            if kept.reported_value is None and not kept.reported_text and link.reported_text:
                # An action's sentence reached the figure first (_counts_of_actions): the
                # article's figure is still shown and compared.
                kept.reported_value, kept.reported_text = link.reported_value, link.reported_text
                changed += ["reported_value", "reported_text"]
            if changed:
                kept.save(update_fields=changed)
            link.delete()
        else:
            link.claim = survivor
            link.save(update_fields=["claim"])
            carried[link.article_id] = link
    survivor.about_companies.add(*duplicate.about_companies.all())
    if survivor.value is None and duplicate.value is not None and survivor.unit == duplicate.unit:
        # "several companies" merged with "three companies": the claim shows the precise figure.
        survivor.value = duplicate.value
        survivor.save(update_fields=["value"])
    # The duplicate's attribution is taken when the survivor names nobody (a figure merged with
    # the action it counts: the actor named is its author), or when only the duplicate's is a
    # known company.
    if (not survivor.attributed_to_name and duplicate.attributed_to_name) or (
        survivor.attributed_to_id is None and duplicate.attributed_to_id is not None
    ):
        survivor.attributed_to_id = duplicate.attributed_to_id
        survivor.attributed_to_name = duplicate.attributed_to_name
        survivor.save(update_fields=["attributed_to", "attributed_to_name"])
    duplicate.delete()


def _survivor_order(claim: Claim) -> tuple[int, int]:
    return (0 if claim.editor_locked else 1, claim.pk)


def _claim_views(
    claims: Iterable[Claim], links: Iterable[ClaimArticle], published: dict[int, date] | None = None
) -> dict[int, _ClaimView]:
    """`published`: each carrying article's publication day, to read "from Tuesday" as a date."""
    published = published or {}
    views = {
        claim.pk: _ClaimView(claim=claim, parts=_parts(claim), fingerprint=claim.fingerprint)
        for claim in claims
    }
    for link in links:
        view = views.get(link.claim_id)
        if view is not None:
            view.links.append(link)
    for view in views.values():
        words: set[str] = set()
        for link in view.links:
            words |= content_words(link.quote)
        view.content = frozenset(words or content_words(view.claim.text))
        if view.kind == Claim.Kind.POLICY_ACTION:
            view.starts = frozenset(
                day
                for link in view.links
                for day in extraction.effective_days(
                    extraction.effective_key(link.quote), published.get(link.article_id)
                )
            )
    _actors_as_states(views.values())
    _named_objects(views.values())
    _speakers_resolve(views.values())
    return views


def _given_name(name: str) -> str:
    """The given name of a person as written ("Commerce Secretary Gina Raimondo": "gina"); "" when
    only a title or nothing stands before the surname ("Secretary Raimondo", "Raimondo")."""
    words = name.split()
    i = len(words) - 2
    while i >= 0 and words[i] in SURNAME_PARTICLES:
        i -= 1
    if i < 0 or not words[i][:1].isupper() or words[i].lower().strip(".") in PERSON_TITLE_WORDS:
        return ""
    return words[i].lower()


def _surname_part(kind: str, parts: list[str]) -> int | None:
    """Which fingerprint part (see _parts) keys a single person by surname ("name:raimondo"): the
    speaker of a quote or forecast, the actor of a policy action; None when none does."""
    index = 1 if kind == Claim.Kind.POLICY_ACTION else 0
    if kind == Claim.Kind.STATISTIC or len(parts) <= index:
        return None
    key = parts[index]
    return index if key.startswith("name:") and not re.search(r"[ +]", key) else None


def _names_person(fingerprint: str) -> bool:
    """Whether a quote, forecast or policy action's fingerprint names a person by surname."""
    kind, *parts = fingerprint.split("|")
    return _surname_part(kind, parts) is not None


def _person_part(view: _ClaimView) -> int | None:
    """Which part of the view's fingerprint names a person by surname (see _surname_part), when
    the name shown ends in that surname; None otherwise."""
    index = _surname_part(view.kind, view.parts)
    name = view.claim.attributed_to_name
    if index is None or not name:
        return None
    return index if extraction.person_key(name) == view.parts[index] else None


def _speakers_resolve(views: Iterable[_ClaimView]) -> None:
    """One person, one speaker within the event. Extraction keys a person by surname, so "Commerce
    Secretary Gina Raimondo", "Gina Raimondo" and "Raimondo" already compare as one; here they are
    also shown as one, by the fullest name written. When two given names share the surname in the
    event, the surname is ambiguous: each full name is its own speaker and the surname alone links
    with neither."""
    by_surname: dict[str, list[tuple[_ClaimView, int]]] = {}
    for view in views:
        index = _person_part(view)
        if index is not None:
            by_surname.setdefault(view.parts[index], []).append((view, index))
    for surname_key, group in by_surname.items():
        given = {_given_name(view.claim.attributed_to_name) for view, _ in group} - {""}
        if len(given) > 1:
            for view, index in group:
                first = _given_name(view.claim.attributed_to_name)
                if first:
                    view.parts[index] = f"person:{first} {surname_key.removeprefix('name:')}"
                    view.fingerprint = f"{view.claim.fingerprint}#{first}"
            continue
        names = {view.claim.attributed_to_name for view, _ in group}
        fullest = max(names, key=lambda name: (bool(_given_name(name)), len(name.split()), name))
        for view, _ in group:
            view.claim.attributed_to_name = fullest


def _actors_as_states(views: Iterable[_ClaimView]) -> None:
    """A government body acts for its country: "BIS adds ..." and "the United States adds ..."
    have one actor when claims are compared (fingerprints are left as extracted). So do joint
    actors, party by party: "the European Parliament and the Council reached an agreement" is
    the European Union's, as "EU lawmakers and member states agreed" is."""
    policy = [v for v in views if v.kind == Claim.Kind.POLICY_ACTION and len(v.parts) >= 2]
    ids = {_company_id(part) for v in policy for part in v.parts[1].split("+")} - {None}
    if not ids:
        return
    state_of = dict(
        Company.objects.filter(
            pk__in=ids,
            kind__in=[Company.Kind.GOVERNMENT_BODY, Company.Kind.REGULATOR],
            country__isnull=False,
        ).values_list("pk", "country__code")
    )

    def as_state(part: str) -> str:
        code = state_of.get(_company_id(part))
        return f"jurisdiction:{code}" if code else part

    for view in policy:
        view.parts[1] = "+".join(sorted({as_state(part) for part in view.parts[1].split("+")}))


def _named_objects(views: Iterable[_ClaimView]) -> None:
    """What a policy action acts on, by name: the organisations its claim's sentences name (its
    `about_companies`) other than the actor, the actor's country's government bodies and regulators
    (a sentence's actor is "BIS" or "the Commerce Department" as often as the country) and media
    (an outlet named as a source). Run after _actors_as_states. One query."""
    policy = {v.claim.pk: v for v in views if v.kind == Claim.Kind.POLICY_ACTION and len(v.parts) >= 2}
    if not policy:
        return
    named: dict[int, set[int]] = {}
    rows = Claim.about_companies.through.objects.filter(claim_id__in=list(policy)).values_list(
        "claim_id", "company_id", "company__kind", "company__country__code"
    )
    for claim_id, company_id, kind, country in rows:
        view = policy[claim_id]
        actor = set(view.parts[1].split("+"))
        if company_id == view.claim.attributed_to_id or f"company:{company_id}" in actor:
            continue
        if kind == Company.Kind.MEDIA:
            continue
        if (
            kind in (Company.Kind.GOVERNMENT_BODY, Company.Kind.REGULATOR)
            and f"jurisdiction:{country}" in actor
        ):
            continue
        named.setdefault(claim_id, set()).add(company_id)
    for claim_id, companies in named.items():
        policy[claim_id].named_objects = frozenset(companies)


def _block_key(view: _ClaimView) -> tuple[str, str]:
    if view.kind == Claim.Kind.STATISTIC:
        return ("statistic", view.parts[1] if len(view.parts) > 1 else "")
    if view.kind == Claim.Kind.POLICY_ACTION:
        return ("policy_action", view.parts[0] if view.parts else "")
    return ("speech", "")


def _merge_duplicates(views: dict[int, _ClaimView]) -> dict[int, _ClaimView]:
    """Union claims that say the same thing; returns the surviving views (links re-read later)."""
    ordered = sorted(views.values(), key=lambda v: _survivor_order(v.claim))
    parent = {view.claim.pk: view.claim.pk for view in ordered}

    def root(claim_id: int) -> int:
        while parent[claim_id] != claim_id:
            parent[claim_id] = parent[parent[claim_id]]
            claim_id = parent[claim_id]
        return claim_id

    def union(a_id: int, b_id: int, *, prefer_b: bool = False) -> None:
        ra, rb = root(a_id), root(b_id)
        if ra == rb:
            return
        # A root is editor-locked when any member is (locked claims sort first); two editor
        # rulings are never merged automatically, not even through a third claim.
        if views[ra].claim.editor_locked and views[rb].claim.editor_locked:
            return
        keep, drop = sorted((ra, rb), key=lambda cid: _survivor_order(views[cid].claim))
        if prefer_b and not views[ra].claim.editor_locked:
            keep, drop = rb, ra
        parent[drop] = keep

    by_fingerprint: dict[str, int] = {}
    for view in ordered:
        first = by_fingerprint.setdefault(view.fingerprint, view.claim.pk)
        if first != view.claim.pk:
            union(first, view.claim.pk)
    # Only claims that could match are compared: same kind family and unit or action.
    blocks: dict[tuple[str, str], list[_ClaimView]] = {}
    for view in ordered:
        blocks.setdefault(_block_key(view), []).append(view)
    for block in blocks.values():
        if len(block) > MAX_CLAIMS_FOR_FUZZY_MERGE:
            continue  # a runaway event keeps its exact-fingerprint links only
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if root(a.claim.pk) != root(b.claim.pk) and _same_claim(a, b):
                    union(a.claim.pk, b.claim.pk)

    # Last, so that no later union makes the action the survivor: the claim stays a figure (differing
    # figures are still compared and flagged), attributed to the action's actor (_merge_into).
    counted = _counts_of_actions(ordered)
    for statistic, action, _sentence in counted:
        union(action.claim.pk, statistic.claim.pk, prefer_b=True)
    # The claim reads as the sentence that both counts and acts ("BIS added 13 Chinese entities to
    # the Entity List, led by ..."), not as a bare figure ("In total, 13 entities were added").
    shown: set[int] = set()
    for statistic, _action, sentence in counted:
        keep = views[root(statistic.claim.pk)].claim
        if keep.pk not in shown and keep.text != sentence and not keep.editor_locked:
            keep.text = sentence
            Claim.objects.filter(pk=keep.pk).update(text=sentence)
        shown.add(keep.pk)

    survivors: dict[int, _ClaimView] = {}
    for view in ordered:
        keep = root(view.claim.pk)
        if keep == view.claim.pk:
            survivors[keep] = view
    for view in ordered:
        keep = root(view.claim.pk)
        if keep != view.claim.pk:
            _merge_into(views[keep].claim, view.claim)
    return survivors


def _counts_of_actions(views: list[_ClaimView]) -> list[tuple[_ClaimView, _ClaimView, str]]:
    """(figure, action) pairs where one sentence is both: "BIS added 13 Chinese entities to the
    Entity List" is a count of entities with no speaker and the Bureau's listing of them. It is one
    statement, so one claim: the figure, with the action's actor as its author (the named
    attribution wins); the figure's other carriers ("In total, 13 Chinese entities were added")
    and the action's report one thing. Only a count of what the action acts on (its measure is a
    word of the action's object) in a sentence both carry, returned with that sentence."""
    actions: dict[tuple[int, str], list[_ClaimView]] = {}
    for view in views:
        if view.kind == Claim.Kind.POLICY_ACTION and view.claim.attributed_to_name and len(view.parts) >= 3:
            for link in view.links:
                actions.setdefault((link.article_id, link.quote), []).append(view)
    pairs = []
    for view in views:
        if (
            view.kind != Claim.Kind.STATISTIC
            or view.claim.attributed_to_name
            or len(view.parts) < 3
            or view.parts[1] not in COUNTABLE_UNITS
            or not view.parts[0]
        ):
            continue
        for link in view.links:
            action = next(
                (
                    a
                    for a in actions.get((link.article_id, link.quote), [])
                    if view.parts[0] in a.parts[2].split()
                ),
                None,
            )
            if action is not None:
                pairs.append((view, action, link.quote))
                break
    return pairs


def _detach_foreign_carriers(*, event: Event, article_ids: set[int], claims: list[Claim]) -> list[Claim]:
    """A claim belongs to one event. When the event's articles carry a claim owned by another
    event (articles moved, events split), give them their own copy of it."""
    result = []
    for claim in claims:
        if claim.event_id in (None, event.pk):
            result.append(claim)
            continue
        links = ClaimArticle.objects.filter(claim=claim, article_id__in=article_ids)
        copy = Claim.objects.create(
            text=claim.text,
            fingerprint=claim.fingerprint,
            kind=claim.kind,
            attributed_to_id=claim.attributed_to_id,
            attributed_to_name=claim.attributed_to_name,
            value=claim.value,
            unit=claim.unit,
            measure=claim.measure,
            event=event,
            first_seen_at=claim.first_seen_at,
        )
        copy.about_companies.add(*claim.about_companies.all())
        links.update(claim=copy)
        result.append(copy)
    return result


def events_with_claims(*, event_ids: Iterable[int]) -> set[int]:
    """Which of these events own a claim or hold an article carrying one (two queries). For the
    others claims_refresh_for_event has nothing to do."""
    ids = list(event_ids)
    return set(
        ClaimArticle.objects.filter(article__event_id__among=ids).values_list("article__event_id", flat=True)
    ) | set(Claim.objects.filter(event_id__among=ids).values_list("event_id", flat=True))


@transaction.atomic
def claims_refresh_for_event(*, event: Event, resolver: NameResolver | None = None) -> None:
    """Link and merge claims across the event's articles and recompute corroboration and status.

    Call after the event's articles are clustered and copies are marked. Editor-locked claims
    keep their status; their counts are still recomputed. Stores the event's independent-source
    count too: for events that carry or own claims (`events_with_claims`) this is its only writer.
    """
    claim_ids = set(
        ClaimArticle.objects.filter(article__event_id=event.pk).values_list("claim_id", flat=True)
    )
    # Every article: the event's independent-source count is stored here, from all of them.
    articles = list(event.articles.select_related("source", "copy_of__source"))
    article_ids = {article.pk for article in articles}
    claims = list(Claim.objects.filter(pk__in=claim_ids))
    claims = _detach_foreign_carriers(event=event, article_ids=article_ids, claims=claims)

    # Claims this event no longer carries (its articles moved away) are released or dropped.
    gone = list(Claim.objects.filter(event=event).exclude(pk__in=[c.pk for c in claims]))
    for claim in gone:
        if claim.carriers.exists():
            claim.event = None
            claim.save(update_fields=["event"])
    # The released ones are no longer this event's; the rest go unless an editor ruled on them.
    _delete_orphans([claim.pk for claim in gone if claim.event_id is not None])

    links = list(ClaimArticle.objects.filter(claim__in=claims, article_id__in=article_ids))
    published = {article.pk: article.published_or_fetched.date() for article in articles}
    survivors = _merge_duplicates(_claim_views(claims, links, published))

    articles_by_id = {article.pk: article for article in articles}
    # Per article, the independence key of the outlet it speaks as (a copy: its original's).
    outlet_of = {article.pk: speaking_outlet(article).independence_key for article in articles}
    resolver = resolver if resolver is not None else NameResolver()
    links_by_claim: dict[int, list[ClaimArticle]] = {}
    for link in ClaimArticle.objects.filter(claim_id__in=list(survivors), article_id__in=article_ids):
        links_by_claim.setdefault(link.claim_id, []).append(link)
    resolver.prime(link.cited_name for links in links_by_claim.values() for link in links)
    for claim_id, view in survivors.items():
        view.links = links_by_claim.get(claim_id, [])
    secondary, found = _secondary_writeups(survivors.values(), articles_by_id, outlet_of, resolver)
    # Per article, the voices it gives the claims two or more articles carry (the story itself).
    story_voices: dict[int, set[str]] = {}
    # Per article, the known outlets whose reports it cites for a claim no other article carries,
    # when another article reports that speaker's word or that actor's action too.
    cited_reports: dict[int, set[str]] = {}
    speakers: dict[tuple[str, str], set[int]] = {}
    for view in survivors.values():
        speaker = _speaker_key(view.claim)
        if speaker is not None:
            speakers.setdefault(speaker, set()).update(link.article_id for link in view.links)
    for view in survivors.values():
        carried = _corroboration_compute(
            claim=view.claim,
            view=view,
            event=event,
            articles=articles_by_id,
            resolver=resolver,
            secondary=secondary,
            found=found.get(view.claim.pk),
        )
        if view.claim.article_count >= 2:
            for article_id, key in carried:
                story_voices.setdefault(article_id, set()).add(key)
        elif _said_elsewhere(view, speakers):
            for link in view.links:
                outlet = _cited_outlet(link, resolver)
                if outlet is not None and outlet != outlet_of[link.article_id]:
                    cited_reports.setdefault(link.article_id, set()).add(outlet)
    Claim.objects.bulk_update(
        [view.claim for view in survivors.values()], [*CORROBORATION_FIELDS, "attributed_to_name"]
    )
    _event_sources_store(
        event=event, outlets=outlet_of, story_voices=story_voices, cited_reports=cited_reports
    )


# Claims with a speaker or an actor: a second article reporting that one's word or action in
# other words is reporting the same part of the story.
_SPEAKING_KINDS = (Claim.Kind.QUOTE, Claim.Kind.POLICY_ACTION)


def _speaker_key(claim: Claim) -> tuple[str, str] | None:
    """(kind, speaker or actor) of a claim of a speaking kind that names one; None otherwise."""
    if claim.kind not in _SPEAKING_KINDS or not claim.attributed_to_name:
        return None
    return (claim.kind, extraction.name_key(claim.attributed_to_name))


def _said_elsewhere(view: _ClaimView, speakers: dict[tuple[str, str], set[int]]) -> bool:
    """Whether another article of the event carries a claim of this kind by this speaker or actor
    (Nvidia's reaction to a rule, worded too differently by two outlets to merge into one claim)."""
    speaker = _speaker_key(view.claim)
    if speaker is None:
        return False
    return bool(speakers.get(speaker, set()) - {link.article_id for link in view.links})


def _cited_outlet(link: ClaimArticle, resolver: NameResolver) -> str | None:
    """The voice of the known outlet (a source that is no company or government, or a media
    company) a carrier cites, keyed as _independence_key keys it; None for anything else."""
    if link.stance != ClaimArticle.Stance.CITES or not _is_outlet(resolver, link.cited_name):
        return None
    return _independence_key(link, None, resolver)[0]


def _event_sources_store(
    *,
    event: Event,
    outlets: dict[int, str],
    story_voices: dict[int, set[str]],
    cited_reports: dict[int, set[str]],
) -> None:
    """Store the event's independent sources (tracker/events/independence.py): the claims
    refresh is the one writer of the count for events whose articles carry claims."""
    event.independent_source_count = event_independent_sources(
        outlets=outlets,
        story_voices=story_voices,
        cited_reports=cited_reports,
    )
    type(event).objects.filter(pk=event.pk).update(independent_source_count=event.independent_source_count)


# ---------------------------------------------------------------------------------------------
# Corroboration


def _independence_key(
    link: ClaimArticle, article: Article | None, resolver: NameResolver
) -> tuple[str, Source | None, str]:
    """Which voice this carrier is: (key, original reporter source, original reporter name).

    A copy speaks as its original; outlets of one owner group are one voice; articles that
    only cite another outlet's report are that outlet's voice."""
    if link.stance == ClaimArticle.Stance.CITES and link.cited_name:
        source = resolver.source(link.cited_name)
        if source is not None:
            return source.independence_key, source, source.name
        return f"cited:{extraction.name_key(link.cited_name)}", None, link.cited_name
    return speaking_outlet(article).independence_key, None, ""


CORROBORATION_FIELDS = [
    "event",
    "article_count",
    "independent_source_count",
    "original_reporter",
    "original_reporter_name",
    "first_seen_at",
    "status",
    "updated_at",
]


def _word_sequences(sentence: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", extraction.fold(sentence))
    return frozenset(" ".join(words[i : i + 3]) for i in range(len(words) - 2))


def _voices(
    claim: Claim,
    links: list[ClaimArticle],
    articles: dict[int, Article],
    resolver: NameResolver,
    secondary: frozenset[int] = frozenset(),
) -> list[tuple[int, tuple[str, Source | None, str]]]:
    """(article id, voice) of each carrier (see _independence_key), with echoes folded into the carrier
    they repeat. Carriers are read in publication order; one that neither cites nor copies is an
    echo when
    - the claim is speech or an action and an earlier carrier named the outlet it came through
      ("told Reuters", "in a statement carried by PYMNTS"): it repeats that outlet's report;
    - its sentence is near-verbatim of an earlier carrier's sentence: it repeats that carrier;
    - it comes from an aggregator, or it is a secondary write-up (`secondary`, see
      _secondary_writeups), or it restates an action after the day it took effect, a day an
      earlier carrier announced ahead (see _announced_start): it repeats the first carrier.
    An echo counts as the outlet it repeats, which is then a candidate original reporter."""
    ordered = sorted(
        links, key=lambda link: (articles[link.article_id].published_or_fetched, link.article_id)
    )
    channel: tuple[str, Source | None, str] | None = None
    started = _announced_start(claim, ordered, articles)
    # Earlier carriers: (word sequences of the sentence, voice, the article's outlet as a voice).
    earlier: list[tuple[frozenset[str], tuple[str, Source | None, str], tuple[str, Source | None, str]]] = []
    voices = []
    for link in ordered:
        article = articles[link.article_id]
        voice = _independence_key(link, article, resolver)
        words = _word_sequences(link.quote)
        if link.stance != ClaimArticle.Stance.CITES and not article.copy_of_id:
            echo = None
            if channel is not None and claim.kind != Claim.Kind.STATISTIC:
                echo = channel
            if echo is None:
                echo = next(
                    (
                        own if not source_voice[2] else source_voice
                        for other_words, source_voice, own in earlier
                        if source_voice[0] != voice[0]
                        and jaccard(words, other_words) >= ECHO_SHARED_SEQUENCES
                    ),
                    None,
                )
            repeats_coverage = (
                article.source.kind == Source.Kind.AGGREGATOR
                or link.article_id in secondary
                or (started is not None and article.published_or_fetched.date() > started)
            )
            if echo is None and repeats_coverage and earlier:
                echo = earlier[0][1] if earlier[0][1][2] else earlier[0][2]
            if echo is not None:
                voice = echo
        elif channel is None and link.stance == ClaimArticle.Stance.CITES and voice[2]:
            channel = voice
        source = speaking_outlet(article)
        outlet = (source.independence_key, source, source.name)
        earlier.append((words, voice, outlet))
        voices.append((link.article_id, voice))
    return voices


def _announced_start(claim: Claim, ordered: list[ClaimArticle], articles: dict[int, Article]) -> date | None:
    """The day a policy action starts, when a carrier announced it ahead: the earliest start
    date ("from July 9th") a carrier's sentence names after that carrier's own publication day.
    A carrier published after that day restates an action its earlier carriers reported before
    it happened: the start is public by then, so, naming no source, it repeats that coverage.
    Weekday starts ("from Tuesday") are left out: they name no day on their own. A start without
    a year is the date nearest the carrier's publication ("from January 6" in December is next
    year's)."""
    if claim.kind != Claim.Kind.POLICY_ACTION:
        return None
    days = []
    for link in ordered:
        published = articles[link.article_id].published_or_fetched.date()
        start = extraction.effective_start(link.quote, published)
        if start is not None and start > published:
            days.append(start)
    return min(days, default=None)


_Voices = list[tuple[int, tuple[str, Source | None, str]]]


def _secondary_writeups(
    views: Iterable[_ClaimView],
    articles: dict[int, Article],
    outlet_of: dict[int, str],
    resolver: NameResolver,
) -> tuple[frozenset[int], dict[int, _Voices]]:
    """Articles that add no reporting of their own to the event's story: of the claims two or
    more of its articles carry, such an article carries none first, and for most of them (more
    than half) it speaks as another's report (it cites or echoes another outlet). A line of the
    story it repeats without naming a source is then taken from the coverage it otherwise
    repeats too, not reported afresh: _voices counts it as the first carrier's, as it does an
    aggregator's. (A think tank's analysis that cites The Information and Microsoft's statement to
    PYMNTS, and then says "SenseTime offered free migration" two weeks after a news outlet
    reported SenseTime's offer, is not a second source for that offer.)

    `outlet_of`: per article, the independence key of the outlet it speaks as.
    Returns those articles, and the voices found per shared claim on the way (still right for a
    claim none of those articles carries, so they need not be worked out twice)."""
    found: dict[int, _Voices] = {}
    first_of: set[int] = set()  # articles that carry some shared claim first
    shared: Counter[int] = Counter()
    borrowed: Counter[int] = Counter()
    for view in views:
        carrying = view.carrying
        if len({link.article_id for link in carrying}) < 2:
            continue
        voices = found[view.claim.pk] = _voices(view.claim, carrying, articles, resolver)
        first_id, (first_key, _source, _name) = voices[0]
        if first_key == outlet_of[first_id]:
            # Only reporting a claim first is reporting of one's own; the first to cite
            # another's report for it repeats that report.
            first_of.add(first_id)
        for article_id, (key, _source, _name) in voices:
            shared[article_id] += 1
            if key != outlet_of[article_id]:
                borrowed[article_id] += 1
    secondary = frozenset(
        article_id
        for article_id, n in shared.items()
        if article_id not in first_of and 2 * borrowed[article_id] > n
    )
    return secondary, found


def _corroboration_compute(
    *,
    claim: Claim,
    view: _ClaimView,
    event: Event,
    articles: dict[int, Article],
    resolver: NameResolver,
    secondary: frozenset[int] = frozenset(),
    found: _Voices | None = None,
) -> list[tuple[int, str]]:
    """Counts, original reporter and status of one claim; returns (article id, voice key) per
    carrier that does not dispute it. `secondary`, `found`: see _secondary_writeups."""
    voices: set[str] = set()
    carried: list[tuple[int, str]] = []
    reporters: Counter[tuple[int | None, str]] = Counter()
    reporter_sources: dict[int, Source] = {}
    disputed = any(link.stance == ClaimArticle.Stance.DISPUTES for link in view.links)
    carrying = view.carrying
    if found is None or any(link.article_id in secondary for link in carrying):
        found = _voices(claim, carrying, articles, resolver, secondary)
    for article_id, (key, source, name) in found:
        voices.add(key)
        carried.append((article_id, key))
        if name:
            reporters[(source.pk if source else None, name)] += 1
            if source is not None:
                reporter_sources[source.pk] = source
    if claim.kind == Claim.Kind.STATISTIC and claim.unit:
        figures = _figures(view)
        for i, first in enumerate(figures):
            if any(
                not extraction.values_compatible(claim.unit, first, second) for second in figures[i + 1 :]
            ):
                disputed = True
                break

    claim.event = event
    claim.article_count = len({link.article_id for link in view.links})
    claim.independent_source_count = len(voices)
    if reporters:
        (source_id, name), _count = reporters.most_common(1)[0]
        claim.original_reporter = reporter_sources.get(source_id) if source_id else None
        claim.original_reporter_name = name[:300]
    else:
        claim.original_reporter = None
        claim.original_reporter_name = ""
    if view.links:
        first_seen = min(articles[link.article_id].published_or_fetched for link in view.links)
        claim.first_seen_at = min(claim.first_seen_at, first_seen) if claim.first_seen_at else first_seen
    if not claim.editor_locked:
        if disputed:
            claim.status = Claim.Status.DISPUTED
        elif claim.independent_source_count >= CORROBORATION_THRESHOLD:
            claim.status = Claim.Status.CORROBORATED
        else:
            claim.status = Claim.Status.UNVERIFIED
    claim.updated_at = timezone.now()
    return carried


# ---------------------------------------------------------------------------------------------
# Editors


def claim_set_status(*, claim: Claim, status: str) -> Claim:
    """An editor's verdict (verified or false). It locks the claim: refreshes never change it."""
    if status not in EDITOR_STATUSES:
        allowed = ", ".join(str(s) for s in EDITOR_STATUSES)
        raise ValidationError(f"An editor can set a claim to {allowed}, not {status!r}.")
    claim.status = status
    claim.editor_locked = True
    claim.updated_at = timezone.now()
    claim.save(update_fields=["status", "editor_locked", "updated_at"])
    return claim


def claim_unlock(*, claim: Claim) -> Claim:
    """Hand the claim back to automatic corroboration; the next event refresh recomputes its status."""
    claim.editor_locked = False
    if claim.event_id is None:
        claim.status = Claim.Status.UNVERIFIED  # no event to recompute it from yet
    claim.updated_at = timezone.now()
    claim.save(update_fields=["editor_locked", "status", "updated_at"])
    if claim.event_id is not None:
        claims_refresh_for_event(event=claim.event)
        claim.refresh_from_db()
    return claim
