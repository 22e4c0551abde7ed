"""Fetcher behaviour against a local server: limits, redirects, SSRF guard, politeness."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from scrapers.errors import (
    BlockedAddressError,
    ConnectionFailedError,
    FetchTimeoutError,
    HTTPStatusError,
    RateLimitedError,
    RobotsDisallowedError,
    ScraperError,
    TooLargeError,
    TooManyRedirectsError,
    UnsupportedSchemeError,
)
from scrapers.fetch import DEFAULT_USER_AGENT, ROBOTS_MAX_BYTES, address_block_reason, parse_retry_after


def test_plain_200_returns_body_headers_and_identifies_the_crawler(server, fetcher):
    url = server.add(
        "/page", "<p>hello</p>", headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"v1"'}
    )

    result = fetcher.fetch(url)

    assert result.status == 200
    assert result.content == b"<p>hello</p>"
    assert result.content_type == "text/html; charset=utf-8"
    assert result.etag == '"v1"'
    assert result.url == url and result.requested_url == url and result.redirects == ()
    seen = server.requests[-1].headers
    assert seen["user-agent"] == DEFAULT_USER_AGENT
    assert "https://" in seen["user-agent"]  # a contact URL for site operators


def test_conditional_get_returns_304_result(server, fetcher):
    def responder(handler):
        if handler.headers.get("If-None-Match") == '"v7"':
            handler.send_response(304)
            handler.send_header("ETag", '"v7"')
            handler.end_headers()
            return
        handler._send(200, b"<rss/>", {"ETag": '"v7"', "Last-Modified": "Tue, 09 Jul 2024 08:00:00 GMT"})

    url = server.add("/feed.xml", responder=responder)
    first = fetcher.fetch(url)
    second = fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)

    assert first.status == 200
    assert second.status == 304 and second.not_modified and second.content == b""
    assert server.requests[-1].headers["if-modified-since"] == "Tue, 09 Jul 2024 08:00:00 GMT"


def test_redirects_are_followed_and_recorded(server, fetcher):
    final = server.add("/final", "done")
    server.add("/b", status=302, headers={"Location": "/final"})
    start = server.add("/a", status=301, headers={"Location": server.url("/b")})

    result = fetcher.fetch(start)

    assert result.url == final
    assert result.redirects == (server.url("/b"), final)
    assert result.content == b"done"


def test_too_many_redirects(server, make_fetcher):
    for hop in range(10):
        server.add(f"/hop{hop}", status=302, headers={"Location": f"/hop{hop + 1}"})
    with make_fetcher(max_redirects=3) as fetcher, pytest.raises(TooManyRedirectsError, match="3 redirects"):
        fetcher.fetch(server.url("/hop0"))
    assert server.hits("/hop3") == 1 and server.hits("/hop4") == 0


def test_redirect_to_private_address_is_refused(server, fetcher):
    # "localhost" is not in allowed_hosts, so its loopback address is refused at connect time.
    start = server.add(
        "/to-local", status=302, headers={"Location": f"http://localhost:{server.port}/secret"}
    )
    server.add("/secret", "internal")
    with pytest.raises(BlockedAddressError, match="loopback"):
        fetcher.fetch(start)
    assert server.hits("/secret") == 0


def test_redirect_to_metadata_ip_and_to_file_scheme_are_refused(server, fetcher):
    meta = server.add(
        "/to-meta", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    with pytest.raises(BlockedAddressError, match="link-local"):
        fetcher.fetch(meta)
    local_file = server.add("/to-file", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(UnsupportedSchemeError, match="only http and https"):
        fetcher.fetch(local_file)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/",
        "http://100.64.0.1/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
    ],
)
def test_blocked_addresses_without_allow_list(url, make_fetcher):
    with make_fetcher(allowed_hosts=()) as fetcher, pytest.raises(BlockedAddressError) as caught:
        fetcher.fetch(url)
    assert "refused" in str(caught.value)


def test_address_policy_details():
    assert address_block_reason("8.8.8.8") is None
    assert address_block_reason("2606:4700:4700::1111") is None
    assert "loopback" in address_block_reason("::ffff:127.0.0.1")
    assert "loopback" in address_block_reason("2002:7f00:1::1")  # 6to4 wrapping 127.0.0.1
    assert "private" in address_block_reason("64:ff9b::a00:1")  # NAT64 wrapping 10.0.0.1
    assert "carrier-grade" in address_block_reason("100.100.1.1")


def test_hostname_resolving_to_loopback_is_refused_at_connect_time(server, monkeypatch, make_fetcher):
    real_getaddrinfo = socket.getaddrinfo
    lookups = []

    def rebinding_dns(host, port, *args, **kwargs):
        if host == "rebind.test":
            lookups.append(host)
            return real_getaddrinfo("127.0.0.1", port, *args, **kwargs)
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    server.add("/x", "internal")
    with make_fetcher(allowed_hosts=()) as fetcher, pytest.raises(BlockedAddressError, match=r"rebind\.test"):
        fetcher.fetch(f"http://rebind.test:{server.port}/x")
    assert lookups == ["rebind.test"]
    assert server.hits("/x") == 0


def test_decimal_ip_spelling_is_resolved_then_refused(make_fetcher):
    with make_fetcher(allowed_hosts=()) as fetcher, pytest.raises(BlockedAddressError):
        fetcher.fetch("http://2130706433/")  # 127.0.0.1 written as one number


def test_host_override_maps_demo_domain_to_local_server(server, make_fetcher):
    server.add("/story", "demo")
    config = {"allowed_hosts": ("*.example",), "host_overrides": {"*.example": f"127.0.0.1:{server.port}"}}
    with make_fetcher(**config) as fetcher:
        result = fetcher.fetch("http://news.example/story")
    assert result.content == b"demo"
    assert server.requests[-1].headers["host"] == "news.example"


def test_oversize_body_with_content_length(server, make_fetcher):
    url = server.add("/big", b"x" * 5000)
    with make_fetcher(max_bytes=1000) as fetcher, pytest.raises(TooLargeError, match="1,000-byte limit"):
        fetcher.fetch(url)


def test_oversize_body_without_content_length(server, make_fetcher):
    def responder(handler):
        handler.send_response(200)
        handler.end_headers()
        for _ in range(100):
            handler.wfile.write(b"y" * 1000)

    url = server.add("/stream", responder=responder)
    with make_fetcher(max_bytes=10_000) as fetcher, pytest.raises(TooLargeError):
        fetcher.fetch(url)


def test_gzip_body_is_decompressed(server, fetcher):
    url = server.add("/gz", gzip.compress(b"<p>compressed</p>"), headers={"Content-Encoding": "gzip"})
    assert fetcher.fetch(url).content == b"<p>compressed</p>"


def test_gzip_bomb_stops_at_the_cap(server, make_fetcher):
    sent = {"decompressed": 0}
    megabyte_of_zeros = b"\0" * (1024 * 1024)

    def endless_bomb(handler):
        handler.send_response(200)
        handler.send_header("Content-Encoding", "gzip")
        handler.end_headers()
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
        for _ in range(2048):  # would be 2 GiB once decompressed
            handler.wfile.write(compressor.compress(megabyte_of_zeros))
            handler.wfile.flush()
            sent["decompressed"] += len(megabyte_of_zeros)
        handler.wfile.write(compressor.flush())

    url = server.add("/bomb", responder=endless_bomb)
    started = time.monotonic()
    with (
        make_fetcher(max_bytes=2 * 1024 * 1024) as fetcher,
        pytest.raises(TooLargeError, match="decompression"),
    ):
        fetcher.fetch(url)
    assert time.monotonic() - started < 10  # generous: CI machines are shared
    # The server stopped soon after we hung up: nowhere near the 2 GiB it could send.
    time.sleep(0.2)
    assert sent["decompressed"] < 512 * 1024 * 1024


def test_slow_response_times_out(server, make_fetcher):
    url = server.add("/slow", "late", delay=2.0)
    started = time.monotonic()
    with make_fetcher(total_timeout=0.5) as fetcher, pytest.raises(FetchTimeoutError, match=r"0\.5s"):
        fetcher.fetch(url)
    assert time.monotonic() - started < 3  # budget 0.5s; slack for shared CI


def test_dripping_body_hits_the_total_budget(server, make_fetcher):
    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        for _ in range(1000):
            handler.wfile.write(b"z")
            handler.wfile.flush()
            time.sleep(0.02)

    url = server.add("/drip", responder=drip)
    started = time.monotonic()
    with make_fetcher(total_timeout=0.6) as fetcher, pytest.raises(FetchTimeoutError):
        fetcher.fetch(url)
    assert time.monotonic() - started < 3  # budget 0.6s; slack for shared CI


def test_429_with_retry_after_seconds(server, fetcher):
    url = server.add("/busy", status=429, headers={"Retry-After": "120"})
    with pytest.raises(RateLimitedError) as caught:
        fetcher.fetch(url)
    assert caught.value.retry_after == 120
    assert "retry after 120s" in str(caught.value)


def test_503_with_retry_after_date_and_without(server, fetcher):
    later = format_datetime(datetime.now(UTC) + timedelta(minutes=5), usegmt=True)
    url = server.add("/maint", status=503, headers={"Retry-After": later})
    with pytest.raises(RateLimitedError) as caught:
        fetcher.fetch(url)
    assert 250 < caught.value.retry_after <= 300
    plain = server.add("/down", status=503)
    with pytest.raises(HTTPStatusError) as failed:
        fetcher.fetch(plain)
    assert failed.value.status == 503


def test_parse_retry_after_rejects_garbage():
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("0") == 0


def test_404_is_an_http_status_error(server, fetcher):
    with pytest.raises(HTTPStatusError, match="HTTP 404") as caught:
        fetcher.fetch(server.url("/missing"))
    assert caught.value.status == 404 and caught.value.code == "http_status"


def test_robots_disallow_is_honoured_for_articles_and_cached(server, fetcher):
    server.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"})
    server.add("/private/story", "secret")
    open_url = server.add("/public/story", "fine")

    with pytest.raises(RobotsDisallowedError, match="disallows"):
        fetcher.fetch(server.url("/private/story"), check_robots=True)
    assert fetcher.fetch(open_url, check_robots=True).content == b"fine"
    assert server.hits("/robots.txt") == 1
    assert server.hits("/private/story") == 0
    # Feeds are fetched without the robots check (check_robots defaults to False).
    assert fetcher.fetch(server.url("/private/story")).content == b"secret"


def test_missing_robots_means_allowed_and_5xx_means_disallowed(server, fetcher, make_fetcher):
    server.add("/a", "ok")
    assert fetcher.fetch(server.url("/a"), check_robots=True).status == 200
    with make_fetcher() as other:
        server.add("/robots.txt", status=500)
        with pytest.raises(RobotsDisallowedError, match="HTTP 500"):
            other.fetch(server.url("/a"), check_robots=True)


def test_robots_longer_than_the_limit_applies_its_rules_up_to_the_limit(server, fetcher):
    # RFC 9309 2.5: the first 500 KiB are parsed and the rest may be ignored. The limit falls
    # inside "Disallow: /archive/": cutting mid-line would leave "Disallow: /" and block all.
    head = b"User-agent: *\nDisallow: /private/\n"
    filler_line = b"# " + b"x" * 1021 + b"\n"  # 1 KiB comment lines
    filler = filler_line * ((ROBOTS_MAX_BYTES - len(head)) // len(filler_line))
    cut_rule = b"Disallow: /archive/\n"
    pad = b"#" * (ROBOTS_MAX_BYTES - len(head) - len(filler) - len(b"Disallow: /") - 1) + b"\n"
    body = head + filler + pad + cut_rule + b"Disallow: /late/\n"
    assert len(head + filler + pad) < ROBOTS_MAX_BYTES < len(head + filler + pad + cut_rule)
    server.add("/robots.txt", body)
    for path in ("/a", "/archive/1", "/late/1"):
        server.add(path, "ok")

    with pytest.raises(RobotsDisallowedError, match="disallows"):
        fetcher.fetch(server.url("/private/1"), check_robots=True)
    for path in ("/a", "/archive/1", "/late/1"):
        assert fetcher.fetch(server.url(path), check_robots=True).status == 200


def test_robots_check_can_be_switched_off(server, make_fetcher):
    server.add("/robots.txt", "User-agent: *\nDisallow: /\n")
    server.add("/a", "ok")
    with make_fetcher(respect_robots=False) as fetcher:
        assert fetcher.fetch(server.url("/a"), check_robots=True).status == 200


def test_per_host_interval_spaces_concurrent_requests(server, make_fetcher):
    server.add("/p", "ok")
    with make_fetcher(per_host_min_interval=0.2) as fetcher:
        started = time.monotonic()
        threads = [threading.Thread(target=fetcher.fetch, args=(server.url("/p"),)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert time.monotonic() - started >= 0.4
    assert server.hits("/p") == 3


def test_connection_refused_is_a_clear_error(make_fetcher):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    with make_fetcher() as fetcher, pytest.raises(ConnectionFailedError, match="connect"):
        fetcher.fetch(f"http://127.0.0.1:{port}/")


def test_unresolvable_host_is_a_clear_error(monkeypatch, make_fetcher):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with make_fetcher() as fetcher, pytest.raises(ConnectionFailedError, match="could not resolve host"):
        fetcher.fetch("http://nowhere.invalid/")


def test_every_error_is_a_scraper_error():
    for error in (BlockedAddressError, TooLargeError, RateLimitedError, HTTPStatusError):
        assert issubclass(error, ScraperError)


def test_robots_groups_match_our_product_token(server, make_fetcher):
    server.add("/robots.txt", "User-agent: NewsTrackerBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    server.add("/a", "ok")
    named = make_fetcher(user_agent="NewsTrackerBot/2.0 (+https://tracker.example/bot)")
    with named, pytest.raises(RobotsDisallowedError):
        named.fetch(server.url("/a"), check_robots=True)
    with make_fetcher() as default:
        assert default.fetch(server.url("/a"), check_robots=True).status == 200
