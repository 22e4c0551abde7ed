from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tracker.news.imports import InputError, input_ingest
from tracker.news.services import pipeline_dispatch


class Command(BaseCommand):
    help = (
        "Import articles once from files or URLs: RSS/Atom/JSON feeds, sitemaps and sitemap indexes, "
        "HTML article pages, and JSON Lines archives (one object per line with url and title, optional "
        "id, text, summary, published, source, language). Feed and sitemap entries' pages are fetched "
        "and read; when a page cannot be fetched, what the feed carried is stored. Every input is tried; "
        "bad ones are reported with the reason and the exit status is 1 if anything failed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument(
            "--no-fetch", action="store_true", help="store what feeds and sitemaps carry; do not fetch pages"
        )

    def handle(self, *args, inputs: list[str], no_fetch: bool = False, **options) -> None:
        failures = 0
        changed = False
        for name in inputs:
            try:
                report = input_ingest(name, fetch_pages=not no_fetch)
            except InputError as exc:
                failures += 1
                self.stderr.write(f"{name}: {exc}")
                continue
            changed |= bool(report.new or report.updated)
            self.stdout.write(
                f"{name}: {report.kind}: {report.new} new, {report.updated} updated, "
                f"{report.unchanged} unchanged" + (f", {len(report.errors)} failed" if report.errors else "")
            )
            for error in report.errors:
                self.stderr.write(f"{name}: {error}")
            failures += bool(report.errors)
        if changed:
            pipeline_dispatch()
        if failures:
            raise CommandError(f"{failures} of {len(inputs)} inputs had failures; see above.")
