import json
import sys

from django.core.management.base import BaseCommand, CommandError

from tracker.events.pipeline import refresh_pending_with_claims
from tracker.events.selectors import events_for_export
from tracker.events.services import events_assign_orphans


class Command(BaseCommand):
    help = (
        "Export events as JSON Lines: one object per event with its articles and claims. "
        "Every stored article appears in exactly one event (articles without one get one first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", default="jsonl", help="Output format; only 'jsonl' is supported.")
        parser.add_argument("--output", default="-", help="File to write (default: standard output).")

    def handle(self, *args, **options):
        if options["format"] != "jsonl":
            raise CommandError(f"Unknown format {options['format']!r}; supported: jsonl.")
        created = events_assign_orphans()
        if created:
            # The claims refresh too: an orphan that carries claims has its count stored there.
            while refresh_pending_with_claims()[0]:
                pass
        try:
            out = sys.stdout if options["output"] == "-" else open(options["output"], "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Cannot write {options['output']}: {exc}") from exc
        count = 0
        try:
            for row in events_for_export():
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        finally:
            if out is not sys.stdout:
                out.close()
        self.stderr.write(
            f"Exported {count} events"
            + (f" ({created} created for unassigned articles)." if created else ".")
        )
