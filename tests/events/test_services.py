"""Merge pass, editor actions, the pipeline orchestrator and the export."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from tests.analysis.helpers import article_make, source_get
from tracker.events import clustering
from tracker.events.models import Event
from tracker.events.pipeline import process_pending
from tracker.events.services import article_move, event_hide, event_merge, events_merge_pass
from tracker.news.models import Article

T0 = datetime(2025, 1, 13, 15, tzinfo=UTC)
TEXT_A = (
    "The Commerce Department released a rule on Monday capping exports of advanced AI chips to most "
    "countries, with a small group of allies exempt and China barred. Nvidia criticised the framework. "
)
TEXT_B = (
    "Washington's new framework for AI chip exports sorts countries into three tiers; Nvidia said the "
    "Commerce Department's caps would hurt American competitiveness and help China. "
)


def _event_with(article: Article, *, locked: bool = False) -> Event:
    profile = clustering.profile_add(
        {},
        vector=clustering.term_vector(article.title, article.text),
        companies=[],
        jurisdictions=[],
        published=article.published_at,
    )
    event = Event.objects.create(
        title=article.title,
        profile=profile,
        first_reported_at=article.published_at,
        last_article_at=article.published_at,
        editor_locked=locked,
        event_date=article.published_at.date(),
    )
    article.event = event
    article.needs_dedup = article.needs_analysis = article.needs_clustering = False
    article.save()
    return event


@pytest.fixture
def two_events(db):
    a = article_make(
        source=source_get(domain="a.example"), title="US caps AI chip exports", text=TEXT_A * 3, published=T0
    )
    b = article_make(
        source=source_get(domain="b.example"),
        title="US caps AI chip exports worldwide",
        text=TEXT_A * 2 + TEXT_B,
        published=T0 + timedelta(hours=6),
    )
    return a, b


def test_merge_pass_merges_clearly_identical_automatic_events(two_events):
    a, b = two_events
    first, second = _event_with(a), _event_with(b)
    assert events_merge_pass().merged == 1
    second.refresh_from_db()
    b.refresh_from_db()
    assert second.merged_into_id == first.pk and b.event_id == first.pk
    assert Event.objects.get(pk=first.pk).article_count == 2


def test_merge_pass_leaves_editor_work_alone(two_events):
    a, b = two_events
    _event_with(a, locked=True)
    second = _event_with(b)
    assert events_merge_pass().merged == 0
    second.refresh_from_db()
    assert second.merged_into_id is None
    # An article an editor placed also protects its event.
    Event.objects.filter(editor_locked=True).update(editor_locked=False)
    Article.objects.filter(pk=b.pk).update(event_assigned_by=Article.EventAssignment.EDITOR)
    assert events_merge_pass().merged == 0


def test_editor_merge_move_and_hide_lock_the_events(two_events):
    a, b = two_events
    first, second = _event_with(a), _event_with(b)
    event_merge(target=first, others=[second])
    first.refresh_from_db()
    assert first.editor_locked and first.article_count == 2
    third = Event.objects.create(title="Elsewhere", event_date=T0.date())
    article_move(article=Article.objects.get(pk=b.pk), event=third)
    b.refresh_from_db()
    assert b.event_id == third.pk and b.event_assigned_by == "editor"
    # The pipeline does not move an editor-placed article back.
    Article.objects.filter(pk=b.pk).update(needs_clustering=True)
    process_pending()
    b.refresh_from_db()
    assert b.event_id == third.pk
    event_hide(event=third)
    third.refresh_from_db()
    assert third.status == "hidden" and third.editor_locked


def test_process_is_cheap_and_idle_when_nothing_is_flagged(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        summary = process_pending()
    assert summary.analysed == 0 and summary.complete


def test_export_puts_every_article_in_exactly_one_event(reference_data, tmp_path):
    src = source_get(domain="wire.example")
    article_make(
        source=src, title="US caps AI chip exports", text=TEXT_A * 3, published=T0, external_id="ext-1"
    )
    article_make(
        source=source_get(domain="copy.example"),
        title="US caps AI chip exports",
        text=TEXT_A * 3,
        published=T0 + timedelta(hours=1),
    )
    process_pending()
    # An article that never went through the pipeline still gets an event in the export.
    orphan = article_make(source=src, title="Unprocessed", text="Short.", published=T0 + timedelta(days=3))
    Article.objects.filter(pk=orphan.pk).update(
        needs_dedup=False, needs_analysis=False, needs_clustering=False
    )
    out = tmp_path / "events.jsonl"
    call_command("export_events", "--format", "jsonl", "--output", str(out))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    seen = [a["url"] for row in rows for a in row["articles"]]
    assert sorted(seen) == sorted(Article.objects.values_list("url", flat=True))
    assert len(seen) == len(set(seen))
    wire = next(row for row in rows if any(a["external_id"] == "ext-1" for a in row["articles"]))
    assert {
        "id",
        "title",
        "date",
        "date_precision",
        "companies",
        "jurisdictions",
        "articles",
        "claims",
    } <= set(wire)
    assert len(wire["articles"]) == 2
    copy = next(a for a in wire["articles"] if a["copy_of"])
    assert copy["copy_of"].startswith("http://wire.example/")
    assert "Bureau of Industry and Security" in wire["companies"] and "US" in wire["jurisdictions"]


def test_export_counts_the_sources_of_an_orphan_that_carries_claims(reference_data, tmp_path):
    # Analysed (its claims stored) but never clustered: the export gives it an event, and the
    # event's count is the claims refresh's to store, so the export must run that refresh too.
    from tracker.events.pipeline import analyse_articles

    orphan = article_make(
        source=source_get(domain="wire.example"),
        title="Chip curbs",
        text="The Commerce Department added 140 Chinese entities to the Entity List on Monday.",
        published=T0,
    )
    analyse_articles(article_ids=[orphan.pk])
    assert orphan.claim_links.exists()
    Article.objects.filter(pk=orphan.pk).update(
        needs_dedup=False, needs_analysis=False, needs_clustering=False
    )
    call_command("export_events", "--format", "jsonl", "--output", str(tmp_path / "events.jsonl"))
    event = Event.objects.get(articles=orphan)
    assert not event.needs_refresh
    assert event.independent_source_count == 1


def test_export_rejects_unknown_formats(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown format"):
        call_command("export_events", "--format", "csv")


def test_process_command_and_task_run_the_pipeline(reference_data):
    from io import StringIO

    from tracker.events.tasks import process_pending_task

    article_make(
        source=source_get(domain="a.example"), title="US caps AI chip exports", text=TEXT_A, published=T0
    )
    out = StringIO()
    call_command("process", stdout=out)
    assert "1 analysed" in out.getvalue() and "1 new events" in out.getvalue()
    assert Article.objects.get().event is not None
    # Called directly: the task's own logic, whatever the broker (its result is not stored).
    assert process_pending_task()["analysed"] == 0


def test_process_command_with_jobs_uses_workers(reference_data, monkeypatch):
    from io import StringIO

    from django.core.management.base import CommandError

    from tracker.events import features

    for i, text in enumerate((TEXT_A, TEXT_B)):
        article_make(
            source=source_get(domain=f"j{i}.example"),
            title=f"US caps AI chip exports {i}",
            text=text,
            published=T0 + timedelta(hours=i),
        )
    features.clear()
    # Text features the command's own process computes: none, the workers delivered them.
    computed = []
    original = clustering.text_features
    monkeypatch.setattr(
        clustering, "text_features", lambda title, text: computed.append(title) or original(title, text)
    )
    out = StringIO()
    call_command("process", "--jobs", "2", stdout=out)
    assert "2 analysed" in out.getvalue()
    assert computed == []
    assert Article.objects.filter(event__isnull=True).count() == 0
    with pytest.raises(CommandError, match="--jobs"):
        call_command("process", "--jobs", "-1")


def test_process_task_skips_while_another_worker_holds_the_lock(reference_data):
    """The lock is held from another thread with its own database connection, as another
    worker process would hold it (an advisory lock on PostgreSQL, the cache elsewhere)."""
    import threading

    from django.db import connection

    from tracker.events.locks import exclusive_run
    from tracker.events.tasks import PROCESS_LOCK_NAME, process_pending_task

    held, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with exclusive_run(PROCESS_LOCK_NAME, timeout_seconds=60) as acquired:
                assert acquired
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert held.wait(timeout=30)
        assert process_pending_task() == {"skipped": "another run is in progress"}
    finally:
        release.set()
        thread.join(timeout=30)
    assert process_pending_task()["analysed"] == 0


def test_load_reference_data_command(db):
    from io import StringIO

    from django.core.management.base import CommandError

    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "organisations" in out.getvalue()
    with pytest.raises(CommandError, match="Cannot read reference data"):
        call_command("load_reference_data", "--file", "/nonexistent.json")


def test_event_title_comes_from_a_reporting_outlet_rather_than_an_aggregator(db):
    from tracker.events.services import event_refresh
    from tracker.sources.models import Source

    hub = source_get(domain="hub.example")
    hub.kind = Source.Kind.AGGREGATOR
    hub.save(update_fields=["kind"])
    rewrite = article_make(
        source=hub, title="Nvidia SLAMS chip rule: everything you need to know", text=TEXT_A * 3, published=T0
    )
    event = _event_with(rewrite)  # the aggregator's text is the event's profile: the most central
    report = article_make(
        source=source_get(domain="wire.example"),
        title="US sorts countries into three tiers for AI chip exports",
        text=TEXT_B * 2,
        published=T0 + timedelta(hours=1),
    )
    report.event = event
    report.needs_dedup = report.needs_analysis = report.needs_clustering = False
    report.save()
    event_refresh(event=event)
    event.refresh_from_db()
    assert event.title == "US sorts countries into three tiers for AI chip exports"


def _refresh_queries(n_articles: int, n_sources: int) -> int:
    """Queries one event refresh costs when the event holds n_articles (from n_sources outlets)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tracker.events.services import events_refresh

    first = None
    for i in range(n_articles):
        article = article_make(
            source=source_get(domain=f"q{n_articles}-{i % n_sources}.example"),
            title=f"US caps AI chip exports, report {i}",
            text=TEXT_A + TEXT_B,
            published=T0 + timedelta(hours=i),
            path=f"q{n_articles}-{i}",
        )
        if first is None:
            event = _event_with(article)
            first = article
        else:
            Article.objects.filter(pk=article.pk).update(event=event)
    event = Event.objects.get(pk=event.pk)
    with CaptureQueriesContext(connection) as queries:
        events_refresh(events=[event])
    return len(queries)


