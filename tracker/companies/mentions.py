"""Recognising organisations and jurisdictions in text.

One Aho-Corasick automaton holds every company alias and every jurisdiction alias; a text is
scanned once, matches are checked for word boundaries and (for short or common-word aliases)
exact capitalisation, and overlapping matches resolve leftmost-longest, so "Azure OpenAI
Service" counts for Microsoft and "China Academy of Information and Communications Technology"
is an organisation rather than a mention of China.

The automaton is built once per process and rebuilt when the alias tables change: services and
model signals bump a version number held in the cache, which every process compares cheaply.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field

import ahocorasick
from django.core.cache import cache

from tracker.companies.services import alias_is_acronym, alias_normalize

COMPANY = "c"
JURISDICTION = "j"

# The lead is what a reader sees first: a name there means the article is about it.
LEAD_CHARS = 400

_SPACE_RE = re.compile(r"\s+")
_VERSION_KEY = "tracker:mentions:alias-version"


def text_prepare(text: str) -> str:
    """Fold whitespace and typographic apostrophes so aliases match however the page typed them."""
    return _SPACE_RE.sub(" ", text.replace("\u2019", "'").replace("\u2018", "'")).strip()


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters ("İ") grow when lower-cased; keep offsets aligned with the original.
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


@dataclass(frozen=True, slots=True)
class AliasTarget:
    kind: str  # COMPANY or JURISDICTION
    target_id: int
    alias: str  # as written in the alias table, whitespace-folded
    case_sensitive: bool


@dataclass(frozen=True, slots=True)
class Match:
    kind: str
    target_id: int
    start: int
    end: int
    text: str


@dataclass
class MentionResult:
    companies: Counter = field(default_factory=Counter)  # company id -> mentions
    prominent_companies: set[int] = field(default_factory=set)
    jurisdictions: Counter = field(default_factory=Counter)
    prominent_jurisdictions: set[int] = field(default_factory=set)
    matches: list[Match] = field(default_factory=list)
    body: str = ""  # the prepared body text the body matches' offsets refer to
    body_matches: list[Match] = field(default_factory=list)


class AliasMatcher:
    """Pure matcher over a fixed alias table (no database)."""

    def __init__(self, targets: list[AliasTarget]):
        grouped: dict[str, list[AliasTarget]] = {}
        for target in targets:
            grouped.setdefault(alias_normalize(target.alias), []).append(target)
        self._automaton = ahocorasick.Automaton()
        for key, entries in grouped.items():
            if key:
                self._automaton.add_word(key, (len(key), tuple(entries)))
        self._empty = not grouped
        if not self._empty:
            self._automaton.make_automaton()
        self.known_normalized = frozenset(grouped)

    def find(self, text: str) -> list[Match]:
        """Matches in `text` (already passed through text_prepare), leftmost-longest, no overlaps."""
        if self._empty or not text:
            return []
        lowered = _lower_same_length(text)
        found: list[tuple[int, int, AliasTarget]] = []
        n = len(text)
        for end_index, (length, entries) in self._automaton.iter(lowered):
            start, end = end_index - length + 1, end_index + 1
            if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
                continue
            if end < n and (text[end].isalnum() or text[end] == "_"):
                continue
            for entry in entries:
                if entry.case_sensitive and text[start:end] != entry.alias:
                    continue
                found.append((start, end, entry))
        found.sort(key=lambda m: (m[0], -(m[1] - m[0]), m[2].kind))
        result: list[Match] = []
        last_end = -1
        last_span: tuple[int, int] | None = None
        for start, end, entry in found:
            if start < last_end and (start, end) != last_span:
                continue
            if last_span == (start, end) and result and result[-1].kind == entry.kind:
                continue  # one span names one thing of each kind
            result.append(Match(entry.kind, entry.target_id, start, end, text[start:end]))
            last_end, last_span = end, (start, end)
        return result

    def analyse(self, *, title: str, text: str) -> MentionResult:
        result = MentionResult()
        title_p, body_p = text_prepare(title), text_prepare(text)
        result.body = body_p
        for part, lead_limit in ((title_p, len(title_p) + 1), (body_p, LEAD_CHARS)):
            found = self.find(part)
            if part is body_p:
                result.body_matches = found
            for match in found:
                result.matches.append(match)
                prominent = match.start < lead_limit
                if match.kind == COMPANY:
                    result.companies[match.target_id] += 1
                    if prominent:
                        result.prominent_companies.add(match.target_id)
                else:
                    result.jurisdictions[match.target_id] += 1
                    if prominent:
                        result.prominent_jurisdictions.add(match.target_id)
        return result


# --- organisation candidates ----------------------------------------------------------------

# Words that make a capitalised phrase look like an organisation's name.
ORGANISATION_CUES = frozenset(
    [
        "inc",
        "inc.",
        "ltd",
        "ltd.",
        "limited",
        "corp",
        "corp.",
        "corporation",
        "co.",
        "company",
        "technologies",
        "technology",
        "group",
        "holdings",
        "university",
        "institute",
        "ministry",
        "agency",
        "administration",
        "authority",
        "commission",
        "council",
        "academy",
        "association",
        "bureau",
        "department",
        "laboratory",
        "laboratories",
        "lab",
        "labs",
        "foundation",
        "center",
        "centre",
        "office",
        "systems",
        "semiconductor",
        "semiconductors",
        "electronics",
        "networks",
        "capital",
        "ventures",
        "partners",
        "bank",
        "committee",
        "federation",
        "society",
    ]
)
_LEADING_NOISE = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "by",
        "but",
        "and",
        "or",
        "for",
        "of",
        "according",
        "as",
        "after",
        "before",
        "while",
        "when",
        "with",
        "from",
        "its",
    ]
)
_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "&", "de"})
_CANDIDATE_RE = re.compile(
    r"(?:[A-Z][\w&'.-]*|\d+[A-Za-z][\w-]*)"
    r"(?:\s+(?:(?:of|for|and|the|on|de|&)\s+){0,2}(?:[A-Z][\w&'.-]*|\d+[A-Za-z][\w-]*)){1,7}"
)
CANDIDATE_MIN_WORDS = 2
CANDIDATE_MAX_CHARS = 120


def candidates_find(
    text: str, known: list[Match], known_normalized: frozenset[str]
) -> dict[str, tuple[str, str]]:
    """Capitalised multi-word names with an organisation cue that no alias covers:
    {normalized: (name, context sentence)}."""
    spans = [(m.start, m.end) for m in known if m.kind == COMPANY]
    found: dict[str, tuple[str, str]] = {}
    for hit in _CANDIDATE_RE.finditer(text):
        words = hit.group(0).split()
        start = hit.start()
        while words and words[0].lower() in _LEADING_NOISE:
            start += len(words[0]) + 1
            words = words[1:]
        while words and words[-1].lower() in _CONNECTORS:
            words = words[:-1]
        words = [w.rstrip(".,") if w.lower() not in ("inc.", "ltd.", "co.", "corp.") else w for w in words]
        if len(words) < CANDIDATE_MIN_WORDS:
            continue
        if words[-1].endswith("'s"):
            continue  # a possessive is the start of a longer phrase, not a name
        if not any(w.lower().rstrip(",") in ORGANISATION_CUES for w in words):
            continue
        name = " ".join(words)
        if len(name) > CANDIDATE_MAX_CHARS:
            continue
        end = start + len(name)
        if any(s < end and start < e for s, e in spans):
            continue
        normalized = alias_normalize(name)
        if normalized in known_normalized or normalized in found:
            continue
        sentence_start = max(text.rfind(". ", 0, start) + 2, 0)
        sentence_end = text.find(". ", end)
        context = text[sentence_start : sentence_end + 1 if sentence_end != -1 else len(text)][:300]
        found[normalized] = (name, context)
    return found


# --- cached matcher built from the database ---------------------------------------------------

_local = threading.local()


def matcher_invalidate() -> None:
    """Tell every process to rebuild its automaton (call after alias changes)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)
    _local.__dict__.clear()


def matcher_build() -> AliasMatcher:
    from tracker.companies.models import CompanyAlias
    from tracker.jurisdictions.models import Jurisdiction

    targets = [
        AliasTarget(COMPANY, company_id, text_prepare(alias), case_sensitive)
        for company_id, alias, case_sensitive in CompanyAlias.objects.values_list(
            "company_id", "alias", "case_sensitive"
        )
    ]
    for jurisdiction in Jurisdiction.objects.all():
        for alias in [jurisdiction.name, *jurisdiction.alias_list]:
            targets.append(
                AliasTarget(JURISDICTION, jurisdiction.pk, text_prepare(alias), alias_is_acronym(alias))
            )
    return AliasMatcher(targets)


def matcher_get() -> AliasMatcher:
    """The process's automaton, rebuilt when the alias version changed."""
    version = cache.get(_VERSION_KEY)
    if version is None:
        cache.add(_VERSION_KEY, 1, None)
        version = cache.get(_VERSION_KEY)
    if getattr(_local, "version", None) != version or getattr(_local, "matcher", None) is None:
        _local.matcher = matcher_build()
        _local.version = version
    return _local.matcher
