from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tracker.news.models import Article
from tracker.sources import scraping
from tracker.sources.management.commands.crawl import crawl_feeds, summary_table
from tracker.sources.models import Feed, Source
from tracker.sources.source_lists import DEMO_MANIFEST, SourceListError, demo_sources_load

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
DEMO_USER = DEMO_PASSWORD = "demo"
# The demo's outlets all live on reserved *.example names, served by the local corpus server.
DEMO_HOSTS = "*.example"


def _load_serve_module():
    spec = importlib.util.spec_from_file_location("demo_serve", DEMO_DIR / "serve.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["demo_serve"] = module
    spec.loader.exec_module(module)
    return module


class Command(BaseCommand):
    help = (
        "Load the demo: serve demo/corpus on 127.0.0.1 in a thread, point this process's fetcher at it "
        "for *.example hosts, add the outlets of demo/corpus/manifest.json as sources and feeds, poll "
        "every feed exactly as the crawler does (feeds first, then article pages), run the analysis "
        "pipeline, and create (or reset) the superuser demo/demo. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--corpus-port", type=int, default=8765, help="port of the corpus server (0: any free one)"
        )

    def handle(self, *args, corpus_port: int, **options) -> None:
        serve = _load_serve_module()
        try:
            server = serve.start_server(port=corpus_port)
        except OSError as exc:
            raise CommandError(
                f"cannot start the demo corpus server on 127.0.0.1:{corpus_port}: {exc.strerror or exc}. "
                "Pass a free port with --corpus-port (make demo DEMO_CORPUS_PORT=...)."
            ) from None
        port = server.server_address[1]
        try:
            scraping.configure_fetcher(
                allowed_hosts=(DEMO_HOSTS, "127.0.0.1"),
                host_overrides={DEMO_HOSTS: f"127.0.0.1:{port}"},
                per_host_min_interval=0.0,  # our own server: no need to be polite to it
            )
            self._run(port)
        finally:
            server.shutdown()
            server.server_close()
            scraping.reset_fetcher()

    def _run(self, port: int) -> None:
        # Organisations, jurisdictions and topics first: the analysis recognises only what it knows.
        call_command("load_reference_data", stdout=self.stdout, stderr=self.stderr)
        try:
            sources, feeds = demo_sources_load(DEMO_MANIFEST)
        except SourceListError as exc:
            raise CommandError(f"{exc}. Render the corpus first: python demo/build_corpus.py") from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"Corpus server on 127.0.0.1:{port}; {len(sources)} outlets, {len(feeds)} feeds.")
        # A re-run polls again: conditional GET answers 304 and nothing is duplicated.
        results = crawl_feeds(feeds)
        self.stdout.write(summary_table(feeds, results))
        failed = [r for r in results if not r.ok]
        call_command("process", stdout=self.stdout, stderr=self.stderr)
        self._demo_user()
        self.stdout.write(
            f"Demo loaded: {Source.objects.count()} sources, {Feed.objects.count()} feeds, "
            f"{Article.objects.count()} articles. Admin user: {DEMO_USER} / {DEMO_PASSWORD}"
        )
        if failed:
            raise CommandError(f"{len(failed)} demo feeds failed; see the table above.")

    def _demo_user(self) -> None:
        user_model = get_user_model()
        user, _created = user_model.objects.get_or_create(
            username=DEMO_USER, defaults={"email": "demo@example.org"}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
