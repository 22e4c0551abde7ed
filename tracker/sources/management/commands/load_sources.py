from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tracker.sources.services import source_upsert
from tracker.sources.source_lists import STARTER_SOURCES, SourceListError, source_specs_load


class Command(BaseCommand):
    help = (
        "Load a list of sources and their feeds (default: the starter list of real AI-policy sources, "
        "demo/sources/starter_sources.json). Idempotent: sources are matched by domain, feeds by URL. "
        "The starter URLs were written offline; the admin's Feed list shows which ones answer."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", nargs="?", default=str(STARTER_SOURCES), help="JSON source list")

    def handle(self, *args, path: str, **options) -> None:
        try:
            specs = source_specs_load(Path(path))
        except SourceListError as exc:
            raise CommandError(str(exc)) from None
        failed = 0
        feed_count = 0
        for spec in specs:
            try:
                _source, feeds = source_upsert(spec=spec)
            except ValidationError as exc:
                failed += 1
                self.stderr.write(f"{spec.name}: {'; '.join(exc.messages)}")
                continue
            feed_count += len(feeds)
        self.stdout.write(f"Loaded {len(specs) - failed} sources with {feed_count} feeds from {path}.")
        if failed:
            raise CommandError(f"{failed} source(s) could not be loaded; see above.")
