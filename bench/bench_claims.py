"""Claim extraction speed and yield on the demo corpus (pure extraction, no database).

    .venv/bin/python bench/bench_claims.py [--repeat 5] [--recall] [--show-missed]

Prints a markdown table: articles per second of tracker.claims.extraction.extract (CPU time,
one core), and per article the sentences, citations and claims found, by kind. Linking and
corroboration need the database; tests/claims/test_demo_corpus.py checks those against each
event.toml, and bench/bench_analysis.py times the whole pipeline with and without claims.

--recall also runs the claims stage over the whole demo corpus (a fresh SQLite database under
var/, one event per directory) and compares it with the claims listed in each event.toml:
how many are found, how many with the right independent-source count, and how many of the
stored claims match a listed one (the lists are not exhaustive, so this is a floor on precision).
--show-missed (implies --recall) then lists, per event, each listed claim that was not found with
the stored claims of that event closest to it in wording, and each found claim whose
independent-source count differs from the listed one, with its carriers and cited outlets.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.claims.extraction import Organisation, extract  # noqa: E402

CORPUS = ROOT / "demo" / "corpus" / "articles"
# A handful of organisations the corpus names, so actor detection has known names to use.
ORGANISATIONS = [
    Organisation("company:1", "OpenAI"),
    Organisation("company:2", "Microsoft", aliases=("Azure", "Azure OpenAI Service")),
    Organisation("company:3", "Nvidia"),
    Organisation("company:4", "Bureau of Industry and Security", case_sensitive_aliases=("BIS",)),
    Organisation("company:5", "Ministry of Commerce of China", aliases=("China's Ministry of Commerce",)),
    Organisation("company:6", "European Commission", aliases=("the Commission",)),
    Organisation("jurisdiction:CN", "China", aliases=("Beijing", "mainland China")),
    Organisation("jurisdiction:US", "United States", aliases=("the United States", "Washington")),
]


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted(CORPUS.glob("*/*.md")):
        raw = path.read_text(encoding="utf-8")
        texts.append(raw.split("+++", 2)[2] if raw.startswith("+++") else raw)
    return texts


def _closest(expected, claims, limit: int = 3) -> list[tuple[float, object]]:
    """The stored claims sharing the most words with a listed claim, any kind."""
    from tests.claims.demo_corpus import _words, carried_words

    want = _words(expected.text)
    scored = [(len(want & carried_words(claim)) / max(len(want), 1), claim) for claim in claims]
    scored.sort(key=lambda pair: -pair[0])
    return [pair for pair in scored[:limit] if pair[0] > 0]


def _show_missed(item, matches) -> None:
    from tracker.claims.models import Claim

    number_of = {article.pk: number for number, article in item.articles.items()}
    claims = list(Claim.objects.filter(event=item.event).prefetch_related("carriers"))
    lines = []
    for match in matches:
        expected = match.expected
        if match.claim is None:
            lines.append(f"  MISSED [{expected.kind}] {sorted(expected.articles)}: {expected.text}")
            for share, claim in _closest(expected, claims):
                lines.append(f"      {share:.2f} [{claim.kind}] {claim.text[:110]}")
        elif match.claim.independent_source_count != expected.independent_sources:
            claim = match.claim
            carriers = sorted(
                (number_of[link.article_id], link.stance, link.cited_name or "-")
                for link in claim.carriers.all()
            )
            lines.append(
                f"  COUNT {claim.independent_source_count} (listed {expected.independent_sources}) "
                f"[{expected.kind}] {sorted(expected.articles)}: {expected.text[:100]}"
            )
            lines.append(f"      stored [{claim.kind}] carriers {carriers}: {claim.text[:110]}")
    if lines:
        print(f"\n== {item.key} ({len(claims)} stored)")
        print("\n".join(lines))


def recall(show_missed: bool = False) -> None:
    import os

    path = ROOT / "var" / "bench_claims.sqlite3"
    path.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    from tests.claims.demo_corpus import corpus_load, match_expected
    from tracker.claims.models import Claim

    loaded = corpus_load()
    listed = found = exact = stored = 0
    matched: set[int] = set()
    for item in loaded:
        stored += Claim.objects.filter(event=item.event).count()
        matches = match_expected(item)
        if show_missed:
            _show_missed(item, matches)
        for match in matches:
            listed += 1
            if match.claim is not None:
                found += 1
                matched.add(match.claim.pk)
                exact += match.claim.independent_source_count == match.expected.independent_sources
    print(f"\nClaims stage on the demo corpus ({len(loaded)} events, claims listed in event.toml)\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| listed claims found (recall) | {found}/{listed} = {found / listed:.0%} |")
    print(f"| found with the listed independent-source count | {exact}/{listed} |")
    print(f"| claims stored | {stored} |")
    print(f"| stored claims matching a listed one | {len(matched)}/{stored} = {len(matched) / stored:.0%} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--recall", action="store_true", help="also compare with each event.toml (SQLite)")
    parser.add_argument(
        "--show-missed",
        action="store_true",
        help="with --recall: list missed listed claims (and the closest stored ones) and count mismatches",
    )
    args = parser.parse_args()
    texts = corpus_texts()
    if not texts:
        print(f"no articles under {CORPUS}; build the demo corpus first", file=sys.stderr)
        return 1

    rates = []
    for _ in range(args.repeat):
        start = time.process_time()
        for text in texts:
            extract(text, organisations=ORGANISATIONS)
        rates.append(len(texts) / max(time.process_time() - start, 1e-9))

    kinds: Counter[str] = Counter()
    sentences = citations = 0
    for text in texts:
        result = extract(text, organisations=ORGANISATIONS)
        sentences += len(result.sentences)
        citations += len(result.citations)
        kinds.update(claim.kind for claim in result.claims)
    words = sum(len(text.split()) for text in texts) / len(texts)
    n = len(texts)
    print(f"Claim extraction on {n} demo articles (mean {words:.0f} words), {args.repeat} runs\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| articles/s (median, one core, CPU time) | {statistics.median(rates):.0f} |")
    print(f"| ms per article | {1000 / statistics.median(rates):.2f} |")
    print(f"| sentences per article | {sentences / n:.1f} |")
    print(f"| citations per article | {citations / n:.2f} |")
    print(f"| claims per article | {sum(kinds.values()) / n:.2f} |")
    for kind, count in sorted(kinds.items()):
        print(f"| - {kind} | {count / n:.2f} |")
    if args.recall or args.show_missed:
        recall(show_missed=args.show_missed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
