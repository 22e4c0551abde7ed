"""When did it happen? Event dates resolved from article text against the publication date.

Pure functions, no database. `date_candidates(text, published)` lists every date expression
found with its resolved date, precision, method and the words it came from;
`event_date_choose(...)` picks one date for an event from its articles' candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

DAY, MONTH, YEAR, UNKNOWN = "day", "month", "year", "unknown"  # Event.DatePrecision values
EXPLICIT, NO_YEAR, RELATIVE, PUBLICATION = (
    "explicit",
    "no_year",
    "relative",
    "publication",
)  # Event.DateMethod

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

# A date without a year lies within half a year of publication: news reports the recent past
# and the near future.
NO_YEAR_HORIZON_DAYS = 183
# Words just before a weekday that point forward ("starting Tuesday", "will ... on Tuesday").
FUTURE_CUES = re.compile(
    r"\b(?:starting|start|starts|from|beginning|begins|as of|effective|will|shall|next|this coming|"
    r"due to|set to|takes effect|take effect|until)\b[^.;:!?]{0,40}$",
    re.IGNORECASE,
)
# How far back a future cue may sit before the weekday.
CUE_LOOKBACK = 60

_MONTH_RE = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_DAY_RE = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<year>(?:19|20)\d\d)"

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(rf"\b{_YEAR_RE}-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("dmy", re.compile(rf"\b{_DAY_RE}\s+{_MONTH_RE},?\s+{_YEAR_RE}\b")),
    ("mdy", re.compile(rf"\b{_MONTH_RE}\s+{_DAY_RE},?\s+{_YEAR_RE}\b")),
    ("my", re.compile(rf"\b{_MONTH_RE},?\s+{_YEAR_RE}\b")),
    ("md", re.compile(rf"\b{_MONTH_RE}\s+{_DAY_RE}\b(?![,\s]*(?:19|20)\d\d)(?!\s*(?:%|percent|per cent))")),
    ("dm", re.compile(rf"\b{_DAY_RE}\s+{_MONTH_RE}\b(?![,\s]*(?:19|20)\d\d)")),
    (
        "weekday",
        re.compile(
            r"\b(?P<last>last\s+|next\s+|this\s+coming\s+)?"
            r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
        ),
    ),
    ("yesterday", re.compile(r"\b(?:yesterday|Yesterday)\b")),
    ("today", re.compile(r"\b(?:today|Today)\b")),
    ("last_week", re.compile(r"\b(?:last|Last|past|Past)\s+week\b")),
    ("this_month", re.compile(r"\b(?:earlier this month|Earlier this month|this month)\b")),
    ("last_month", re.compile(r"\b(?:last|Last)\s+month\b")),
    (
        "month_only",
        re.compile(
            rf"\b(?:in|since|from|until|by|end of|early|late|mid-)\s*{_MONTH_RE}\b(?!\s+[0-3]?\d\b)(?![,\s]*(?:19|20)\d\d)"
        ),
    ),
]


_MONTH_STEMS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Strings a pattern's match always contains (one of them): a text holding none cannot match,
# which a substring search finds out far faster than running the pattern.
_NEEDS: dict[str, tuple[str, ...]] = {
    "dmy": _MONTH_STEMS,
    "mdy": _MONTH_STEMS,
    "my": _MONTH_STEMS,
    "md": _MONTH_STEMS,
    "dm": _MONTH_STEMS,
    "month_only": _MONTH_STEMS,
    "weekday": ("day",),
    "yesterday": ("esterday",),
    "today": ("oday",),
    "last_week": ("week",),
    "this_month": ("this month",),
    "last_month": ("month",),
}


@dataclass(frozen=True, slots=True)
class DateCandidate:
    value: date
    precision: str
    method: str
    evidence: str  # the words the date came from
    position: int  # character offset, earlier mentions weigh slightly more
    weak: bool = False  # "last week", "last month": vague

    def __str__(self) -> str:
        return f"{self.value.isoformat()} ({self.precision}, {self.method}): {self.evidence!r}"


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def year_for(month: int, day: int, published: date) -> date | None:
    """The year that puts month/day nearest to publication (within half a year)."""
    best = None
    for year in (published.year - 1, published.year, published.year + 1):
        value = _safe_date(year, month, day)
        if value is None:
            continue
        if best is None or abs((value - published).days) < abs((best - published).days):
            best = value
    if best is not None and abs((best - published).days) > NO_YEAR_HORIZON_DAYS:
        return None
    return best


def _first_of_month_shift(d: date, months: int) -> date:
    index = d.year * 12 + (d.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


# Words of context kept either side of a date expression in its evidence.
EVIDENCE_CONTEXT_CHARS = 40


def _context(text: str, start: int, end: int) -> str:
    """The date expression with some surrounding words, cut at word boundaries and marked
    with an ellipsis where it was cut, so an editor can read where the date came from."""
    left = max(0, start - EVIDENCE_CONTEXT_CHARS)
    right = min(len(text), end + EVIDENCE_CONTEXT_CHARS)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else start
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else end
    snippet = text[left:right].replace("\n", " ").strip()
    return f"{'… ' if left > 0 else ''}{snippet}{' …' if right < len(text) else ''}"


def date_candidates(text: str, published: datetime | date) -> list[DateCandidate]:
    """Every date expression in `text`, resolved against the publication date."""
    pub = published.date() if isinstance(published, datetime) else published
    found: list[DateCandidate] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    for name, pattern in PATTERNS:
        needs = _NEEDS.get(name)
        if needs is not None and not any(needle in text for needle in needs):
            continue
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            groups = m.groupdict()
            month = MONTHS.get((groups.get("month") or "").lower().rstrip("."))
            value, precision, method, weak = None, DAY, EXPLICIT, False
            if name == "iso":
                value = _safe_date(int(groups["year"]), int(groups["mnum"]), int(groups["day"]))
            elif name in ("dmy", "mdy"):
                value = _safe_date(int(groups["year"]), month, int(groups["day"]))
            elif name == "my":
                value, precision = _safe_date(int(groups["year"]), month, 1), MONTH
            elif name in ("md", "dm"):
                value, method = year_for(month, int(groups["day"]), pub), NO_YEAR
            elif name == "month_only":
                value = year_for(month, 1, pub)
                precision, method = MONTH, NO_YEAR
            elif name == "weekday":
                target = WEEKDAYS[groups["weekday"].lower()]
                qualifier = (groups.get("last") or "").strip().lower()
                before = text[max(0, m.start() - CUE_LOOKBACK) : m.start()]
                method = RELATIVE
                if qualifier == "last":
                    delta = (pub.weekday() - target) % 7 or 7
                    value = pub - timedelta(days=delta)
                elif qualifier or FUTURE_CUES.search(before):
                    delta = (target - pub.weekday()) % 7
                    if qualifier and delta == 0:
                        delta = 7
                    value = pub + timedelta(days=delta)
                else:
                    value = pub - timedelta(days=(pub.weekday() - target) % 7)
            elif name == "yesterday":
                value, method = pub - timedelta(days=1), RELATIVE
            elif name == "today":
                value, method, weak = pub, RELATIVE, True
            elif name == "last_week":
                value, precision, method, weak = pub - timedelta(days=7), MONTH, RELATIVE, True
                value = value.replace(day=1)
            elif name == "this_month":
                value, precision, method, weak = pub.replace(day=1), MONTH, RELATIVE, True
            elif name == "last_month":
                value, precision, method, weak = _first_of_month_shift(pub, -1), MONTH, RELATIVE, True
            if value is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(
                DateCandidate(value, precision, method, _context(text, m.start(), m.end()), m.start(), weak)
            )
    found.sort(key=lambda c: c.position)
    return found


@dataclass(frozen=True, slots=True)
class EventDate:
    value: date
    precision: str
    method: str
    evidence: str


# Dates far from the coverage are background ("rules issued in October 2022"), not the event.
RELEVANT_BEFORE = timedelta(days=45)
RELEVANT_AFTER = timedelta(days=30)
PRECISION_WEIGHT = {DAY: 1.0, MONTH: 0.45, YEAR: 0.2}
METHOD_WEIGHT = {EXPLICIT: 1.0, NO_YEAR: 0.95, RELATIVE: 0.85}
WEAK_WEIGHT = 0.4
# A month-level mention ("earlier this month") lends this share of its weight to day dates in it.
MONTH_SUPPORT_SHARE = 0.3


def event_date_choose(
    articles: Iterable[tuple[str, list[DateCandidate]]], earliest_publication: datetime
) -> EventDate:
    """Pick the event's date from per-article candidates: [(article label, candidates)].
    Each article supports a date once; support is weighted by precision, method and nearness
    to the first report. Without any relevant candidate: the earliest publication day."""
    first = earliest_publication.date()
    scores: dict[tuple[date, str], float] = {}
    best_evidence: dict[tuple[date, str], tuple[str, str]] = {}
    for label, candidates in articles:
        per_article: dict[tuple[date, str], float] = {}
        for c in candidates:
            if not (first - RELEVANT_BEFORE <= c.value <= first + RELEVANT_AFTER):
                continue
            distance_days = abs((c.value - first).days) if c.precision == DAY else 0
            weight = PRECISION_WEIGHT.get(c.precision, 0.1) * METHOD_WEIGHT.get(c.method, 0.5)
            weight *= WEAK_WEIGHT if c.weak else 1.0
            weight /= 1.0 + distance_days / 7.0
            weight *= 1.0 / (1.0 + c.position / 5000.0)  # the lead outweighs the background
            key = (c.value, c.precision)
            if weight > per_article.get(key, 0.0):
                per_article[key] = weight
                if key not in best_evidence or weight > scores.get(key, 0.0):
                    best_evidence[key] = (c.method, f"{label}: {c.evidence}")
        for key, weight in per_article.items():
            scores[key] = scores.get(key, 0.0) + weight
    if not scores:
        return EventDate(first, UNKNOWN, PUBLICATION, "No date in the text; earliest publication day.")
    total = dict(scores)
    for (value, precision), weight in scores.items():
        if precision == MONTH:
            for v2, p2 in scores:
                if p2 == DAY and (v2.year, v2.month) == (value.year, value.month):
                    total[(v2, p2)] += weight * MONTH_SUPPORT_SHARE
    (value, precision), _ = max(
        total.items(), key=lambda kv: (kv[1], -abs((kv[0][0] - first).days), kv[0][0] == first)
    )
    method, evidence = best_evidence[(value, precision)]
    return EventDate(value, precision, method, evidence[:1000])
