"""Redis URLs for tests that need a Redis nobody answers at."""

import socket


def closed_port_redis_url() -> str:
    """A redis:// URL on a local port that was free a moment ago, so connecting is refused."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    return f"redis://127.0.0.1:{port}/0"
