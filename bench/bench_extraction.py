"""Speed and precision of the scrapers' extraction against the bare libraries underneath.

    .venv/bin/python bench/bench_extraction.py [--repeat 3] [--corpus DIR]

Reads the demo corpus (demo/corpus/site/**), or tests/fixtures/scrapers when the demo
is absent, and prints markdown tables:

1. pages/s of scrapers.extract.extract_article vs trafilatura.extract (defaults, and
   with the options extract_article uses), and feeds/s of scrapers.feeds.parse_feed vs
   feedparser.parse. The ratio column is "ours / bare": the price of our decoding,
   metadata, canonical and paywall work (and of the XML screening for feeds).
2. Boilerplate kept: the share of navigation / footer / cookie / newsletter phrases of
   each page that survive into the output, for extract_article, trafilatura and plain
   BeautifulSoup get_text(). Lower is better. Where the demo manifest gives the article
   body (demo/corpus/articles/*.md), body recall is shown too: the share of the body's
   paragraphs found in the output (paywalled pages left out). Higher is better.

Not a test: numbers depend on the machine. Keep --repeat small on shared CPUs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import feedparser  # noqa: E402
import lxml.html  # noqa: E402
import trafilatura  # noqa: E402
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning  # noqa: E402

from scrapers.errors import ScraperError  # noqa: E402
from scrapers.extract import extract_article  # noqa: E402
from scrapers.feeds import parse_feed  # noqa: E402

DEMO_SITE = ROOT / "demo" / "corpus" / "site"
DEMO_ARTICLES = ROOT / "demo" / "corpus" / "articles"
DEMO_MANIFEST = ROOT / "demo" / "corpus" / "manifest.json"
FIXTURES = ROOT / "tests" / "fixtures" / "scrapers"

_BOILERPLATE_TAGS = frozenset({"nav", "footer", "header", "aside", "form"})
_BOILERPLATE_CLASS = re.compile(
    r"nav|menu|footer|cookie|consent|newsletter|related|promo|share|social|subscribe|advert|ad-slot|"
    r"sidebar|breadcrumb|masthead|tagline|top-links|footer-links",
    re.I,
)
# Phrases shorter than this are words like "Home" that also occur in article text.
MIN_PHRASE_CHARS = 18
# Body paragraphs are matched on a prefix, so small punctuation differences do not count.
BODY_PREFIX_CHARS = 60


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _is_feed_file(path: Path) -> bool:
    head = path.read_bytes()[:300].lstrip().lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf", b"<urlset", b"<sitemapindex")) or (
        head.startswith(b"{") and b"jsonfeed.org" in path.read_bytes()[:500]
    )


def collect(corpus: Path | None) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]], str]:
    """(pages, feeds, description) as (url, bytes) pairs."""
    if corpus is None:
        corpus = DEMO_SITE if DEMO_SITE.is_dir() and any(DEMO_SITE.rglob("*.html")) else FIXTURES
    pages: list[tuple[str, bytes]] = []
    feeds: list[tuple[str, bytes]] = []
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        relative = path.relative_to(corpus).as_posix()
        url = f"http://{relative}" if corpus == DEMO_SITE else f"https://fixtures.example/{relative}"
        if path.suffix == ".html" and path.name != "index.html":
            pages.append((url, path.read_bytes()))
        elif path.suffix != ".html" and path.name != "robots.txt" and _is_feed_file(path):
            feeds.append((url, path.read_bytes()))
    return pages, feeds, str(corpus.relative_to(ROOT))


def gold_bodies() -> dict[str, list[str]]:
    """Article URL -> body paragraphs, from the demo's source markdown (non-paywalled only)."""
    if not DEMO_MANIFEST.exists():
        return {}
    manifest = json.loads(DEMO_MANIFEST.read_text())
    bodies: dict[str, list[str]] = {}
    for entry in manifest.get("articles", []):
        matches = sorted((DEMO_ARTICLES / entry["event"]).glob(f"{entry['nn']}-*.md"))
        if not matches:
            continue
        text = matches[0].read_text(encoding="utf-8")
        _front, _sep, body = text.partition("+++")[2].partition("+++")
        if re.search(r"^paywalled\s*=\s*true", _front, re.M):
            continue
        paragraphs = []
        for block in re.split(r"\n\s*\n", body):
            block = block.strip().lstrip(">").strip()
            if block and not block.startswith("#") and len(block) >= BODY_PREFIX_CHARS:
                paragraphs.append(_norm(block)[:BODY_PREFIX_CHARS])
        bodies[entry["url"]] = paragraphs
    return bodies


