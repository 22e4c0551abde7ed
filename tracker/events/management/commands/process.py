import os

from django.core.management.base import BaseCommand, CommandError

from tracker.events.pipeline import merge_pass, process_pending


class Command(BaseCommand):
    help = "Run pending analysis in-process: dedup, mentions, claims, clustering, event refresh."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Articles per batch (default 500).")
        parser.add_argument("--max-seconds", type=float, default=None, help="Stop after this long.")
        parser.add_argument("--merge", action="store_true", help="Also run the automatic event merge pass.")
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="Processes computing the articles' text features (default 1: this one; 0: one "
            "per CPU core). With more than one, forked workers compute them ahead while this "
            "process runs the stages and writes; the results are the same.",
        )

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["jobs"] < 0:
            raise CommandError("--jobs must be 0 (one per CPU core) or more.")
        jobs = options["jobs"] or os.cpu_count() or 1
        verbosity = options["verbosity"]

        def progress(stage: str, n: int) -> None:
            if verbosity >= 1:
                self.stdout.write(f"  {stage}: {n} done")

        summary = process_pending(
            batch_size=options["batch_size"],
            max_seconds=options["max_seconds"],
            progress=progress,
            jobs=jobs,
        )
        merged = merge_pass() if options["merge"] else 0
        rate = summary.analysed / summary.seconds if summary.seconds else 0.0
        self.stdout.write(
            self.style.SUCCESS(
                f"Processed in {summary.seconds:.1f}s: {summary.deduplicated} deduplicated "
                f"({summary.copies} copies), {summary.analysed} analysed, {summary.clustered} clustered, "
                f"{summary.events_created} new events, {summary.events_refreshed} events refreshed"
                + (f", {merged} merged" if options["merge"] else "")
                + f", {summary.errors} errors ({rate:.0f} articles/s)."
            )
        )
        if summary.errors:
            self.stdout.write(self.style.WARNING("Errors are listed in the admin under Processing issues."))
        if not summary.complete:
            self.stdout.write(
                self.style.WARNING("Time budget spent; run again to finish the remaining work.")
            )
