"""Guess what a document is from its first bytes, its Content-Type and its URL."""

from __future__ import annotations

import json
import re
import zlib

from scrapers.types import InputKind

# How much of the document the sniffer reads: roots sit after at most a prolog and a DTD.
SNIFF_BYTES = 4096
GZIP_MAGIC = b"\x1f\x8b"
_ROOT = re.compile(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_SKIP = re.compile(r"\s*(<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(\[.*?\])?\s*>)", re.S | re.I)

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_JSON_FEED_TYPES = ("application/feed+json",)
_JSONL_TYPES = (
    "application/x-ndjson",
    "application/jsonl",
    "application/x-jsonlines",
    "application/jsonlines",
)


def _head_text(content: bytes) -> str:
    head = content[:SNIFF_BYTES]
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, "ignore")
    if head[:2] in (b"<\x00", b"\x00<"):  # UTF-16 without BOM
        return head.decode("utf-16-le" if head[0] == 0x3C else "utf-16-be", "ignore")
    return head.decode("utf-8", "ignore")


def xml_root_name(content: bytes) -> str:
    """Local name of the first element, lower-cased ('' when none is found in the head)."""
    text = _head_text(content)
    position = 0
    while True:
        skipped = _SKIP.match(text, position)
        if not skipped:
            break
        position = skipped.end()
    match = _ROOT.search(text, position)
    return match.group(2).lower() if match else ""


def _json_kind(text: str) -> InputKind:
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        return InputKind.UNKNOWN
    first_line = stripped.split("\n", 1)[0].strip()
    if "jsonfeed.org/version" in stripped[:SNIFF_BYTES].replace("\\/", "/"):
        return InputKind.JSON_FEED
    try:
        json.loads(first_line)
    except ValueError:
        return InputKind.UNKNOWN
    # A whole JSON object on the first line followed by more lines: JSON Lines.
    return InputKind.JSONL if "\n" in stripped.rstrip() else InputKind.UNKNOWN


def detect_kind(content: bytes, content_type: str | None = None, url: str = "") -> InputKind:
    """What `content` is: a feed, JSON Feed, sitemap (index), HTML page or JSON Lines archive.

    The bytes win over the Content-Type (servers label feeds text/html and pages
    text/xml); the header and the URL only break ties.
    """
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    path = url.split("?", 1)[0].lower()
    if content.startswith(GZIP_MAGIC):  # gzipped sitemaps (.xml.gz) are common
        try:
            head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(content[: SNIFF_BYTES * 4], SNIFF_BYTES)
        except zlib.error:
            return InputKind.UNKNOWN
        return detect_kind(head, content_type=None, url=url) if head else InputKind.UNKNOWN
    text = _head_text(content).lstrip()
    if text.startswith(("{", "[")):
        kind = _json_kind(text)
        if kind is not InputKind.UNKNOWN:
            return kind
        if media_type in _JSON_FEED_TYPES:
            return InputKind.JSON_FEED
        if media_type in _JSONL_TYPES or path.endswith((".jsonl", ".ndjson")):
            return InputKind.JSONL
        return InputKind.UNKNOWN
    root = xml_root_name(content)
    if root in ("rss", "rdf", "feed", "channel"):
        return InputKind.FEED
    if root == "urlset":
        return InputKind.SITEMAP
    if root == "sitemapindex":
        return InputKind.SITEMAP_INDEX
    if root in ("html", "head", "body") or text[:15].lower().startswith("<!doctype html"):
        return InputKind.HTML
    if media_type in _FEED_TYPES:
        return InputKind.FEED
    if media_type in _JSON_FEED_TYPES:
        return InputKind.JSON_FEED
    if media_type in ("text/html", "application/xhtml+xml") and "<" in text:
        return InputKind.HTML
    return InputKind.UNKNOWN
