"""Render the demo corpus: fictional outlets' websites and feeds, from hand-written sources.

Sources live in demo/corpus/articles/<event-key>/ (NN-<outlet-short>.md articles with TOML front
matter, plus event.toml with the expected ground truth); the format is described in
demo/README.md. Output goes to demo/corpus/site/<domain>/... and demo/corpus/manifest.json and is
committed, so the demo HTTP server only serves files.

    python demo/build_corpus.py           # validate the sources and re-render the site
    python demo/build_corpus.py --check   # exit 1 if the committed site differs from a re-render

Standard library only, so it runs before the virtualenv exists. Output is deterministic: the
same sources give byte-identical files (no build timestamps, everything sorted).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.utils import format_datetime
from html import escape as esc
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr
from zoneinfo import ZoneInfo

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"

# The spec asks for articles of this length; shorter pages make extraction tests trivial,
# longer ones are padding nobody reviews.
MIN_WORDS = 180
MAX_WORDS = 450
RELATED_LINKS = 3  # enough boilerplate links for an extractor to have to drop them
TRACKING_QUERY = "?utm_source=rss&utm_medium=feed"

ARTICLE_KEYS_REQUIRED = {"outlet", "slug", "title", "published", "authors", "summary"}
ARTICLE_KEYS_OPTIONAL = {"updated", "copy_of", "paywalled", "tracking_params"}
EVENT_KEYS_REQUIRED = {
    "key",
    "title",
    "date",
    "date_precision",
    "date_evidence",
    "jurisdictions",
    "companies",
    "topics",
    "claims",
}
CLAIM_KEYS_REQUIRED = {"text", "kind", "attributed_to", "articles", "independent_sources"}
CLAIM_KEYS_OPTIONAL = {"original_reporter"}
DATE_PRECISIONS = {"day", "month", "year"}
CLAIM_KINDS = {"policy_action", "statistic", "quote", "forecast"}
TOPICS = {
    "export-controls",
    "chips",
    "api-access",
    "regulation",
    "safety",
    "investment",
    "critical-minerals",
}

# Published times must carry an offset that one of the outlet country's time zones really had
# at that instant, so date resolution in the tracker is tested against realistic data.
COUNTRY_ZONES = {
    "US": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "HK": ("Asia/Hong_Kong",),
    "CN": ("Asia/Shanghai",),
    "BE": ("Europe/Brussels",),
    "GB": ("Europe/London",),
}

ARTICLE_FILE_RE = re.compile(r"^(?P<nn>\d{2})-(?P<short>[a-z]+)\.md$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COPY_OF_RE = re.compile(r"^(?P<domain>[a-z0-9.-]+)/(?P<y>\d{4})/(?P<m>\d{2})/(?P<slug>[^/]+)$")


class CorpusError(Exception):
    """A source file is wrong; the message names the file and what to fix."""


# --------------------------------------------------------------------------------------------
# Outlets


@dataclass(frozen=True)
class Feed:
    path: str
    kind: str  # rss | atom | json_feed | news_sitemap | sitemap_index


@dataclass(frozen=True)
class Outlet:
    short: str
    name: str
    domain: str
    country: str
    kind: str
    owner_group: str
    reliability_note: str
    lang: str
    url_pattern: str  # str.format with y, m, d, slug
    feeds: tuple[Feed, ...]
    tracking_params: bool = False  # default for the outlet's feed links
    robots_disallow: tuple[str, ...] = ()

    @property
    def homepage(self) -> str:
        return f"http://{self.domain}/"

    def absolute(self, path: str) -> str:
        return f"http://{self.domain}{path}"


OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        short="pl",
        name="The Pacific Ledger",
        domain="pacificledger.example",
        country="US",
        kind="news_outlet",
        owner_group="Ledger Media Group",
        reliability_note="General news daily; republishes Ledger Wire copy from the same group.",
        lang="en-US",
        url_pattern="/{y}/{m}/{slug}.html",
        feeds=(Feed("/feed.xml", "rss"),),
        robots_disallow=("/private/",),
    ),
    Outlet(
        short="lw",
        name="Ledger Wire",
        domain="ledgerwire.example",
        country="US",
        kind="wire",
        owner_group="Ledger Media Group",
        reliability_note="News agency; its stories run verbatim in The Pacific Ledger.",
        lang="en",
        url_pattern="/{y}/{m}/{d}/{slug}.html",
        feeds=(Feed("/atom.xml", "atom"),),
    ),
    Outlet(
        short="ssd",
        name="Silicon Strait Daily",
        domain="siliconstrait.example",
        country="HK",
        kind="news_outlet",
        owner_group="Strait Holdings",
        reliability_note="Hong Kong tech daily; runs Global Markets Wire stories lightly edited.",
        lang="en-HK",
        url_pattern="/news/{y}{m}{d}/{slug}.html",
        feeds=(Feed("/rss", "rss"),),
    ),
    Outlet(
        short="db",
        name="Brussels Digital Brief",
        domain="digitalbrief.example",
        country="BE",
        kind="news_outlet",
        owner_group="",
        reliability_note="Specialist EU tech-policy newsletter with its own reporting.",
        lang="en",
        url_pattern="/{y}/{m}/{slug}.html",
        feeds=(Feed("/atom.xml", "atom"),),
    ),
    Outlet(
        short="cpw",
        name="Chip Policy Watch",
        domain="chippolicy.example",
        country="US",
        kind="blog",
        owner_group="",
        reliability_note="One-person analysis blog; opinionated, cites primary documents.",
        lang="en-US",
        url_pattern="/posts/{y}-{m}-{d}-{slug}.html",
        feeds=(Feed("/feed.json", "json_feed"),),
    ),
    Outlet(
        short="bto",
        name="Beijing Tech Observer",
        domain="techobserver-cn.example",
        country="CN",
        kind="news_outlet",
        owner_group="",
        reliability_note="English-language coverage of the Chinese tech industry.",
        lang="en",
        url_pattern="/content/{y}-{m}/{d}/{slug}.html",
        feeds=(Feed("/feed.xml", "rss"),),
    ),
    Outlet(
        short="car",
        name="Capitol AI Report",
        domain="capitolai.example",
        country="US",
        kind="news_outlet",
        owner_group="",
        reliability_note="Washington policy desk; original reporting on agencies and Congress.",
        lang="en-US",
        url_pattern="/news/{slug}.html",
        feeds=(
            Feed("/feed.xml", "rss"),
            Feed("/sitemap.xml", "sitemap_index"),
            Feed("/sitemap-news.xml", "news_sitemap"),
        ),
    ),
    Outlet(
        short="fpi",
        name="Frontier Policy Institute",
        domain="frontierpolicy.example",
        country="GB",
        kind="think_tank",
        owner_group="",
        reliability_note="Think tank; analysis and commentary rather than news.",
        lang="en-GB",
        url_pattern="/research/{y}/{slug}.html",
        feeds=(Feed("/atom.xml", "atom"),),
    ),
    Outlet(
        short="ahb",
        name="AI Headlines Hub",
        domain="aiheadlineshub.example",
        country="US",
        kind="aggregator",
        owner_group="",
        reliability_note="Aggregator; rewrites other outlets' reporting, adds little of its own.",
        lang="en",
        url_pattern="/story/{slug}.html",
        feeds=(Feed("/rss", "rss"),),
        tracking_params=True,
    ),
    Outlet(
        short="gmw",
        name="Global Markets Wire",
        domain="globalmarketswire.example",
        country="GB",
        kind="wire",
        owner_group="",
        reliability_note="News agency; its stories are syndicated by other outlets.",
        lang="en-GB",
        url_pattern="/article/{y}/{m}/{d}/{slug}.html",
        feeds=(Feed("/feed.xml", "rss"),),
    ),
)
OUTLETS_BY_DOMAIN = {o.domain: o for o in OUTLETS}
OUTLETS_BY_SHORT = {o.short: o for o in OUTLETS}

FEED_MIME = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json_feed": "application/feed+json",
}


# --------------------------------------------------------------------------------------------
# Sources


@dataclass(frozen=True)
class Block:
    kind: str  # p | h2 | quote
    text: str


@dataclass
class Article:
    source: Path
    event: str
    nn: str
    outlet: Outlet
    slug: str
    title: str
    published: datetime
    updated: datetime | None
    authors: tuple[str, ...]
    summary: str
    copy_of: str | None
    paywalled: bool
    tracking_params: bool
    blocks: tuple[Block, ...]

    @property
    def key(self) -> str:
        """The identity copy_of refers to: domain/YYYY/MM/slug, whatever the URL pattern."""
        return f"{self.outlet.domain}/{self.published:%Y/%m}/{self.slug}"

    @property
    def path(self) -> str:
        p = self.published
        return self.outlet.url_pattern.format(y=f"{p:%Y}", m=f"{p:%m}", d=f"{p:%d}", slug=self.slug)

    @property
    def url(self) -> str:
        return self.outlet.absolute(self.path)

    @property
    def feed_url(self) -> str:
        return self.url + (TRACKING_QUERY if self.tracking_params else "")

    @property
    def last_modified(self) -> datetime:
        return self.updated or self.published

    @property
    def word_count(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks)


@dataclass
class Event:
    source: Path
    key: str
    data: dict
    articles: list[Article] = field(default_factory=list)


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(CORPUS_DIR.parent.parent))
    except ValueError:
        return str(path)


def parse_body(text: str) -> tuple[Block, ...]:
    """Paragraphs split on blank lines; '## ' starts a subheading, '> ' a pull quote."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.strip().splitlines()]
        if not lines or not lines[0]:
            continue
        if lines[0].startswith("## "):
            blocks.append(Block("h2", " ".join(lines)[3:].strip()))
        elif lines[0].startswith(">"):
            blocks.append(Block("quote", " ".join(line.lstrip("> ").strip() for line in lines)))
        else:
            blocks.append(Block("p", " ".join(lines)))
    return tuple(blocks)


