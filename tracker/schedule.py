"""Every periodic job in one place, each with the reason for its frequency."""

BEAT_SCHEDULE: dict[str, dict] = {
    # Cheap query; each feed's own next_fetch_at (5 min .. 24 h, adaptive) decides when it is polled,
    # so a minute is the finest granularity a feed can get.
    "feeds-poll-due": {"task": "tracker.sources.tasks.feeds_poll_due", "schedule": 60.0},
}
