# Curly quotes are the point of many patterns here, and word lists read better as prose:
# ruff: noqa: RUF001, SIM905
"""Claim and citation extraction from article text. Pure Python: no Django, no database.

The services feed it an article's text and the organisations already recognised in it; it
returns sentences, citations ("according to X", "told X") and candidate claims (policy actions,
statistics, quotes, forecasts), each with a fingerprint that paraphrases of the same claim share.

It aims for precision over recall: an analyst would rather see twelve right claims than forty
noisy ones, so every extractor demands a clear cue (a known actor, a unit, a named speaker).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

# An analyst reads a handful of headline claims per article; more is noise.
MAX_CLAIMS_PER_ARTICLE = 12
# Sentences longer than this are usually run-ons or lists where the extractors misfire.
MAX_SENTENCE_WORDS = 70
# How far before an action verb (in words) a subject may stand: "OpenAI announced ... it would block".
MAX_SUBJECT_DISTANCE_WORDS = 14
# Object words kept in a policy-action fingerprint: enough to tell "bans gallium" from "bans chips".
FINGERPRINT_OBJECT_WORDS = 4
# Content words kept in a quote fingerprint.
FINGERPRINT_QUOTE_WORDS = 6

# ---------------------------------------------------------------------------------------------
# Words


STOPWORDS = frozenset(
    """
    a about above after again against all also although am an and any are as at be because been
    before being below between both but by can could did do does doing down during each even ever
    few for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just least less like many may me might more most much must my myself
    new no nor not now of off on once one only or other our ours out over own per same she should
    since so some such than that the their theirs them themselves then there these they this those
    through to too under until up upon us very via was we were what when where whether which while
    who whom whose why will with within would yet you your yours said says say saying told tell
    according reported report reports also still however meanwhile despite though thus already
    s t don doesn didn won isn aren wasn weren latest recent recently last week month year today
    tuesday monday wednesday thursday friday saturday sunday
    """.split()
)

# Nouns that name the same countable thing in different outlets' words.
MEASURE_SYNONYMS = {
    "entity": "company",
    "firm": "company",
    "enterprise": "company",
    "business": "company",
    "corporation": "company",
    "category": "type",
    "kind": "type",
    "capitalisation": "capitalization",
    "cap": "capitalization",
    "licence": "license",
    "nation": "country",
    "llm": "model",
    # What someone says a measure is for, however it is worded: "the goal was", "the aim was", "its
    # purpose is" (see the services' stated-aim rule for one speaker's remarks).
    "aim": "goal",
    "purpose": "goal",
    "negotiation": "talk",
    "deliberation": "talk",
    "discussion": "talk",
}

# British and American spellings of the same word.
SPELLING = (("isation", "ization"), ("ise", "ize"), ("licence", "license"), ("ising", "izing"))

NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "one hundred": 100,
    "a thousand": 1000,
    "a dozen": 12,
    "dozen": 12,
}
# Compound numbers: "twenty-eight", "forty one" (matched by one pattern, not listed: a long
# alternation of words slows every sentence's figure search).
_UNIT_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_COMPOUND_NUMBER = rf"(?:{'|'.join(_TENS_WORDS)})[- ](?:{'|'.join(_UNIT_WORDS)})"


def number_word_value(word: str) -> int | None:
    """The value of a number written in words ("twelve", "a dozen", "twenty-eight"), or None."""
    word = word.lower()
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    tens, _, unit = word.replace("-", " ").partition(" ")
    if tens in _TENS_WORDS and unit in _UNIT_WORDS:
        return NUMBER_WORDS[tens] + _UNIT_WORDS.index(unit) + 1
    return None


SCALES = {
    "thousand": Decimal(10) ** 3,
    "k": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "mln": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
    "tn": Decimal(10) ** 12,
    "trn": Decimal(10) ** 12,
    # Short scale, as training-compute thresholds are written ("100 septillion operations").
    "quadrillion": Decimal(10) ** 15,
    "quintillion": Decimal(10) ** 18,
    "sextillion": Decimal(10) ** 21,
    "septillion": Decimal(10) ** 24,
}
# Claim.value holds 34 digits before the decimal point; a larger figure is not stored as a claim.
FIGURE_LIMIT = Decimal(10) ** 34

CURRENCY_PREFIXES = {
    "us$": "USD",
    "usd": "USD",
    "$": "USD",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "hk$": "HKD",
}
CURRENCY_SUFFIXES = {
    "us dollars": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "yuan": "CNY",
    "renminbi": "CNY",
    "pounds": "GBP",
}

MULTIPLIER_WORDS = {"twice": 2, "double": 2, "triple": 3, "threefold": 3, "fourfold": 4, "tenfold": 10}

# Qualifier -> how it bounds the true value. Kept on the quantity so "about 140" and
# "more than a hundred" are recognised as compatible with "140".
QUALIFIERS = {
    "more than": "above",
    "over": "above",
    "above": "above",
    "at least": "above",
    "exceeding": "above",
    "in excess of": "above",
    "as many as": "upto",
    "up to": "upto",
    "less than": "upto",
    "fewer than": "upto",
    "under": "upto",
    "below": "upto",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "about": "about",
    "around": "about",
    "roughly": "about",
    "approximately": "about",
    "some": "about",
    "an estimated": "about",
    "estimated": "about",
}
# "Several companies" names a count without a number; these bound it loosely.
VAGUE_COUNTS = {"several": (3, 9), "multiple": (2, None), "a number of": (2, None), "a few": (2, 5)}
# Only these things are worth a vague-count claim ("several companies confirmed"), not "several ways".
VAGUE_COUNT_NOUNS = frozenset(
    "company entity firm enterprise business customer developer user country government bank "
    "lab startup supplier manufacturer maker".split()
)
# A duration is a claim only as the length of talks ("some 36 hours of talks", "nearly 36 hours
# of negotiation"): how long something lasted, not when ("in six months", "30 days after").
DURATION_UNITS = frozenset("hour day week".split())
DURATION_OF_RE = re.compile(
    r"\s+of\s+(?:(?:intense|marathon|tough|difficult|closed-door|final)\s+)?"
    r"(?P<what>talks|negotiations?|deliberations?|discussions?|debate)\b",
    re.I,
)
# Counts of these are dates, durations or page furniture, not claims.
NON_MEASURE_NOUNS = frozenset(
    "year month week day hour minute second time way point thing people percent side step part "
    "am pm a.m p.m gmt utc".split()
)
MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()

# Tolerance when comparing two exact figures: "$3.15 trillion" and "$3.2 trillion" are one figure
# rounded differently.
EXACT_RELATIVE_TOLERANCE = Decimal("0.02")
# "About 140" covers 126..154.
ABOUT_RELATIVE_TOLERANCE = Decimal("0.10")

# Policy action verbs, canonicalised so paraphrases ("blocks", "bars", "cuts off") match.
ACTION_PATTERNS: Sequence[tuple[str, str]] = (
    (
        # Lists of those added run long: "added A and B, along with several of their subsidiaries,
        # to its Entity List"; "added that ..." reports speech.
        r"add(?:s|ed|ing)?\b(?!\s+that\b)[^.;]{0,160}?\bto (?:the |its |a )?(?:Entity List|entity list|trade blacklist|blacklist)",
        "list",
    ),
    (
        r"plac(?:es|ed|ing)\b[^.;]{0,160}?\bon (?:the |its |a )?(?:Entity List|entity list|trade blacklist|blacklist)",
        "list",
    ),
    (r"requir(?:es|ed|ing|e) (?:a |an )?(?:export )?licen[cs]es?", "license"),
    (
        r"(?:stop(?:s|ped|ping)? (?:approving|allowing|permitting|selling|shipping|exporting)|"
        r"no longer (?:approve|allow|permit|sell|ship|export)s?|"
        r"block(?:s|ed|ing)?|ban(?:s|ned|ning)?|bar(?:s|red|ring)?|prohibit(?:s|ed|ing)?|cut(?:s|ting)? off|shut(?:s|ting)? off|suspend(?:s|ed|ing)?)",
        "restrict",
    ),
    (
        r"restrict(?:s|ed|ing)?|curb(?:s|ed|ing)?|limit(?:s|ed|ing)? access|tighten(?:s|ed|ing)?|enforc(?:es|ed|ing|e) (?:\w+ )?(?:access )?(?:controls|restrictions)|"
        r"(?:impos|introduc)(?:es|ed|ing|e)(?:,[^,]{1,40},)? (?:new )?(?:export )?(?:controls|restrictions|curbs|sanctions)|"
        # The verb, not the noun ("export controls on"): a determiner follows it.
        r"control(?:s|led)(?= (?:the|its|their|exports? of|access to|sales of)\b)",
        "restrict",
    ),
    (
        r"(?:allow(?:s|ed|ing)?|permit(?:s|ted|ting)?|continu(?:es|ed|ing|e) to (?:provide|offer|allow|serve)|keep(?:s|ing)? serving|lift(?:s|ed|ing)? (?:the |its )?(?:ban|restrictions))",
        "allow",
    ),
    (r"approv(?:es|ed|ing|e)|grant(?:s|ed|ing)? (?:a |an )?licen[cs]es?|clear(?:s|ed)", "approve"),
    (r"fin(?:es|ed|ing)\b", "fine"),
    # "told its members not to use DeepSeek": an instruction to stay away is a restriction.
    (
        r"(?:told|instructed|advised|warned) (?:its |their |all )?(?:[\w-]+ ){0,2}not to (?:use|buy|install|download)",
        "restrict",
    ),
    # "SenseTime offered free migration": a named organisation's offer is checkable.
    (r"offer(?:s|ed|ing)?\b(?! to\b)", "offer"),
    # A policy order directs someone: "ordered DeepSeek to stop", "ordered that", "ordered a review";
    # "ordered $16 billion of chips" is a purchase.
    (
        r"order(?:s|ed|ing)?\b(?=(?:\s+[\w'’-]+){0,8}?\s+to\s+[a-z]|\s+(?:on \w+ )?that\b|"
        r"\s+(?:a|an|the)\s+(?:\w+\s+)?(?:review|halt|stop|suspension|investigation|ban|block|freeze))",
        "order",
    ),
    # "opened a formal investigation", "has opened an inquiry into whether ...": a regulator's or
    # a legislature's formal step.
    (
        r"open(?:s|ed|ing)?\s+(?:a |an )?(?:formal |new |separate |official )?(?:investigation|inquiry|probe)",
        "investigate",
    ),
    (r"sign(?:s|ed|ing)?\b(?! up)", "sign"),
    (
        r"agree(?:s|d)?\b(?!\s+with\b)|reach(?:es|ed)?\s+(?:a |an )?(?:[\w-]+\s+){0,2}(?:agreement|deal)\b|"
        r"str(?:uck|ikes?)\s+(?:a |an )?(?:[\w-]+\s+){0,2}deal\b",
        "agree",
    ),
    (
        r"publish(?:es|ed|ing)?|issu(?:es|ed|ing) (?:new |final |draft )?(?:rules|regulations|guidelines|guidance|a rule)",
        "publish",
    ),
)
ACTION_REGEX = re.compile(
    # The lookahead on the first letter lets the engine skip most positions before trying
    # eleven alternatives: every action verb starts with one of these letters.
    r"\b(?=[abcefgiklnoprstwABCEFGIKLNOPRSTW])(?:"
    + "|".join(f"(?P<a{i}>(?:{p})\\b)" for i, (p, _code) in enumerate(ACTION_PATTERNS))
    + ")"
)
ACTION_CODES = [code for _p, code in ACTION_PATTERNS]

# Just before an action verb these say it is not taken ("will not sign", "declined to approve").
NEGATED_RE = re.compile(
    r"\b(?:not|never|n['’]t|(?:declin|refus)(?:es|ed|ing|e) to)\s+(?:(?:be|have|yet|also)\s+)?$", re.I
)
# Things the same verbs do that are not policy: "orders of magnitude", "signs of", "fine print".
ACTION_FALSE_FRIENDS = re.compile(
    r"\b(?:orders? of magnitude|in order to|signs? of|fine[- ]tun\w*|fine print|sign(?:s|ed)? up)\b", re.I
)

_FALSE_FRIENDS_SCREEN = re.compile(ACTION_FALSE_FRIENDS.pattern)

# Screens below are matched against lower-cased text: case-insensitive alternations are slow.
HEDGE_RE = re.compile(r"\b(?:could|might|may)\b|\bif\b")
# A hedge inside a relative clause ("a rule that may prove ambitious") qualifies the clause, not
# the action reported around it.
_HEDGED_CLAUSE_RE = re.compile(r"\b(?:that|which|who)\s+(?:could|might|may)\b[^,;]*")


def _hedged(low: str) -> bool:
    return bool(HEDGE_RE.search(_HEDGED_CLAUSE_RE.sub("", low)))


# A clause coordinated after the action ("..., and it could change how ...") hedges only itself.
_LATER_CLAUSE_RE = re.compile(r"(?:;|,\s+(?:and|but)\b)")


def _hedged_at(low: str, pos: int) -> bool:
    """Whether the clause holding `pos` (and what leads up to it) is hedged."""
    later = _LATER_CLAUSE_RE.search(low, pos)
    return _hedged(low[: later.start()] if later else low)


FORECAST_RE = re.compile(
    r"\b(?:will|expects?|expected to|forecasts?|forecast to|predicts?|projected to|is set to|are set to|likely to)\b",
    re.I,
)
DISPUTE_RE = re.compile(
    r"\b(?:denied|denies|deny|disputed|disputes|refuted|refutes|rejected (?:the|these|those|such) "
    r"(?:claims?|reports?|allegations?|accusations?)|dismissed (?:the |these )?(?:reports?|claims?)|"
    r"(?:is|was|are|were) (?:not true|untrue|false|inaccurate)|called (?:the|these) (?:reports?|claims?) "
    r"(?:false|inaccurate|untrue))\b",
)
# A start date as articles write it: "9 July", "July 9th, 2024", "Aug. 15", "next Tuesday".
START_DATE = (
    r"immediately|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+(?:" + "|".join(MONTHS) + r")\w*\.?(?:,?\s+\d{4})?|"
    r"(?:" + "|".join(MONTHS) + r")\w*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|"
    r"(?:" + "|".join(MONTHS) + r")\w*\.?\s+\d{4}|"
    r"(?:next |this )?(?:" + "|".join(WEEKDAYS) + r")"
)
EFFECTIVE_RE = re.compile(
    r"\b(?:from|starting(?: from| on)?|beginning(?: on)?|effective(?: from| on)?|as of|with effect from|"
    r"(?:takes?|taking) effect(?: on)?|from as early as)\s+(?P<date>" + START_DATE + r")\b",
    re.I,
)
EFFECTIVE_IMMEDIATELY_RE = re.compile(r"\b(?:effective|with immediate effect|immediately)\b", re.I)

# ---------------------------------------------------------------------------------------------
# Names

CAP_WORD = r"(?:[A-Z][\w&.’'-]*|[0-9]+[A-Za-z][\w-]*)"
NAME = rf"(?:(?:[Tt]he|[Aa]n?)\s+)?{CAP_WORD}(?:\s+(?:(?:of|for|and|on|de|du|the|&)\s+)*{CAP_WORD}){{0,6}}"
NAME_RE = re.compile(NAME)

# Names that outlets carry: a name containing one of these is a publication, not a company.
OUTLET_CUES = frozenset(
    "times post news journal reuters bloomberg information daily wire ledger observer herald tribune "
    "press agency xinhua pymnts nikkei guardian telegraph gazette review insider verge techcrunch wired "
    "cnbc bbc cnn afp ap caixin scmp economist forbes axios politico semafor globe mail report brief "
    "watch hub weekly magazine radio television tv broadcasting".split()
)
# Capitalised words at the start of a sentence that are not names.
NOT_NAMES = frozenset(
    """
    analysts officials experts critics sources people industry observers he she they it we i you this
    that these those there the a an its his her their our my your some many most several others other
    investors lawmakers regulators executives insiders researchers users customers companies firms
    reporters local chinese american european us u.s. meanwhile however but and also according when
    while after before if as in on at for from with by to of despite although though because since
    earlier later last next one two three four five six seven eight nine ten both each all
    whoever whatever anyone everyone nobody someone
    """.split()
)
SENTENCE_OPENERS = frozenset(
    "citing quoting per according reporting speaking despite meanwhile however but and also while "
    "after before when although though as in on at for from with by to of yesterday today".split()
)
DOCUMENT_WORDS = r"(?:white paper|paper|report|study|survey|filing|filings|statement|document|data|figures|analysis|notice|rule|regulation|order|announcement|press release|database|ranking|index)"
SPOKESPERSON = r"spokes(?:person|woman|man)|representative|official"

PERSONISH = re.compile(r"^(?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+){1,2}$")


def fold(text: str) -> str:
    """Lower-case, curly quotes straightened, whitespace folded: the form names are compared in."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


