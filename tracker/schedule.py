"""Every periodic job in one place, each with the reason for its frequency."""

BEAT_SCHEDULE: dict[str, dict] = {
    # Cheap query; each feed's own next_fetch_at (5 min .. 24 h, adaptive) decides when it is polled,
    # so a minute is the finest granularity a feed can get.
    "feeds-poll-due": {"task": "tracker.sources.tasks.feeds_poll_due", "schedule": 60.0},
    # A feed polled every 5 minutes logs ~290 rows a day; a daily sweep keeps 30 days of history.
    "fetch-logs-prune": {"task": "tracker.sources.tasks.fetch_logs_prune", "schedule": 24 * 60 * 60.0},
    # Analysis follows ingestion within a minute; when nothing is flagged it costs four indexed
    # queries, and a run stops after PROCESS_BUDGET_SECONDS so runs do not pile up.
    "events-process-pending": {"task": "tracker.events.tasks.process_pending", "schedule": 60.0},
    # Duplicate automatic events only appear as stories develop over hours; hourly is enough.
    "events-merge-pass": {"task": "tracker.events.tasks.events_merge_pass", "schedule": 3600.0},
}