def _aware_datetime(value: object, name: str, where: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise CorpusError(
            f"{where}: {name} must be a TOML date-time with a UTC offset, "
            f"e.g. 2024-07-10T09:15:00+08:00 (got {value!r})"
        )
    return value


def _check_offset(dt: datetime, outlet: Outlet, name: str, where: str) -> None:
    zones = COUNTRY_ZONES[outlet.country]
    allowed = {dt.astimezone(ZoneInfo(z)).utcoffset() for z in zones}
    if dt.utcoffset() not in allowed:
        shown = ", ".join(sorted(_format_offset(o) for o in allowed))
        raise CorpusError(
            f"{where}: {name} offset {_format_offset(dt.utcoffset())} is not local time for "
            f"{outlet.name} ({outlet.country}) on that date; use one of {shown}"
        )


def _format_offset(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def parse_article(path: Path, event: str) -> tuple[Article, bool]:
    """Parse one article source. Returns the article and whether its body was left empty
    (an empty body with copy_of reuses the original's text word for word)."""
    where = _rel(path)
    match = ARTICLE_FILE_RE.match(path.name)
    if not match:
        raise CorpusError(f"{where}: file name must look like NN-<outlet-short>.md, e.g. 01-pl.md")
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"^\+\+\+[ \t]*$\n?", text, maxsplit=2, flags=re.MULTILINE)
    if len(parts) != 3 or parts[0].strip():
        raise CorpusError(f"{where}: must start with TOML front matter between two '+++' lines")
    try:
        meta = tomllib.loads(parts[1])
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{where}: front matter is not valid TOML: {exc}") from exc

    missing = sorted(ARTICLE_KEYS_REQUIRED - meta.keys())
    if missing:
        raise CorpusError(f"{where}: missing front-matter key(s): {', '.join(missing)}")
    unknown = sorted(meta.keys() - ARTICLE_KEYS_REQUIRED - ARTICLE_KEYS_OPTIONAL)
    if unknown:
        raise CorpusError(f"{where}: unknown front-matter key(s): {', '.join(unknown)}")

    outlet = OUTLETS_BY_DOMAIN.get(meta["outlet"])
    if outlet is None:
        known = ", ".join(sorted(OUTLETS_BY_DOMAIN))
        raise CorpusError(f"{where}: unknown outlet {meta['outlet']!r}; known outlets: {known}")
    if match["short"] != outlet.short:
        raise CorpusError(
            f"{where}: file name says outlet '{match['short']}' but outlet is "
            f"{outlet.domain} (short '{outlet.short}'); rename to {match['nn']}-{outlet.short}.md"
        )
    for name in ("slug", "title", "summary"):
        if not isinstance(meta[name], str) or not meta[name].strip():
            raise CorpusError(f"{where}: {name} must be a non-empty string")
    if not SLUG_RE.match(meta["slug"]):
        raise CorpusError(f"{where}: slug {meta['slug']!r} must be lowercase words joined by '-'")
    authors = meta["authors"]
    if not isinstance(authors, list) or not all(isinstance(a, str) and a for a in authors):
        raise CorpusError(f"{where}: authors must be a list of names (may be empty)")
    for name in ("paywalled", "tracking_params"):
        if name in meta and not isinstance(meta[name], bool):
            raise CorpusError(f"{where}: {name} must be true or false")

    published = _aware_datetime(meta["published"], "published", where)
    _check_offset(published, outlet, "published", where)
    updated = None
    if "updated" in meta:
        updated = _aware_datetime(meta["updated"], "updated", where)
        if updated <= published:
            raise CorpusError(f"{where}: updated ({updated}) must be after published ({published})")
    copy_of = meta.get("copy_of")
    if copy_of is not None and (not isinstance(copy_of, str) or not COPY_OF_RE.match(copy_of)):
        raise CorpusError(
            f"{where}: copy_of must look like 'ledgerwire.example/2024/07/<slug>' (got {copy_of!r})"
        )

    blocks = parse_body(parts[2])
    if not blocks and copy_of is None:
        raise CorpusError(f"{where}: the article body is empty")
    article = Article(
        source=path,
        event=event,
        nn=match["nn"],
        outlet=outlet,
        slug=meta["slug"],
        title=meta["title"].strip(),
        published=published,
        updated=updated,
        authors=tuple(authors),
        summary=" ".join(meta["summary"].split()),
        copy_of=copy_of,
        paywalled=meta.get("paywalled", False),
        tracking_params=meta.get("tracking_params", outlet.tracking_params),
        blocks=blocks,
    )
    return article, not blocks


def parse_event(path: Path, nns: set[str]) -> Event:
    where = _rel(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{where}: not valid TOML: {exc}") from exc
    missing = sorted(EVENT_KEYS_REQUIRED - data.keys())
    if missing:
        raise CorpusError(f"{where}: missing key(s): {', '.join(missing)}")
    if data["key"] != path.parent.name:
        raise CorpusError(f"{where}: key {data['key']!r} must equal the folder name")
    if not isinstance(data["date"], date) or isinstance(data["date"], datetime):
        raise CorpusError(f"{where}: date must be a TOML date such as 2024-07-09")
    if data["date_precision"] not in DATE_PRECISIONS:
        raise CorpusError(f"{where}: date_precision must be one of {sorted(DATE_PRECISIONS)}")
    bad_topics = sorted(set(data["topics"]) - TOPICS)
    if bad_topics:
        raise CorpusError(f"{where}: unknown topic(s) {bad_topics}; allowed: {sorted(TOPICS)}")
    sources = data.get("independent_sources")  # optional: the event's, as its comment counts them
    if sources is not None and (isinstance(sources, bool) or not isinstance(sources, int) or sources < 1):
        raise CorpusError(f"{where}: independent_sources must be a whole number of at least 1")
    for i, claim in enumerate(data["claims"], start=1):
        at = f"{where}: claim {i}"
        missing = sorted(CLAIM_KEYS_REQUIRED - claim.keys())
        if missing:
            raise CorpusError(f"{at}: missing key(s): {', '.join(missing)}")
        unknown = sorted(claim.keys() - CLAIM_KEYS_REQUIRED - CLAIM_KEYS_OPTIONAL)
        if unknown:
            raise CorpusError(f"{at}: unknown key(s): {', '.join(unknown)}")
        if claim["kind"] not in CLAIM_KINDS:
            raise CorpusError(f"{at}: kind must be one of {sorted(CLAIM_KINDS)}")
        dangling = sorted(set(claim["articles"]) - nns)
        if dangling:
            raise CorpusError(f"{at}: articles {dangling} have no NN-*.md file in this folder")
        n = claim["independent_sources"]
        if not isinstance(n, int) or not 1 <= n <= len(claim["articles"]):
            raise CorpusError(f"{at}: independent_sources must be between 1 and the number of its articles")
    return Event(source=path, key=data["key"], data=data)


def load_corpus(articles_dir: Path | None = None) -> list[Event]:
    """Parse and validate every source. Raises CorpusError naming the first bad file."""
    articles_dir = articles_dir or CORPUS_DIR / "articles"
    events: list[Event] = []
    empty_bodies: list[Article] = []
    for event_dir in sorted(p for p in articles_dir.iterdir() if p.is_dir()):
        articles = []
        for path in sorted(event_dir.iterdir()):
            if path.name == "event.toml" or path.name.startswith("."):
                continue
            if path.suffix != ".md":
                raise CorpusError(f"{_rel(path)}: unexpected file; only NN-*.md and event.toml")
            article, empty = parse_article(path, event_dir.name)
            articles.append(article)
            if empty:
                empty_bodies.append(article)
        if not articles:
            continue
        nns = [a.nn for a in articles]
        if len(set(nns)) != len(nns):
            raise CorpusError(f"{_rel(event_dir)}: two articles share an NN prefix: {nns}")
        toml_path = event_dir / "event.toml"
        if not toml_path.exists():
            raise CorpusError(f"{_rel(event_dir)}: missing event.toml with the event's truth")
        event = parse_event(toml_path, set(nns))
        event.articles = articles
        events.append(event)

    by_key: dict[str, Article] = {}
    by_url: dict[str, Article] = {}
    for article in (a for e in events for a in e.articles):
        for index, name in ((by_key, article.key), (by_url, article.url)):
            if name in index:
                raise CorpusError(
                    f"{_rel(article.source)}: {name} is also used by {_rel(index[name].source)}"
                )
            index[name] = article
    for article in (a for e in events for a in e.articles):
        if article.copy_of is None:
            continue
        where = _rel(article.source)
        original = by_key.get(article.copy_of)
        if original is None:
            raise CorpusError(
                f"{where}: copy_of {article.copy_of!r} matches no article "
                "(expected domain/YYYY/MM/slug of another source, YYYY/MM from its published date)"
            )
        if original is article or original.copy_of is not None:
            raise CorpusError(f"{where}: copy_of must point to an original, not itself or a copy")
        if original.published > article.published:
            raise CorpusError(f"{where}: a copy cannot be published before its original")
        if article in empty_bodies:
            article.blocks = original.blocks
    for article in (a for e in events for a in e.articles):
        if not MIN_WORDS <= article.word_count <= MAX_WORDS:
            raise CorpusError(
                f"{_rel(article.source)}: body has {article.word_count} words; "
                f"articles must have {MIN_WORDS}-{MAX_WORDS}"
            )
    return events


# --------------------------------------------------------------------------------------------
# HTML helpers


def month_day_year(dt: datetime) -> str:
    return f"{dt:%B} {dt.day}, {dt.year}"


def day_month_year(dt: datetime) -> str:
    return f"{dt.day} {dt:%B} {dt.year}"


def offset_label(dt: datetime) -> str:
    offset = _format_offset(dt.utcoffset())
    return "UTC" if offset == "+00:00" else f"UTC{offset}"


def zone_label(dt: datetime, country: str) -> str:
    """The local abbreviation a reader would see (EDT, BST, CET...), from the offset."""
    for zone in COUNTRY_ZONES[country]:
        local = dt.astimezone(ZoneInfo(zone))
        if local.utcoffset() == dt.utcoffset():
            return local.tzname() or offset_label(dt)
    return offset_label(dt)


def names(authors: tuple[str, ...], fallback: str) -> str:
    if not authors:
        return fallback
    if len(authors) == 1:
        return authors[0]
    return ", ".join(authors[:-1]) + " and " + authors[-1]


def body_html(blocks: tuple[Block, ...], indent: str = "      ") -> str:
    out = []
    for block in blocks:
        if block.kind == "h2":
            out.append(f"<h2>{esc(block.text)}</h2>")
        elif block.kind == "quote":
            out.append(f'<blockquote class="pullquote"><p>{esc(block.text)}</p></blockquote>')
        elif block.text.startswith("Update:"):
            rest = esc(block.text[len("Update:") :].strip())
            out.append(f'<p class="update"><strong>Update:</strong> {rest}</p>')
        else:
            out.append(f"<p>{esc(block.text)}</p>")
    return "\n".join(indent + line for line in out)


def json_ld(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def news_article_ld(article: Article, *, graph: bool = False) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "url": article.url,
        "mainEntityOfPage": article.url,
        "datePublished": article.published.isoformat(),
        "dateModified": article.last_modified.isoformat(),
        "author": [{"@type": "Person", "name": n} for n in article.authors]
        or [{"@type": "Organization", "name": article.outlet.name}],
        "publisher": {"@type": "Organization", "name": article.outlet.name},
        "inLanguage": article.outlet.lang,
        "isAccessibleForFree": not article.paywalled,
    }
    if graph:
        context = data.pop("@context")
        site = {"@type": "WebSite", "name": article.outlet.name, "url": article.outlet.homepage}
        data = {"@context": context, "@graph": [site, data]}
    return json_ld(data)


def og_meta(article: Article, *, times: bool) -> str:
    lines = [
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{esc(article.title)}">',
        f'<meta property="og:description" content="{esc(article.summary)}">',
        f'<meta property="og:url" content="{esc(article.url)}">',
        f'<meta property="og:site_name" content="{esc(article.outlet.name)}">',
    ]
    if times:
        lines.append(f'<meta property="article:published_time" content="{article.published.isoformat()}">')
        if article.updated:
            lines.append(f'<meta property="article:modified_time" content="{article.updated.isoformat()}">')
        lines += [f'<meta property="article:author" content="{esc(n)}">' for n in article.authors]
    return "\n".join("  " + line for line in lines)


# --------------------------------------------------------------------------------------------
# Outlet themes: each outlet's pages look and describe themselves differently, the way real
# sites do, so the tracker's extractors meet several metadata styles and boilerplate layouts.


@dataclass
class Page:
    """What a theme needs to render one article page."""

    article: Article
    related: list[Article]


class Theme:
    canonical = True
    feed_title_suffix = ""

    def __init__(self, outlet: Outlet) -> None:
        self.outlet = outlet

    # -- shared skeleton ------------------------------------------------------------------------
    def document(self, *, title: str, description: str, head: str, body: str, url: str) -> str:
        o = self.outlet
        alternates = "\n".join(
            f'  <link rel="alternate" type="{FEED_MIME[f.kind]}" '
            f'title="{esc(o.name)}" href="{esc(o.absolute(f.path))}">'
            for f in o.feeds
            if f.kind in FEED_MIME
        )
        canonical = f'  <link rel="canonical" href="{esc(url)}">\n' if self.canonical else ""
        head = f"{head}\n" if head else ""
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{o.lang}">\n<head>\n'
            '  <meta charset="utf-8">\n'
            '  <meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"  <title>{esc(title)}</title>\n"
            f'  <meta name="description" content="{esc(description)}">\n'
            f"{canonical}{alternates}\n"
            f'  <link rel="stylesheet" href="/static/site.css">\n'
            f"{head}</head>\n{body}\n</html>\n"
        )

    def article_page(self, page: Page) -> str:
        a = page.article
        return self.document(
            title=self.page_title(a),
            description=a.summary,
            head=self.head_meta(a),
            body=self.body(page),
            url=a.url,
        )

    def home_page(self, articles: list[Article]) -> str:
        o = self.outlet
        items = "\n".join(
            f'      <li class="teaser"><a href="{esc(a.path)}">{esc(a.title)}</a>\n'
            f'        <time datetime="{a.published.isoformat()}">'
            f"{month_day_year(a.published)}</time>\n"
            f"        <p>{esc(a.summary)}</p></li>"
            for a in articles
        )
        main = (
            f'  <main id="home">\n    <h1>{esc(o.name)}</h1>\n'
            f'    <ul class="river">\n{items}\n    </ul>\n  </main>'
        )
        body = f"<body>\n{self.header()}\n{main}\n{self.footer()}\n</body>"
        return self.document(
            title=f"{o.name} | Home",
            description=f"Latest stories from {o.name}.",
            head="",
            body=body,
            url=o.homepage,
        )

    def page_title(self, a: Article) -> str:
        return f"{a.title} | {self.outlet.name}"

    def shown_blocks(self, a: Article) -> tuple[Block, ...]:
        """All of the body, or only its first paragraph (the teaser) behind a paywall."""
        if not a.paywalled:
            return a.blocks
        return (next(b for b in a.blocks if b.kind == "p"),)

    def paywall_box(self, a: Article) -> str:
        if not a.paywalled:
            return ""
        return (
            '      <div class="paywall">\n'
            "        <p>This story is for subscribers. Subscribe to keep reading.</p>\n"
            '        <a class="subscribe" href="/subscribe">Subscribe</a>\n'
            "      </div>\n"
        )

    def related_links(self, page: Page, *, absolute: bool = False) -> str:
        return "\n".join(
            f'        <li><a href="{esc(r.url if absolute else r.path)}">{esc(r.title)}</a></li>'
            for r in page.related
        )

    # -- per-outlet hooks ---------------------------------------------------------------------
    def head_meta(self, a: Article) -> str:
        return ""

    def header(self) -> str:
        raise NotImplementedError

    def footer(self) -> str:
        raise NotImplementedError

    def body(self, page: Page) -> str:
        raise NotImplementedError


def cookie_banner(css_class: str, text: str) -> str:
    return (
        f'  <div class="{css_class}" role="dialog" aria-label="Cookie consent">\n'
        f"    <p>{text}</p>\n"
        "    <button>Accept all</button> <button>Manage choices</button>\n"
        "  </div>"
    )


def nav(css_class: str, sections: list[str]) -> str:
    links = "".join(f'<li><a href="/{s.lower().replace(" ", "-")}/">{esc(s)}</a></li>' for s in sections)
    return f'  <nav class="{css_class}"><ul><li><a href="/">Home</a></li>{links}</ul></nav>'


class PacificLedger(Theme):
    """JSON-LD NewsArticle, visible byline with <time>, paywall for some stories."""

    def head_meta(self, a: Article) -> str:
        return f"{og_meta(a, times=False)}\n  {news_article_ld(a)}"

    def header(self) -> str:
        return (
            '  <header class="masthead">\n'
            '    <a class="logo" href="/">The Pacific Ledger</a>\n'
            '    <a class="subscribe-cta" href="/subscribe">Subscribe for $1 a week</a>\n'
            "  </header>\n" + nav("primary-nav", ["World", "Business", "Technology", "Opinion"])
        )

    def footer(self) -> str:
        return (
            '  <footer class="site-footer">\n'
            "    <p>&copy; Ledger Media Group. All rights reserved.</p>\n"
            '    <a href="/about">About</a> <a href="/privacy">Privacy</a> '
            '<a href="/terms">Terms</a>\n  </footer>'
        )

    def body(self, page: Page) -> str:
        a = page.article
        byline = names(a.authors, "Ledger Wire")
        updated = ""
        if a.updated:
            updated = (
                f' <span class="updated">Updated <time datetime="{a.updated.isoformat()}">'
                f"{month_day_year(a.updated)} {a.updated:%H:%M} {zone_label(a.updated, 'US')}"
                "</time></span>"
            )
        return (
            "<body>\n"
            + cookie_banner("cookie-consent", "We use cookies to personalise content and measure traffic.")
            + f"\n{self.header()}\n"
            '  <main class="layout">\n'
            '    <article class="story">\n'
            f'      <h1 class="headline">{esc(a.title)}</h1>\n'
            f'      <p class="dek">{esc(a.summary)}</p>\n'
            f'      <div class="byline">By {esc(byline)} &middot; '
            f'<time datetime="{a.published.isoformat()}">{month_day_year(a.published)} '
            f"{a.published:%H:%M} {zone_label(a.published, 'US')}</time>{updated}</div>\n"
            f'      <div class="story-body">\n{body_html(self.shown_blocks(a), "        ")}\n'
            "      </div>\n"
            f"{self.paywall_box(a)}"
            "    </article>\n"
            '    <aside class="rail">\n'
            '      <section class="related"><h3>Related stories</h3>\n      <ul>\n'
            f"{self.related_links(page)}\n      </ul></section>\n"
            '      <section class="newsletter"><h3>The Morning Ledger</h3>\n'
            "        <p>Get the day's top stories in your inbox.</p>\n"
            '        <form action="/newsletter"><input type="email" name="email">'
            "<button>Sign up</button></form></section>\n"
            "    </aside>\n  </main>\n"
            f"{self.footer()}\n</body>"
        )


class LedgerWire(Theme):
    """Terse wire page: og/article:* meta only, dateline and 'Ledger Wire' credit."""

    def head_meta(self, a: Article) -> str:
        return og_meta(a, times=True)

    def header(self) -> str:
        return '  <div id="top"><a href="/" class="brand">LEDGER WIRE</a></div>\n' + nav(
            "wire-sections", ["Top News", "Markets", "Technology", "Politics"]
        )

    def footer(self) -> str:
        return (
            '  <div id="bottom"><p>Ledger Wire is a service of Ledger Media Group. '
            'Licensing: <a href="/licensing">clients</a>.</p></div>'
        )

    def body(self, page: Page) -> str:
        a = page.article
        credit = f"By {esc(names(a.authors, ''))}, " if a.authors else ""
        return (
            "<body>\n" + cookie_banner("consent-bar", "This site uses cookies.") + f"\n{self.header()}\n"
            '  <div id="content">\n'
            f"    <h1>{esc(a.title)}</h1>\n"
            f'    <div class="meta">{credit}Ledger Wire &mdash; '
            f"{a.published:%d %b %Y %H:%M} {offset_label(a.published)}</div>\n"
            '    <div class="text">\n'
            f"{body_html(self.shown_blocks(a))}\n"
            "    </div>\n"
            '    <div class="more"><b>More from the wire</b>\n      <ul>\n'
            f"{self.related_links(page, absolute=True)}\n      </ul>\n    </div>\n"
            "  </div>\n"
            f"{self.footer()}\n</body>"
        )


class SiliconStrait(Theme):
    """JSON-LD in an @graph, breadcrumbs, 'Share' bar and 'Read more' links."""

    def head_meta(self, a: Article) -> str:
        return f"  {news_article_ld(a, graph=True)}"

    def header(self) -> str:
        return (
            '  <header id="site-header"><div class="wrap">\n'
            '    <a href="/" class="site-logo">Silicon Strait Daily</a>\n'
            '    <form class="search" action="/search"><input name="q"></form>\n'
            "  </div></header>\n" + nav("menu", ["Hong Kong", "China", "Tech", "Markets"])
        )

    def footer(self) -> str:
        return (
            '  <footer id="colophon"><p>Silicon Strait Daily, a Strait Holdings title. '
            '<a href="/contact">Contact</a> | <a href="/advertise">Advertise</a></p></footer>'
        )

    def body(self, page: Page) -> str:
        a = page.article
        return (
            "<body>\n"
            f"{self.header()}\n"
            '  <div class="breadcrumbs"><a href="/">Home</a> &rsaquo; '
            '<a href="/tech/">Tech</a></div>\n'
            '  <div class="container">\n'
            '    <div class="entry">\n'
            f'      <h1 class="entry-title">{esc(a.title)}</h1>\n'
            f'      <div class="entry-meta"><span class="author">'
            f"{esc(names(a.authors, 'SSD Newsroom'))}</span> "
            f'<span class="date">{a.published:%Y-%m-%d %H:%M} HKT</span></div>\n'
            '      <div class="share-bar"><a href="#">Share</a> <a href="#">Tweet</a> '
            '<a href="#">Email</a></div>\n'
            '      <div class="entry-content">\n'
            f"{body_html(self.shown_blocks(a), '        ')}\n"
            "      </div>\n"
            f"{self.paywall_box(a)}"
            "    </div>\n"
            '    <div class="read-more"><h4>Read more</h4>\n      <ul>\n'
            f"{self.related_links(page)}\n      </ul></div>\n"
            '    <div class="newsletter-signup"><p>Subscribe to Strait Tech Daily, our free '
            "newsletter.</p></div>\n"
            "  </div>\n"
            + cookie_banner("gdpr", "By continuing to browse you agree to our use of cookies.")
            + f"\n{self.footer()}\n</body>"
        )


class DigitalBrief(Theme):
    """Open Graph + article:* meta, a 'Brief' box up top and a long newsletter pitch."""

    def head_meta(self, a: Article) -> str:
        return og_meta(a, times=True)

    def header(self) -> str:
        return '  <div class="topbar">Brussels Digital Brief &mdash; EU tech policy, daily</div>\n' + nav(
            "main-menu", ["AI Act", "DSA", "Data", "Trade"]
        )

    def footer(self) -> str:
        return (
            "  <footer><p>Brussels Digital Brief, Rue de la Loi, Brussels. "
            '<a href="/imprint">Imprint</a></p></footer>'
        )

    def body(self, page: Page) -> str:
        a = page.article
        updated = ""
        if a.updated:
            updated = f'<p class="modified">Last updated: {day_month_year(a.updated)}, '
            updated += f"{a.updated:%H:%M} {zone_label(a.updated, 'BE')}</p>\n      "
        return (
            "<body>\n"
            + cookie_banner("cookie-notice", "We value your privacy. Choose your cookies.")
            + f"\n{self.header()}\n"
            '  <div class="page">\n'
            '    <article class="post">\n'
            f'      <header><h1 class="post-title">{esc(a.title)}</h1>\n'
            f'      <p class="post-author">{esc(names(a.authors, "Digital Brief team"))}</p>\n'
            f'      <p class="post-date">{day_month_year(a.published)}</p>\n'
            f"      {updated}</header>\n"
            '      <div class="post-content">\n'
            f"{body_html(self.shown_blocks(a), '        ')}\n"
            "      </div>\n"
            f"{self.paywall_box(a)}"
            "    </article>\n"
            '    <section class="pitch"><h2>Never miss a Brief</h2><p>Join 20,000 policy '
            "professionals who read us every morning.</p></section>\n"
            '    <section class="also"><h2>Also on the Brief</h2>\n      <ul>\n'
            f"{self.related_links(page)}\n      </ul></section>\n"
            "  </div>\n"
            f"{self.footer()}\n</body>"
        )


class ChipPolicyWatch(Theme):
    """A blog: no canonical, no machine-readable dates, only 'By X | July 10, 2024'."""

    canonical = False

    def header(self) -> str:
        return (
            '  <div class="blog-header"><a href="/">Chip Policy Watch</a>'
            "<small>notes on semiconductors and the state</small></div>\n"
            + nav("blog-nav", ["Archive", "About", "Reading list"])
        )

    def footer(self) -> str:
        return (
            '  <div class="blog-footer">Written in a spare room. No ads, no cookies worth mentioning.</div>'
        )

    def body(self, page: Page) -> str:
        a = page.article
        return (
            "<body>\n"
            f"{self.header()}\n"
            '  <div class="post">\n'
            f"    <h1>{esc(a.title)}</h1>\n"
            f'    <p class="byline">By {esc(names(a.authors, "the editor"))} | '
            f"{month_day_year(a.published)}</p>\n"
            f"{body_html(self.shown_blocks(a), '    ')}\n"
            f"{self.paywall_box(a)}"
            '    <div class="subscribe-box"><p>Get new posts by email. '
            "No spam, one email per post.</p></div>\n"
            '    <div class="prev-next"><p>Other posts:</p>\n      <ul>\n'
            f"{self.related_links(page)}\n      </ul></div>\n"
            "  </div>\n"
            f"{self.footer()}\n</body>"
        )


class TechObserver(Theme):
    """JSON-LD plus a 'publishdate' meta; dates shown in Beijing time."""

    def head_meta(self, a: Article) -> str:
        return f'  <meta name="publishdate" content="{a.published:%Y-%m-%d}">\n  {news_article_ld(a)}'

    def header(self) -> str:
        return (
            '  <div class="header"><a class="logo" href="/">Beijing Tech Observer</a>'
            '<span class="edition">English edition</span></div>\n'
            + nav("channels", ["Companies", "Policy", "Chips", "Internet"])
        )

    def footer(self) -> str:
        return '  <div class="footer"><p>Copyright Beijing Tech Observer. All rights reserved.</p></div>'

    def body(self, page: Page) -> str:
        a = page.article
        return (
            "<body>\n"
            f"{self.header()}\n"
            '  <div class="main-content">\n'
            f'    <div class="article-title"><h1>{esc(a.title)}</h1></div>\n'
            '    <div class="article-info">'
            f"<span>Source: Beijing Tech Observer</span> "
            f"<span>Editor: {esc(names(a.authors, 'Staff'))}</span> "
            f"<span>{a.published:%Y-%m-%d %H:%M} (Beijing time)</span></div>\n"
            '    <div class="article-content" id="content">\n'
            f"{body_html(self.shown_blocks(a))}\n"
            "    </div>\n"
            f"{self.paywall_box(a)}"
            '    <div class="hot-news"><h3>Hot news</h3>\n      <ul>\n'
            f"{self.related_links(page)}\n      </ul></div>\n"
            "  </div>\n"
            + cookie_banner("cookie-tip", "This website uses cookies to improve your experience.")
            + f"\n{self.footer()}\n</body>"
        )


class CapitolAI(Theme):
    """JSON-LD and article:* meta; RSS plus a Google News sitemap."""

    def head_meta(self, a: Article) -> str:
        return f"{og_meta(a, times=True)}\n  {news_article_ld(a)}"

    def header(self) -> str:
        return (
            '  <header class="cr-header"><a href="/" class="cr-logo">Capitol AI Report</a>\n'
            '    <a href="/pro" class="cr-pro">Try CAR Pro</a></header>\n'
            + nav("cr-nav", ["White House", "Congress", "Agencies", "States"])
        )

    def footer(self) -> str:
        return (
            '  <footer class="cr-footer"><p>Capitol AI Report covers AI policy in Washington.'
            '</p><a href="/ethics">Ethics policy</a></footer>'
        )

    def body(self, page: Page) -> str:
        a = page.article
        zone = zone_label(a.published, self.outlet.country)
        stamp = f"{month_day_year(a.published)}, {a.published:%I:%M %p} {zone}"
        return (
            "<body>\n"
            + cookie_banner("cr-cookies", "Cookies help us deliver our services.")
            + f"\n{self.header()}\n"
            '  <main>\n    <article class="cr-article">\n'
            f'      <div class="cr-kicker">Policy</div>\n'
            f"      <h1>{esc(a.title)}</h1>\n"
            f'      <div class="cr-byline">By <span class="cr-author">'
            f"{esc(names(a.authors, 'CAR Staff'))}</span>"
            f' <span class="cr-time">{stamp}</span></div>\n'
            '      <section class="cr-body">\n'
            f"{body_html(self.shown_blocks(a), '        ')}\n"
            "      </section>\n"
            f"{self.paywall_box(a)}"
            "    </article>\n"
            '    <section class="cr-related"><h2>More from Capitol AI Report</h2>\n      <ul>\n'
            f"{self.related_links(page, absolute=True)}\n      </ul></section>\n"
            '    <section class="cr-newsletter"><h2>The Capitol AI Briefing</h2>'
            "<p>Every weekday at 6 a.m.</p></section>\n"
            "  </main>\n"
            f"{self.footer()}\n</body>"
        )


class FrontierPolicy(Theme):
    """Think tank: Highwire-style citation_* meta, report-like layout, 'Download PDF'."""

    def head_meta(self, a: Article) -> str:
        lines = [f'<meta name="citation_title" content="{esc(a.title)}">']
        lines += [f'<meta name="citation_author" content="{esc(n)}">' for n in a.authors]
        lines.append(f'<meta name="citation_publication_date" content="{a.published:%Y/%m/%d}">')
        lines.append(f'<meta property="og:title" content="{esc(a.title)}">')
        return "\n".join("  " + line for line in lines)

    def header(self) -> str:
        return '  <div class="institute-bar"><a href="/">Frontier Policy Institute</a></div>\n' + nav(
            "site-nav", ["Research", "Events", "Experts", "Donate"]
        )

    def footer(self) -> str:
        return (
            '  <footer class="inst-footer"><p>Frontier Policy Institute is a registered charity. '
            "Views are the authors' own.</p></footer>"
        )

    def body(self, page: Page) -> str:
        a = page.article
        authors = "".join(f'<li class="expert">{esc(n)}</li>' for n in a.authors)
        return (
            "<body>\n"
            + cookie_banner("consent", "We use essential and analytics cookies.")
            + f"\n{self.header()}\n"
            '  <div class="report">\n'
            '    <div class="report-type">Commentary</div>\n'
            f"    <h1>{esc(a.title)}</h1>\n"
            f'    <ul class="experts">{authors}</ul>\n'
            f'    <div class="pubdate">{day_month_year(a.published)}</div>\n'
            '    <a class="pdf" href="#">Download PDF</a>\n'
            '    <div class="report-body">\n'
            f"{body_html(self.shown_blocks(a))}\n"
            "    </div>\n"
            f"{self.paywall_box(a)}"
            '    <div class="related-research"><h2>Related research</h2>\n      <ul>\n'
            f"{self.related_links(page)}\n      </ul></div>\n"
            '    <div class="donate-box"><p>Independent research needs independent funding.'
            ' <a href="/donate">Support us</a>.</p></div>\n'
            "  </div>\n"
            f"{self.footer()}\n</body>"
        )


class HeadlinesHub(Theme):
    """Aggregator: no canonical, og:* without times, visible date only, ads everywhere."""

    canonical = False

    def head_meta(self, a: Article) -> str:
        return og_meta(a, times=False)

    def header(self) -> str:
        return (
            '  <div class="ad-slot leaderboard">Advertisement</div>\n'
            '  <div class="hub-top"><a href="/">AI HEADLINES HUB</a> '
            '<span class="tagline">All the AI news. Fast.</span></div>\n'
            + nav("hub-nav", ["Trending", "Big Tech", "Policy", "Deals"])
        )

    def footer(self) -> str:
        return '  <div class="hub-footer"><p>AI Headlines Hub aggregates news from around the web.</p></div>'

    def body(self, page: Page) -> str:
        a = page.article
        return (
            "<body>\n"
            f"{self.header()}\n"
            '  <div class="hub-main">\n'
            f'    <h1 class="hub-title">{esc(a.title)}</h1>\n'
            f'    <div class="hub-meta">Posted {month_day_year(a.published)} by '
            f"{esc(names(a.authors, 'Hub Staff'))}</div>\n"
            '    <div class="hub-body">\n'
            f"{body_html(self.shown_blocks(a))}\n"
            '      <div class="ad-slot inline">Sponsored: Try the AI writing assistant '
            "everyone is talking about</div>\n"
            "    </div>\n"
            f"{self.paywall_box(a)}"
            '    <div class="trending"><h3>Trending now</h3>\n      <ul>\n'
            f"{self.related_links(page)}\n      </ul></div>\n"
            '    <div class="hub-newsletter"><h3>Get the Hub in your inbox!</h3>'
            "<p>10 stories. 5 minutes. Every day.</p></div>\n"
            "  </div>\n"
            + cookie_banner("cc-window", "This website uses cookies to ensure you get the best experience.")
            + f"\n{self.footer()}\n</body>"
        )


class GlobalMarketsWire(Theme):
    """Wire: JSON-LD plus article:published_time, 'Reporting by' credit at the end."""

    def head_meta(self, a: Article) -> str:
        return (
            f'  <meta property="article:published_time" content="{a.published.isoformat()}">\n'
            f"  {news_article_ld(a)}"
        )

    def header(self) -> str:
        return '  <header class="gmw-head"><a href="/">Global Markets Wire</a></header>\n' + nav(
            "gmw-nav", ["Markets", "Companies", "Technology", "Regulation"]
        )

    def footer(self) -> str:
        return (
            '  <footer class="gmw-foot"><p>All quotes delayed a minimum of 15 minutes. '
            '<a href="/disclaimer">Disclaimer</a></p></footer>'
        )

    def body(self, page: Page) -> str:
        a = page.article
        credit = ""
        if a.authors:
            credit = f'      <p class="credit">Reporting by {esc(names(a.authors, ""))}</p>\n'
        return (
            "<body>\n"
            + cookie_banner("gmw-consent", "We and our partners use cookies.")
            + f"\n{self.header()}\n"
            '  <main class="gmw-article">\n'
            f"    <h1>{esc(a.title)}</h1>\n"
            f'    <p class="gmw-date">{day_month_year(a.published)} '
            f"{a.published:%H:%M} {offset_label(a.published)}</p>\n"
            '    <div class="gmw-text">\n'
            f"{body_html(self.shown_blocks(a))}\n"
            f"{credit}"
            "    </div>\n"
            f"{self.paywall_box(a)}"
            '    <div class="gmw-related"><h2>Related coverage</h2>\n      <ul>\n'
            f"{self.related_links(page, absolute=True)}\n      </ul></div>\n"
            "  </main>\n"
            f"{self.footer()}\n</body>"
        )


THEMES: dict[str, type[Theme]] = {
    "pl": PacificLedger,
    "lw": LedgerWire,
    "ssd": SiliconStrait,
    "db": DigitalBrief,
    "cpw": ChipPolicyWatch,
    "bto": TechObserver,
    "car": CapitolAI,
    "fpi": FrontierPolicy,
    "ahb": HeadlinesHub,
    "gmw": GlobalMarketsWire,
}


# --------------------------------------------------------------------------------------------
# Feeds


def full_html(a: Article) -> str:
    return body_html(a.blocks, indent="")


def rss_feed(outlet: Outlet, feed: Feed, articles: list[Article]) -> str:
    newest = max(a.last_modified for a in articles)
    # Wires give opaque ids; other outlets use the page URL as a permalink guid.
    opaque_guid = outlet.kind == "wire"
    items = []
    for a in articles:
        guid = (
            f'<guid isPermaLink="false">{outlet.short}-{a.published:%Y%m%d}-{a.slug}</guid>'
            if opaque_guid
            else f'<guid isPermaLink="true">{xml_escape(a.url)}</guid>'
        )
        parts = [
            f"<title>{xml_escape(a.title)}</title>",
            f"<link>{xml_escape(a.feed_url)}</link>",
            guid,
            f"<pubDate>{format_datetime(a.published)}</pubDate>",
        ]
        if a.updated:
            parts.append(f"<atom:updated>{a.updated.isoformat()}</atom:updated>")
        parts += [f"<dc:creator>{xml_escape(n)}</dc:creator>" for n in a.authors]
        parts.append(f"<description>{xml_escape(a.summary)}</description>")
        if not a.paywalled:
            cdata = full_html(a).replace("]]>", "]]]]><![CDATA[>")
            parts.append(f"<content:encoded><![CDATA[{cdata}]]></content:encoded>")
        items.append("    <item>\n" + "\n".join("      " + p for p in parts) + "\n    </item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
        "  <channel>\n"
        f"    <title>{xml_escape(outlet.name)}</title>\n"
        f"    <link>{xml_escape(outlet.homepage)}</link>\n"
        f"    <description>Latest stories from {xml_escape(outlet.name)}</description>\n"
        f"    <language>{outlet.lang}</language>\n"
        f"    <lastBuildDate>{format_datetime(newest)}</lastBuildDate>\n"
        f'    <atom:link href="{xml_escape(outlet.absolute(feed.path))}" rel="self" '
        'type="application/rss+xml"/>\n' + "\n".join(items) + "\n  </channel>\n</rss>\n"
    )


def atom_feed(outlet: Outlet, feed: Feed, articles: list[Article]) -> str:
    newest = max(a.last_modified for a in articles)
    entries = []
    for a in articles:
        parts = [
            f"<id>tag:{outlet.domain},{a.published:%Y-%m-%d}:{a.slug}</id>",
            f"<title>{xml_escape(a.title)}</title>",
            f'<link rel="alternate" type="text/html" href={quoteattr(a.feed_url)}/>',
            f"<published>{a.published.isoformat()}</published>",
            f"<updated>{a.last_modified.isoformat()}</updated>",
        ]
        parts += [f"<author><name>{xml_escape(n)}</name></author>" for n in a.authors]
        parts.append(f"<summary>{xml_escape(a.summary)}</summary>")
        if not a.paywalled:
            parts.append(f'<content type="html">{xml_escape(full_html(a))}</content>')
        entries.append("  <entry>\n" + "\n".join("    " + p for p in parts) + "\n  </entry>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.lang}">\n'
        f"  <id>{xml_escape(outlet.homepage)}</id>\n"
        f"  <title>{xml_escape(outlet.name)}</title>\n"
        f"  <updated>{newest.isoformat()}</updated>\n"
        # Entry authors are optional (wire copy), so the feed names a fallback author.
        f"  <author><name>{xml_escape(outlet.name)}</name></author>\n"
        f'  <link rel="self" type="application/atom+xml" '
        f"href={quoteattr(outlet.absolute(feed.path))}/>\n"
        f'  <link rel="alternate" type="text/html" href={quoteattr(outlet.homepage)}/>\n'
        + "\n".join(entries)
        + "\n</feed>\n"
    )


def json_feed(outlet: Outlet, feed: Feed, articles: list[Article]) -> str:
    items = []
    for a in articles:
        item = {
            "id": a.url,
            "url": a.feed_url,
            "title": a.title,
            "summary": a.summary,
            "date_published": a.published.isoformat(),
        }
        if a.updated:
            item["date_modified"] = a.updated.isoformat()
        if a.authors:
            item["authors"] = [{"name": n} for n in a.authors]
        if a.paywalled:
            item["content_text"] = a.summary
        else:
            item["content_html"] = full_html(a)
        items.append(item)
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": outlet.name,
        "home_page_url": outlet.homepage,
        "feed_url": outlet.absolute(feed.path),
        "language": outlet.lang,
        "authors": [{"name": outlet.name, "url": outlet.homepage}],
        "items": items,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def news_sitemap(outlet: Outlet, feed: Feed, articles: list[Article]) -> str:
    urls = []
    for a in articles:
        urls.append(
            "  <url>\n"
            f"    <loc>{xml_escape(a.url)}</loc>\n"
            f"    <lastmod>{a.last_modified.isoformat()}</lastmod>\n"
            "    <news:news>\n"
            "      <news:publication>\n"
            f"        <news:name>{xml_escape(outlet.name)}</news:name>\n"
            f"        <news:language>{outlet.lang.split('-')[0]}</news:language>\n"
            "      </news:publication>\n"
            f"      <news:publication_date>{a.published.isoformat()}</news:publication_date>\n"
            f"      <news:title>{xml_escape(a.title)}</news:title>\n"
            "    </news:news>\n"
            "  </url>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + "\n".join(urls) + "\n</urlset>\n"
    )


def sitemap_index(outlet: Outlet, feed: Feed, articles: list[Article]) -> str:
    newest = max(a.last_modified for a in articles)
    children = [f for f in outlet.feeds if f.kind == "news_sitemap"]
    entries = "\n".join(
        "  <sitemap>\n"
        f"    <loc>{xml_escape(outlet.absolute(f.path))}</loc>\n"
        f"    <lastmod>{newest.isoformat()}</lastmod>\n"
        "  </sitemap>"
        for f in children
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}\n</sitemapindex>\n"
    )