_GLUED_DATE_RE = re.compile(
    r"\s+(?:on|in|last|this|next|since|from|until|by)\s+(?:"
    + "|".join(w.title() for w in WEEKDAYS + MONTHS)
    + r")\b.*$"
)


def clean_name(name: str) -> str:
    """Trim a captured name: possessive, trailing punctuation, leading article kept only for titles."""
    name = name.strip().strip(",;:.")
    name = re.sub(r"['’]s$", "", name)
    name = re.sub(r"^(?:an?|A|An|the)\s+", "", name)
    # Dates glued on by the capitalised-name pattern: "The US Commerce Department on Tuesday".
    name = _GLUED_DATE_RE.sub("", name)
    # A capitalised sentence opener is not part of the name: "Citing The Informant"; nor is a
    # day that opens the sentence: "(On) Wednesday the Senate committee".
    while True:
        first, _, rest = name.partition(" ")
        if rest and (first.lower() in SENTENCE_OPENERS or first.lower() in WEEKDAYS):
            name = re.sub(r"^(?:the)\s+", "", rest) if first.lower() in WEEKDAYS else rest
        else:
            break
    return name.strip()


def name_key(name: str) -> str:
    """Comparison key for a name: folded, without a leading "the" and possessive."""
    key = fold(clean_name(name))
    return re.sub(r"^the ", "", key)


def person_key(name: str) -> str:
    """The key of a person speaking or acting: the surname, so "Commerce Secretary Gina Raimondo"
    and later "Raimondo" are one (services tell apart two people of one surname in an event)."""
    return "name:" + name.split()[-1].lower()


def looks_like_outlet(name: str) -> bool:
    return any(word in OUTLET_CUES for word in re.findall(r"[a-z]+", fold(name)))


def is_plausible_name(name: str) -> bool:
    words = fold(name).split()
    if not words:
        return False
    if all(word in NOT_NAMES or word in WEEKDAYS for word in words):
        return False
    return not (len(words) == 1 and words[0] in NOT_NAMES)


@functools.lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """A crude lemma: lower-cased, British spelling folded into American, plural stripped."""
    word = re.sub(r"'s?$", "", word.lower().replace("’", "'")).strip("'-.")
    if "'" in word:
        return ""  # contractions ("doesn't") carry no content
    for british, american in SPELLING:
        if word.endswith(british) and len(word) > len(british) + 2:
            word = word[: -len(british)] + american
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        # Verb forms fold only for words long enough that the stem stays recognisable.
        if word.endswith(suffix) and len(word) > len(suffix) + 4:
            word = word[: -len(suffix)]
            break
    return MEASURE_SYNONYMS.get(word, word)


# "once a year", "one time per month", "every week", "each day", "per year".
_EVERY = r"(?:(?:once|one time) (?:a|per|every)|every|each|per)"
# Long forms outlets spell out where others use the short one.
# How often something recurs, however it is worded: "at least once a year", "every year" and
# "annually" are one word.
PHRASE_SYNONYMS = (
    (re.compile(r"\bapplication programming interfaces?\b", re.I), "API"),
    (re.compile(rf"\b{_EVERY} year\b|\byearly\b", re.I), "annually"),
    (re.compile(rf"\b{_EVERY} month\b", re.I), "monthly"),
    (re.compile(rf"\b{_EVERY} week\b", re.I), "weekly"),
    (re.compile(rf"\b{_EVERY} day\b", re.I), "daily"),
)


def content_words(text: str) -> frozenset[str]:
    """Lemmas of the words that carry meaning: the basis of paraphrase matching."""
    for pattern, replacement in PHRASE_SYNONYMS:
        text = pattern.sub(replacement, text)
    words = re.findall(r"[A-Za-z][A-Za-z0-9'’-]*", text)
    return (
        frozenset(
            lemma(word) for word in words if word.lower() not in STOPWORDS and len(word) > 1 and lemma(word)
        )
        - STOPWORDS
    )


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    a, b = set(a), set(b)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def overlap(a: Iterable[str], b: Iterable[str]) -> float:
    """Share of the smaller set found in the larger: robust when one paraphrase is much longer."""
    a, b = set(a), set(b)
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


# ---------------------------------------------------------------------------------------------
# Sentences

ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen sen rep gov st inc corp co ltd jr sr no vs etc e.g i.e u.s u.k u.n a.m p.m "
    "jan feb mar apr jun jul aug sep sept oct nov dec fig approx est dept".split()
)
SPLIT_RE = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: int
    index: int


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by line breaks; wrapped lines inside a paragraph are rare in our input."""
    paragraphs = []
    for block in re.split(r"\n\s*\n|\n", text or ""):
        block = re.sub(r"\s+", " ", block).strip()
        # Bullets and subheadings keep their words; the bullet mark itself goes.
        block = re.sub(r"^(?:[•*\-–]|#+|>)\s*", "", block)
        if block:
            paragraphs.append(block)
    return paragraphs


def _quote_depth(text: str) -> int:
    curly = text.count("“") - text.count("”")
    straight = text.count('"') % 2
    return max(curly, 0) + straight


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences, never inside an open quotation and never after an abbreviation."""
    sentences: list[Sentence] = []
    for paragraph_number, paragraph in enumerate(split_paragraphs(text)):
        start = 0
        for match in SPLIT_RE.finditer(paragraph):
            candidate = paragraph[start : match.end()]
            last_word = re.search(r"([\w.]+)[.!?]+[\"”’')\]]*\s+$", candidate)
            if last_word and last_word.group(1).lower().rstrip(".") in ABBREVIATIONS:
                continue
            if last_word and re.fullmatch(r"[A-Z]", last_word.group(1)):
                continue  # an initial: "John F. Kennedy"
            if _quote_depth(candidate) % 2 == 1 and _quote_depth(paragraph[start:]) % 2 == 0:
                continue  # inside a quotation that closes later in the paragraph
            sentence = candidate.strip()
            if sentence:
                sentences.append(Sentence(sentence, paragraph_number, len(sentences)))
            start = match.end()
        rest = paragraph[start:].strip()
        if rest:
            sentences.append(Sentence(rest, paragraph_number, len(sentences)))
    return sentences


# ---------------------------------------------------------------------------------------------
# Organisations the caller already knows


@dataclass(frozen=True)
class Organisation:
    """A known organisation or jurisdiction: the surface forms that name it and a stable key."""

    key: str  # "company:12", "jurisdiction:CN", or any caller-chosen stable string
    name: str  # canonical display name
    aliases: tuple[str, ...] = ()
    case_sensitive_aliases: tuple[str, ...] = ()


