"""Everything that came from an outlet is shown through an allow-list sanitiser."""

from __future__ import annotations

import html

import nh3

# Tags an article summary or text may keep: structure and emphasis, no media, no forms, no scripts.
ALLOWED_TAGS = {"p", "br", "em", "strong", "b", "i", "blockquote", "ul", "ol", "li", "a", "mark", "q", "cite"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(value: str) -> str:
    """Allow-listed HTML; links get rel="noopener noreferrer" (nh3's link_rel)."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def clean_text(value: str) -> str:
    """Plain text: every tag dropped (for feed titles and JSON where markup makes no sense)."""
    return html.unescape(nh3.clean(value or "", tags=set(), attributes={}))