def test_event_refresh_query_count_does_not_grow_with_articles(reference_data):
    # Each article's source (its kind decides the headline) comes with the articles: no query each.
    assert _refresh_queries(2, 2) == _refresh_queries(12, 12)


def test_refreshing_a_growing_event_reads_each_articles_text_once(reference_data, monkeypatch):
    from tracker.events import dates, features, services

    features.clear()  # what earlier tests left is not this test's
    calls = []
    original = dates.date_candidates
    monkeypatch.setattr(
        dates, "date_candidates", lambda text, published: calls.append(text) or original(text, published)
    )
    first = article_make(
        source=source_get(domain="g1.example"), title="US caps AI chip exports", text=TEXT_A, published=T0
    )
    event = _event_with(first)
    services.events_refresh(events=[event])
    assert len(calls) == 1
    second = article_make(
        source=source_get(domain="g2.example"),
        title="Chip export caps",
        text=TEXT_B,
        published=T0 + timedelta(hours=2),
    )
    Article.objects.filter(pk=second.pk).update(event=event)
    services.events_refresh(events=[Event.objects.get(pk=event.pk)])
    assert len(calls) == 2  # only the new article's dates were read
    Article.objects.filter(pk=first.pk).update(text=TEXT_A + " Updated on Friday.")
    services.events_refresh(events=[Event.objects.get(pk=event.pk)])
    assert len(calls) == 3 and "Updated on Friday" in calls[-1]  # an edited text is read again


