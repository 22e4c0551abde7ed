"""Everything that came from an outlet is shown through an allow-list sanitiser."""

from __future__ import annotations

import html

import nh3

# Tags an article summary or text may keep: structure and emphasis, no media, no forms, no scripts.
ALLOWED_TAGS = {"p", "br", "em", "strong", "b", "i", "blockquote", "ul", "ol", "li", "a", "mark", "q", "cite"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def cleaner(tags: set[str]) -> nh3.Cleaner:
    """A sanitiser that keeps only `tags`, with no attributes (built once by the caller)."""
    return nh3.Cleaner(tags=tags, attributes={})


# Built once: nh3.clean() builds a new sanitiser from its arguments on every call, which cost more
# than the cleaning for the short strings of a feed (50 entries, several strings each) or a search
# page (160 highlights). A Cleaner holds no per-call state, so threads can share it.
_HTML = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
)
_TEXT = cleaner(set())


def clean_html(value: str) -> str:
    """Allow-listed HTML; links get rel="noopener noreferrer"."""
    return _HTML.clean(value or "")


def clean_text(value: str) -> str:
    """Plain text: every tag dropped (for feed titles and JSON where markup makes no sense)."""
    return html.unescape(_TEXT.clean(value or ""))