FEED_WRITERS = {
    "rss": rss_feed,
    "atom": atom_feed,
    "json_feed": json_feed,
    "news_sitemap": news_sitemap,
    "sitemap_index": sitemap_index,
}


def robots_txt(outlet: Outlet) -> str:
    # Disallow lines first: urllib.robotparser applies the first matching rule, not the longest.
    lines = ["User-agent: *"]
    lines += [f"Disallow: {p}" for p in outlet.robots_disallow]
    lines.append("Allow: /")
    lines += [f"Sitemap: {outlet.absolute(f.path)}" for f in outlet.feeds if f.kind == "sitemap_index"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Site


def related_for(article: Article, siblings: list[Article]) -> list[Article]:
    """The outlet's stories closest in time, the way a 'related' widget fills itself."""
    others = [s for s in siblings if s is not article]
    others.sort(key=lambda s: (abs((s.published - article.published).total_seconds()), s.url))
    return others[:RELATED_LINKS]


def manifest(events: list[Event]) -> dict:
    outlets = []
    for o in OUTLETS:
        outlets.append(
            {
                "name": o.name,
                "short": o.short,
                "domain": o.domain,
                "homepage": o.homepage,
                "country": o.country,
                "kind": o.kind,
                "owner_group": o.owner_group,
                "reliability_note": o.reliability_note,
                "feeds": [
                    {"url": o.absolute(f.path), "kind": f.kind}
                    for f in o.feeds
                    # The tracker polls the sitemap index, which leads it to the news sitemap.
                    if f.kind != "news_sitemap"
                ],
            }
        )
    by_key = {a.key: a for e in events for a in e.articles}
    articles = [
        {
            "event": a.event,
            "nn": a.nn,
            "outlet": a.outlet.domain,
            "url": a.url,
            "published": a.published.isoformat(),
            "copy_of": by_key[a.copy_of].url if a.copy_of else None,
        }
        for e in events
        for a in e.articles
    ]
    return {"outlets": outlets, "articles": articles}


def render(events: list[Event]) -> dict[str, str]:
    """Return {path relative to the corpus dir: text} for the whole site and manifest.json."""
    files: dict[str, str] = {}
    all_articles = [a for e in events for a in e.articles]
    for outlet in OUTLETS:
        own = sorted(
            (a for a in all_articles if a.outlet is outlet),
            key=lambda a: (a.published, a.url),
            reverse=True,
        )
        if not own:
            continue
        theme = THEMES[outlet.short](outlet)
        base = f"site/{outlet.domain}"
        for article in own:
            page = Page(article=article, related=related_for(article, own))
            files[f"{base}{article.path}"] = theme.article_page(page)
        files[f"{base}/index.html"] = theme.home_page(own)
        files[f"{base}/robots.txt"] = robots_txt(outlet)
        for feed in outlet.feeds:
            files[f"{base}{feed.path}"] = FEED_WRITERS[feed.kind](outlet, feed, own)
    files["manifest.json"] = json.dumps(manifest(events), ensure_ascii=False, indent=2) + "\n"
    return files


def write_tree(files: dict[str, str], out_dir: Path) -> None:
    for rel, text in files.items():
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")


def read_tree(corpus_dir: Path) -> dict[str, bytes]:
    found = {}
    site = corpus_dir / "site"
    if site.exists():
        for path in sorted(site.rglob("*")):
            if path.is_file():
                found[path.relative_to(corpus_dir).as_posix()] = path.read_bytes()
    manifest_path = corpus_dir / "manifest.json"
    if manifest_path.exists():
        found["manifest.json"] = manifest_path.read_bytes()
    return found


def build(corpus_dir: Path | None = None) -> dict[str, str]:
    """Validate the sources and replace site/ and manifest.json under corpus_dir."""
    corpus_dir = corpus_dir or CORPUS_DIR
    events = load_corpus(corpus_dir / "articles")
    files = render(events)
    # Render beside the target and swap, so a failure never leaves half a site behind.
    with tempfile.TemporaryDirectory(dir=corpus_dir) as tmp:
        write_tree(files, Path(tmp))
        site = corpus_dir / "site"
        if site.exists():
            shutil.rmtree(site)
        (Path(tmp) / "site").rename(site)
        (Path(tmp) / "manifest.json").replace(corpus_dir / "manifest.json")
    return files


def check(corpus_dir: Path | None = None) -> list[str]:
    """Return the paths whose committed content differs from a fresh render."""
    corpus_dir = corpus_dir or CORPUS_DIR
    events = load_corpus(corpus_dir / "articles")
    with tempfile.TemporaryDirectory() as tmp:
        write_tree(render(events), Path(tmp))
        fresh = read_tree(Path(tmp))
    committed = read_tree(corpus_dir)
    return sorted(p for p in fresh.keys() | committed.keys() if fresh.get(p) != committed.get(p))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="re-render into a temporary directory and fail if the committed site differs",
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            stale = check()
            if stale:
                print(
                    f"demo corpus is stale: {len(stale)} file(s) differ from a fresh render, "
                    "run `python demo/build_corpus.py`:",
                    file=sys.stderr,
                )
                for path in stale[:20]:
                    print(f"  demo/corpus/{path}", file=sys.stderr)
                if len(stale) > 20:
                    print(f"  ... and {len(stale) - 20} more", file=sys.stderr)
                return 1
            print("demo corpus is up to date")
            return 0
        files = build()
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    pages = sum(1 for p in files if p.endswith(".html") and not p.endswith("/index.html"))
    outlets = len({p.split("/")[1] for p in files if p.startswith("site/")})
    print(f"rendered {pages} articles for {outlets} outlets into {_rel(CORPUS_DIR / 'site')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
