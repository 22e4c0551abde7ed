"""TLS: certificates are verified against the hostname even when we connect to a pinned address."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scrapers.errors import ConnectionFailedError

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"hello {self.headers.get('Host')}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def tls_server(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=secure.example",
         "-addext", "subjectAltName=DNS:secure.example", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd.server_address[1], str(cert)
    httpd.shutdown()
    httpd.server_close()


def _config(port: int) -> dict:
    return {"allowed_hosts": ("*.example",), "host_overrides": {"*.example": f"127.0.0.1:{port}"}}


def test_untrusted_certificate_is_refused(tls_server, make_fetcher):
    port, _cert = tls_server
    with make_fetcher(**_config(port)) as fetcher, pytest.raises(ConnectionFailedError, match="TLS"):
        fetcher.fetch("https://secure.example/")


def test_certificate_checked_against_hostname_not_the_pinned_address(tls_server, make_fetcher):
    port, cert = tls_server
    with make_fetcher(ca_bundle=cert, **_config(port)) as fetcher:
        assert fetcher.fetch("https://secure.example/").content == b"hello secure.example"
        # Same server, same address, but the name does not match the certificate.
        with pytest.raises(ConnectionFailedError, match="TLS"):
            fetcher.fetch("https://other.example/")
