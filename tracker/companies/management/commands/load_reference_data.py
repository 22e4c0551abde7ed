from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tracker.companies.services import REFERENCE_DATA_PATH, reference_data_load


class Command(BaseCommand):
    help = "Load (or update) jurisdictions, topics, organisations, aliases and relations. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(REFERENCE_DATA_PATH), help="Reference data JSON file.")

    def handle(self, *args, **options):
        from pathlib import Path

        try:
            result = reference_data_load(path=Path(options["file"]))
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"Reference data loaded: {result.jurisdictions} jurisdictions, {result.topics} topics, "
            f"{result.companies} organisations, {result.aliases} aliases, {result.relations} relations."
        )
