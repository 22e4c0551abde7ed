"""Small text helpers shared by the parsers: HTML fragments to plain text, dates, languages."""

from __future__ import annotations

import html
import re
import time
import warnings
from datetime import UTC, datetime, timedelta

import lxml.html
from dateutil import parser as date_parser
from lxml import etree

# Elements after which a reader sees a paragraph break.
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "hr",
        "dd",
        "dt",
        "dl",
        "aside",
        "nav",
        "main",
        "address",
    ]
)
_DROP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_MANY_BREAKS = re.compile(r"\n\s*\n+")
# Dates before the web existed or far in the future are typos or placeholders, not publication dates.
EARLIEST_YEAR = 1990
FUTURE_SLACK = timedelta(days=2)
# Zone abbreviations dateutil does not know; ambiguous ones (IST, CST in China) are left out.
_TZ_ABBREVIATIONS = {
    name: hours * 3600
    for name, hours in {
        "UTC": 0,
        "GMT": 0,
        "Z": 0,
        "EST": -5,
        "EDT": -4,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
        "BST": 1,
        "CET": 1,
        "CEST": 2,
        "EET": 2,
        "EEST": 3,
        "JST": 9,
        "KST": 9,
        "HKT": 8,
        "SGT": 8,
        "AEST": 10,
        "AEDT": 11,
    }.items()
}
# "UTC-05:00" means five hours behind UTC; dateutil reads "UTC-5" the POSIX way (inverted).
_NAMED_OFFSET = re.compile(r"\b(?:UTC|GMT)\s*(?=[+-]\d)")
_HAS_YEAR = re.compile(r"\b(19|20)\d\d\b")


def collapse_whitespace(text: str) -> str:
    """Single spaces inside lines, blank lines between paragraphs, no edge whitespace."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    joined = "\n".join(lines)
    return _MANY_BREAKS.sub("\n\n", joined).strip()


def html_to_text(markup: str | None) -> str:
    """Plain text of an HTML fragment (feed summary, content:encoded), paragraphs kept."""
    if not markup:
        return ""
    if "<" not in markup:
        return collapse_whitespace(html.unescape(markup))
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return collapse_whitespace(html.unescape(re.sub(r"<[^>]*>", " ", markup)))
    parts: list[str] = []
    _walk(root, parts)
    return collapse_whitespace("".join(parts))


def _walk(element: etree._Element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _DROP_TAGS:
        if element.tail:
            parts.append(element.tail)
        return
    block = tag in _BLOCK_TAGS
    if block:
        parts.append("\n\n")
    if element.text and tag:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
    if block:
        parts.append("\n\n")
    if element.tail:
        parts.append(element.tail)


def to_utc(value: datetime) -> datetime:
    """Aware datetime in UTC; naive values are taken to be UTC already."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_datetime(value: object) -> datetime | None:
    """A timezone-aware UTC datetime from the many shapes publishers use, or None.

    Accepts ISO 8601 / RFC 3339, RFC 822 dates, "July 10, 2024", datetime objects and
    time.struct_time (feedparser). Implausible years are rejected rather than stored.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, time.struct_time):
        parsed = datetime(*value[:6], tzinfo=UTC)
    elif isinstance(value, str):
        text = value.strip()
        if not text or len(text) > 80:
            return None
        try:
            parsed = date_parser.isoparse(text)
        except (ValueError, OverflowError):
            if not _HAS_YEAR.search(text):  # "Tuesday" alone would silently become this week
                return None
            try:
                with warnings.catch_warnings():
                    # An unknown zone name leaves the time naive; it is then read as UTC below.
                    warnings.simplefilter("ignore", date_parser.UnknownTimezoneWarning)
                    parsed = date_parser.parse(_NAMED_OFFSET.sub("", text), tzinfos=_TZ_ABBREVIATIONS)
            except (ValueError, OverflowError, TypeError):
                return None
    else:
        return None
    parsed = to_utc(parsed)
    if parsed.year < EARLIEST_YEAR or parsed > datetime.now(UTC) + FUTURE_SLACK:
        return None
    return parsed


def normalise_language(tag: str | None) -> str:
    """Primary language subtag, lower-case: 'en-US' -> 'en', 'zh_Hans_CN' -> 'zh'."""
    if not tag:
        return ""
    primary = re.split(r"[-_\s]", tag.strip(), maxsplit=1)[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else ""
