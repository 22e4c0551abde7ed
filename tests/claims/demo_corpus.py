"""Load the demo corpus's hand-written articles straight into the database (no fetching,
no clustering: each event directory is one event) so the claims stage can be checked against
the ground truth in each event.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tracker.claims.models import Claim
from tracker.claims.services import claims_extract_for_article, claims_refresh_for_event
from tracker.companies.mentions import matcher_get
from tracker.companies.services import reference_data_load
from tracker.events.models import Event
from tracker.jurisdictions.models import Jurisdiction
from tracker.news.models import Article, ArticleCompany
from tracker.sources.models import Source
from tracker.sources.source_lists import demo_sources_load

CORPUS = Path(__file__).resolve().parents[2] / "demo" / "corpus"


@dataclass
class Expected:
    text: str
    kind: str
    articles: set[str]
    independent_sources: int
    original_reporter: str = ""


@dataclass
class LoadedEvent:
    key: str
    event: Event
    articles: dict[str, Article]  # "01" -> article
    expected: list[Expected] = field(default_factory=list)


def _front_matter(path: Path) -> tuple[dict, str]:
    raw = path.read_text(encoding="utf-8")
    _, meta, body = raw.split("+++", 2)
    return tomllib.loads(meta), body.strip()


def corpus_load(keys: list[str] | None = None) -> list[LoadedEvent]:
    """Sources, organisations, articles (with copy marks and mentions) and one event per directory."""
    reference_data_load()
    demo_sources_load(CORPUS / "manifest.json")  # as `make demo` loads them: kind, country, owner group
    matcher = matcher_get()
    loaded: list[LoadedEvent] = []
    by_path: dict[str, Article] = {}
    pending_copies: list[tuple[Article, str]] = []
    for directory in sorted((CORPUS / "articles").iterdir()):
        if not (directory / "event.toml").exists() or (keys and directory.name not in keys):
            continue
        truth = tomllib.loads((directory / "event.toml").read_text(encoding="utf-8"))
        event = Event.objects.create(title=truth["title"])
        item = LoadedEvent(directory.name, event, {})
        for path in sorted(directory.glob("*.md")):
            meta, body = _front_matter(path)
            source = Source.objects.get(domain=meta["outlet"])
            url = f"http://{meta['outlet']}/{meta['published'].year}/{meta['published'].month:02d}/{meta['slug']}"
            article = Article.objects.create(
                source=source,
                url=url,
                canonical_url=url,
                title=meta["title"],
                text=body,
                published_at=meta["published"],
                event=event,
            )
            result = matcher.analyse(title=article.title, text=article.text)
            for company_id, count in result.companies.items():
                ArticleCompany.objects.create(article=article, company_id=company_id, mention_count=count)
            article.jurisdictions.set(Jurisdiction.objects.filter(pk__in=list(result.jurisdictions)))
            item.articles[path.name[:2]] = article
            by_path[
                f"{meta['outlet']}/{meta['published'].year}/{meta['published'].month:02d}/{meta['slug']}"
            ] = article
            if meta.get("copy_of"):
                pending_copies.append((article, meta["copy_of"]))
        for claim in truth.get("claims", []):
            item.expected.append(
                Expected(
                    claim["text"],
                    claim["kind"],
                    set(claim["articles"]),
                    claim["independent_sources"],
                    claim.get("original_reporter", ""),
                )
            )
        loaded.append(item)
    for article, target in pending_copies:
        original = by_path.get(target) or next(
            (a for p, a in by_path.items() if p.endswith(target.rsplit("/", 1)[-1])), None
        )
        if original is not None:
            article.copy_of = original
            article.copy_kind = Article.CopyKind.SYNDICATED
            article.save(update_fields=["copy_of", "copy_kind"])
    for item in loaded:
        for article in item.articles.values():
            claims_extract_for_article(article=article)
        claims_refresh_for_event(event=item.event)
    return loaded


def _words(text: str) -> set[str]:
    from tracker.claims.extraction import content_words

    return set(content_words(text))


def carried_words(claim: Claim) -> set[str]:
    """The words of every sentence that carries the claim (its carriers prefetched)."""
    words: set[str] = set()
    for link in claim.carriers.all():
        words |= _words(link.quote)
    return words


@dataclass
class Match:
    expected: Expected
    claim: Claim | None
    carried_by: set[str]


def _counts_an_action(claim: Claim) -> bool:
    """A count attributed to an actor: the figure merged with the action it counts ("BIS added 13
    entities to the Entity List" is one claim, stored as the figure; services._counts_of_actions)."""
    return claim.kind == Claim.Kind.STATISTIC and claim.unit == "count" and bool(claim.attributed_to_name)


def match_expected(item: LoadedEvent) -> list[Match]:
    """For each expected claim, the stored claim of the same kind that best fits it: the most
    shared words with the expected text, ties broken by how many expected articles carry it. A
    listed policy action no stored action fits may be found by a count of that action (see
    _counts_an_action), never in preference to an action."""
    number_of = {article.pk: number for number, article in item.articles.items()}
    claims = list(Claim.objects.filter(event=item.event).prefetch_related("carriers"))
    words_of = {claim.pk: carried_words(claim) for claim in claims}
    matches = []
    for expected in item.expected:
        want = _words(expected.text)
        same_kind = [
            claim
            for claim in claims
            if claim.kind == expected.kind or {claim.kind, expected.kind} == {"quote", "forecast"}
        ]
        fallback = [
            claim for claim in claims if expected.kind == "policy_action" and _counts_an_action(claim)
        ]
        for candidates in (same_kind, fallback):
            best, best_score, best_carriers = None, 0.0, set()
            for claim in candidates:
                carriers = {number_of[link.article_id] for link in claim.carriers.all()}
                shared = len(want & words_of[claim.pk]) / max(len(want), 1)
                score = shared + 0.1 * len(carriers & expected.articles)
                if shared >= 0.3 and score > best_score:
                    best, best_score, best_carriers = claim, score, carriers
            if best is not None:
                break
        matches.append(Match(expected, best, best_carriers))
    return matches


def report(loaded: list[LoadedEvent]) -> str:
    lines = []
    for item in loaded:
        lines.append(f"== {item.key}: {Claim.objects.filter(event=item.event).count()} claims stored")
        for match in match_expected(item):
            e = match.expected
            if match.claim is None:
                lines.append(f"  MISSING  [{e.kind}] {e.text[:90]}")
                continue
            flag = "ok " if match.claim.independent_source_count == e.independent_sources else "CNT"
            lines.append(
                f"  {flag} [{e.kind}] indep {match.claim.independent_source_count}/{e.independent_sources} "
                f"articles {sorted(match.carried_by)}/{sorted(e.articles)} "
                f"{match.claim.status} orig={match.claim.original_reporter_name!r}: {e.text[:70]}"
            )
    return "\n".join(lines)
