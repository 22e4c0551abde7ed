"""Every periodic job in one place, each with the reason for its frequency."""

BEAT_SCHEDULE: dict[str, dict] = {}