def boilerplate_phrases(html: bytes) -> list[str]:
    tree = lxml.html.document_fromstring(html)
    phrases: list[str] = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        marked = _BOILERPLATE_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}")
        inside_article = any(a.tag == "article" for a in element.iterancestors())
        if (element.tag in _BOILERPLATE_TAGS and not inside_article) or marked:
            for piece in element.itertext():
                phrase = _norm(piece)
                if len(phrase) >= MIN_PHRASE_CHARS:
                    phrases.append(phrase)
    return list(dict.fromkeys(phrases))


def timed(
    label: str, func: Callable[[str, bytes], object], items: list[tuple[str, bytes]], repeat: int
) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for url, content in items:
            func(url, content)
        best = min(best, time.perf_counter() - started)
    return len(items) / best if best > 0 else float("inf")


def ours_text(url: str, content: bytes) -> str:
    return extract_article(content, url=url).text


def trafilatura_default(url: str, content: bytes) -> str:
    return trafilatura.extract(content, url=url) or ""


def trafilatura_like_ours(url: str, content: bytes) -> str:
    return (
        trafilatura.extract(
            content, url=url, favor_precision=True, include_comments=False, include_tables=False
        )
        or ""
    )


def soup_text(url: str, content: bytes) -> str:
    return BeautifulSoup(content, "lxml").get_text(" ")


def ours_feed(url: str, content: bytes) -> object:
    try:
        return parse_feed(content, url=url)
    except ScraperError:
        return None


def bare_feed(url: str, content: bytes) -> object:
    return feedparser.parse(content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timing runs; the best is kept")
    parser.add_argument("--corpus", type=Path, default=None, help="directory of .html pages and feeds")
    args = parser.parse_args()
    warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)

    pages, feeds, where = collect(args.corpus.resolve() if args.corpus else None)
    print(
        f"Corpus: `{where}`: {len(pages)} article pages, {len(feeds)} feeds/sitemaps; best of {args.repeat} runs.\n"
    )

    ours = timed("ours", ours_text, pages, args.repeat)
    bare = timed("bare", trafilatura_default, pages, args.repeat)
    like = timed("like", trafilatura_like_ours, pages, args.repeat)
    soup = timed("soup", soup_text, pages, args.repeat)
    print("| extractor | pages/s | ours / this |")
    print("|---|---:|---:|")
    print(f"| scrapers.extract.extract_article | {ours:.1f} | 1.00 |")
    print(f"| trafilatura.extract (defaults) | {bare:.1f} | {ours / bare:.2f} |")
    print(f"| trafilatura.extract (favor_precision, no tables/comments) | {like:.1f} | {ours / like:.2f} |")
    print(f"| BeautifulSoup get_text (no extraction) | {soup:.1f} | {ours / soup:.2f} |")
    if feeds:
        ours_f = timed("feeds", ours_feed, feeds, args.repeat)
        bare_f = timed("feedparser", bare_feed, feeds, args.repeat)
        print("\n| feed parser | feeds/s | ours / this |")
        print("|---|---:|---:|")
        print(f"| scrapers.feeds.parse_feed | {ours_f:.1f} | 1.00 |")
        print(f"| feedparser.parse | {bare_f:.1f} | {ours_f / bare_f:.2f} |")

    gold = gold_bodies()
    extractors = {
        "extract_article": ours_text,
        "trafilatura (defaults)": trafilatura_default,
        "BeautifulSoup get_text": soup_text,
    }
    kept = {name: [0, 0] for name in extractors}
    recall = {name: [0, 0] for name in extractors}
    for url, content in pages:
        phrases = boilerplate_phrases(content)
        body = gold.get(url, [])
        for name, func in extractors.items():
            output = _norm(func(url, content))
            kept[name][0] += sum(1 for phrase in phrases if phrase in output)
            kept[name][1] += len(phrases)
            recall[name][0] += sum(1 for paragraph in body if paragraph in output)
            recall[name][1] += len(body)
    print(
        "\n| output of | boilerplate phrases kept (lower is better) | body paragraphs found (higher is better) |"
    )
    print("|---|---:|---:|")
    for name in extractors:
        found, total = kept[name]
        hit, wanted = recall[name]
        kept_cell = f"{found}/{total} = {found / total:.0%}" if total else "n/a"
        recall_cell = f"{hit}/{wanted} = {hit / wanted:.0%}" if wanted else "n/a (no gold bodies)"
        print(f"| {name} | {kept_cell} | {recall_cell} |")


if __name__ == "__main__":
    main()
