"""A local threaded HTTP server on 127.0.0.1 (ephemeral port) and a Fetcher allowed to use it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from scrapers.fetch import FetchConfig, Fetcher

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scrapers"

Responder = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    responder: Responder | None = None  # writes the whole response itself


@dataclass
class SeenRequest:
    path: str
    headers: dict[str, str]


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[SeenRequest] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # one request per connection keeps the fixture simple

            def do_GET(self) -> None:
                server.requests.append(
                    SeenRequest(self.path, {k.lower(): v for k, v in self.headers.items()})
                )
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                try:
                    if route is None:
                        self._send(404, b"not here", {"Content-Type": "text/plain"})
                        return
                    if route.delay:
                        time.sleep(route.delay)
                    if route.responder is not None:
                        route.responder(self)
                        return
                    self._send(route.status, route.body, route.headers)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up on purpose (cap, timeout): that is the test

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                lowered = {k.lower() for k in headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                if "content-length" not in lowered:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: bytes | str = b"", **kwargs: object) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **kwargs)  # type: ignore[arg-type]
        return self.url(path)

    def hits(self, path: str) -> int:
        return sum(1 for request in self.requests if request.path == path)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer()
    local.thread.start()
    yield local
    local.httpd.shutdown()
    local.httpd.server_close()


def build_fetcher(**overrides: object) -> Fetcher:
    options: dict[str, object] = {
        "allowed_hosts": ("127.0.0.1",),
        "per_host_min_interval": 0.0,
        "connect_timeout": 2.0,
        "total_timeout": 5.0,
    }
    options.update(overrides)
    return Fetcher(FetchConfig(**options))  # type: ignore[arg-type]


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with build_fetcher() as local_fetcher:
        yield local_fetcher


@pytest.fixture
def make_fetcher() -> Callable[..., Fetcher]:
    """Build a Fetcher like `fetcher` with some FetchConfig fields overridden."""
    return build_fetcher


@pytest.fixture
def fixture_bytes() -> Callable[[str], bytes]:
    def read(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return read