class OrganisationIndex:
    """Finds known organisations in a sentence with one compiled regex per article."""

    def __init__(self, organisations: Iterable[Organisation] = ()):
        self.by_surface: dict[str, Organisation] = {}
        self.by_key: dict[str, Organisation] = {}
        insensitive: list[str] = []
        sensitive: list[str] = []
        for org in organisations:
            self.by_key[org.key] = org
            for alias in {org.name, *org.aliases}:
                if alias.strip():
                    self.by_surface.setdefault(fold(alias), org)
                    insensitive.append(alias.strip())
            for alias in org.case_sensitive_aliases:
                if alias.strip():
                    self.by_surface.setdefault("=" + alias.strip(), org)
                    sensitive.append(alias.strip())
        self._insensitive = self._compile(insensitive, re.I)
        self._sensitive = self._compile(sensitive, 0)

    @staticmethod
    def _compile(aliases: list[str], flags: int) -> re.Pattern[str] | None:
        if not aliases:
            return None
        alternation = "|".join(re.escape(a) for a in sorted(set(aliases), key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", flags)

    def find(self, text: str) -> list[tuple[int, int, Organisation]]:
        """Non-overlapping mentions, leftmost-longest, as (start, end, organisation)."""
        hits: list[tuple[int, int, Organisation]] = []
        if self._insensitive is not None:
            for m in self._insensitive.finditer(text):
                org = self.by_surface.get(fold(m.group(0)))
                if org is not None:
                    hits.append((m.start(), m.end(), org))
        if self._sensitive is not None:
            for m in self._sensitive.finditer(text):
                org = self.by_surface.get("=" + m.group(0))
                if org is not None:
                    hits.append((m.start(), m.end(), org))
        hits.sort(key=lambda hit: (hit[0], -(hit[1] - hit[0])))
        result: list[tuple[int, int, Organisation]] = []
        end = -1
        for hit in hits:
            if hit[0] >= end:
                result.append(hit)
                end = hit[1]
        return result

    def lookup(self, name: str) -> Organisation | None:
        return self.by_surface.get(fold(clean_name(name))) or self.by_surface.get(name_key(name))


# ---------------------------------------------------------------------------------------------
# Citations


@dataclass(frozen=True)
class FoundCitation:
    kind: str  # report | statement | document | interview (Citation.Kind values)
    cited_name: str
    quote: str
    sentence_index: int
    # True when the article's information came through another outlet's reporting:
    # "according to The Information", "told Reuters", "confirmed to Pymnts".
    via_outlet: bool


# Verbs of a position stated again ("reiterated this stance to Reuters"), listed once for the
# citation pattern, its keywords and the cheap screen (_MAY_CITE_RE), so the three cannot disagree.
RESTATED_VERBS = (
    "reinforced",
    "reiterated",
    "repeated",
    "restated",
    "stressed",
    "emphasised",
    "emphasized",
    "explained",
    "reaffirmed",
)
RESTATED = "|".join(RESTATED_VERBS)

CITATION_PATTERNS: Sequence[tuple[re.Pattern[str], str, bool]] = (
    # (pattern, kind, via_outlet) -- kind "auto" is decided by the name: outlet -> report.
    (re.compile(rf"\bfirst reported by (?P<name>{NAME})"), "report", True),
    (re.compile(rf"\breported by (?P<name>{NAME})"), "report", True),
    (re.compile(rf"\b(?:report|story|article|scoop) (?:comes|came) from (?P<name>{NAME})"), "report", True),
    (
        re.compile(
            rf"\b[Aa]ccording to (?:(?:a|an|the) )?(?:[\w-]+ )?(?P<doc>{DOCUMENT_WORDS}) (?:by|from|of|(?:\w+ )?(?:published|released|carried) by) (?:the )?(?P<name>{NAME})"
        ),
        "document",
        False,
    ),
    (re.compile(rf"\b[Aa]ccording to (?P<name>{NAME})"), "auto", False),
    (
        re.compile(rf"(?P<name>{NAME})['’]s? (?:own )?(?:report|reporting|story|article|scoop)\b"),
        "report",
        True,
    ),
    (
        re.compile(rf"(?P<name>{NAME}),? (?:first |previously |earlier |exclusively )?reported\b"),
        "report",
        True,
    ),
    (
        re.compile(
            rf"(?P<name>{NAME}) (?:spoke (?:to|with)|communicated with|confirmed with|has learned|has seen|reviewed)\b"
        ),
        "report",
        True,
    ),
    (re.compile(rf"\b[Ii]n (?:a|an) (?:exclusive )?interview with (?P<name>{NAME})"), "interview", True),
    (re.compile(rf"\b[Ii]n (?:a|an) (?:emailed |written )?statement to (?P<name>{NAME})"), "statement", True),
    (
        re.compile(
            rf"\b[Ii]n (?:a|an) (?:emailed |written )?statement (?:carried|published|quoted) by (?P<name>{NAME})"
        ),
        "statement",
        True,
    ),
    (re.compile(rf"\b(?:told|confirmed to|speaking to|said to) (?P<name>{NAME})"), "statement", True),
    # "OpenAI's spokesperson reinforced this stance to Reuters": a position restated to an outlet.
    (
        re.compile(rf"\b(?:{RESTATED})(?: (?:this|that|the|its|their|his|her) [a-z]+)? to (?P<name>{NAME})"),
        "statement",
        True,
    ),
    (re.compile(rf"\b(?:an? |the )?(?P<name>{NAME}) (?:{SPOKESPERSON})\b"), "statement", False),
    (re.compile(rf"(?P<name>{NAME}) (?:said|says|stated|announced|confirmed)\b"), "statement", False),
    (re.compile(rf"\bsaid (?P<name>{NAME})"), "statement", False),
)
# Words each citation pattern cannot match without, checked on lower-cased text first.
CITATION_KEYWORDS: Sequence[tuple[str, ...]] = (
    ("first reported by",),
    ("reported by",),
    ("came from", "comes from"),
    ("according to",),
    ("according to",),
    ("report", "story", "article", "scoop"),
    ("reported",),
    ("spoke", "communicated with", "confirmed with", "has learned", "has seen", "reviewed"),
    ("interview with",),
    ("statement to",),
    ("statement carried", "statement published", "statement quoted"),
    ("told", "confirmed to", "speaking to", "said to"),
    RESTATED_VERBS,
    ("spokes", "representative", "official"),
    ("said", "says", "stated", "announced", "confirmed"),
    ("said",),
)
FILING_RE = re.compile(
    r"\bin (?:a|an|its|their) (?:[\w-]+ )?(?:regulatory |stock[- ]exchange |exchange |securities )?filings?\b",
    re.I,
)
# "Told Reuters" names an outlet; "told investors" or "told reporters" does not.
GENERIC_AUDIENCES = frozenset(
    "reporters journalists investors lawmakers analysts customers staff employees the press".split()
)


def find_citations(sentence: Sentence, orgs: OrganisationIndex | None = None) -> list[FoundCitation]:
    """Every source the sentence names as where its information came from."""
    found: dict[tuple[str, str], FoundCitation] = {}
    text = sentence.text
    if not _MAY_CITE_RE.search(text.lower()):
        return []
    low = text.lower()
    for (pattern, kind, via_outlet), keywords in zip(CITATION_PATTERNS, CITATION_KEYWORDS, strict=True):
        if not any(keyword in low for keyword in keywords):
            continue  # the pattern's fixed words are absent: skip the costly name scan
        for m in pattern.finditer(text):
            name = clean_name(m.group("name"))
            if not is_plausible_name(name) or fold(name) in GENERIC_AUDIENCES:
                continue
            # A name swallowing the sentence start ("According to Global Times" is fine; "Sarah began" is not).
            if len(name.split()) > 7:
                continue
            this_kind, this_via = kind, via_outlet
            outlet = looks_like_outlet(name)
            known = orgs.lookup(name) if orgs else None
            if kind == "auto":
                this_kind, this_via = ("report", True) if outlet else ("statement", False)
                if known is None and not outlet and not PERSONISH.match(name):
                    this_kind = "document"
            elif kind == "document" and outlet and m.groupdict().get("doc") in {"report", "story", "article"}:
                this_kind, this_via = "report", True
            elif kind == "statement" and via_outlet and not outlet and known is not None:
                # "told Microsoft" is a conversation between organisations, not press reporting.
                this_via = False
            key = (name_key(name), this_kind)
            if key not in found:
                found[key] = FoundCitation(this_kind, name, text, sentence.index, this_via)
    if FILING_RE.search(text):
        subject = None
        if orgs is not None:
            hits = orgs.find(text)
            before = [hit for hit in hits if hit[0] < FILING_RE.search(text).start()]
            # "In its own filing, AMD said": the filer may come after the filing.
            chosen = before[-1] if before else (hits[0] if hits else None)
            subject = chosen[2].name if chosen else None
        name = f"{subject} filing" if subject else "regulatory filing"
        found.setdefault(
            (name_key(name), "document"), FoundCitation("document", name, text, sentence.index, False)
        )
    # A name captured both as "X said" and "a X spokesperson" is one statement.
    return list(found.values())


# ---------------------------------------------------------------------------------------------
# Quantities


@dataclass(frozen=True)
class Quantity:
    value: Decimal | None  # normalised: 3.15 trillion -> 3150000000000; None for "several"
    unit: str  # percent | USD | EUR | CNY | GBP | HKD | count | multiplier | percentage_point
    qualifier: str  # "" or a key of QUALIFIERS / VAGUE_COUNTS, as written (lower-case)
    text: str  # as written: "more than a hundred", "US$5.5bn"
    measure: str  # what is counted, as written: "local large language models"
    measure_key: str  # normalised head: "model", "company", "capitalization"
    start: int
    end: int

    def interval(self) -> tuple[Decimal | None, Decimal | None]:
        """The range of true values this figure allows, given its qualifier."""
        if self.value is None:
            low, high = VAGUE_COUNTS.get(self.qualifier, (2, None))
            return Decimal(low), (Decimal(high) if high is not None else None)
        bound = QUALIFIERS.get(self.qualifier, "")
        v = self.value
        if bound == "above":
            return v, None
        if bound == "upto":
            return Decimal(0), v
        if bound == "nearly":
            return v * (1 - ABOUT_RELATIVE_TOLERANCE), v
        if bound == "about":
            return v * (1 - ABOUT_RELATIVE_TOLERANCE), v * (1 + ABOUT_RELATIVE_TOLERANCE)
        return v * (1 - EXACT_RELATIVE_TOLERANCE), v * (1 + EXACT_RELATIVE_TOLERANCE)


def quantities_compatible(a: Quantity, b: Quantity) -> bool:
    """Whether two reports of the same measure can both be true ("140" and "more than a hundred" can)."""
    if a.unit != b.unit:
        return False
    a_low, a_high = a.interval()
    b_low, b_high = b.interval()
    if a_high is not None and b_low is not None and a_high < b_low:
        return False
    return not (b_high is not None and a_low is not None and b_high < a_low)


def values_compatible(
    unit: str, first: tuple[Decimal | None, str], second: tuple[Decimal | None, str]
) -> bool:
    """Same as quantities_compatible for stored (value, qualifier) pairs."""
    a = Quantity(first[0], unit, first[1], "", "", "", 0, 0)
    b = Quantity(second[0], unit, second[1], "", "", "", 0, 0)
    return quantities_compatible(a, b)


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDNUM = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_QUAL = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
_SCALE = (
    r"quadrillion|quintillion|sextillion|septillion|thousand|million|billion|trillion|bn|mn|mln|tn|trn|k|m|b"
)
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# Powers of ten: "10^26", "10**26", "10²⁶", "1e26", "2.5 x 10^25", "10 to the 26th (power)". One
# pattern both finds them (inside QUANTITY_RE) and reads them (power_value), by its named groups.
_POWER = (
    rf"(?:(?P<mantissa>\d+(?:\.\d+)?)\s*[x×*]\s*)?10(?:\s*(?:\^|\*\*)\s*(?P<exponent>\d{{1,3}})"
    rf"|(?P<superscript>[{_SUPERSCRIPT_DIGITS}]{{1,3}})"
    r"|\s+to\s+the\s+(?:power\s+of\s+)?(?P<exponent_words>\d{1,3})(?:st|nd|rd|th)?(?:\s+power)?)"
    r"|(?P<e_mantissa>\d+(?:\.\d+)?)[eE]\+?(?P<e_exponent>\d{1,3})(?![\w.])"
)
_POWER_RE = re.compile(_POWER)


def power_value(written: str) -> Decimal | None:
    """The value of a power of ten as written ("10^26", "2.5 x 10^25", "1e26"), or None."""
    m = _POWER_RE.fullmatch(written.strip())
    if m is None:
        return None
    if m.group("e_exponent"):
        return Decimal(m.group("e_mantissa")) * Decimal(10) ** int(m.group("e_exponent"))
    exponent = (
        m.group("exponent")
        or m.group("exponent_words")
        or m.group("superscript").translate(str.maketrans(_SUPERSCRIPT_DIGITS, "0123456789"))
    )
    return Decimal(m.group("mantissa") or 1) * Decimal(10) ** int(exponent)


_CUR_PRE = r"US\$|HK\$|\$|€|£|¥|RMB\s?|CNY\s?|USD\s?|EUR\s?|GBP\s?"
_CUR_SUF = r"US dollars|dollars|dollar|euros|euro|yuan|renminbi|pounds"

QUANTITY_RE = re.compile(
    rf"(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?P<cur>{_CUR_PRE})?"
    rf"(?P<num>(?<![\w.^])(?:{_POWER})|{_NUM}|(?<![\w-])(?:{_COMPOUND_NUMBER}|{_WORDNUM})(?![\w-]))"
    rf"(?:[\s-]?(?P<scale>{_SCALE})(?![\w]))?"
    rf"(?:\s*(?P<pct>%|per ?cent\b|percentage points?\b)|\s+(?P<cursuf>{_CUR_SUF})\b|"
    rf"\s+(?P<times>times)\s+(?:as many|as much|more|higher|larger|greater|bigger|the)\b|"
    rf"-?(?P<fold>fold)\b)?",
    re.I,
)
MULTIPLIER_RE = re.compile(
    r"\b(?P<word>twice|double|triple|threefold|fourfold|tenfold) (?:as many|as much|the|that)\b", re.I
)
VAGUE_RE = re.compile(
    r"\b(?P<qual>several|multiple|a number of|a few)\s+(?P<rest>(?:[A-Za-z-]+\s+){0,2}?[a-z]+s)\b"
)

MEASURE_STOP = frozenset(
    "to in on at by for from with and or but as that which who than of is are was were has have had "
    "will would could can may might be been said says this these those its their his her exist exists "
    "existed depend depends depended remain remains remained rose fell grew increased came went make makes "
    "made who whom whose were was".split()
)
CLASSIFIER_NOUNS = frozenset("type kind category share percent portion half part number amount".split())
SIMPLE_NOUN = re.compile(r"^[A-Za-z][A-Za-z'’-]*$")


def _is_plural(word: str) -> bool:
    return bool(re.search(r"[a-z]s$", word) and not re.search(r"(?:ss|us|is)$", word.lower()))


def _measure_after(
    text: str, pos: int, *, allow_of: bool, lead_words: frozenset[str] = frozenset({"of"})
) -> tuple[str, list[str]]:
    """The noun phrase that follows a figure: "large models" after "1,328"."""
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*|[,.;:()]", text[pos:])
    taken: list[str] = []
    i = 0
    if allow_of and words[:1] and words[0].lower() in lead_words:
        i = 1
        if len(words) > 1 and words[1].lower() in {
            "the",
            "a",
            "an",
            "all",
            "its",
            "their",
            "china's",
            "global",
        }:
            i = 2
    while i < len(words) and len(taken) < 5:
        word = words[i]
        low = word.lower()
        if not SIMPLE_NOUN.match(word) or low in MEASURE_STOP:
            break
        if low in STOPWORDS and low not in {"world", "new"}:
            break
        if taken and low.endswith("ed") and len(low) >= 4:
            break  # a participle opens a clause: "software used to design chips"
        taken.append(word)
        i += 1
        # A plural noun ends the phrase: "large AI models" in "1,328 large AI models exist".
        if _is_plural(word) and lemma(word) not in CLASSIFIER_NOUNS:
            break
    # "10^26 integer or floating-point operations": two modifiers share the noun after them.
    if taken and not _is_plural(taken[-1]) and i < len(words) and words[i].lower() in ("or", "and"):
        following: list[str] = []
        for word in words[i + 1 : i + 3]:
            if not SIMPLE_NOUN.match(word) or word.lower() in MEASURE_STOP:
                break
            following.append(word)
            if _is_plural(word):
                taken = [*taken, words[i], *following]
                return " ".join(taken), taken
    # "types of software": the classifier needs its complement to say what is counted.
    if taken and lemma(taken[-1]) in CLASSIFIER_NOUNS and i < len(words) and words[i].lower() == "of":
        rest_words, _ = _measure_after(text[pos:], text[pos:].lower().find(" of ", 0) + 1, allow_of=True)
        if rest_words:
            return " ".join(taken) + " of " + rest_words, taken
    return " ".join(taken), taken


def _measure_before(text: str, pos: int) -> str:
    """The noun phrase before "of $3.15 trillion" or "valued at $3.15 trillion"."""
    before = text[:pos].rstrip()
    m = re.search(
        r"((?:[A-Za-z][A-Za-z'’-]*\s+){0,3}[A-Za-z][A-Za-z'’-]*)\s+(?:of|at|to|reached|hit|totall?ing|worth|"
        r"(?:fell|rose|dropped|jumped|slid|climbed|gained|lost|declined|surged|plunged|tumbled|sank)(?:\s+by)?)$",
        before,
    )
    if not m:
        return ""
    words = [w for w in m.group(1).split() if w.lower() not in STOPWORDS and w.lower() not in MEASURE_STOP]
    return " ".join(words[-3:])


def _measure_key(measure: str) -> str:
    """Head noun (and the complement of a classifier), lemmatised: "types of software" -> "type:software"."""
    words = [lemma(w) for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", measure)]
    words = [w for w in words if w and w not in STOPWORDS]
    if not words:
        return ""
    if "of" in measure.split():
        head, _, complement = measure.partition(" of ")
        head_words = [lemma(w) for w in head.split() if lemma(w) not in STOPWORDS]
        comp_words = [lemma(w) for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", complement)]
        comp_words = [w for w in comp_words if w not in STOPWORDS]
        if head_words and head_words[-1] in CLASSIFIER_NOUNS and comp_words:
            return f"{head_words[-1]}:{comp_words[-1]}"
        if comp_words:
            return comp_words[-1]
    return words[-1]


_MONTH_BEFORE_RE = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\.?\s*$")
_MONTH_AFTER_RE = re.compile(r"\s*(?:st|nd|rd|th)?\s*(?:of\s+)?(?:" + "|".join(MONTHS) + r")\b")
# Cheap screens: most sentences hold no figure and cite nobody, and need no further work.
_MAY_HOLD_FIGURE_RE = re.compile(
    r"\d|%|\b(?:"
    + "|".join(re.escape(w) for w in NUMBER_WORDS)
    + r"|twice|double|triple|\w+fold|several|multiple|"
    r"a number of|a few)\b",
)
_MAY_CITE_RE = re.compile(
    r"accord|report|told|confirm|said|says|stated|spokes|statement|interview|filing|announc|spoke|"
    r"communicat|learned|has seen|reviewed|published|story|scoop|article|representative|official|" + RESTATED,
)


def _is_date_or_code(text: str, m: re.Match[str]) -> bool:
    num = m.group("num")
    before = text[max(0, m.start() - 12) : m.start()].lower()
    after = text[m.end() : m.end() + 12].lower()
    if re.fullmatch(r"(?:19|20)\d\d", num) and not (m.group("cur") or m.group("pct") or m.group("scale")):
        return True  # a year
    if _MONTH_BEFORE_RE.search(before):
        return True  # "July 9", "Dec 2"
    if _MONTH_AFTER_RE.match(after):
        return True  # "9 July"
    if re.search(r"[A-Za-z]$", text[max(0, m.start() - 1) : m.start()]) and not m.group("cur"):
        return True  # "H20", "GPT4"
    if re.search(r"[A-Z][\w-]*\s$", text[max(0, m.start() - 20) : m.start()]) and "." in num:
        return True  # a version: "SenseNova 5.5"
    return bool(re.match(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|gmt|utc|:\d)", after))


def find_quantities(text: str) -> list[Quantity]:
    """Figures with units and what they measure; dates, years, versions and bare numbers are skipped."""
    found: list[Quantity] = []
    if not _MAY_HOLD_FIGURE_RE.search(text.lower()):
        return found
    for m in QUANTITY_RE.finditer(text):
        num = m.group("num")
        if not num:
            continue
        if _is_date_or_code(text, m):
            continue
        if not m.group("scale") and re.match(r"[A-Za-z]", text[m.end("num") : m.end("num") + 1]):
            continue  # part of a name or code: "21Vianet", "4K"
        qualifier = (m.group("qual") or "").lower()
        low = num.lower()
        if (in_words := number_word_value(low)) is not None:
            base = Decimal(in_words)
        elif (power := power_value(num)) is not None:
            base = power
        else:
            try:
                base = Decimal(num.replace(",", ""))
            except InvalidOperation:
                continue
        scale_word = (m.group("scale") or "").lower()
        currency = None
        if m.group("cur"):
            currency = CURRENCY_PREFIXES.get(m.group("cur").strip().lower())
        elif m.group("cursuf"):
            currency = CURRENCY_SUFFIXES.get(m.group("cursuf").lower())
        # Single-letter scales ("35m", "5b") only mean million/billion next to a currency.
        if scale_word in {"m", "b", "k"} and currency is None:
            scale_word = ""
            if re.match(r"[\s-]?[mbk]\b", text[m.end("num") :], re.I):
                continue  # "35m" of something that is not money: metres, not a claim
        value = base * SCALES.get(scale_word, Decimal(1))
        if value >= FIGURE_LIMIT:
            continue
        end = m.end()
        if m.group("pct"):
            unit = "percentage_point" if "point" in m.group("pct").lower() else "percent"
            measure, _ = _measure_after(text, end, allow_of=True)
            if not measure:
                measure = _measure_before(text, m.start())
        elif currency:
            unit = currency
            measure, _ = _measure_after(text, end, allow_of=True, lead_words=frozenset({"of", "for", "in"}))
            if not measure or lemma(measure.split()[-1]) in NON_MEASURE_NOUNS:
                measure = _measure_before(text, m.start())
        elif m.group("times") or m.group("fold"):
            unit = "multiplier"
            measure = _measure_before(text, m.start()) or text[end : end + 40].split(",")[0].strip()
            measure = re.sub(r"^(?:as )?(?:many|much) as\s+", "", measure).strip(" .")
        else:
            unit = "count"
            measure, taken = _measure_after(text, end, allow_of=False)
            if not taken:
                continue  # a bare number: nothing says what it counts
            if all(word[:1].isupper() for word in taken):
                continue  # a name: "360 Security Technology"
            if (
                len(taken) == 1
                and lemma(taken[0]) in DURATION_UNITS
                and (duration := DURATION_OF_RE.match(text, end + len(taken[0]) + 1)) is not None
            ):
                # "36 hours of talks": unit hour, measure talks (a length: the checks of a count
                # below do not apply).
                unit, measure = lemma(taken[0]), duration.group("what")
            elif lemma(taken[-1]) in NON_MEASURE_NOUNS or lemma(taken[0]) in NON_MEASURE_NOUNS:
                continue
            elif low in NUMBER_WORDS and NUMBER_WORDS[low] < 3:
                continue  # "two firms": too common to be a checkable figure on its own
            elif re.match(r"\s+of\s+(?:the|them|its|their|those)\b", text[end:]):
                continue  # "three of the firms": a part, not a total
            elif (
                re.search(r"\b(?:the|these|those|its|their|all)\s+$", text[: m.start()], re.I)
                and not qualifier
            ):
                continue  # "the three metals": a reference back, not a new figure
        measure_key = _measure_key(measure) if measure else ""
        if unit in {"count", "percent"} and not measure_key:
            continue
        found.append(
            Quantity(value, unit, qualifier, m.group(0).strip(), measure, measure_key, m.start(), end)
        )
    for m in MULTIPLIER_RE.finditer(text):
        word = m.group("word").lower()
        measure = _measure_before(text, m.start()) or text[m.end() : m.end() + 40].split(",")[0].strip()
        found.append(
            Quantity(
                Decimal(MULTIPLIER_WORDS[word]),
                "multiplier",
                "",
                m.group(0),
                measure,
                _measure_key(measure),
                m.start(),
                m.end(),
            )
        )
    for m in VAGUE_RE.finditer(text):
        rest = m.group("rest")
        head = lemma(rest.split()[-1])
        if (
            head not in {MEASURE_SYNONYMS.get(n, n) for n in VAGUE_COUNT_NOUNS}
            and head not in VAGUE_COUNT_NOUNS
        ):
            continue
        found.append(
            Quantity(None, "count", m.group("qual").lower(), m.group(0), rest, head, m.start(), m.end())
        )
    found.sort(key=lambda q: q.start)
    return found


# ---------------------------------------------------------------------------------------------
# Claims


@dataclass
class ClaimCandidate:
    kind: str  # Claim.Kind values
    text: str  # the exact sentence
    sentence_index: int
    paragraph: int
    fingerprint: str
    content: frozenset[str]
    attributed_to_name: str = ""
    attributed_key: str = ""  # the organisation key when the speaker/actor is known
    action: str = ""  # policy actions: canonical verb (restrict, allow, list, ...)
    object_text: str = ""
    effective: str = ""  # "9 July", "immediately", "Tuesday" as written
    quantity: Quantity | None = None
    stance: str = "asserts"  # asserts | cites | disputes
    cited_name: str = ""
    about_keys: tuple[str, ...] = ()
    # Every name the sentence cites, in order: the services decide which of them are outlets.
    attributions: tuple[str, ...] = ()
    score: float = 0.0
    reported_text: str = ""
    measure: str = ""

    @property
    def value(self) -> Decimal | None:
        return self.quantity.value if self.quantity else None

    @property
    def unit(self) -> str:
        return self.quantity.unit if self.quantity else ""


@dataclass
class Extraction:
    sentences: list[Sentence]
    citations: list[FoundCitation]
    claims: list[ClaimCandidate] = field(default_factory=list)


def _decimal_key(value: Decimal | None) -> str:
    if value is None:
        return "~"
    normal = value.normalize()
    return format(normal, "f")


def fingerprint_for(kind: str, **parts: str) -> str:
    """kind|part|part...: parts are already order-insensitive (sorted lemmas); capped for the DB column."""
    return "|".join([kind, *(parts[key] for key in sorted(parts))])[:255]


# Words that may stand between a subject and its verb without changing who acts:
# "OpenAI announced at the end of last month that it would restrict ...".
SUBJECT_GAP_WORDS = frozenset(
    """
    has have had will would could may might must shall is was are were be been also now then further
    formally officially quietly abruptly effectively already still again recently first said says
    announced confirmed decided plans planned plan moved moves intends intended agreed opted chose
    chosen began begin begins began set expected it that the company firm government ministry on in
    at of a an its end last this next month week year day statement which who by late early not
    take takes taking took steps step additional measures
    continue continues continued continuing to today yesterday tuesday monday wednesday thursday friday saturday sunday move decision
    """.split()
)
# More unexplained words than this between actor and verb and the actor is probably not the subject.
MAX_FOREIGN_GAP_WORDS = 2


# Descriptions that stand for an actor named before: "the ministry", "the company".
_DESCRIPTION = (
    r"(?:company|ministry|department|agency|government|commission|regulator|bureau|watchdog|authority|"
    r"administration|firm|group|chipmaker|lab)"
)
# "It", "the ministry", "the company" standing for the actor of an earlier sentence.
PRONOUN_SUBJECT_RE = re.compile(
    rf"(?:^|[.;,]\s+|\b(?:and|but)\s+|^(?:On|In)\s+\w+\s+)(?:It|it|The|the)(?:\s+{_DESCRIPTION})?"
    r"(?:\s+(?:also|now|then|later|further|has|have|had|will|would|on \w+))*\s+$"
)
# Reported speech with the same stand-in: "The company said last month that it was taking
# additional steps to block ...".
PRONOUN_REPORTED_RE = re.compile(
    rf"(?:^|[.;,]\s+|\b(?:and|but)\s+)(?:It|it|The|the)(?:\s+{_DESCRIPTION})?\s+(?:(?:has|had)\s+)?"
    r"(?:said|says|announced|confirmed|stated)(?:\s+(?:on \w+|last \w+|earlier|in a statement))?\s+that\s+"
    rf"(?:it|the {_DESCRIPTION})\s+(?:(?:was|is|would|will|had|has)\s+)?"
    r"(?:(?:taking|take|took)\s+(?:additional\s+|further\s+|new\s+)?steps\s+to\s+|"
    r"(?:planning|planned|moving|going|about)\s+to\s+)?$"
)
# A paragraph opening with "The company ..." or "The ministry ..." refers back to the actor of
# the paragraph before; a bare "it" does not reach that far. So does one whose subject follows an
# opening adverbial ("Separately, the department ...", "On Monday the ministry ...").
DEFINITE_SUBJECT_RE = re.compile(
    rf"^(?:(?:[A-Z][a-z]+(?:\s+[a-z]+)?,|(?:On|In|Later on|Earlier on)\s+[A-Z]?\w+,?)\s+)?[Tt]he {_DESCRIPTION}\b"
)
# An organisation right after one of these is an object ("exports to the United States"), not the actor.
OBJECT_PREPOSITION_RE = re.compile(
    r"\b(?:to|from|in|into|on|against|with|for|of|by|at|over|than|like)\s+(?:the\s+)?$", re.I
)


# Verbs of a body given a task: "NIST is directed to develop ..." (see DIRECTIVE_RE, _actor_before).
DIRECTED = r"directed|tasked|instructed|asked|ordered|charged"

# "seven agencies led by the Cyberspace Administration of China published": the lead body acts.
LED_BY_RE = re.compile(r"\b(?:led|headed|chaired)\s+by\s+(?:the\s+)?$", re.I)

SUBJECT_NAME_WINDOW_CHARS = 90
_NAME_BEFORE_VERB_RE = re.compile(
    rf"(?P<name>{NAME})\s+(?:(?:has|have|had|will|would|also|now|on \w+|is|was)\s+)*$"
)


# A titled person acting: "President Joe Biden" and "President Biden" are one actor.
_TITLED_PERSON_RE = re.compile(
    r"^(?:President|Vice[- ]President|Prime Minister|Premier|Chancellor|Secretary|Minister|Commissioner|"
    r"Senator|Governor|Chairman|Chairwoman)\s+(?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+$"
)


def _actor_name_key(name: str) -> str:
    """The key of an actor known only by name: a titled person by surname, as speakers are."""
    if _TITLED_PERSON_RE.match(name):
        return person_key(name)
    return "name:" + name_key(name)


# A clause set off by commas between a subject and its verb: "the committee, led by A and B,
# said ...", "the regulator, which oversees data protection, ordered ...".
APPOSITIVE_RE = re.compile(
    r",\s+(?:(?:led|headed|chaired|run|founded|created|backed|owned|based)\b|(?:which|who)\b)[^,;:()\"“”]{1,100},\s+$"
)
# A rule as the subject of an action: "The new rule bars ...", "Both rules extend ...", "First,
# the rule controls ...": its author acts through it.
_RULE_NOUNS = r"(?:rules?|regulations?|measures|framework|order|notice|directive|law|package)"
RULE_SUBJECT_RE = re.compile(
    r"(?:^|[.;:,]\s+|\b(?:and|but)\s+)(?P<rule>(?:The|the|Both|both|This|this|These|these|"
    r"(?:[Tt]he\s+)?(?:[A-Z][\w-]*\s+){0,3}[A-Z][\w-]*['’]s)\s+"
    r"(?:(?:[A-Z][\w-]*(?:['’]s)?|new|final|updated|revised|interim|draft|wider|broader|first|second|two)\s+){0,4}"
    rf"{_RULE_NOUNS})\s+(?:(?:also|now|further|will|would|already)\s+)*$"
)


def _rule_author(
    text: str, pos: int, org_hits: list[tuple[int, int, Organisation]], author: tuple[str, str]
) -> tuple[str, str]:
    """Whose rule the one named from `pos` is: an organisation in its name ("The Commerce
    Department's new rule", "China's measures"), else the organisation the text last named as
    acting (`author`: this paragraph's, or the one before's); never a person quoted, as speakers
    write no rules."""
    words = text[pos:].split()
    end = pos + len(" ".join(words[:6]))
    named = [org for begin, _end, org in org_hits if pos <= begin < end]
    if named:
        return named[0].name, named[0].key
    if author[1] and all(part.startswith(("company:", "jurisdiction:")) for part in author[1].split("+")):
        return author
    return "", ""


# "X said it had opened an inquiry": "it" is the one who said so.
REPORTED_IT_RE = re.compile(
    r"\b(?:said|says|announced|confirmed|stated)\s+(?:(?:on|last|this)\s+\w+\s+|earlier\s+)?(?:that\s+)?it\s+"
    r"(?:(?:had|has|have|would|will|was|is)\s+)?(?:also\s+|now\s+|already\s+)*$"
)


def _actor_before(
    text: str,
    pos: int,
    org_hits: list[tuple[int, int, Organisation]],
    orgs: OrganisationIndex | None = None,
    previous: tuple[str, str] = ("", ""),
    author: tuple[str, str] = ("", ""),
) -> tuple[str, str]:
    """The organisation that does what the verb at `pos` says: the nearest known one before it,
    else a capitalised name directly before it, else (for "it"/"the ministry") the previous
    sentence's actor. Failing those, the subject of a reporting verb the action is reported with
    ("the committee said it had opened an inquiry"), across a clause set off by commas ("the
    committee, led by A and B, opened"), and for a rule as the subject ("The rule bars") its
    author (see _rule_author; `author` is the last organisation acting, in this paragraph or
    the one before). Returns (name, key), or ("", "") when unsure."""
    actor = _subject_before(text, pos, org_hits, orgs, previous)
    if actor[0]:
        return actor
    reported = REPORTED_IT_RE.search(text, max(0, pos - SUBJECT_NAME_WINDOW_CHARS), pos)
    if reported is not None and reported.end() == pos:
        pos = reported.start()
        actor = _subject_before(text, pos, org_hits, orgs, previous)
        if actor[0]:
            return actor
    rule = RULE_SUBJECT_RE.search(text, max(0, pos - SUBJECT_NAME_WINDOW_CHARS), pos)
    if rule is not None and rule.end() == pos:
        return _rule_author(text, rule.start("rule"), org_hits, author if author[0] else previous)
    appositive = APPOSITIVE_RE.search(text, max(0, pos - 2 * SUBJECT_NAME_WINDOW_CHARS), pos)
    if appositive is not None and appositive.end() == pos:
        # Read as if the clause were not there: "the committee said ...".
        cut = appositive.start()
        hits = [hit for hit in org_hits if hit[1] <= cut]
        return _subject_before(text[:cut] + " " + text[pos:], cut + 1, hits, orgs, previous)
    return "", ""


def _subject_before(
    text: str,
    pos: int,
    org_hits: list[tuple[int, int, Organisation]],
    orgs: OrganisationIndex | None = None,
    previous: tuple[str, str] = ("", ""),
) -> tuple[str, str]:
    """The subject of the verb at `pos` (see _actor_before), or ("", "")."""
    if _quote_depth(text[:pos]) % 2 == 1:
        return "", ""  # quoted speech is handled as a quote, not narration
    words_before = list(re.finditer(r"\S+", text[:pos]))
    window_start = 0
    if len(words_before) > MAX_SUBJECT_DISTANCE_WORDS:
        window_start = words_before[-MAX_SUBJECT_DISTANCE_WORDS].start()
    # Passive voice ("ChatGPT is also banned in China") hides who acts; a body "directed to
    # publish" is given a task (see _obligation), it does not act yet.
    if re.search(
        r"\b(?:is|are|was|were|be|been|being|get|got)\s+(?:\w+ly\s+|also\s+|now\s+)?"
        rf"(?:(?:{DIRECTED})\s+to\s+)?$",
        text[:pos],
        re.I,
    ):
        return "", ""
    candidates: list[tuple[int, int, str, str]] = [
        (end, 1, org.name, org.key)
        for start, end, org in org_hits
        if window_start <= start
        and end <= pos
        and (not OBJECT_PREPOSITION_RE.search(text[:start]) or LED_BY_RE.search(text[:start]))
    ]
    # Only the words just before the verb can be its named subject; a bounded window keeps
    # this end-anchored search from rescanning the whole sentence.
    near_start = max(0, pos - SUBJECT_NAME_WINDOW_CHARS)
    m = _NAME_BEFORE_VERB_RE.search(text, near_start, pos)
    if m:
        raw = m.group("name")
        name = clean_name(raw)
        possessed = re.search(r"['’]s\s+$", text[: m.start("name")]) or re.search(r"['’]s?$", raw)
        in_object = OBJECT_PREPOSITION_RE.search(text[: m.start("name")])
        if is_plausible_name(name) and not looks_like_outlet(name) and not possessed and not in_object:
            known = orgs.lookup(name) if orgs is not None else None
            if known is not None:
                candidates.append((m.end("name"), 1, known.name, known.key))
            else:
                candidates.append((m.end("name"), 0, name, _actor_name_key(name)))
    for end, _known, name, key in sorted(candidates, reverse=True):
        gap = text[end:pos]
        if re.search(r"\w['’]s\s", gap):
            return "", ""  # another possessor in between names a different subject
        if re.match(r"['’]s?\s", gap):
            # "OpenAI's decision to block", "OpenAI's block on API traffic": still OpenAI acting.
            decision = re.match(r"['’]s?\s+(?:decision|move|plan|announcement)\s+to\s+$", gap)
            noun_action = re.fullmatch(r"['’]s?\s+", gap) and re.match(r"\w+\s+on\b", text[pos:])
            if not (decision or noun_action):
                return "", ""  # a possessor: "the company's API allows ..." is not the company acting
        foreign = [
            w
            for w in re.findall(r"[A-Za-z’'-]+", gap.lower())
            if w not in SUBJECT_GAP_WORDS and w not in STOPWORDS
        ]
        if len(foreign) <= MAX_FOREIGN_GAP_WORDS:
            return name, key
        return "", ""
    if previous[0] and (
        PRONOUN_SUBJECT_RE.search(text[window_start:pos])
        or PRONOUN_REPORTED_RE.search(text[window_start:pos])
    ):
        return previous
    return "", ""


# "the US government told it that exports of its H20 chip would require a licence": a licence
# requirement (or a ban) an organisation gave notice of is that organisation's action.
NOTICE_RE = re.compile(r"\b(?:told|informed|notified|instructed)\s+(?:[\w'’-]+\s+){1,4}?that\s+")
NOTICE_ACTIONS = frozenset({"license", "restrict"})
MAX_NOTICE_CLAUSE_WORDS = 16


def _notice_giver(
    text: str,
    pos: int,
    org_hits: list[tuple[int, int, Organisation]],
    orgs: OrganisationIndex,
    previous: tuple[str, str],
) -> tuple[str, str]:
    """Who gave the notice whose "that" clause holds the verb at `pos`, or ("", "")."""
    notices = list(NOTICE_RE.finditer(text, 0, pos))
    if not notices:
        return "", ""
    notice = notices[-1]
    clause = text[notice.end() : pos]
    if re.search(r"[,;:]", clause) or len(clause.split()) > MAX_NOTICE_CLAUSE_WORDS:
        return "", ""
    return _actor_before(text, notice.start(), org_hits, orgs, previous)


def _policy_action(
    sentence: Sentence,
    orgs: OrganisationIndex,
    org_hits: list[tuple[int, int, Organisation]],
    previous: tuple[str, str] = ("", ""),
    author: tuple[str, str] = ("", ""),
) -> ClaimCandidate | None:
    text = sentence.text
    low = text.lower()
    if _hedged(low) and not _LATER_CLAUSE_RE.search(low):
        return None  # "could be seen as", "might": analysis, not a reported action
    if _FALSE_FRIENDS_SCREEN.search(low) and not re.search(r"\b(?:block|ban|restrict|bar)", low):
        return None
    for m in ACTION_REGEX.finditer(text):
        group = next(name for name, value in m.groupdict().items() if value)
        code = ACTION_CODES[int(group[1:])]
        if ACTION_FALSE_FRIENDS.match(text, m.start()) or _hedged_at(low, m.start()):
            continue
        # Nouns that happen to share the verb's spelling: "the ban", "an order", "a fine".
        if re.search(r"\b(?:the|a|an|its|this|that|their)\s+$", text[: m.start()], re.I) and code != "list":
            continue
        # "Meta will not sign the code", "declined to sign": the opposite of the action, not it.
        if NEGATED_RE.search(text, max(0, m.start() - 40), m.start()):
            continue
        actor, key = _actor_before(text, m.start(), org_hits, orgs, previous, author)
        if not actor and code in NOTICE_ACTIONS:
            actor, key = _notice_giver(text, m.start(), org_hits, orgs, previous)
        if code in JOINT_ACTIONS:
            if re.search(r"\bto\s+$", text[: m.start()]):
                continue  # "getting Washington and Beijing to agree": an aim, not an agreement
            joint = _joint_actor(text, m.start(), org_hits)
            if joint is not None and (not actor or "+" in joint[1]):
                actor, key = joint
        if not actor:
            continue
        rest = EFFECTIVE_RE.sub("", text[m.end() :])
        object_text = " ".join(re.split(r"[;:.!?,]", rest, maxsplit=1)[0].split()[:16]).strip(" ,")
        verb_phrase = re.sub(r",[^,]*,", "", m.group(0))  # "introduces, for the first time, controls"
        verb_object = verb_phrase.split(maxsplit=1)[1] if len(verb_phrase.split()) > 1 else ""
        candidate = _action_candidate(sentence, actor, key, code, f"{verb_object} {object_text}".strip())
        if candidate is not None:
            return candidate
    return None


def _action_candidate(
    sentence: Sentence, actor: str, key: str, code: str, object_text: str
) -> ClaimCandidate | None:
    """A policy-action claim: who (`actor`, `key`) does what (`code`) to what (`object_text`)."""
    text = sentence.text
    object_content = content_words(object_text) - {lemma(w) for w in actor.split()}
    if len(object_content) < 1:
        return None
    effective = ""
    eff = EFFECTIVE_RE.search(text)
    if eff:
        effective = eff.group("date")
    elif re.search(r"\beffective immediately|with immediate effect\b", text, re.I):
        effective = "immediately"
    ordered = [lemma(w) for w in re.findall(r"[A-Za-z][A-Za-z0-9'’-]*", object_text)]
    keywords = list(dict.fromkeys(w for w in ordered if w in object_content))[:FINGERPRINT_OBJECT_WORDS]
    fingerprint = fingerprint_for(
        "policy_action", actor=key or name_key(actor), action=code, object=" ".join(sorted(keywords))
    )
    return ClaimCandidate(
        kind="policy_action",
        text=text,
        sentence_index=sentence.index,
        paragraph=sentence.paragraph,
        fingerprint=fingerprint,
        content=content_words(text),
        attributed_to_name=actor,
        attributed_key=key,
        action=code,
        object_text=object_text,
        effective=effective,
    )


# Actions several parties take together: "the European Parliament and the Council reached a
# provisional agreement", "the United States and China both signed".
JOINT_ACTIONS = frozenset({"agree", "sign"})
_REPORTING_RE = re.compile(r"\b(?:said|says|told|according to|reported|announced)\b")


def _joint_actor(
    text: str, pos: int, org_hits: list[tuple[int, int, Organisation]]
) -> tuple[str, str] | None:
    """Every known organisation in the subject of an agreement (the words before the verb, after
    any "X said"), as one actor; None unless there are at least two, or one that the
    single-subject rules rejected for the words around it ("European Union lawmakers and
    member states agreed")."""
    words_before = list(re.finditer(r"\S+", text[:pos]))
    start = (
        words_before[-MAX_SUBJECT_DISTANCE_WORDS].start()
        if len(words_before) > MAX_SUBJECT_DISTANCE_WORDS
        else 0
    )
    reporting = list(_REPORTING_RE.finditer(text, start, pos))
    if reporting:
        start = reporting[-1].end()
    if re.search(r"\b(?:not|no|never)\b", text[start:pos], re.I):
        return None
    found: dict[str, Organisation] = {}
    for begin, end, org in org_hits:
        if start <= begin and end <= pos and not re.search(r"['’]s?\s*$", text[end : end + 2]):
            found.setdefault(org.key, org)
    if not found:
        return None
    ordered = sorted(found.values(), key=lambda org: org.key)
    return " and ".join(org.name for org in ordered), "+".join(org.key for org in ordered)


# "The measures were jointly issued by the Cyberspace Administration of China": the agent
# after "by" acts, the subject is what it acts on.
PASSIVE_ACTION_RE = re.compile(
    r"\b(?:is|are|was|were|been|being|be)\s+(?:\w+ly\s+|also\s+|now\s+)?"
    r"(?P<verb>issued|published|released|adopted|banned|blocked|barred|prohibited|restricted|suspended|"
    r"approved|fined|ordered|signed|(?:added to|placed on) (?:the |its )?(?:Entity List|entity list|trade blacklist))"
    r"\s+by\s+(?:the\s+)?"
)
PASSIVE_CODES = {
    "issued": "publish",
    "published": "publish",
    "released": "publish",
    "adopted": "publish",
    "banned": "restrict",
    "blocked": "restrict",
    "barred": "restrict",
    "prohibited": "restrict",
    "restricted": "restrict",
    "suspended": "restrict",
    "approved": "approve",
    "fined": "fine",
    "ordered": "order",
    "signed": "sign",
}


# "Biren and Moore Threads were placed on the US Entity List": a list named for its owner, who
# acts (the owner is the organisation or country right after "on the" / "to the").
PASSIVE_LISTING_RE = re.compile(
    r"\b(?:is|are|was|were|been|being|be)\s+(?:\w+ly\s+|also\s+|now\s+)?(?:added\s+to|placed\s+on)\s+(?:the\s+)?"
)
_OWNED_LIST_RE = re.compile(r"(?:'s|’s)?\s+(?:Entity List|entity list|trade blacklist|blacklist)\b")


def _passive_listing(
    text: str, org_hits: list[tuple[int, int, Organisation]]
) -> tuple[re.Match[str], Organisation] | None:
    for m in PASSIVE_LISTING_RE.finditer(text):
        owner = next(
            (org for begin, end, org in org_hits if begin == m.end() and _OWNED_LIST_RE.match(text, end)),
            None,
        )
        if owner is not None:
            return m, owner
    return None


def _passive_action(
    sentence: Sentence, org_hits: list[tuple[int, int, Organisation]]
) -> ClaimCandidate | None:
    """A policy action in the passive voice with a known agent: "X was banned by Y"; or a listing on
    a list named for its owner: "X and Y were placed on the US Entity List" (the US lists them)."""
    text = sentence.text
    if _hedged(text.lower()):
        return None
    m = PASSIVE_ACTION_RE.search(text)
    if m is None:
        listing = _passive_listing(text, org_hits)
        if listing is None:
            return None
        m, owner = listing
        subject = re.split(r"[;:]\s+|,\s+(?=[a-z])", text[: m.start()])[-1].split()[-12:]
        return _action_candidate(sentence, owner.name, owner.key, "list", " ".join(subject))
    agent = next((org for begin, _end, org in org_hits if begin == m.end()), None)
    if agent is None:
        return None
    subject = re.split(r"[;:,]\s+", text[: m.start()])[-1].split()[-12:]
    verb = m.group("verb").split()[0]
    code = PASSIVE_CODES.get(verb, "list")
    return _action_candidate(sentence, agent.name, agent.key, code, " ".join(subject))


# "Providers must label generated content": an obligation a rule puts on those it regulates.
OBLIGATION_RE = re.compile(r"\b(?:must|shall|(?:is|are) required to|will be required to)\s+(?!be able\b)")
REGULATED_PARTIES = frozenset(
    "provider developer company firm service operator platform content model exporter importer buyer "
    "manufacturer deployer app chipmaker business organization organisation supplier user".split()
)


# "NIST is directed to develop standards", "The Commerce Department is also tasked with guidance":
# a rule handing a named body a task is an obligation on that body.
DIRECTIVE_RE = re.compile(rf"\b(?:is|are|was|were)\s+(?:also\s+)?(?:{DIRECTED})\s+(?:to|with)\s+")
# The same task given in the active voice: "The order tells NIST to write standards", "It also
# directs the Commerce Department to ...": the rule (or "it") tasks a named body.
ACTIVE_DIRECTIVE_RE = re.compile(
    r"\b(?:(?:[Tt]he|[Ii]ts|[Tt]his)\s+(?:[\w-]+\s+){0,2}?(?:order|rule|rules|law|measures|directive|decree)|It)\s+"
    r"(?:also\s+)?(?:tell|direct|instruct|order|ask|charge|task)s?\s+(?P<body>(?:the\s+)?[A-Z][^,;:]{1,80}?)\s+"
    r"(?:to\s+(?=[a-z])|with\s+)"
)
# "Japan and the Netherlands are exempt from those provisions": a rule sparing a named party.
EXEMPTION_RE = re.compile(
    r"\b(?:is|are|was|were|will be|would be)\s+(?:also\s+)?(?:exempt|exempted)\s+from\b"
)
_CLAUSE_SPLIT_RE = re.compile(r"[;:]\s+|,\s+(?:and|but)\s+")


def _names_its_subject(text: str, pos: int, org_hits: Iterable[tuple[int, int, Organisation]]) -> bool:
    """A known organisation or country is in the subject of the clause ending at `pos` (not
    after a preposition: "exporters to China" are not China)."""
    offset = pos - len(_CLAUSE_SPLIT_RE.split(text[:pos])[-1])
    return any(
        offset <= begin and end <= pos and not OBJECT_PREPOSITION_RE.search(text[offset:begin])
        for begin, end, _org in org_hits
    )


def _obligation(
    sentence: Sentence,
    previous: tuple[str, str] = ("", ""),
    org_hits: list[tuple[int, int, Organisation]] = (),
) -> ClaimCandidate | None:
    """What a rule requires of or spares those it covers, attributed to the actor of the
    sentence before (the rule's author) when there is one: an obligation on a regulated party
    ("Content must uphold core socialist values"), a task given to a named body ("NIST is
    directed to ..."; `require`) or an exemption of a named party ("Japan and the Netherlands
    are exempt from ..."; `exempt`)."""
    text = sentence.text
    if _hedged(text.lower()):
        return None
    code = "require"
    m = OBLIGATION_RE.search(text)
    named = None
    if m is None:
        named = m = DIRECTIVE_RE.search(text)
    active = None if m is not None else ACTIVE_DIRECTIVE_RE.search(text)
    if active is not None:
        # The body tasked is the subject of the task: "tells NIST to write" is "NIST is told to".
        body_start, body_end = active.span("body")
        if not any(body_start <= begin and end <= body_end for begin, end, _org in org_hits):
            return None  # a known body, as for "is directed to"
        return _rule_candidate(sentence, previous, code, active.group("body"), text[active.end() :])
    if m is None:
        named = m = EXEMPTION_RE.search(text)
        code = "exempt"
    if m is None or (named is not None and not _names_its_subject(text, m.start(), org_hits)):
        return None
    subject = _CLAUSE_SPLIT_RE.split(text[: m.start()])[-1]
    head = [lemma(w) for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", subject)[:3]]
    if named is None and (not head or not any(w in REGULATED_PARTIES for w in head)):
        return None
    return _rule_candidate(sentence, previous, code, subject, text[m.end() :])


def _rule_candidate(
    sentence: Sentence, author: tuple[str, str], code: str, subject: str, rest: str
) -> ClaimCandidate | None:
    """A rule's `code` action on `subject`, by its `author`: the object is what follows the verb
    (`rest`) up to the end of its clause, at most 16 words."""
    object_text = " ".join(re.split(r"[;:.!?]|,\s+(?:and|but)\s+", rest, maxsplit=1)[0].split()[:16])
    actor, key = author
    return _action_candidate(sentence, actor, key, code, f"{subject.strip()} {object_text}")


# "The measures take effect on Aug. 15", "China's rules come into force on Tuesday": when a rule
# starts to bind is a checkable claim, the rule's author's (present or future tense only: "took
# effect" mostly recalls an earlier step, "which took effect" is background).
IN_FORCE_RE = re.compile(
    r"\b(?:takes?|will take|comes?|will come|enters?|will enter)\s+(?:effect|into force)\s+(?:on\s+)?"
    r"(?P<date>" + START_DATE + r")\b",
    re.I,
)
RULE_NOUN_RE = re.compile(
    r"\b(?:measures?|rules?|regulations?|law|act|order|ban|controls|requirements|provisions|framework|"
    r"code|directive|restrictions|guidelines|notice)\b",
    re.I,
)
_SUBORDINATE_RE = re.compile(r"\b(?:after|before|when|once|until|since|which|that|who|if|as|unless)\b", re.I)


def _entry_into_force(
    sentence: Sentence,
    action: ClaimCandidate | None,
    previous: tuple[str, str],
    org_hits: list[tuple[int, int, Organisation]],
) -> ClaimCandidate | None:
    """The date a rule takes effect, as an `in_force` action of the rule's author: the actor of
    the sentence's other action ("were issued by the CAC ..., and take effect on Aug. 15"), an
    organisation in the rule's name ("China's Interim Measures come into force"), or, for "They"
    or "The rules", the previous sentence's actor. None in a subordinate clause ("before most
    of its requirements take effect") or when nothing says whose rule it is."""
    text = sentence.text
    m = IN_FORCE_RE.search(text)
    if m is None or _hedged(text.lower()):
        return None
    clause = re.split(r"[,;:]\s+", text[: m.start()])[-1]
    if _SUBORDINATE_RE.search(clause):
        return None
    subject = text[: m.start()]
    pronoun = re.match(
        r"(?:They|It|The (?:new |final )?(?:measures|rules|regulations|law|ban|controls))\b", text
    )
    if not pronoun and not RULE_NOUN_RE.search(subject):
        return None
    actor, key = "", ""
    if action is not None and action.attributed_key:
        actor, key = action.attributed_to_name, action.attributed_key
    if not actor:
        named = [
            org
            for begin, _end, org in org_hits
            if begin < m.start() and not OBJECT_PREPOSITION_RE.search(text[:begin])
        ]
        if named:
            actor, key = named[0].name, named[0].key
    if not actor and pronoun:
        actor, key = previous
    if not actor:
        return None
    # The rule's own words before any verb, so "The Interim Measures ... were issued" and "They"
    # share the object word "force".
    rule = re.split(
        r"\s+(?:were|was|are|is|have|has|will|would|take|takes|come|comes|enter|enters)\b", subject
    )[0]
    rule = "" if pronoun and pronoun.group(0) in ("They", "It") else rule
    return _action_candidate(sentence, actor, key, "in_force", f"force {rule}".strip())


QUOTE_AFTER_RE = re.compile(
    r"[“\"](?P<q>[^”\"]{15,})[”\"],?\s+(?:(?P<verb1>said|says|stated|added|commented|noted|explained|wrote|warned|argued|told \w+)\s+(?P<who1>[^,.;“”\"]+)|"
    r"(?P<who2>[^,.;“”\"]{2,60}?)\s+(?:said|says|stated|added|commented|noted|explained|wrote|warned|argued|began|concluded|continued))"
)
QUOTE_BEFORE_RE = re.compile(
    r"(?P<who>[A-Z][^,.;“”\"]{1,60}?)\s+(?:said|says|stated|added|wrote|warned|argued)(?: that)?[:,]?\s+[“\"](?P<q>[^”\"]{15,})[”\"]"
)
# A role after a name, up to its closing comma: "the port director", "chief executive of Harbor".
ROLE_APPOSITIVE = r"(?:the|a|an|its|their|[a-z][a-z-]+)\s[^,;“”\"]{1,70}"
# Verbs of judgement: "described the package as the strongest", "hailed the agreement as historic".
JUDGEMENT_VERBS = r"called|described|hailed|critici[sz]ed|welcomed|praised|condemned|blasted|slammed"
AUDIENCE = r"(?:reporters|journalists|investors|analysts|lawmakers|staff|employees|customers|the press)"
STATEMENT_RE = re.compile(
    rf"(?P<who>(?:(?:[Aa]n?|[Tt]he)\s+)?(?:{NAME}\s+)?(?:{SPOKESPERSON}s?|officials?|ministry|department|commission)|{NAME})"
    # A role set off by commas after a name: "Maria Lopez, the port director, said". It starts
    # lower-case, so a list of names ("Nvidia, AMD and Intel said") is never read as one.
    rf"(?:,\s+{ROLE_APPOSITIVE},)?"
    r"\s+(?:(?:has|have|had)\s+)?(?:(?:also|since|now|later)\s+)?"
    rf"(?P<verb>said|says|stated|warned|argued|announced|confirmed|made (?:it )?clear|"
    rf"(?:told|confirmed to) (?:{NAME}|{AUDIENCE})|"
    rf"(?:was|were) quoted as saying|{JUDGEMENT_VERBS})(?!\s+by\b)"
    r"(?:\s+(?:in a statement|on \w+|in \w+))?(?:\s+that)?\s+(?P<content>[^“”\"]{20,})"
)
# "..., calling the agreement historic": a judgement added to what the speaker did.
JUDGEMENT_PARTICIPLE_RE = re.compile(
    rf"(?P<who>{NAME})\s+(?:wrote|said|posted|spoke|reacted)\b[^,;]{{0,80}},\s+(?:calling|describing|hailing)\s+"
    r"(?P<content>[^“”\"]{10,})"
)
# A person by given name and surname speaking ("Kwame Mensah said", "Maria Lopez, the port director,
# said"), whether or not a claim was read from the sentence.
NAMED_SPEAKER_RE = re.compile(
    r"\b(?P<name>[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+)+)(?:,[^,]{1,80},)?\s+(?:also\s+)?"
    r"(?:said|says|told|added|argued|warned|wrote)\b"
)


# The last word of a body's name, never of a person's ("the Port Authority said"): no "She said" for it.
BODY_WORDS = frozenset(
    "authority ministry department agency commission council bureau office administration government "
    "company group association institute parliament committee board court union federation".split()
)


def _other_person_speaks(text: str, org_hits: Iterable[tuple[int, int, Organisation]], person: str) -> bool:
    """Whether the sentence has someone other than `person` (by surname) speaking, named in full;
    organisations named are not persons."""
    surname = person.split()[-1].lower()
    for m in NAMED_SPEAKER_RE.finditer(text):
        begin, end = m.span("name")
        if any(hit_begin < end and begin < hit_end for hit_begin, hit_end, _org in org_hits):
            continue
        last = m.group("name").split()[-1].lower()
        if last != surname and last not in BODY_WORDS:
            return True
    return False


# A speaker named earlier: "He argued that ...", "Its global affairs chief said ...".
PRONOUN_SPEAKER_RE = re.compile(
    r"^(?:(?P<person>He|She)|(?P<org>Its|Their|The company['’]s|The firm['’]s|"
    rf"(?:A|The)\s+(?P<description>{_DESCRIPTION}))\s+(?:[a-z-]+\s+){{0,4}}?"
    r"(?:chief|officer|head|president|spokes(?:person|woman|man)|executive|director|minister|secretary))"
    rf"\s+(?:also\s+)?(?P<verb>said|says|argued|warned|wrote|added|{JUDGEMENT_VERBS})"
    r"(?:\s+(?:on|in) \w+)?(?:\s+that)?\s+(?P<content>[^“”\"]{20,})"
)


def _describes(description: str, name: str, key: str) -> bool:
    """Whether "the ministry" (or "the company", ...) can stand for this actor: its name says
    so ("Ministry of Commerce"), or it is an organisation and the description is a company."""
    if description.lower() in name.lower():
        return True
    return description.lower() in ("company", "firm", "group", "chipmaker", "lab") and not key.startswith(
        ("jurisdiction:", "name:")
    )


def _speaker(raw: str, orgs: OrganisationIndex, org_hits_text: str) -> tuple[str, str]:
    """A named speaker from the words around a quote; ("", "") when none is named."""
    raw = raw.strip()
    who = raw.split(",")[0].strip()
    who = re.sub(r"^(?:[Aa]n?|[Tt]he)\s+", "", who)
    known = [hit for hit in orgs.find(who) if not OBJECT_PREPOSITION_RE.search(who[: hit[0]])]
    if known:
        org = known[0][2]
        role = re.search(rf"\b(?:{SPOKESPERSON})s?\b", who)
        return (org.name + (f" {role.group(0)}" if role else ""), org.key)
    if re.search(rf"\b(?:{SPOKESPERSON}s?|officials?)$", who):
        if len(who.split()) < 2:
            return "", ""  # "the official said": who it is was named earlier, if at all
        return who, "name:" + name_key(who)
    # "analyst Dana Whitfield": a lower-case role before the name.
    role = re.match(rf"^(?:[a-z][\w-]*\s+){{1,3}}(?P<name>{NAME})$", who)
    if role:
        who = role.group("name")
    name_m = re.match(rf"{NAME}", who)
    if name_m and name_m.group(0) == who and is_plausible_name(who) and len(who.split()) <= 6:
        if PERSONISH.match(who) or re.search(r"\s[A-Z][a-z]+\s[A-Z][a-z]+$", who):
            # A person: "Commerce Secretary Gina Raimondo" and later "Raimondo" are one speaker.
            return who, person_key(who)
        return who, "name:" + name_key(who)
    return "", ""


# The cheap screen of _quote: a quotation mark or a verb of its patterns, the verbs of judgement
# taken from JUDGEMENT_VERBS so that the screen and the patterns cannot disagree.
_MAY_QUOTE_RE = re.compile(
    r"[“\"]|\b(?:said|says|saying|stated|warned|argued|announced|confirmed|told|wrote|clear|"
    + JUDGEMENT_VERBS
    + r")\b"
)


def _quote(
    sentence: Sentence,
    orgs: OrganisationIndex,
    person: tuple[str, str] = ("", ""),
    actor: tuple[str, str] = ("", ""),
) -> ClaimCandidate | None:
    """A quote or attributed statement with a named speaker. `person` and `actor`: the last
    person quoted and the last organisation acting, for "He argued ..." and "Its chief said ..."."""
    text = sentence.text
    if not _MAY_QUOTE_RE.search(text):
        return None
    speaker = key = content = ""
    judgement = False
    m = QUOTE_AFTER_RE.search(text)
    if m:
        content = m.group("q")
        speaker, key = _speaker(m.group("who1") or m.group("who2") or "", orgs, text)
    if not speaker:
        m = QUOTE_BEFORE_RE.search(text)
        if m:
            content = m.group("q")
            speaker, key = _speaker(m.group("who"), orgs, text)
    if not speaker:
        m = STATEMENT_RE.search(text)
        # "Analysts in Shanghai said": the place is not the speaker.
        if m and OBJECT_PREPOSITION_RE.search(text[: m.start("who")]):
            m = None
        if m and _quote_depth(text[: m.start()]) % 2 == 0:
            speaker, key = _speaker(m.group("who"), orgs, text)
            content = m.group("content")
            judgement = bool(re.fullmatch(JUDGEMENT_VERBS, m.group("verb")))
            # Outlets "say" things about others' reports; that is a citation, not a statement.
            if speaker and looks_like_outlet(speaker) and not orgs.find(speaker):
                speaker = ""
    if not speaker:
        m = JUDGEMENT_PARTICIPLE_RE.search(text)
        if m and _quote_depth(text[: m.start()]) % 2 == 0:
            speaker, key = _speaker(m.group("who"), orgs, text)
            content, judgement = m.group("content"), True
    if not speaker:
        m = PRONOUN_SPEAKER_RE.match(text)
        if m:
            speaker, key = person if m.group("person") else actor
            description = m.group("description")
            if description and not _describes(description, speaker, key):
                speaker = key = ""  # "A ministry spokesperson" after a company acted: someone else
            content = m.group("content")
            judgement = bool(re.fullmatch(JUDGEMENT_VERBS, m.group("verb")))
    if not speaker or not content:
        return None
    words = content_words(content)
    # A judgement says much in few words ("hailed the agreement as historic").
    if len(words) < (2 if judgement else 3):
        return None
    kind = "forecast" if FORECAST_RE.search(content) else "quote"
    keywords = sorted(words, key=lambda w: (-len(w), w))[:FINGERPRINT_QUOTE_WORDS]
    # Figures are no words: "fees rise 5%" and "fees rise 10%" must not share a fingerprint.
    figures = sorted(f"{q.unit}:{_decimal_key(q.value)}" for q in find_quantities(content))
    return ClaimCandidate(
        kind=kind,
        text=text,
        sentence_index=sentence.index,
        paragraph=sentence.paragraph,
        fingerprint=fingerprint_for(kind, speaker=key, words=" ".join([*sorted(keywords), *figures])),
        content=content_words(text),
        attributed_to_name=speaker,
        attributed_key=key,
    )


def _statistics(sentence: Sentence, quantities: list[Quantity]) -> list[ClaimCandidate]:
    claims = []
    # One figure per unit per sentence: "29 signatories: 28 countries" is one claim, not two;
    # "35 million euros or 7%" keeps both.
    first_per_unit: dict[str, Quantity] = {}
    for quantity in quantities:
        first_per_unit.setdefault(quantity.unit, quantity)
    for quantity in list(first_per_unit.values())[:2]:
        fingerprint = fingerprint_for(
            "statistic", unit=quantity.unit, value=_decimal_key(quantity.value), measure=quantity.measure_key
        )
        claims.append(
            ClaimCandidate(
                kind="statistic",
                text=sentence.text,
                sentence_index=sentence.index,
                paragraph=sentence.paragraph,
                fingerprint=fingerprint,
                content=content_words(sentence.text),
                quantity=quantity,
                reported_text=quantity.text[:200],
                measure=quantity.measure[:200],
            )
        )
    return claims


REFERS_TO_REPORT_RE = re.compile(
    r"\b(?:the|that|this) (?:report|publication|outlet|newspaper|paper|white paper|study|survey|story)\b|"
    r"\baccording to (?:the|that) (?:report|publication|outlet|newspaper)",
    re.I,
)


def _score(candidate: ClaimCandidate) -> float:
    base = {"policy_action": 3.0, "statistic": 3.0, "quote": 2.0, "forecast": 1.5}[candidate.kind]
    if candidate.attributed_key and not candidate.attributed_key.startswith("name:"):
        base += 1.0
    if candidate.effective:
        base += 0.5
    if candidate.cited_name or candidate.stance == "cites":
        base += 0.5
    if candidate.quantity is not None and candidate.quantity.value is None:
        base -= 0.5  # "several companies": only useful beside a precise figure
    words = len(candidate.text.split())
    if words > 45:
        base -= 1.0
    return base


# "Analysts said ...": opinion from unnamed voices is not a checkable claim.
UNNAMED_VOICES_RE = re.compile(
    r"^(?:(?:Some|Many|Other|Several|Industry|Most)\s+)?(?:analysts|experts|critics|observers|commentators|"
    r"insiders|industry insiders|people familiar[^,.]*|sources|insiders)\b[^.]{0,40}?\b"
    r"(?:said|say|says|argue|argued|believe|believed|noted|note|warned|warn|expect|expected)\b",
    re.I,
)
# Headings and captions ("Three weaknesses", "What changed") are short and unpunctuated.
HEADING_MAX_WORDS = 8


def _is_heading(text: str) -> bool:
    return len(text.split()) <= HEADING_MAX_WORDS and not re.search(r"[.!?\"”’)]$", text.strip())


# "While OpenAI restricts ..., Microsoft's customers can still ...": the clause sets the scene;
# a report cited in the sentence speaks for the main clause, not for it.
CONCESSIVE_CLAUSE_RE = re.compile(r"\b(?:[Ww]hile|[Aa]lthough|[Tt]hough|[Ww]hereas|[Ee]ven as)\b[^,;]*")


def _in_concessive_clause(
    text: str, key: str, org_hits: list[tuple[int, int, Organisation]], cited_name: str
) -> bool:
    """The actor `key` acts inside a concessive clause that does not name the cited source."""
    for m in CONCESSIVE_CLAUSE_RE.finditer(text):
        if fold(cited_name) in fold(m.group(0)):
            continue
        if any(org.key == key and m.start() <= start and end <= m.end() for start, end, org in org_hits):
            return True
    return False


_STATEMENT_FIRST_RE = re.compile(r"^(?:In|in) (?:a|an) (?:[\w-]+ )?statement\b")


def _statement_speaker(text: str, orgs: OrganisationIndex, outlet: str) -> str:
    """Whose statement reached the outlet: the organisation named before the outlet ("A Microsoft
    spokesperson confirmed to Pymnts"), or after it when the sentence opens with the statement
    ("In a statement carried by PYMNTS, Microsoft said"). Returns an organisation key or ""."""
    at = fold(text).find(fold(outlet))
    if at < 0:
        return ""
    hits = [hit for hit in orgs.find(text) if fold(hit[2].name) != fold(outlet)]
    before = [hit for hit in hits if hit[1] <= at]
    if before:
        return before[0][2].key
    if _STATEMENT_FIRST_RE.match(text):
        after = [hit for hit in hits if hit[0] > at]
        return after[0][2].key if after else ""
    return ""


def _channels_apply(
    candidates: list[ClaimCandidate], channels: dict[str, FoundCitation]
) -> list[ClaimCandidate]:
    """An organisation's word reached this article through an outlet ("told Reuters", "confirmed
    to Pymnts"): the article's unattributed account of that organisation's actions and statements
    rests on that outlet. The statement given to the outlet, when the article also reports the
    organisation's action it speaks about, is that action's source rather than a claim of its own:
    it becomes the quote of the article's carrier of that action."""
    folded: set[int] = set()
    for candidate in candidates:
        channel = channels.get(candidate.attributed_key)
        if channel is None or candidate.kind == "statistic":
            continue
        if candidate.stance == "asserts" and not candidate.cited_name:
            candidate.stance, candidate.cited_name = "cites", channel.cited_name
            candidate.score = _score(candidate)
        if candidate.kind != "quote" or candidate.sentence_index != channel.sentence_index:
            continue
        actions = [
            c
            for c in candidates
            if c.kind == "policy_action" and c.attributed_key == candidate.attributed_key
        ]
        if len({action.action for action in actions}) != 1:
            continue  # none, or several different actions: which one it speaks about is unclear
        # The article's carrier of the action is quoted by the sentence that says where it came from.
        source_of = actions[0]
        if source_of.stance == "cites" and source_of.cited_name == channel.cited_name:
            source_of.text = candidate.text
        folded.add(id(candidate))
    return [candidate for candidate in candidates if id(candidate) not in folded]


@functools.lru_cache(maxsize=256)
def _index_of(organisations: tuple[Organisation, ...]) -> OrganisationIndex:
    """One index per set of organisations (indexes are read-only): articles of one story name
    the same organisations, and building the index was over a quarter of extraction."""
    return OrganisationIndex(organisations)


def extract(
    text: str, *, organisations: Iterable[Organisation] = (), limit: int = MAX_CLAIMS_PER_ARTICLE
) -> Extraction:
    """Sentences, citations and the best `limit` candidate claims of an article's text."""
    orgs = organisations if isinstance(organisations, OrganisationIndex) else _index_of(tuple(organisations))
    sentences = split_sentences(text)
    citations: list[FoundCitation] = []
    candidates: list[ClaimCandidate] = []
    last_report: FoundCitation | None = None  # the outlet or document "the report" refers back to
    last_actor: tuple[str, str] = ("", "")  # who "it" or "the ministry" stands for
    carried: tuple[str, str] = ("", "")  # the last actor of an earlier paragraph
    last_person: tuple[str, str] = ("", "")  # the last person quoted, for "He said"
    paragraph_outlet: FoundCitation | None = None  # an outlet an earlier sentence of the paragraph cited
    paragraph = -1
    channels: dict[str, FoundCitation] = {}  # organisation key -> the outlet it spoke through
    for sentence in sentences:
        if sentence.paragraph != paragraph:
            carried = last_actor if last_actor[0] else carried
            paragraph, last_actor, paragraph_outlet = sentence.paragraph, ("", ""), None
        # "The company ..." or "The authority ..." before the paragraph has named an actor of its
        # own refers back to the previous paragraph's.
        if not last_actor[0] and carried[0] and DEFINITE_SUBJECT_RE.match(sentence.text):
            last_actor = carried
        sentence_citations = find_citations(sentence, orgs)
        citations.extend(sentence_citations)
        outlet_citations = [c for c in sentence_citations if c.via_outlet]
        for statement in outlet_citations:
            if statement.kind == "statement":
                speaker = _statement_speaker(sentence.text, orgs, statement.cited_name)
                if speaker:
                    channels.setdefault(speaker, statement)
        document_citations = [c for c in sentence_citations if c.kind == "document"]
        if (
            len(sentence.text.split()) > MAX_SENTENCE_WORDS
            or sentence.text.endswith("?")
            or _is_heading(sentence.text)
            or UNNAMED_VOICES_RE.match(sentence.text)
        ):
            if outlet_citations or document_citations:
                last_report = (outlet_citations or document_citations)[0]
            if outlet_citations:
                paragraph_outlet = outlet_citations[0]
            continue
        org_hits = orgs.find(sentence.text)
        found: list[ClaimCandidate] = []
        action = (
            _policy_action(sentence, orgs, org_hits, last_actor, last_actor if last_actor[0] else carried)
            or _passive_action(sentence, org_hits)
            or _obligation(sentence, last_actor, org_hits)
        )
        if action is not None:
            found.append(action)
        in_force = _entry_into_force(sentence, action, last_actor, org_hits)
        if in_force is not None:
            found.append(in_force)
        found.extend(_statistics(sentence, find_quantities(sentence.text)))
        if action is None:
            quote = _quote(sentence, orgs, last_person, last_actor)
            if quote is not None:
                found.append(quote)

        cited: FoundCitation | None = None
        from_paragraph = False
        if outlet_citations:
            cited = outlet_citations[0]
        elif last_report is not None and REFERS_TO_REPORT_RE.search(sentence.text):
            cited = last_report
        elif paragraph_outlet is not None and not sentence_citations:
            # The paragraph already said where its information comes from ("according to
            # Reuters"); an unattributed sentence after it rests on the same report.
            cited, from_paragraph = paragraph_outlet, True
        disputes = bool(DISPUTE_RE.search(sentence.text.lower()))
        attribution = (outlet_citations or document_citations or [None])[0]
        if (
            cited is None
            and attribution is None
            and last_report is not None
            and REFERS_TO_REPORT_RE.search(sentence.text)
        ):
            attribution = last_report
        about_keys = tuple(dict.fromkeys(hit[2].key for hit in org_hits))
        for candidate in found:
            candidate.about_keys = about_keys
            if from_paragraph and candidate.kind in ("quote", "forecast"):
                candidate.score = _score(candidate)
                continue  # a named speaker is its own source, whatever the paragraph cited before
            background = (
                cited is not None
                and candidate.kind == "policy_action"
                and _in_concessive_clause(sentence.text, candidate.attributed_key, org_hits, cited.cited_name)
            )
            candidate.attributions = (
                () if background else tuple(dict.fromkeys(c.cited_name for c in sentence_citations))
            )
            if disputes:
                candidate.stance = "disputes"
            elif cited is not None and cited.via_outlet and not background:
                candidate.stance = "cites"
            if cited is not None and not background:
                candidate.cited_name = cited.cited_name
            if not candidate.attributed_to_name:
                source = cited or attribution
                if source is not None:
                    known = orgs.lookup(source.cited_name)
                    candidate.attributed_to_name = known.name if known else source.cited_name
                    candidate.attributed_key = known.key if known else "name:" + name_key(source.cited_name)
            candidate.score = _score(candidate)
        candidates.extend(found)
        if outlet_citations:
            paragraph_outlet = outlet_citations[0]
        speakers = [
            (c.attributed_to_name, c.attributed_key)
            for c in found
            if c.kind != "statistic" and c.attributed_key
        ]
        for name, key in speakers:
            if (
                key.startswith("name:")
                and re.fullmatch(r"(?:[A-Z][\w’'-]+\s+)*[A-Z][a-z’'-]+", name)
                and name.split()[-1].lower() not in BODY_WORDS
            ):
                last_person = (name, key)
        if last_person[0] and _other_person_speaks(sentence.text, org_hits, last_person[0]):
            # "..., while Kwame Mensah said ...", "Maria Lopez, the port director, said ...": another
            # person spoke since, so "She said" no longer says who.
            last_person = ("", "")
        if speakers:
            last_actor = speakers[0]
        elif org_hits and org_hits[0][0] <= 1:
            last_actor = (org_hits[0][2].name, org_hits[0][2].key)  # the sentence opens with its subject
        if outlet_citations or document_citations:
            last_report = (outlet_citations or document_citations)[0]

    candidates = _channels_apply(candidates, channels)
    # One claim per fingerprint per article: the first sentence that says it is the quote; when
    # a later one names where it came from, the article cites that.
    unique: dict[str, ClaimCandidate] = {}
    for candidate in candidates:
        first = unique.setdefault(candidate.fingerprint, candidate)
        if first is not candidate and first.stance == "asserts" and candidate.stance == "cites":
            first.stance, first.cited_name = candidate.stance, candidate.cited_name
    best = sorted(unique.values(), key=lambda c: (-c.score, c.sentence_index))[:limit]
    best.sort(key=lambda c: (c.sentence_index, c.kind))
    return Extraction(sentences=sentences, citations=citations, claims=best)


def effective_key(text: str) -> str:
    """When the sentence says an action takes effect, as "7-9" (month-day), "immediately" or
    "weekday:tuesday" (a day named relative to the publication date); "" when it does not say."""
    m = EFFECTIVE_RE.search(text)
    if not m:
        return "immediately" if EFFECTIVE_IMMEDIATELY_RE.search(text) else ""
    when = fold(m.group("date"))
    if when == "immediately":
        return when
    named = [day for day in WEEKDAYS if day in when.split()]
    if named:
        return f"weekday:{named[0]}"
    words = re.findall(r"[a-z]+|\d+", when)
    month = next((w for w in words if w in MONTHS), "")
    day = next((w for w in words if w.isdigit() and len(w) <= 2), "")
    if not month or not day:
        return ""  # a month or year alone is too loose to match on
    # MONTHS holds the twelve full names first; a short form ("sept") begins its month's name.
    number = next(n for n, full in enumerate(MONTHS[:12], 1) if full.startswith(month))
    return f"{number}-{int(day)}"


def effective_date(key: str, year: int) -> date | None:
    """The day a start key (see effective_key) names in `year`; None for a key naming no date
    ("immediately", a weekday, "") and for a day the year lacks (29 February)."""
    if not re.fullmatch(r"\d{1,2}-\d{1,2}", key):
        return None
    month, day = (int(part) for part in key.split("-"))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def effective_start(text: str, published: date) -> date | None:
    """The day the start a sentence names (see effective_key) falls on, read from the day it
    was published: a year the sentence writes wins; otherwise the publication year's date, or
    the next year's when that is nearer ("from January 6" in a story of 20 December). The year
    before is not tried: a start sentence mostly looks ahead, and "from 2 August" in a story of
    15 January is that year's August. None when it names no date."""
    key = effective_key(text)
    m = EFFECTIVE_RE.search(text)
    written = re.search(r"\b(\d{4})\b", m.group("date")) if m else None
    if written:
        return effective_date(key, int(written.group(1)))
    days = [
        day for year in (published.year, published.year + 1) if (day := effective_date(key, year)) is not None
    ]
    return min(days, key=lambda day: abs(day - published), default=None)


def effective_days(key: str, published: date | None) -> set[str]:
    """The month-days a start key (see effective_key) can mean: itself for a date; for a weekday,
    that weekday in the week before or after publication (unknown without a publication date)."""
    if not key.startswith("weekday:"):
        return {key} if key else set()
    if published is None:
        return set()
    weekday = WEEKDAYS.index(key.split(":", 1)[1])
    days = (published + timedelta(days=offset) for offset in range(-6, 7))
    return {f"{day.month}-{day.day}" for day in days if day.weekday() == weekday}


def qualifier_of(reported_text: str) -> str:
    """The qualifier a figure was written with ("more than a hundred" -> "more than"), or ""."""
    low = fold(reported_text)
    for qualifier in sorted([*QUALIFIERS, *VAGUE_COUNTS], key=len, reverse=True):
        if low.startswith(qualifier + " "):
            return qualifier
    return ""
