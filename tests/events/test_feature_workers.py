"""The main process never waits forever on a feature worker that was lost."""

import logging
from datetime import UTC, datetime

from tracker.events import features


class _LostChunk:
    """An AsyncResult whose worker died: it never becomes ready."""

    def __init__(self) -> None:
        self.waits: list[float | None] = []

    def wait(self, timeout: float | None = None) -> None:
        self.waits.append(timeout)

    def ready(self) -> bool:
        return False


class _Pool:
    def __init__(self) -> None:
        self.handles: list[_LostChunk] = []

    def apply_async(self, func, args, callback=None, error_callback=None):
        handle = _LostChunk()
        self.handles.append(handle)
        return handle


def test_a_chunk_that_never_answers_is_waited_for_once_then_computed_here(monkeypatch, caplog):
    monkeypatch.setattr(features, "PREFETCH_WAIT_SECONDS", 0.01)
    published = datetime(2025, 1, 1, tzinfo=UTC)
    articles = [features._Pending(n, f"Title {n}", "Text.", published) for n in (1, 2)]
    pool = _Pool()
    prefetch = features._Prefetch(pool, articles)
    lost = prefetch.results[(features._STAGE_OF[features.FINGERPRINT], 1)]

    with caplog.at_level(logging.WARNING, logger=features.logger.name):
        prefetch.wait_for(features.FINGERPRINT, 1)
        prefetch.wait_for(features.FINGERPRINT, 2)  # same chunk: no second wait

    assert lost.waits == [0.01]
    assert sum("gave no answer" in r.getMessage() for r in caplog.records) == 1
