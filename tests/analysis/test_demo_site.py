"""The whole chain on the rendered demo site: scrapers.extract -> article_ingest -> pipeline.

Pages are read from disk (no server needed); each event must come out with exactly its articles,
as in test_demo_corpus (which stores the source texts directly and checks more detail).
"""

from pathlib import Path

import pytest

from tests.analysis.helpers import (
    DEMO_ARTICLES,
    DEMO_MANIFEST,
    REPO,
    _front_matter,
    pairwise_precision_recall,
)
from tracker.events.pipeline import process_pending
from tracker.news.models import Article

SITE = REPO / "demo" / "corpus" / "site"

pytestmark = pytest.mark.skipif(
    not SITE.is_dir() or not DEMO_MANIFEST.exists(), reason="demo site not rendered"
)


def _page_for(outlet: str, slug: str) -> Path | None:
    # Outlets name their files differently: "<slug>.html", "YYYY-MM-DD-<slug>.html", ...
    pages = sorted((SITE / outlet).rglob(f"*{slug}.html")) or sorted((SITE / outlet).rglob(f"*{slug}*"))
    return pages[0] if pages else None


def test_site_pages_cluster_into_their_events(reference_data):
    from scrapers.extract import extract_article
    from tracker.news.services import ArticleData, article_ingest
    from tracker.sources.source_lists import demo_sources_load

    demo_sources_load(DEMO_MANIFEST)  # as `make demo` loads them: kind, country, owner group
    truth_by_url: dict[str, str] = {}
    for folder in sorted(p for p in DEMO_ARTICLES.iterdir() if (p / "event.toml").exists()):
        for md in sorted(folder.glob("[0-9][0-9]-*.md")):
            meta, _ = _front_matter(md.read_text())
            page = _page_for(meta["outlet"], meta["slug"])
            assert page is not None, f"no rendered page for {md}"
            url = f"http://{meta['outlet']}/{page.relative_to(SITE / meta['outlet']).as_posix()}"
            x = extract_article(page.read_bytes(), url=url)
            result = article_ingest(
                data=ArticleData(
                    url=x.url,
                    canonical_url=x.canonical_url,
                    title=x.title,
                    text=x.text,
                    summary=x.summary,
                    authors=x.authors,
                    published=x.published,
                    updated=x.updated,
                    language=x.language,
                    site_name=x.site_name,
                    is_paywalled=x.is_paywalled,
                    warnings=x.warnings,
                )
            )
            truth_by_url[result.article.canonical_url] = folder.name
    process_pending()
    truth = dict((pk, truth_by_url[url]) for pk, url in Article.objects.values_list("id", "canonical_url"))
    predicted = dict(Article.objects.values_list("id", "event_id"))
    precision, recall = pairwise_precision_recall(truth, predicted)
    assert precision == 1.0, precision
    assert recall >= 0.8, recall
