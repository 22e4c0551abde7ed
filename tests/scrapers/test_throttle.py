"""Per-host spacing: the in-process throttle, and the Fetcher asking whichever throttle it is given."""

from __future__ import annotations

import threading

import pytest

from scrapers.fetch import FetchConfig, Fetcher
from scrapers.throttle import LocalHostThrottle


def test_one_host_is_spaced_by_the_interval_and_other_hosts_are_not_held_up():
    throttle = LocalHostThrottle()
    delays = [throttle.reserve("a.example:443", 30.0) for _ in range(3)]
    assert delays[0] == 0.0
    assert delays[1] == pytest.approx(30.0, abs=5.0)
    assert delays[2] == pytest.approx(60.0, abs=5.0)
    assert throttle.reserve("b.example:443", 30.0) == 0.0


def test_a_longer_interval_pushes_the_following_slot_further():
    # A robots.txt Crawl-delay raises one request's interval; the next request waits for it.
    throttle = LocalHostThrottle()
    throttle.reserve("a.example:443", 60.0)
    assert throttle.reserve("a.example:443", 1.0) == pytest.approx(60.0, abs=5.0)


def test_no_interval_takes_no_slot():
    throttle = LocalHostThrottle()
    assert throttle.reserve("a.example:443", 0.0) == 0.0
    assert throttle.reserve("a.example:443", 0.0) == 0.0
    assert throttle.reserve("a.example:443", 30.0) == 0.0


def test_concurrent_callers_get_distinct_slots():
    throttle = LocalHostThrottle()
    delays: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        delay = throttle.reserve("a.example:443", 30.0)
        with lock:
            delays.append(delay)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Each caller lines up one interval after the one before: 0, 30, 60, ... 210.
    slots = sorted(round(delay / 30.0) for delay in delays)
    assert slots == list(range(8))


class RecordingThrottle:
    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.calls: list[tuple[str, float]] = []

    def reserve(self, host: str, interval: float) -> float:
        self.calls.append((host, interval))
        return self.delay


def _local_config() -> FetchConfig:
    return FetchConfig(allowed_hosts=("127.0.0.1",), per_host_min_interval=2.0, total_timeout=5.0)


def test_fetcher_asks_the_given_throttle_and_sleeps_what_it_says(server):
    server.add("/p", "ok")
    throttle = RecordingThrottle(delay=7.5)
    slept: list[float] = []
    with Fetcher(_local_config(), throttle=throttle, sleep=slept.append) as fetcher:
        result = fetcher.fetch(server.url("/p"))
    assert result.content == b"ok"
    assert throttle.calls == [(f"127.0.0.1:{server.port}", 2.0)]
    assert slept == [7.5]
    assert result.elapsed_seconds < 7.5  # politeness waits are not part of the fetch's own time


def test_fetcher_passes_a_robots_crawl_delay_to_the_throttle(server):
    server.add("/robots.txt", "User-agent: *\nCrawl-delay: 9\n")
    server.add("/a", "ok")
    throttle = RecordingThrottle(delay=0.0)
    with Fetcher(_local_config(), throttle=throttle) as fetcher:
        fetcher.fetch(server.url("/a"), check_robots=True)
    host = f"127.0.0.1:{server.port}"
    assert throttle.calls == [(host, 2.0), (host, 9.0)]  # robots.txt itself, then the page
