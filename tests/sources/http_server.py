"""A local HTTP server for ingestion tests: routes set per test, requests recorded.

Tests never touch the internet; feeds and pages are served from 127.0.0.1 by this server.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""  # when set, If-None-Match with this value gets 304


class FixtureServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.etag:
                    self.send_header("ETag", route.etag)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: str | bytes, **kwargs) -> str:
        self.routes[path] = Route(body=body.encode() if isinstance(body, str) else body, **kwargs)
        return self.url(path)

    def hits(self, path: str) -> int:
        return sum(1 for requested, _headers in self.requests if requested == path)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


RSS = "application/rss+xml; charset=utf-8"


def rss(items: list[dict], *, title: str = "Fixture Feed") -> str:
    """An RSS 2.0 document; each item: link, title, guid, description, pubDate, content (optional)."""
    parts = []
    for item in items:
        content = item.get("content")
        encoded = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
        parts.append(
            "<item>"
            f"<title>{item['title']}</title><link>{item['link']}</link>"
            f'<guid isPermaLink="false">{item.get("guid", item["link"])}</guid>'
            f"<description>{item.get('description', '')}</description>"
            f"<pubDate>{item.get('pubDate', 'Tue, 03 Dec 2024 10:00:00 GMT')}</pubDate>"
            + (f"<atom:updated>{item['updated']}</atom:updated>" if item.get("updated") else "")
            + f"{encoded}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>{title}</title><link>http://example.invalid/</link><language>en</language>"
        + "".join(parts)
        + "</channel></rss>"
    )


PARAGRAPH = (
    "The Commerce Department said on Monday that the new rules add dozens of companies to the "
    "Entity List and restrict sales of high-bandwidth memory, in a move officials described as "
    "closing gaps left by earlier controls. "
)


def article_page(
    *, title: str, url: str, paragraphs: int = 4, extra: str = "", paywalled: bool = False
) -> str:
    body = "".join(f"<p>{PARAGRAPH}{extra} Paragraph {n}.</p>" for n in range(paragraphs))
    if paywalled:
        body = f'<p>{PARAGRAPH[:80]}</p><div class="paywall">Subscribe to read the full story.</div>'
    return (
        f'<!doctype html><html lang="en"><head><title>{title}</title>'
        f'<link rel="canonical" href="{url}">'
        f'<meta property="og:title" content="{title}">'
        f'<meta property="og:site_name" content="Fixture Times">'
        '<meta property="article:published_time" content="2024-12-03T10:00:00+00:00">'
        '<meta name="author" content="Jane Fixture">'
        f"</head><body><nav>Home | World | Tech</nav><article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright Fixture Times</footer></body></html>"
    )
