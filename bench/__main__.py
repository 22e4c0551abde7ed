"""`make bench`: run every benchmark with its default sizes and print their tables.

    python -m bench                   # all of them, in order
    python -m bench extraction web    # only these (names after the bench_ prefix)
    python -m bench analysis -- --sizes 10000,100000,1000000   # arguments after -- go to each one

Each benchmark is its own script (bench/bench_<name>.py) so it can also be run directly with its
own --help. Benchmarks measure; they never fail a build on a number.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Cheapest first, so a quick look at the first tables costs little.
ORDER = ["extraction", "ingestion", "claims", "analysis", "web"]


def main(argv: list[str]) -> int:
    names, extra = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    available = {p.stem.removeprefix("bench_"): p for p in HERE.glob("bench_*.py")}
    unknown = [name for name in names if name not in available]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; have: {', '.join(sorted(available))}",
            file=sys.stderr,
        )
        return 2
    chosen = names or [name for name in ORDER if name in available] + sorted(set(available) - set(ORDER))
    failed = []
    for name in chosen:
        print(f"\n## {name}\n", flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(available[name]), *extra], cwd=HERE.parent)
        print(f"\n({name}: {time.monotonic() - started:.0f} s, exit {result.returncode})", flush=True)
        if result.returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nbenchmarks that did not finish: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
