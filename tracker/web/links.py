"""Page URLs for list rows without a reverse() per link.

A timeline page links every event, source, company and jurisdiction it shows (about 200 links), and
Django's reverse() costs tens of microseconds each; these build the same strings from a pattern
reversed once per script prefix.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.urls import get_script_prefix, reverse

# What the `slug` path converter accepts; anything else goes through reverse() (and its errors).
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+\Z")
_MARK = "zzslugzz"


@lru_cache(maxsize=32)
def _pattern(name: str, script_prefix: str) -> tuple[str, str]:
    head, tail = reverse(name, kwargs={"slug": _MARK}).split(_MARK)
    return head, tail


def slug_url_builder(name: str):
    """slug_url(name, ·) with the pattern looked up once, for a loop over many rows."""
    head, tail = _pattern(name, get_script_prefix())
    match = SLUG_RE.match

    def build(slug: str) -> str:
        return f"{head}{slug}{tail}" if match(slug) else reverse(name, kwargs={"slug": slug})

    return build


def slug_url(name: str, slug: str) -> str:
    """reverse(name, kwargs={"slug": slug}) for a URL whose only argument is a slug."""
    return slug_url_builder(name)(slug)


@lru_cache(maxsize=32)
def _event_pattern(script_prefix: str) -> tuple[str, str, str]:
    url = reverse("web:event", kwargs={"event_id": 987654321, "slug": _MARK})
    head, rest = url.split("987654321")
    middle, tail = rest.split(_MARK)
    return head, middle, tail


def event_url(event_id: int, slug: str) -> str:
    """The event page: reverse("web:event", ...) with the slug defaulting to "event"."""
    slug = slug or "event"
    if not SLUG_RE.match(slug):
        return reverse("web:event", kwargs={"event_id": event_id, "slug": slug})
    head, middle, tail = _event_pattern(get_script_prefix())
    return f"{head}{int(event_id)}{middle}{slug}{tail}"


@lru_cache(maxsize=32)
def _claim_pattern(script_prefix: str) -> tuple[str, str]:
    head, tail = reverse("web:claim", kwargs={"claim_id": 987654321}).split("987654321")
    return head, tail


def claim_url(claim_id: int) -> str:
    """reverse("web:claim", kwargs={"claim_id": claim_id})."""
    head, tail = _claim_pattern(get_script_prefix())
    return f"{head}{int(claim_id)}{tail}"


@lru_cache(maxsize=64)
def _plain_url(name: str, script_prefix: str) -> str:
    return reverse(name)


def page_url(name: str) -> str:
    """reverse(name) for a URL without arguments (the site header links it on every page)."""
    return _plain_url(name, get_script_prefix())
