"""The ingestion commands as a user runs them: clear messages, exit status, nothing lost."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.sources.http_server import RSS, article_page, rss
from tracker.news.models import Article
from tracker.sources.models import Feed, FetchLog, Source

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str, CommandError | None]:
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def test_ingest_mixed_inputs_reports_bad_ones_and_stores_good_ones(tmp_path, http_server):
    url = http_server.url("/news/story")
    http_server.add("/news/story", article_page(title="Chip curbs widen", url=url))
    good_feed = tmp_path / "feed.xml"
    good_feed.write_text(rss([{"link": url, "title": "Chip curbs widen"}]))
    jsonl = tmp_path / "archive.jsonl"
    jsonl.write_text(
        json.dumps(
            {"url": "https://archive.example/a", "title": "Archived A", "id": "arc-1", "text": "Body A"}
        )
        + "\n"
    )
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"\x00\x01 definitely not a feed")
    missing = tmp_path / "missing.xml"

    out, err, error = run(
        "ingest", str(good_feed), str(missing), str(jsonl), str(garbage), "ftp://files.example/a.xml"
    )

    assert error is not None and error.returncode == 1
    assert f"{missing}: no such file" in err
    assert "ftp://files.example/a.xml: unsupported scheme ftp://" in err
    assert f"{garbage}: not a feed, sitemap, HTML page or JSON Lines file" in err
    assert "Traceback" not in err + out
    assert f"{good_feed}: feed: 1 new" in out and f"{jsonl}: jsonl: 1 new" in out
    assert set(Article.objects.values_list("canonical_url", flat=True)) == {url, "https://archive.example/a"}


def test_ingest_json_lines_keeps_ids_and_reports_bad_lines(tmp_path):
    Source.objects.create(name="Archive Wire", slug="archive-wire", domain="wire.example")
    lines = [
        {
            "url": "https://wire.example/1",
            "title": "One",
            "id": "w-1",
            "published": "2024-07-09T08:00:00Z",
            "source": "Archive Wire",
            "language": "en",
            "summary": "First.",
        },
        {"url": "https://wire.example/2", "title": "Two", "id": 2},
        {"title": "No URL"},
        {"url": "https://wire.example/3", "title": "Bad date", "published": "someday"},
    ]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n{not json\n")

    _out, err, error = run("ingest", str(path))

    assert error is not None
    assert "line 3: missing url" in err and "line 4: published 'someday' is not a date" in err
    assert "line 5: not valid JSON" in err
    first = Article.objects.get(external_id="w-1")
    assert (
        first.source.name == "Archive Wire" and first.published_at.isoformat() == "2024-07-09T08:00:00+00:00"
    )
    assert Article.objects.get(external_id="2").title == "Two"
    # Importing the archive again changes nothing.
    run("ingest", str(path))
    assert Article.objects.count() == 2


def test_extract_json_shows_the_reading_without_storing(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(article_page(title="Beijing answers", url="https://daily.example/beijing-answers"))
    out, err, error = run("extract", str(page), "--url", "https://daily.example/beijing-answers", "--json")
    assert error is None, err
    reading = json.loads(out)
    assert reading["title"] == "Beijing answers"
    assert reading["canonical_url"] == "https://daily.example/beijing-answers"
    assert reading["language"] == "en" and "Entity List" in reading["text"]
    assert {"authors", "published"} <= reading.keys()
    assert Article.objects.count() == 0


def test_extract_reports_a_missing_file_plainly(tmp_path):
    _out, _err, error = run("extract", str(tmp_path / "nope.html"))
    assert error is not None and "no such file" in str(error)


def test_crawl_once_polls_every_feed_and_prints_a_table(http_server):
    source = Source.objects.create(name="Fixture Times", slug="fixture-times", domain="127.0.0.1")
    url = http_server.url("/news/a")
    http_server.add("/news/a", article_page(title="A", url=url))
    Feed.objects.create(
        source=source, url=http_server.add("/feed.xml", rss([{"link": url, "title": "A"}]), content_type=RSS)
    )
    Feed.objects.create(source=source, url=http_server.add("/dead.xml", "", status=500))

    out, _err, error = run("crawl", "--once", "--source", "Fixture Times")

    assert error is not None and "1 of 2 feeds failed" in str(error)
    assert "feed" in out and "status" in out and "FAILED 500" in out
    assert Article.objects.count() == 1 and FetchLog.objects.count() == 2
    # Without --once only due feeds are polled; both were just scheduled into the future.
    out, _err, error = run("crawl")
    assert error is None and "No feeds due." in out


def test_crawl_unknown_source_is_a_clear_error():
    _out, _err, error = run("crawl", "--source", "Nobody")
    assert error is not None and "no source named 'Nobody'" in str(error)


def test_load_sources_starter_list_is_idempotent():
    _out, _err, error = run("load_sources")
    assert error is None
    counts = (Source.objects.count(), Feed.objects.count())
    assert counts[0] >= 20 and counts[1] >= counts[0]
    run("load_sources")
    assert (Source.objects.count(), Feed.objects.count()) == counts
    kinds = set(Source.objects.values_list("kind", flat=True))
    assert {"government", "think_tank", "news_outlet"} <= kinds


def test_load_sources_bad_file_is_a_clear_error(tmp_path):
    path = tmp_path / "sources.json"
    path.write_text('{"sources": [{"name": "No domain"}]}')
    _out, _err, error = run("load_sources", str(path))
    assert error is not None and "entry 1: needs at least name and domain" in str(error)


@pytest.mark.slow
def test_demo_loads_the_corpus_and_can_run_twice():
    out, err, error = run("demo", "--corpus-port", "0")
    assert error is None, err
    articles = Article.objects.count()
    assert articles >= 20 and Source.objects.filter(domain__endswith=".example").count() >= 8
    assert "Admin user: demo / demo" in out
    _out, err, error = run("demo", "--corpus-port", "0")
    assert error is None, err
    assert Article.objects.count() == articles
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="demo").check_password("demo")


def test_ingest_refuses_a_home_page_and_points_at_its_feeds(tmp_path):
    home = tmp_path / "index.html"
    home.write_text(
        '<html><head><link rel="canonical" href="https://daily.example/">'
        '<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>Headlines</body></html>'
    )
    _out, err, error = run("ingest", str(home))
    assert error is not None
    assert (
        "this is a home page, not an article; it announces these feeds: https://daily.example/feed.xml" in err
    )
    assert Article.objects.count() == 0


def test_extract_a_saved_page_uses_its_canonical_url_and_refuses_feeds(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(article_page(title="Saved", url="https://daily.example/saved"))
    out, _err, error = run("extract", str(page))
    assert error is None and "https://daily.example/saved" in out
    feed = tmp_path / "feed.xml"
    feed.write_text(rss([{"link": "https://daily.example/saved", "title": "Saved"}]))
    _out, _err, error = run("extract", str(feed))
    assert error is not None and "not an article page; use `ingest`" in str(error)
