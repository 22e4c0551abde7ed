from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from tqdm import tqdm

from tracker.news.services import pipeline_dispatch
from tracker.sources.models import Feed
from tracker.sources.services import PollResult, feed_poll, feeds_due


class Command(BaseCommand):
    help = (
        "Poll feeds in this process and store what they bring, then print a summary table. "
        "Without --once, polls the feeds that are due (next fetch time reached), as the Celery beat "
        "would; with --once, polls every active feed once now, due or not. --source limits either to "
        "one source (name, slug or domain). Exit status 1 when any feed failed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--source", help="only feeds of this source (name, slug or domain)")
        parser.add_argument("--once", action="store_true", help="poll every active feed once, due or not")

    def handle(self, *args, source: str | None = None, once: bool = False, **options) -> None:
        feeds = Feed.objects.filter(active=True, source__active=True).select_related("source")
        if not once:
            feeds = feeds.filter(pk__in=[f.pk for f in feeds_due()])
        if source:
            matching = (
                Q(source__name__iexact=source) | Q(source__slug=source) | Q(source__domain=source.lower())
            )
            if not Feed.objects.filter(matching).exists():
                raise CommandError(f"no source named {source!r} has feeds (try its name, slug or domain)")
            feeds = feeds.filter(matching)
        feeds = list(feeds.order_by("next_fetch_at"))
        if not feeds:
            self.stdout.write("No feeds due." if not once else "No active feeds.")
            return
        results = crawl_feeds(feeds)
        self.stdout.write(summary_table(feeds, results))
        if any(r.changed for r in results):
            pipeline_dispatch()
        failed = [r for r in results if not r.ok]
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} feeds failed; see the table.")


def crawl_feeds(feeds: list[Feed]) -> list[PollResult]:
    """Poll feeds one after the other with a progress bar on stderr."""
    results = []
    for feed in tqdm(feeds, desc="feeds", unit="feed", file=sys.stderr, disable=None):
        results.append(feed_poll(feed=feed))
    return results


def summary_table(feeds: list[Feed], results: list[PollResult]) -> str:
    rows = [("feed", "status", "new", "updated", "errors")]
    for feed, result in zip(feeds, results, strict=True):
        status = str(result.status or "-") if result.ok else f"FAILED {result.status or ''}".strip()
        notes = [f"{len(result.entry_errors)} entries failed"] if result.entry_errors else []
        if result.deferred:
            notes.append(f"{result.deferred} left for the next poll")
        errors = result.error or ", ".join(notes)
        rows.append((feed.url, status, str(result.new), str(result.updated), errors[:100]))
    rows.append(
        (
            f"total: {len(results)} feeds",
            "",
            str(sum(r.new for r in results)),
            str(sum(r.updated for r in results)),
            str(sum(1 for r in results if not r.ok)),
        )
    )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            row[0].ljust(widths[0]),
            row[1].ljust(widths[1]),
            row[2].rjust(widths[2]),
            row[3].rjust(widths[3]),
        ]
        lines.append("  ".join([*cells, row[4]]).rstrip())
        if index == 0 or index == len(rows) - 2:
            lines.append("-" * min(160, sum(widths) + 6 + 10))
    return "\n".join(lines)
