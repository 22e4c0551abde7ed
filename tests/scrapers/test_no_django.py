"""The scrapers library stays usable without Django (benchmarks, other projects, workers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_scrapers_import_without_django():
    code = (
        "import sys\n"
        "import scrapers.fetch, scrapers.feeds, scrapers.extract, scrapers.urls, scrapers.sitemaps\n"
        "import scrapers.throttle, scrapers.redis_throttle\n"
        "assert not any(name == 'django' or name.startswith('django.') for name in sys.modules), 'django imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
