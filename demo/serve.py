"""Serve the demo corpus: each *.example outlet's site from demo/corpus/site/<domain>/.

Routing is by Host header, so the tracker fetches ordinary absolute URLs such as
http://pacificledger.example/2024/07/x.html and the fetcher's host override sends them here.
Conditional GET works (ETag and Last-Modified from the file), as a real site's would.

    python demo/serve.py [--port 8765]          # standalone
    manage.py demo                              # starts it in a thread (see start_server)
"""

from __future__ import annotations

import argparse
import hashlib
import mimetypes
import threading
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

SITE_DIR = Path(__file__).resolve().parent / "corpus" / "site"

CONTENT_TYPES = {
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
# Feeds are recognised by name so that /feed.xml is served as RSS and /atom.xml as Atom.
CONTENT_TYPES_BY_NAME = {
    "feed.xml": "application/rss+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "rss.xml": "application/rss+xml; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
}


def resolve(site_dir: Path, host: str, path: str) -> Path | None:
    """The file for host+path, or None. Never leaves the host's directory."""
    host = host.split(":", 1)[0].strip().lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    root = (site_dir / host).resolve()
    if not host or not root.is_dir() or root.parent != site_dir.resolve():
        return None
    target = (root / unquote(path).lstrip("/")).resolve()
    if root not in target.parents and target != root:
        return None
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file() and not target.suffix:
        for suffix in (".html", ".xml"):
            if target.with_suffix(suffix).is_file():
                return target.with_suffix(suffix)
    return target if target.is_file() else None


class CorpusHandler(BaseHTTPRequestHandler):
    site_dir: Path = SITE_DIR
    server_version = "DemoCorpus/1.0"

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def _serve(self, *, body: bool) -> None:
        path = urlsplit(self.path).path
        target = resolve(self.site_dir, self.headers.get("Host", ""), path)
        if target is None:
            self._reply(404, b"not found\n", "text/plain; charset=utf-8", body=body)
            return
        content = target.read_bytes()
        etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
        mtime = target.stat().st_mtime
        last_modified = formatdate(mtime, usegmt=True)
        if self.headers.get("If-None-Match") == etag or self._not_modified_since(mtime):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return
        content_type = CONTENT_TYPES_BY_NAME.get(target.name) or CONTENT_TYPES.get(
            target.suffix, mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        )
        self._reply(
            200, content, content_type, body=body, extra={"ETag": etag, "Last-Modified": last_modified}
        )

    def _not_modified_since(self, mtime: float) -> bool:
        since = self.headers.get("If-Modified-Since")
        if not since or self.headers.get("If-None-Match"):
            return False
        try:
            return int(mtime) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False

    def _reply(self, status: int, content: bytes, content_type: str, *, body: bool, extra=None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(content)

    def log_message(self, format: str, *args) -> None:
        pass  # the crawl's own summary says what was fetched


def start_server(
    *, port: int = 8765, host: str = "127.0.0.1", site_dir: Path = SITE_DIR
) -> ThreadingHTTPServer:
    """Start the corpus server in a daemon thread; call .shutdown() to stop it. port=0 picks one."""
    handler = type("Handler", (CorpusHandler,), {"site_dir": site_dir})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="demo-corpus-server", daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), CorpusHandler)
    print(f"serving {SITE_DIR} on http://{args.host}:{server.server_address[1]}/ (route by Host header)")
    server.serve_forever()


if __name__ == "__main__":
    main()