def test_a_copy_counts_as_its_originals_outlet_even_when_the_original_is_elsewhere(db):
    from tracker.events.services import events_refresh

    wire = source_get(domain="wire.example")
    original = article_make(source=wire, title="US caps AI chip exports", text=TEXT_A * 3, published=T0)
    _event_with(original)
    copy = article_make(
        source=source_get(domain="reprint.example"),
        title="US caps AI chip exports (reprint)",
        text=TEXT_A * 3,
        published=T0 + timedelta(hours=1),
    )
    copy.copy_of = original
    copy.save(update_fields=["copy_of"])
    elsewhere = _event_with(copy)  # an editor moved the copy; its original stayed
    own = article_make(
        source=source_get(domain="own.example"), title="Chip caps", text=TEXT_B * 2, published=T0
    )
    Article.objects.filter(pk=own.pk).update(event=elsewhere)
    events_refresh(events=[Event.objects.get(pk=elsewhere.pk)])
    elsewhere.refresh_from_db()
    # The reprint carries the wire's report: the wire and own.example, whatever outlet reprinted it.
    assert (elsewhere.article_count, elsewhere.independent_source_count) == (2, 2)
    Article.objects.filter(pk=own.pk).update(source=wire)
    events_refresh(events=[Event.objects.get(pk=elsewhere.pk)])
    elsewhere.refresh_from_db()
    assert elsewhere.independent_source_count == 1  # the wire, twice


def test_an_event_refresh_that_fails_half_way_leaves_the_event_as_it_was(db, monkeypatch):
    from tracker.events import services

    article = article_make(
        source=source_get(domain="wire.example"), title="Old title", text=TEXT_A, published=T0
    )
    event = _event_with(article)
    Event.objects.filter(pk=event.pk).update(title="Stale title")
    monkeypatch.setattr(services, "events_with_claims", lambda event_ids: set(event_ids))

    def fail(*, event):
        raise RuntimeError("claims refresh failed")

    monkeypatch.setattr(services, "claims_refresh_for_event", fail)
    with pytest.raises(RuntimeError, match="claims refresh failed"):
        services.event_refresh(event=Event.objects.get(pk=event.pk))

    assert Event.objects.get(pk=event.pk).title == "Stale title"
