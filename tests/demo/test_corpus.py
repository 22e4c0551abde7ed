"""The demo corpus: sources validate, the committed site is current, pages and feeds are usable.

No Django and no network: the renderer is plain Python and the site is files on disk.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import textwrap
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html
import pytest

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
SITE_DIR = DEMO_DIR / "corpus" / "site"

# Corpus size the spec asks for across both writers.
MIN_ARTICLES, MIN_OUTLETS, MIN_EVENTS = 40, 8, 10
MIN_EVENT_ARTICLES, MAX_EVENT_ARTICLES = 2, 6
# A syndicated copy changes a few words (headline, one added sentence); its body must still
# share nearly all of its original's words, or copy_of in the ground truth is a lie.
MIN_COPY_OVERLAP = 0.85
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _load_renderer():
    spec = importlib.util.spec_from_file_location("build_corpus", DEMO_DIR / "build_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_corpus"] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


bc = _load_renderer()
EVENTS = bc.load_corpus()
ARTICLES = [a for e in EVENTS for a in e.articles]


def site_file(url: str) -> Path:
    """The file the demo server answers `url` from (it routes by host, ignores the query)."""
    parts = urlsplit(url)
    path = parts.path if parts.path not in ("", "/") else "/index.html"
    return SITE_DIR / parts.netloc / path.lstrip("/")


def feeds_of(*kinds: str) -> list:
    """pytest params (outlet, feed file) for every rendered feed of these kinds."""
    return [
        pytest.param(outlet, SITE_DIR / outlet.domain / feed.path.lstrip("/"), id=outlet.domain + feed.path)
        for outlet in bc.OUTLETS
        for feed in outlet.feeds
        if feed.kind in kinds and (SITE_DIR / outlet.domain).exists()
    ]


def test_committed_site_matches_a_fresh_render():
    stale = bc.check()
    assert stale == [], f"run `python demo/build_corpus.py`; stale files: {stale[:10]}"


def test_rendering_is_deterministic():
    assert bc.render(bc.load_corpus()) == bc.render(bc.load_corpus())


def test_corpus_totals_meet_the_spec():
    outlets = {a.outlet.domain for a in ARTICLES}
    counts = f"{len(ARTICLES)} articles, {len(outlets)} outlets, {len(EVENTS)} events"
    print(f"demo corpus: {counts}")
    assert len(ARTICLES) >= MIN_ARTICLES, f"need >= {MIN_ARTICLES} articles; have {counts}"
    assert len(outlets) >= MIN_OUTLETS, f"need >= {MIN_OUTLETS} outlets; have {counts}"
    assert len(EVENTS) >= MIN_EVENTS, f"need >= {MIN_EVENTS} events; have {counts}"
    sizes = {e.key: len(e.articles) for e in EVENTS}
    wrong = {k: n for k, n in sizes.items() if not MIN_EVENT_ARTICLES <= n <= MAX_EVENT_ARTICLES}
    assert not wrong, f"events need {MIN_EVENT_ARTICLES}-{MAX_EVENT_ARTICLES} articles: {wrong}"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: f"{a.event}/{a.nn}-{a.outlet.short}")
def test_every_article_renders_as_a_page(article):
    page = site_file(article.url)
    assert page.exists(), f"{article.source} has no page at {page}"
    doc = lxml.html.fromstring(page.read_bytes())
    text = " ".join(doc.text_content().split())

    assert doc.get("lang"), "pages declare their language"
    assert article.title in text
    first_paragraph = next(b.text for b in article.blocks if b.kind == "p")
    assert first_paragraph in text
    if not article.paywalled:
        assert article.blocks[-1].text in text
    feed_types = [link.get("type") for link in doc.xpath('//link[@rel="alternate"]')]
    assert feed_types, "every page advertises its outlet's feed"
    canonical = doc.xpath('//link[@rel="canonical"]/@href')
    assert canonical in ([], [article.url])


def test_paywalled_pages_show_a_teaser_only(tmp_path):
    src = _write_source(tmp_path, "ev", "01-pl.md", paywalled="true")
    (src.parent / "event.toml").write_text(EVENT_TOML.format(key="ev"))
    [event] = bc.load_corpus(tmp_path)
    [article] = event.articles
    files = bc.render([event])
    page = files[f"site/pacificledger.example{article.path}"]
    assert article.blocks[0].text in page
    assert article.blocks[-1].text not in page
    assert 'class="paywall"' in page
    assert article.blocks[-1].text not in files["site/pacificledger.example/feed.xml"]


@pytest.mark.parametrize(("outlet", "path"), feeds_of("rss", "atom"))
def test_xml_feeds_parse_cleanly_and_link_to_pages(outlet, path):
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    own = [a for a in ARTICLES if a.outlet is outlet]
    assert len(parsed.entries) == len(own)
    for entry in parsed.entries:
        assert site_file(entry.link).exists(), f"{path}: item links to missing page {entry.link}"
    published = [entry.published_parsed for entry in parsed.entries]
    assert published == sorted(published, reverse=True), "feeds list newest first"


@pytest.mark.parametrize(("outlet", "path"), feeds_of("json_feed"))
def test_json_feed_is_version_1_1_with_required_fields(outlet, path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"]
    assert data["feed_url"] == outlet.absolute("/feed.json")
    assert data["items"]
    # feedparser 6.0 reads no JSON Feed, so the spec's required fields are checked directly.
    assert len(data["items"]) == len([a for a in ARTICLES if a.outlet is outlet])
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_html") or item.get("content_text"), item["id"]
        assert site_file(item["url"]).exists(), item["url"]
        assert datetime.fromisoformat(item["date_published"]).tzinfo is not None
        assert all(author["name"] for author in item.get("authors", []))


def test_news_sitemap_is_reachable_from_the_sitemap_index():
    [param] = feeds_of("sitemap_index")
    outlet, index_path = param.values
    index = ET.parse(index_path).getroot()
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    children = [loc.text for loc in index.findall("sm:sitemap/sm:loc", SITEMAP_NS)]
    assert children
    for child in children:
        urlset = ET.parse(site_file(child)).getroot()
        locs = [loc.text for loc in urlset.findall("sm:url/sm:loc", SITEMAP_NS)]
        assert locs and all(site_file(loc).exists() for loc in locs)
    robots = (SITE_DIR / outlet.domain / "robots.txt").read_text()
    assert f"Sitemap: {outlet.absolute('/sitemap.xml')}" in robots


def test_robots_allow_all_but_one_private_area():
    disallows = {}
    for outlet in bc.OUTLETS:
        robots = SITE_DIR / outlet.domain / "robots.txt"
        if robots.exists():
            disallows[outlet.domain] = re.findall(r"^Disallow: (\S+)", robots.read_text(), re.M)
    assert sorted(v for v in disallows.values() if v) == [["/private/"]]


def test_manifest_lists_every_outlet_with_articles_and_their_feeds():
    manifest = json.loads((DEMO_DIR / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    listed = {o["domain"]: o for o in manifest["outlets"]}
    assert {a.outlet.domain for a in ARTICLES} <= listed.keys()
    for domain, outlet in listed.items():
        for key in ("name", "homepage", "country", "kind", "owner_group", "reliability_note"):
            assert key in outlet, f"{domain} lacks {key}"
        assert outlet["feeds"], f"{domain} lists no feed"
        for feed in outlet["feeds"]:
            assert feed["kind"] in {"rss", "atom", "json_feed", "sitemap_index"}
            if (SITE_DIR / domain).exists():
                assert site_file(feed["url"]).exists(), feed["url"]
    assert len(manifest["articles"]) == len(ARTICLES)


def test_home_pages_list_the_outlet_and_its_feed():
    for domain in {a.outlet.domain for a in ARTICLES}:
        doc = lxml.html.fromstring((SITE_DIR / domain / "index.html").read_bytes())
        assert doc.xpath('//link[@rel="alternate"]'), domain
        assert doc.xpath('//ul[@class="river"]/li'), domain


def test_syndicated_copies_are_near_identical_to_their_original():
    by_key = {a.key: a for a in ARTICLES}
    copies = [a for a in ARTICLES if a.copy_of]
    assert copies, "the corpus needs at least one syndicated copy"
    for copy in copies:
        original = by_key[copy.copy_of]
        words = set(" ".join(b.text for b in original.blocks).lower().split())
        copied = " ".join(b.text for b in copy.blocks).lower().split()
        overlap = sum(w in words for w in copied) / len(copied)
        assert overlap >= MIN_COPY_OVERLAP, f"{copy.source}: only {overlap:.0%} of words shared"


# ---- validation: every bad source is refused with a message naming the file ------------------

BODY = " ".join(["Word"] * 200)
EVENT_TOML = textwrap.dedent(
    """\
    key = "{key}"
    title = "T"
    date = 2024-07-09
    date_precision = "day"
    date_evidence = "e"
    jurisdictions = ["US"]
    companies = []
    topics = ["api-access"]
    claims = []
    """
)


def _write_source(root: Path, event: str, name: str, **fields: str) -> Path:
    meta = {
        "outlet": '"pacificledger.example"',
        "slug": '"a-story"',
        "title": '"A story"',
        "published": "2024-07-10T09:15:00-07:00",
        "authors": '["A Writer"]',
        "summary": '"Summary."',
    }
    meta.update(fields)
    lines = [f"{k} = {v}" for k, v in meta.items() if v is not None]
    path = root / event / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("+++\n" + "\n".join(lines) + "\n+++\n" + BODY + "\n\nSecond paragraph here.\n")
    return path


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"summary": None}, "missing front-matter key(s): summary"),
        ({"outlet": '"nowhere.example"'}, "unknown outlet 'nowhere.example'"),
        ({"published": '"July 10"'}, "published must be a TOML date-time with a UTC offset"),
        ({"published": "2024-07-10T09:15:00"}, "published must be a TOML date-time with a UTC offset"),
        ({"published": "2024-07-10T09:15:00+08:00"}, "is not local time for The Pacific Ledger"),
        ({"copy_of": '"ledgerwire.example/2024/07/missing"'}, "matches no article"),
        ({"publised": "2024-07-10T09:15:00-07:00"}, "unknown front-matter key(s): publised"),
    ],
)
def test_bad_sources_are_refused_naming_the_file(tmp_path, fields, message):
    src = _write_source(tmp_path, "ev", "01-pl.md", **fields)
    (src.parent / "event.toml").write_text(EVENT_TOML.format(key="ev"))
    with pytest.raises(bc.CorpusError) as excinfo:
        bc.load_corpus(tmp_path)
    assert "01-pl.md" in str(excinfo.value)
    assert message in str(excinfo.value)


def test_event_toml_is_checked_against_the_articles(tmp_path):
    src = _write_source(tmp_path, "ev", "01-pl.md")
    claim = textwrap.dedent(
        """
        [[claims]]
        text = "c"
        kind = "policy_action"
        attributed_to = "x"
        articles = ["01", "07"]
        independent_sources = 1
        """
    )
    (src.parent / "event.toml").write_text(EVENT_TOML.format(key="ev").replace("claims = []\n", "") + claim)
    with pytest.raises(bc.CorpusError, match=r"event\.toml: claim 1: articles \['07'\] have no"):
        bc.load_corpus(tmp_path)


def test_event_independent_sources_must_be_a_positive_whole_number(tmp_path):
    src = _write_source(tmp_path, "ev", "01-pl.md")
    for bad in ("0", '"3"', "true"):
        (src.parent / "event.toml").write_text(
            EVENT_TOML.format(key="ev").replace("claims = []", f"independent_sources = {bad}\nclaims = []")
        )
        with pytest.raises(bc.CorpusError, match=r"event\.toml: independent_sources must be"):
            bc.load_corpus(tmp_path)
    (src.parent / "event.toml").write_text(
        EVENT_TOML.format(key="ev").replace("claims = []", "independent_sources = 2\nclaims = []")
    )
    assert bc.load_corpus(tmp_path)[0].data["independent_sources"] == 2


def test_cli_refuses_bad_sources_and_leaves_the_old_site(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(bc, "CORPUS_DIR", tmp_path)
    src = _write_source(tmp_path / "articles", "ev", "01-pl.md")
    (src.parent / "event.toml").write_text(EVENT_TOML.format(key="ev"))
    assert bc.main([]) == 0
    rendered = bc.read_tree(tmp_path)
    assert "site/pacificledger.example/feed.xml" in rendered

    src.write_text(src.read_text().replace("pacificledger.example", "nowhere.example"))
    assert bc.main([]) == 2
    assert "01-pl.md: unknown outlet 'nowhere.example'" in capsys.readouterr().err
    assert bc.read_tree(tmp_path) == rendered


def test_cli_check_fails_on_a_stale_site(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(bc, "CORPUS_DIR", tmp_path)
    src = _write_source(tmp_path / "articles", "ev", "01-pl.md")
    (src.parent / "event.toml").write_text(EVENT_TOML.format(key="ev"))
    assert bc.main([]) == 0
    assert bc.main(["--check"]) == 0

    src.write_text(src.read_text().replace('title = "A story"', 'title = "A new title"'))
    assert bc.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert "demo/corpus/site/pacificledger.example/2024/07/a-story.html" in err
