"""Sitemaps (<urlset>, including Google News sitemaps) and sitemap indexes."""

from __future__ import annotations

from lxml import etree

from scrapers.detect import xml_root_name
from scrapers.errors import InvalidURLError, ParseError
from scrapers.text import collapse_whitespace, normalise_language, parse_datetime
from scrapers.types import FeedEntry, InputKind, ParsedFeed
from scrapers.urls import canonicalize_url
from scrapers.xmlsafe import gunzip_capped, safe_xml_parser, screen_xml


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child_text(element: etree._Element, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return collapse_whitespace(child.text or "")
    return ""


def _find(element: etree._Element, name: str) -> etree._Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _parse_tree(content: bytes, url: str) -> etree._Element:
    try:
        return etree.fromstring(content, safe_xml_parser())
    except etree.XMLSyntaxError as strict_error:
        root = etree.fromstring(content, safe_xml_parser(recover=True))
        if root is None:
            raise ParseError(f"the sitemap is not well-formed XML: {strict_error}", url=url or None) from None
        return root


def parse_sitemap(content: bytes, *, url: str = "") -> ParsedFeed:
    """Parse a sitemap or sitemap index (plain or gzipped). Entries are canonicalised URLs.

    Google News extensions fill title, published and language. Entries whose <loc>
    is not an http(s) URL are skipped and reported in `warnings`.
    """
    content = gunzip_capped(content, url=url)
    screen_xml(content, url=url)
    root_name = xml_root_name(content)
    if root_name not in ("urlset", "sitemapindex"):
        raise ParseError(f"not a sitemap: the root element is <{root_name or '?'}>", url=url or None)
    root = _parse_tree(content, url)
    warnings: list[str] = []
    if _local(root.tag) == "sitemapindex":
        children: list[str] = []
        for item in root:
            if _local(item.tag) != "sitemap":
                continue
            loc = _child_text(item, "loc")
            try:
                children.append(canonicalize_url(loc, base=url or None))
            except InvalidURLError as exc:
                warnings.append(f"skipped child sitemap {loc!r}: {exc.message}")
        return ParsedFeed(
            kind=InputKind.SITEMAP_INDEX,
            format="sitemap-index",
            link=url,
            sitemaps=tuple(dict.fromkeys(children)),
            warnings=tuple(warnings),
        )
    entries: list[FeedEntry] = []
    publication = ""
    is_news = False
    for item in root:
        if _local(item.tag) != "url":
            continue
        loc = _child_text(item, "loc")
        try:
            entry_url = canonicalize_url(loc, base=url or None)
        except InvalidURLError as exc:
            warnings.append(f"skipped <url> {loc!r}: {exc.message}")
            continue
        title = ""
        published = None
        language = ""
        news = _find(item, "news")
        if news is not None:
            is_news = True
            title = _child_text(news, "title")
            published = parse_datetime(_child_text(news, "publication_date"))
            pub = _find(news, "publication")
            if pub is not None:
                publication = publication or _child_text(pub, "name")
                language = normalise_language(_child_text(pub, "language"))
        entries.append(
            FeedEntry(
                url=entry_url,
                guid=loc,
                title=title,
                published=published,
                updated=parse_datetime(_child_text(item, "lastmod")),
                language=language,
            )
        )
    return ParsedFeed(
        kind=InputKind.SITEMAP,
        format="news-sitemap" if is_news else "sitemap",
        title=publication,
        link=url,
        language=next((e.language for e in entries if e.language), ""),
        entries=tuple(entries),
        warnings=tuple(warnings),
    )
