"""Article pages: decoding, main text, metadata, paywall signs, and feed discovery.

`extract_article` turns the bytes of one page into an ExtractedArticle. Main text comes
from trafilatura (precision over recall, no comments, tables only when the text is
otherwise empty), with a BeautifulSoup heuristic behind it. Metadata is read from
JSON-LD, meta tags and the visible byline, in that order of trust. Everything that was
guessed or ignored is said in `warnings`, so an editor can see why a field looks odd.
"""

from __future__ import annotations

import codecs
import copy
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import lxml.html
import trafilatura
from bs4 import BeautifulSoup
from lxml import etree

from scrapers.errors import InvalidURLError, ParseError
from scrapers.text import collapse_whitespace, normalise_language, parse_datetime
from scrapers.types import DiscoveredFeed, ExtractedArticle, InputKind
from scrapers.urls import canonicalize_url, registrable_domain, same_site

# --- charset -------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers (WHATWG Encoding) read these labels as windows-1252; so do we.
_AS_CP1252 = frozenset({"latin_1", "iso8859_1", "ascii", "cp1252"})
_SINGLE_BYTE_LATIN = frozenset(
    {"cp1252", "latin_1", "iso8859_1", "iso8859_15", "cp1250", "iso8859_2", "mac_roman", "cp850", "ascii"}
)
# Languages written in windows-1250; a Latin guess for their pages keeps cp1250.
_CENTRAL_EUROPEAN = frozenset({"pl", "cs", "sk", "hu", "sl", "hr", "ro", "bs", "sr"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_HTML_LANG = re.compile(rb"""<html[^>]*\blang\s*=\s*["']?([A-Za-z\-_]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
SNIFF_BYTES = 4096


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    name = name.replace("-", "_")
    return "cp1252" if name in _AS_CP1252 else name


def _label(codec: str) -> str:
    return {"cp1252": "windows-1252", "utf_8": "utf-8"}.get(codec, codec.replace("_", "-"))


def _declared_label(label: str, codec: str) -> str:
    """The charset as the page spelled it ('iso-8859-1'), falling back to our codec name."""
    cleaned = label.strip().strip("\"'").lower()
    return cleaned or _label(codec)


def _guess_encoding(content: bytes) -> str:
    """Best guess for bytes that are not UTF-8. Western pages win ties (cp1252)."""
    from charset_normalizer import from_bytes  # trafilatura's own dependency

    best = from_bytes(content[:200_000]).best()
    guess = _codec_name(best.encoding) if best else None
    if guess is None or guess in _SINGLE_BYTE_LATIN:
        lang = _HTML_LANG.search(content[:SNIFF_BYTES])
        language = normalise_language(lang.group(1).decode("ascii", "ignore")) if lang else ""
        return "cp1250" if guess == "cp1250" and language in _CENTRAL_EUROPEAN else "cp1252"
    return guess


def decode_html(content: bytes | str, declared_encoding: str | None = None) -> tuple[str, str, list[str]]:
    """(text, codec used, warnings). BOM first, then a declared charset only if it fits.

    Two common publisher mistakes both come out right: windows-1252 bytes labelled UTF-8
    (they do not decode as UTF-8, so we detect), and UTF-8 bytes labelled windows-1252 or
    ISO-8859-1 (they decode as UTF-8 with multi-byte sequences, which Latin text never does
    by accident). `declared_encoding` is the HTTP header's charset; a <meta> charset is the
    fallback declaration.
    """
    if isinstance(content, str):
        return content, "unicode", []
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return content[len(bom) :].decode(codec, "replace"), codec.replace("-", "_"), []
    warnings: list[str] = []
    meta = _META_CHARSET.search(content[:SNIFF_BYTES])
    label = declared_encoding or (meta.group(1).decode("ascii", "ignore") if meta else None)
    declared = _codec_name(label)
    if label and declared is None:
        warnings.append(f"unknown charset label {label!r} ignored")
    if content.isascii():
        return content.decode("ascii"), declared or "ascii", warnings
    try:
        as_utf8: str | None = content.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if declared is not None and declared != "utf_8":
        if as_utf8 is not None and declared in _SINGLE_BYTE_LATIN:
            warnings.append(
                f"charset mismatch: declared {_declared_label(label or '', declared)}, decoded utf-8"
            )
            return as_utf8, "utf_8", warnings
        try:
            return content.decode(declared), declared, warnings
        except (UnicodeDecodeError, LookupError):
            pass
    if as_utf8 is not None:
        if declared not in (None, "utf_8"):
            warnings.append(
                f"charset mismatch: declared {_declared_label(label or '', declared)}, decoded utf-8"
            )
        return as_utf8, "utf_8", warnings
    guess = _guess_encoding(content)
    if declared is not None:
        warnings.append(
            f"charset mismatch: declared {_declared_label(label or '', declared)}, decoded {_label(guess)}"
        )
    else:
        warnings.append(f"no charset declared; detected {_label(guess)}")
    return content.decode(guess, "replace"), guess, warnings


# --- metadata ------------------------------------------------------------------------------

_ARTICLE_TYPES = frozenset(
    t.lower()
    for t in (
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "TechArticle",
        "Report",
        "ScholarlyArticle",
    )
)
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "parsely-pub-date",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "dc.date",
    "dc.date.created",
    "sailthru.date",
    "pubdate",
    "publish-date",
    "publishdate",
    "date",
    "datepublished",
    "citation_publication_date",
)
_UPDATED_META = (
    "article:modified_time",
    "og:updated_time",
    "dcterms.modified",
    "dc.date.modified",
    "datemodified",
)
_AUTHOR_META = (
    "author",
    "article:author",
    "parsely-author",
    "dc.creator",
    "dcterms.creator",
    "sailthru.author",
    "citation_author",
)
_TITLE_META = ("og:title", "twitter:title", "parsely-title", "dc.title", "dcterms.title", "citation_title")
_SUMMARY_META = ("og:description", "description", "twitter:description", "dc.description")
_BYLINE_HINT = re.compile(r"byline|author|meta|dateline|credit|posted|contributor", re.I)
_BYLINE_BY = re.compile(
    "^\\s*by\\s+(?P<names>[^|\u00b7\u2022\u2014\u2013\\n]+?)\\s*(?:[|\u00b7\u2022\u2014\u2013]\\s*(?P<date>.+))?$",
    re.I,
)
_BYLINE_POSTED = re.compile(
    r"^\s*(?:posted|published|updated)\s+(?:on\s+)?(?P<date>.+?)\s+by\s+(?P<names>.+)$", re.I
)
_NAME_SPLIT = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*|\s*;\s*")
_NAME_WORD = re.compile(r"^[A-Z\u00C0-\u024F][\w.'\-\u00C0-\u024F]*$")
_DATE_CLASSES = frozenset(
    {"date", "dateline", "published", "post-date", "entry-date", "pubdate", "timestamp"}
)
_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014\-:·]\s+")


def _is_url(value: str) -> bool:
    return value.strip().lower().startswith(("http://", "https://", "//"))


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 5 and all(
        _NAME_WORD.match(w) or w.lower() in ("de", "van", "von", "al", "bin", "da") for w in words
    )


def split_names(raw: str, *, site_name: str = "") -> list[str]:
    """'Jane Roe and John Doe, Harbor Wire' -> ['Jane Roe', 'John Doe'] (outlet names dropped)."""
    names = []
    for part in _NAME_SPLIT.split(collapse_whitespace(raw)):
        part = part.strip(" .")
        if not part or (site_name and part.lower() == site_name.lower()):
            continue
        if _looks_like_name(part):
            names.append(part)
    return names


def _jsonld_objects(tree: lxml.html.HtmlElement, warnings: list[str]) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            warnings.append("ignored a JSON-LD block that is not valid JSON")
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[0:0] = item
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack[0:0] = item["@graph"]


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type", ())
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return {str(v).lower() for v in values}


def _ld_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, str):
            if not _is_url(item):
                names.append(collapse_whitespace(item))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            names.append(collapse_whitespace(item["name"]))
    return [n for n in names if n]


def _ld_free(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _ld_text(value: Any) -> str:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url") or value.get("name") or ""
    return collapse_whitespace(value) if isinstance(value, str) else ""


class _Metadata:
    """Everything the page says about itself, before choosing between sources."""

    def __init__(self, tree: lxml.html.HtmlElement, url: str, warnings: list[str]) -> None:
        self.tree = tree
        self.url = url
        self.warnings = warnings
        self.meta: dict[str, str] = {}
        self.meta_authors: list[str] = []
        for element in tree.iter("meta"):
            key = (
                (element.get("property") or element.get("name") or element.get("itemprop") or "")
                .strip()
                .lower()
            )
            value = collapse_whitespace(element.get("content") or "")
            if not key or not value:
                continue
            self.meta.setdefault(key, value)
            if key in _AUTHOR_META and not _is_url(value):
                self.meta_authors.append(value)
        self.article: dict[str, Any] = {}
        self.ld_publisher = ""
        for obj in _jsonld_objects(tree, warnings):
            types = _types(obj)
            if types & _ARTICLE_TYPES and not self.article:
                self.article = obj
            elif "organization" in types or "newsmediaorganization" in types:
                self.ld_publisher = self.ld_publisher or _ld_text(obj.get("name"))
        base = tree.find(".//base[@href]")
        self.base_url = urljoin(url, base.get("href")) if base is not None else url
        self.links: list[tuple[set[str], lxml.html.HtmlElement]] = [
            (set((link.get("rel") or "").lower().split()), link) for link in tree.iter("link")
        ]

    def first_meta(self, keys: tuple[str, ...]) -> str:
        return next((self.meta[k] for k in keys if k in self.meta), "")


_SKIP_BYLINE_TAGS = frozenset({"script", "style", "meta", "link", "html", "body", "head", "title"})
_AUTHOR_HINT = re.compile(r"author|byline__name|contributor", re.I)


def _byline_candidates(tree: lxml.html.HtmlElement) -> Iterator[tuple[str, bool]]:
    """(text, is an author-name element) for elements that look like bylines."""
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in _SKIP_BYLINE_TAGS:
            continue
        hint = " ".join(element.get(attr, "") for attr in ("class", "id", "rel", "itemprop"))
        starts_with_by = (
            element.tag in ("p", "div", "span") and (element.text or "").lstrip()[:3].lower() == "by "
        )
        if _BYLINE_HINT.search(hint) or starts_with_by:
            text = collapse_whitespace(element.text_content())
            if text and len(text) <= 160:
                yield text, bool(_AUTHOR_HINT.search(hint))


def _read_byline(tree: lxml.html.HtmlElement, site_name: str) -> tuple[list[str], str]:
    """(names, date text) from a visible byline such as 'By Jane Roe | July 10, 2024'."""
    names: list[str] = []
    date_text = ""
    for text, is_author_element in _byline_candidates(tree):
        match = _BYLINE_POSTED.match(text) or _BYLINE_BY.match(text)
        if match:
            found = split_names(match.group("names"), site_name=site_name)
            if found and not names:
                names = found
            if match.group("date") and not date_text and parse_datetime(match.group("date").strip()):
                date_text = match.group("date").strip()
        elif is_author_element and not names:
            # <span class="author">Jane Roe</span>: the whole text must read as names.
            parts = _NAME_SPLIT.split(text)
            found = split_names(text, site_name=site_name)
            if found and len(found) == len([p for p in parts if p.strip()]):
                names = found
        if names and date_text:
            break
    return names, date_text


def _find_time(tree: lxml.html.HtmlElement, kind: str) -> str:
    """A <time datetime> marked as publication (or update) time, or the only <time> there is."""
    times = [t for t in tree.iter("time") if t.get("datetime")]
    for element in times:
        marker = f"{element.get('itemprop', '')} {element.get('class', '')}".lower()
        if kind in marker or (kind == "published" and ("datepublished" in marker or "pubdate" in marker)):
            return element.get("datetime", "")
        if kind == "updated" and "datemodified" in marker:
            return element.get("datetime", "")
    if kind == "published" and len(times) == 1:
        return times[0].get("datetime", "")
    if kind == "published":
        for element in tree.iter():
            if isinstance(element.tag, str) and _DATE_CLASSES & set(
                (element.get("class") or "").lower().split()
            ):
                text = collapse_whitespace(element.text_content())
                if len(text) < 60 and parse_datetime(text):
                    return text
    return ""


# --- canonical URL -----------------------------------------------------------------------


def _canonical(meta: _Metadata, page_url: str, warnings: list[str]) -> str:
    candidates: list[tuple[str, str]] = []
    for rels, link in meta.links:
        if "canonical" in rels and link.get("href"):
            candidates.append(("rel=canonical", link.get("href", "")))
    if meta.meta.get("og:url"):
        candidates.append(("og:url", meta.meta["og:url"]))
    for label, href in candidates:
        try:
            candidate = canonicalize_url(href, base=meta.base_url)
        except InvalidURLError:
            warnings.append(f"ignored {label} {href!r}: not an http(s) URL")
            continue
        if same_site(candidate, page_url):
            return candidate
        warnings.append(f"ignored cross-site {label} {candidate} (page is on {registrable_domain(page_url)})")
    return page_url


# --- main text -----------------------------------------------------------------------------

# Below this much text a subscribe prompt is taken to be hiding the article.
PAYWALL_MAX_CHARS = 900
_PAYWALL_MARKER = re.compile(
    r"paywall|regwall|subscriber-only|premium-content|piano|meter-?wall|subscribe-wall", re.I
)
_PAYWALL_PHRASES = re.compile(
    r"subscribe to (?:continue|read)|subscribers? only|to continue reading|already a subscriber|"
    r"this (?:article|story) is (?:only )?(?:available )?(?:for|to) (?:paying )?subscribers|"
    r"sign in to (?:continue|read)|unlock (?:this|the full) (?:article|story)|become a member to read",
    re.I,
)
_BOILERPLATE_HINT = re.compile(
    r"nav|menu|footer|header|sidebar|comment|share|social|related|promo|newsletter|subscribe|cookie|"
    r"advert|\bad-|-ad\b|banner|breadcrumb|masthead|toolbar|widget|popup|modal",
    re.I,
)
_DROP_FOR_FALLBACK = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "template",
)
# Paragraphs shorter than this in the fallback are captions, buttons or labels.
FALLBACK_MIN_PARAGRAPH = 40


def _trafilatura_text(tree: lxml.html.HtmlElement, url: str, *, tables: bool) -> str:
    extracted = trafilatura.extract(
        copy.deepcopy(tree),  # trafilatura prunes the tree it is given; metadata reads ours after
        url=url,
        favor_precision=True,
        include_comments=False,
        include_tables=tables,
        include_images=False,
        include_links=False,
        output_format="txt",
        deduplicate=False,
    )
    if not extracted:
        return ""
    return collapse_whitespace("\n\n".join(extracted.split("\n")))


def _drop_leading_title(text: str, title: str) -> str:
    """trafilatura often keeps the <h1>; the title has its own field."""
    first, _sep, rest = text.partition("\n\n")
    if title and rest and first.strip().lower() == title.strip().lower():
        return rest
    return text


def _fallback_text(html_text: str) -> str:
    """Paragraphs of the densest content block, for pages trafilatura gives up on."""
    soup = BeautifulSoup(html_text, "lxml")
    for tag in soup(list(_DROP_FOR_FALLBACK)):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is None:
            continue
        hint = " ".join(
            tag.get("class", []) if isinstance(tag.get("class"), list) else [str(tag.get("class", ""))]
        )
        hint += " " + str(tag.get("id", "")) + " " + str(tag.get("role", ""))
        if tag.name not in ("html", "body", "article", "main") and _BOILERPLATE_HINT.search(hint):
            tag.decompose()
    container = (
        soup.find(attrs={"itemprop": "articleBody"})
        or soup.find("article")
        or soup.find("main")
        or soup.body
        or soup
    )
    paragraphs = [
        collapse_whitespace(p.get_text(" "))
        for p in container.find_all(["p", "li", "blockquote", "h2", "h3"])
    ]
    kept = [p for p in paragraphs if len(p) >= FALLBACK_MIN_PARAGRAPH]
    if not kept:
        kept = [collapse_whitespace(container.get_text("\n"))]
    return collapse_whitespace("\n\n".join(dict.fromkeys(kept)))


def _is_paywalled(meta: _Metadata, text: str, page_text: str) -> bool:
    flags = [_ld_free(meta.article.get("isAccessibleForFree"))]
    parts = meta.article.get("hasPart")
    for part in parts if isinstance(parts, list) else [parts]:
        if isinstance(part, dict):
            flags.append(_ld_free(part.get("isAccessibleForFree")))
    if False in flags:
        return True
    if len(text) > PAYWALL_MAX_CHARS:
        return False
    if _PAYWALL_PHRASES.search(page_text):
        return True
    return any(
        _PAYWALL_MARKER.search(f"{el.get('class', '')} {el.get('id', '')}")
        for el in meta.tree.iter()
        if isinstance(el.tag, str)
    )


def _clean_title(raw: str, site_name: str) -> str:
    title = collapse_whitespace(raw)
    if site_name:
        parts = _TITLE_SEPARATORS.split(title)
        if len(parts) > 1 and parts[-1].strip().lower() == site_name.lower():
            return collapse_whitespace(" ".join(parts[:-1]) if len(parts) > 2 else parts[0])
    return title


def extract_article(
    content: bytes | str, *, url: str, declared_encoding: str | None = None
) -> ExtractedArticle:
    """Main text and metadata of one article page.

    `url` is where the page was fetched from (after redirects); `declared_encoding` the
    charset from the HTTP Content-Type, if any. Raises InvalidURLError for a non-http(s)
    `url` and ParseError when the bytes are not an HTML document with any text.
    """
    page_url = canonicalize_url(url)
    html_text, _codec, warnings = decode_html(content, declared_encoding)
    html_text = _XML_DECLARATION.sub("", html_text, count=1)
    if not html_text.strip():
        raise ParseError("the page is empty", url=url)
    try:
        tree = lxml.html.document_fromstring(html_text)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"the page is not readable HTML: {exc}", url=url) from exc

    meta = _Metadata(tree, page_url, warnings)
    article = meta.article
    publisher = article.get("publisher")
    site_name = (
        meta.meta.get("og:site_name")
        or (_ld_text(publisher.get("name")) if isinstance(publisher, dict) else "")
        or meta.ld_publisher
        or meta.meta.get("application-name", "")
    )
    site_name = collapse_whitespace(site_name)

    text = _trafilatura_text(tree, page_url, tables=False)
    if not text:
        text = _trafilatura_text(tree, page_url, tables=True)
    if not text:
        text = _fallback_text(html_text)
        if text:
            warnings.append("main text from the fallback extractor (trafilatura found none)")

    title_element = tree.find(".//title")
    h1 = tree.find(".//h1")
    title = (
        _ld_text(article.get("headline"))
        or meta.first_meta(_TITLE_META)
        or (collapse_whitespace(h1.text_content()) if h1 is not None else "")
        or (title_element.text_content() if title_element is not None else "")
    )

    title = _clean_title(title, site_name)
    text = _drop_leading_title(text, title)
    byline_names, byline_date = _read_byline(tree, site_name)
    meta_authors: list[str] = []
    for raw in meta.meta_authors:
        meta_authors.extend(split_names(raw, site_name=site_name) or [raw])
    authors: list[str] = []
    # First source that names someone other than the outlet itself wins.
    for candidates in (_ld_names(article.get("author")), meta_authors, byline_names):
        authors = [a for a in dict.fromkeys(candidates) if a.lower() != site_name.lower()]
        if authors:
            break

    published = (
        parse_datetime(_ld_text(article.get("datePublished")))
        or parse_datetime(meta.first_meta(_PUBLISHED_META))
        or parse_datetime(_find_time(tree, "published"))
        or parse_datetime(byline_date)
    )
    updated = (
        parse_datetime(_ld_text(article.get("dateModified")))
        or parse_datetime(meta.first_meta(_UPDATED_META))
        or parse_datetime(_find_time(tree, "updated"))
    )

    lang_attr = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    language = normalise_language(
        lang_attr
        or _ld_text(article.get("inLanguage"))
        or meta.meta.get("og:locale")
        or meta.meta.get("dc.language")
    )
    is_amp = tree.get("amp") is not None or "\u26a1" in tree.attrib
    canonical_url = _canonical(meta, page_url, warnings)
    if is_amp and canonical_url == page_url:
        warnings.append("AMP page without a usable rel=canonical to the regular article")

    page_text = collapse_whitespace(tree.text_content()) if len(text) <= PAYWALL_MAX_CHARS else ""
    return ExtractedArticle(
        url=page_url,
        canonical_url=canonical_url,
        title=title,
        text=text,
        summary=_ld_text(article.get("description")) or meta.first_meta(_SUMMARY_META),
        authors=tuple(authors),
        published=published,
        updated=updated,
        language=language,
        site_name=site_name,
        is_paywalled=_is_paywalled(meta, text, page_text),
        warnings=tuple(warnings),
    )


# --- feed discovery --------------------------------------------------------------------------

_FEED_TYPES = {
    "application/rss+xml": InputKind.FEED,
    "application/atom+xml": InputKind.FEED,
    "application/rdf+xml": InputKind.FEED,
    "application/feed+json": InputKind.JSON_FEED,
    "application/json": InputKind.JSON_FEED,
}


def discover_feeds(html: bytes | str, base_url: str = "", *, url: str = "") -> list[DiscoveredFeed]:
    """Feeds a page advertises with <link rel="alternate" type="application/rss+xml" ...>.

    Accepts the base as `base_url` or `url=`. Links are resolved against <base href>,
    canonicalised, and listed once each, in page order.
    """
    page_url = base_url or url
    text, _codec, _warnings = decode_html(html)
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        return []
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return []
    base = tree.find(".//base[@href]")
    resolve_from = urljoin(page_url, base.get("href")) if base is not None else page_url
    found: dict[str, DiscoveredFeed] = {}
    for link in tree.iter("link", "a"):
        rels = set((link.get("rel") or "").lower().split())
        media_type = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" not in rels or media_type not in _FEED_TYPES or not link.get("href"):
            continue
        try:
            feed_url = canonicalize_url(link.get("href", ""), base=resolve_from or None)
        except InvalidURLError:
            continue
        found.setdefault(
            feed_url,
            DiscoveredFeed(
                url=feed_url, kind=_FEED_TYPES[media_type], title=collapse_whitespace(link.get("title") or "")
            ),
        )
    return list(found.values())
