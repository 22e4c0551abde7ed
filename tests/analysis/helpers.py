"""Building articles for analysis tests: sources, articles, the demo corpus and the seed articles."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.utils.text import slugify

from tracker.news.dedup import text_hash
from tracker.news.models import Article
from tracker.sources.models import Source
from tracker.sources.source_lists import demo_sources_load

REPO = Path(__file__).resolve().parents[2]
DEMO_ARTICLES = REPO / "demo" / "corpus" / "articles"
DEMO_MANIFEST = REPO / "demo" / "corpus" / "manifest.json"
SHARED_CORPUS = REPO.parent / "shared" / "corpus"


def source_get(*, domain: str, name: str | None = None, owner_group: str = "") -> Source:
    source = Source.objects.filter(domain=domain).first()
    if source is None:
        name = name or domain
        source = Source.objects.create(name=name, slug=slugify(name), domain=domain, owner_group=owner_group)
    return source


def article_make(
    *, source: Source, title: str, text: str, published: datetime, path: str = "", external_id: str = ""
) -> Article:
    url = f"http://{source.domain}/{path or slugify(title)[:80]}"
    return Article.objects.create(
        source=source,
        url=url,
        canonical_url=url,
        external_id=external_id,
        title=title,
        text=text,
        published_at=published,
        content_hash=text_hash(text),
    )


@dataclass
class DemoEvent:
    key: str
    truth: dict
    articles: dict[str, Article] = field(default_factory=dict)  # "01" -> Article


def _front_matter(raw: str) -> tuple[dict, str]:
    _, head, body = raw.split("+++", 2)
    return tomllib.loads(head), body.strip()


def shown_text(meta: dict, body: str) -> str:
    """The text a reader of the rendered page gets: all of it, or behind a paywall only the first
    paragraph (what the page shows and what ingestion stores when the feed carries less)."""
    if not meta.get("paywalled"):
        return body
    return next(p for p in re.split(r"\n\s*\n", body) if p.strip() and not p.lstrip().startswith(("#", ">")))


def demo_corpus_load() -> dict[str, DemoEvent]:
    """Every demo event with a ground truth file, its articles stored directly as Articles (the
    text its pages show). The outlets are loaded as `manage.py demo` loads them (kind, country,
    owner group), so an aggregator or a think tank is treated here as in the demo; load the
    reference data first."""
    demo_sources_load()
    events: dict[str, DemoEvent] = {}
    texts: dict[str, str] = {}  # "domain/YYYY/MM/slug" -> body, for copies without their own
    for folder in sorted(p for p in DEMO_ARTICLES.iterdir() if (p / "event.toml").exists()):
        truth = tomllib.loads((folder / "event.toml").read_text())
        event = DemoEvent(key=folder.name, truth=truth)
        for md in sorted(folder.glob("[0-9][0-9]-*.md")):
            meta, body = _front_matter(md.read_text())
            if not body and meta.get("copy_of"):
                # An empty body with copy_of reuses the original's text word for word.
                body = texts[meta["copy_of"].removesuffix(".html")]
            source = Source.objects.get(domain=meta["outlet"])
            published = meta["published"]
            path = f"{published:%Y/%m}/{meta['slug']}.html"
            texts[f"{meta['outlet']}/{published:%Y/%m}/{meta['slug']}"] = body
            event.articles[md.name[:2]] = article_make(
                source=source,
                title=meta["title"],
                text=shown_text(meta, body),
                published=published,
                path=path,
            )
        events[event.key] = event
    return events


def seed_corpus_load() -> list[Article]:
    """The four seed articles: title = first non-boilerplate line, fictional outlets, early July 2024."""
    from datetime import UTC

    files = sorted((SHARED_CORPUS / "seeds").glob("*.txt"))
    articles = []
    for n, path in enumerate(files):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if lines and lines[0].lower().startswith("skip to"):
            lines = lines[1:]
        title, body = lines[0], "\n\n".join(lines[1:])
        source = source_get(domain=f"seed{n}.example", name=f"Seed Outlet {n}")
        published = datetime(2024, 7, 9 + n, 10, 0, tzinfo=UTC)
        articles.append(article_make(source=source, title=title, text=body, published=published))
    return articles


def pairwise_precision_recall(truth: dict[int, str], predicted: dict[int, int | None]) -> tuple[float, float]:
    """Pairwise clustering precision and recall: over article pairs, how many pairs put together
    belong together (precision) and how many that belong together were put together (recall)."""
    ids = sorted(truth)
    tp = fp = fn = 0
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            same_truth = truth[a] == truth[b]
            same_pred = predicted.get(a) is not None and predicted.get(a) == predicted.get(b)
            tp += same_truth and same_pred
            fp += same_pred and not same_truth
            fn += same_truth and not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall
