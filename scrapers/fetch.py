"""Polite, SSRF-safe HTTP fetching on urllib3.

Safety model: the address check happens inside the connection, *after* DNS
resolution, and the socket is opened to the very address that was checked. A host
that resolves to 127.0.0.1 on the second lookup (DNS rebinding) therefore cannot slip
through, and every redirect hop goes through the same connection code. The Host
header, TLS SNI and certificate verification keep using the hostname.

Limits are enforced while streaming: the size cap counts decompressed bytes (so a
gzip bomb stops after `max_bytes`), and a watchdog closes the socket when the total
time budget runs out, so a server dripping one byte a second cannot hold a worker.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    HTTPError,
    LocationValueError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util.request import ACCEPT_ENCODING
from urllib3.util.timeout import Timeout

from scrapers.errors import (
    BlockedAddressError,
    ConnectionFailedError,
    FetchTimeoutError,
    HTTPStatusError,
    InvalidURLError,
    ParseError,
    RateLimitedError,
    RobotsDisallowedError,
    ScraperError,
    TooLargeError,
    TooManyRedirectsError,
    UnsupportedSchemeError,
)
from scrapers.throttle import HostThrottle, LocalHostThrottle
from scrapers.types import FetchResult

ROBOTS_TOKEN = "AIPolicyTracker"
DEFAULT_USER_AGENT = f"{ROBOTS_TOKEN}/0.1 (+https://tracker.example/about/crawler; AI-policy news tracker)"
MiB = 1024 * 1024
# Read size while streaming: small enough that the size cap and deadline are checked often.
CHUNK_SIZE = 64 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# RFC 9309 2.5: crawlers parse at least the first 500 KiB of robots.txt and may ignore the rest,
# so a longer file is read that far and its rules up to there apply.
ROBOTS_MAX_BYTES = 500 * 1024
# An unreachable robots.txt means "disallow" (RFC 9309), but only for a short while.
ROBOTS_ERROR_TTL = 600.0
# A Crawl-delay above this is treated as this: we would rather fetch rarely than never.
MAX_CRAWL_DELAY = 60.0
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/feed+json,application/json;q=0.9,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"
)

# Networks never contacted unless the host is in allowed_hosts. `is_global` already covers
# most of these; listing them keeps the policy readable and independent of Python's tables.
_BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, cloud metadata endpoints
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, includes broadcast
        "::/128",
        "::1/128",
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # old site-local
        "ff00::/8",  # multicast
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def address_block_reason(address: str) -> str | None:
    """Why this IP address must not be contacted, or None when it is a public address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0].strip("[]"))
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and (ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1)):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = address_block_reason(str(embedded))
            return f"embeds {embedded}, which is {inner}" if inner else None
    for net in _BLOCKED_NETWORKS:
        if ip.version == net.version and ip in net:
            return _describe(ip)
    if not ip.is_global or ip.is_reserved or ip.is_multicast:
        return _describe(ip)
    return None


def _describe(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address (cloud metadata lives here)"
    if ip.is_unspecified:
        return "the unspecified address"
    if ip.is_multicast:
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in ipaddress.ip_network("100.64.0.0/10"):
        return "a carrier-grade NAT address"
    if ip.is_private:
        return "a private address"
    return "a reserved, non-public address"


def _host_matches(host: str, pattern: str) -> bool:
    pattern = pattern.strip().lower().rstrip(".")
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return fnmatch.fnmatchcase(host, pattern)


@dataclass(frozen=True)
class FetchConfig:
    """Knobs of one Fetcher. Defaults are the production values."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 5.0
    total_timeout: float = 20.0  # whole fetch, redirects included, politeness waits excluded
    max_bytes: int = 5 * MiB  # counted after decompression
    max_redirects: int = 5
    per_host_min_interval: float = 1.0  # seconds between two requests to one host
    # Host patterns ("*.example", "127.0.0.1") that may resolve to private addresses.
    # The demo and tests need this; production leaves it empty.
    allowed_hosts: tuple[str, ...] = ()
    # Pattern -> "ip:port": connect this hostname to that address, like curl --resolve.
    host_overrides: Mapping[str, str] = field(default_factory=dict)
    respect_robots: bool = True  # honoured when fetch(check_robots=True)
    robots_cache_ttl: float = 3600.0
    # PEM bundle of trusted CAs; None means certifi's. Verification itself is never off.
    ca_bundle: str | None = None


class _AddressPolicy:
    """Resolves a host and returns only addresses we may connect to."""

    def __init__(self, config: FetchConfig) -> None:
        self._allowed = tuple(p.lower() for p in config.allowed_hosts)
        self._overrides: list[tuple[str, str, int]] = []
        for pattern, target in config.host_overrides.items():
            address, _, port = target.rpartition(":")
            if not address or not port.isdigit():
                raise ValueError(f"host_overrides[{pattern!r}] must look like 'ip:port', got {target!r}")
            self._overrides.append((pattern.lower(), address.strip("[]"), int(port)))

    def allows_private(self, host: str) -> bool:
        return any(_host_matches(host, pattern) for pattern in self._allowed)

    def check_literal(self, host: str, url: str) -> None:
        """Fail early, before any connection, for URLs written with a blocked IP literal."""
        host = host.strip("[]").lower()
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return
        reason = address_block_reason(host)
        if reason and not self.allows_private(host):
            raise BlockedAddressError(f"refused to fetch {host}: it is {reason}", url=url)

    def resolve(self, host: str, port: int) -> list[tuple[int, tuple]]:
        """(family, sockaddr) pairs safe to connect to, in resolver order."""
        host = host.strip("[]").lower().rstrip(".")
        for pattern, address, override_port in self._overrides:
            if _host_matches(host, pattern):
                infos = self._getaddrinfo(address, override_port, host)
                break
        else:
            infos = self._getaddrinfo(host, port, host)
        allowed = self.allows_private(host)
        safe: list[tuple[int, tuple]] = []
        refused: list[str] = []
        for family, _type, _proto, _canon, sockaddr in infos:
            reason = address_block_reason(sockaddr[0])
            if reason and not allowed:
                refused.append(f"{sockaddr[0]} ({reason})")
                continue
            safe.append((family, sockaddr))
        if not safe:
            detail = ", ".join(refused) or "no usable address"
            raise BlockedAddressError(f"refused to connect to {host}: it resolves to {detail}")
        return safe

    @staticmethod
    def _getaddrinfo(host: str, port: int, display: str) -> list:
        try:
            # Looked up through the module so tests can simulate DNS answers.
            return socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise ConnectionFailedError(f"could not resolve host {display}: {exc}") from exc


class _GuardedConnectionMixin:
    """Replaces urllib3's socket creation with check-then-connect-to-the-checked-address."""

    policy: _AddressPolicy  # set on the per-Fetcher subclass

    def _new_conn(self) -> socket.socket:
        targets = self.policy.resolve(self._dns_host, self.port)  # type: ignore[attr-defined]
        timeout = self.timeout  # type: ignore[attr-defined]
        last_error: OSError | None = None
        for family, sockaddr in targets:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                for option in self.socket_options or ():  # type: ignore[attr-defined]
                    sock.setsockopt(*option)
                if isinstance(timeout, (int, float)):
                    sock.settimeout(timeout)
                sock.connect(sockaddr)
                return sock
            except TimeoutError as exc:
                sock.close()
                raise ConnectTimeoutError(self, f"connection to {self.host} timed out") from exc  # type: ignore[attr-defined]
            except OSError as exc:
                sock.close()
                last_error = exc
        raise NewConnectionError(self, f"failed to connect to {self.host}: {last_error}")  # type: ignore[attr-defined]


class _GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


@dataclass
class _RobotsEntry:
    parser: urllib.robotparser.RobotFileParser | None  # None: disallow everything
    reason: str
    expires: float


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Fetcher:
    """Fetches URLs under one FetchConfig. Thread-safe; reuse one per process.

    `throttle` spaces requests to each host (per_host_min_interval, raised by a robots.txt
    Crawl-delay). The default keeps its slots in this Fetcher; pass a shared one (such as
    scrapers.redis_throttle.RedisHostThrottle) when several processes crawl the same hosts.
    `sleep` waits for a reserved slot (tests pass one that records the delays).
    """

    def __init__(
        self,
        config: FetchConfig | None = None,
        *,
        throttle: HostThrottle | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config or FetchConfig()
        self._policy = _AddressPolicy(self.config)
        # robots.txt groups are matched on the product token of our User-Agent.
        self.robots_token = self.config.user_agent.split("/", 1)[0].split()[0] or ROBOTS_TOKEN
        self.throttle: HostThrottle = throttle if throttle is not None else LocalHostThrottle()
        self._sleep = sleep
        self._robots: dict[str, _RobotsEntry] = {}
        self._robots_lock = threading.Lock()
        http_conn = type("FetcherHTTPConnection", (_GuardedHTTPConnection,), {"policy": self._policy})
        https_conn = type("FetcherHTTPSConnection", (_GuardedHTTPSConnection,), {"policy": self._policy})
        self._pool = urllib3.PoolManager(
            num_pools=50,
            maxsize=4,
            cert_reqs="CERT_REQUIRED",
            ca_certs=self.config.ca_bundle or certifi.where(),
        )
        # Per-instance pool classes so each Fetcher's connections carry its own policy.
        self._pool.pool_classes_by_scheme = {
            "http": type("FetcherHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
            "https": type("FetcherHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
        }

    def close(self) -> None:
        self._pool.clear()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- public -------------------------------------------------------------------------

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        check_robots: bool = False,
    ) -> FetchResult:
        """GET `url`, following up to max_redirects redirects, each hop re-checked.

        Returns a FetchResult for 2xx and 304 (send `etag`/`last_modified` from the last
        fetch to get 304). Raises a ScraperError subclass for everything else.
        `check_robots=True` (for article pages) consults robots.txt when the config
        respects it.
        """
        return self._fetch(
            url,
            etag=etag,
            last_modified=last_modified,
            check_robots=check_robots and self.config.respect_robots,
            max_bytes=self.config.max_bytes,
        )

    def robots_allowed(self, url: str) -> bool:
        """True when robots.txt lets our crawler fetch `url` (fetches robots.txt if needed)."""
        try:
            self._check_robots(url)
        except RobotsDisallowedError:
            return False
        return True

    # -- internals ------------------------------------------------------------------------

    def _fetch(
        self,
        url: str,
        *,
        etag: str | None,
        last_modified: str | None,
        check_robots: bool,
        max_bytes: int,
        truncate: bool = False,
    ) -> FetchResult:
        """One fetch with redirects. Past `max_bytes` the body raises TooLargeError, or with
        `truncate` is cut there (robots.txt)."""
        started = time.monotonic()
        waited = 0.0
        current = url.strip()
        redirects: list[str] = []
        headers = {"User-Agent": self.config.user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        while True:
            host, port = self._check_url(current)
            if check_robots:
                waited += self._check_robots(current)
            waited += self._wait_for_slot(f"{host}:{port}", self._interval_for(current))
            deadline = started + waited + self.config.total_timeout
            response = self._open(current, headers, deadline)
            consumed = False
            try:
                location = response.headers.get("location")
                if response.status in REDIRECT_STATUSES and location:
                    if len(redirects) >= self.config.max_redirects:
                        raise TooManyRedirectsError(
                            f"gave up after {self.config.max_redirects} redirects", url=url
                        )
                    current = urljoin(current, location.strip())
                    redirects.append(current)
                    continue
                result_headers = {name.lower(): response.headers[name] for name in response.headers}
                self._raise_for_status(response.status, result_headers, current)
                content = (
                    b""
                    if response.status == 304
                    else self._read_body(response, current, deadline, max_bytes, truncate=truncate)
                )
                consumed = True
                return FetchResult(
                    requested_url=url,
                    url=current,
                    status=response.status,
                    headers=result_headers,
                    content=content,
                    elapsed_seconds=time.monotonic() - started - waited,
                    redirects=tuple(redirects),
                )
            finally:
                if not consumed:
                    # An unread body (redirect, error, aborted download) would poison a
                    # pooled connection; closing costs one reconnect and reads nothing more.
                    response.close()
                response.release_conn()

    def _wait_for_slot(self, host: str, interval: float) -> float:
        """Reserve the host's next request slot and sleep until it; return the seconds slept."""
        delay = self.throttle.reserve(host, interval)
        if delay <= 0:
            return 0.0
        self._sleep(delay)
        return delay

    def _check_url(self, url: str) -> tuple[str, int]:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise InvalidURLError(f"malformed URL: {exc}", url=url) from exc
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise UnsupportedSchemeError(
                f"refused to fetch a {scheme or 'scheme-less'} URL: only http and https are allowed", url=url
            )
        host = (parts.hostname or "").lower()
        if not host:
            raise InvalidURLError("URL has no host", url=url)
        self._policy.check_literal(host, url)
        return host, port or (443 if scheme == "https" else 80)

    def _open(self, url: str, headers: dict[str, str], deadline: float) -> urllib3.BaseHTTPResponse:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchTimeoutError(f"no time left after {self.config.total_timeout:g}s budget", url=url)
        timeout = Timeout(connect=min(self.config.connect_timeout, remaining), read=remaining)
        try:
            return self._pool.urlopen(
                "GET",
                url,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=True,
                timeout=timeout,
            )
        except ScraperError as exc:
            if exc.url is None:
                exc.url = url
            raise
        except LocationValueError as exc:
            raise InvalidURLError(f"malformed URL: {exc}", url=url) from exc
        except NewConnectionError as exc:  # before ConnectTimeoutError: it subclasses it
            raise ConnectionFailedError(f"connection failed: {exc}", url=url) from exc
        except ConnectTimeoutError as exc:
            raise FetchTimeoutError(
                f"could not connect within {self.config.connect_timeout:g}s", url=url
            ) from exc
        except ReadTimeoutError as exc:
            raise FetchTimeoutError(
                f"server did not answer within the {self.config.total_timeout:g}s budget", url=url
            ) from exc
        except SSLError as exc:
            raise ConnectionFailedError(f"TLS verification failed: {exc}", url=url) from exc
        except (ProtocolError, HTTPError, OSError) as exc:
            raise ConnectionFailedError(f"connection failed: {exc}", url=url) from exc

    def _raise_for_status(self, status: int, headers: dict[str, str], url: str) -> None:
        if 200 <= status < 300 or status == 304:
            return
        retry_after = parse_retry_after(headers.get("retry-after"))
        if status == 429 or (status == 503 and retry_after is not None):
            wait = f"; retry after {retry_after:g}s" if retry_after is not None else ""
            raise RateLimitedError(
                f"server is rate limiting us (HTTP {status}){wait}", retry_after=retry_after, url=url
            )
        if 300 <= status < 400:
            raise HTTPStatusError(status, f"server answered HTTP {status} without a usable Location", url=url)
        raise HTTPStatusError(status, url=url)

    def _read_body(
        self,
        response: urllib3.BaseHTTPResponse,
        url: str,
        deadline: float,
        max_bytes: int,
        *,
        truncate: bool = False,
    ) -> bytes:
        encoding = response.headers.get("content-encoding", "identity").lower().strip()
        declared = response.headers.get("content-length", "")
        too_long = declared.isdigit() and int(declared) > max_bytes
        if encoding in ("", "identity") and too_long and not truncate:
            raise TooLargeError(
                f"response is {int(declared):,} bytes, above the {max_bytes:,}-byte limit", url=url
            )
        timed_out = threading.Event()

        def expire() -> None:
            timed_out.set()
            try:
                response.shutdown()  # unblocks a read stuck on a slow server
            except (ValueError, RuntimeError, OSError):
                response.close()

        watchdog = threading.Timer(max(deadline - time.monotonic(), 0.0), expire)
        watchdog.daemon = True
        watchdog.start()
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.stream(CHUNK_SIZE, decode_content=True):
                size += len(chunk)
                if size > max_bytes and truncate:
                    chunks.append(chunk[: len(chunk) - (size - max_bytes)])
                    response.close()  # the rest is not wanted; the connection is not reused
                    break
                if size > max_bytes:
                    raise TooLargeError(
                        f"response grew past the {max_bytes:,}-byte limit"
                        + (f" after {encoding} decompression" if encoding not in ("", "identity") else ""),
                        url=url,
                    )
                if timed_out.is_set():
                    break
                chunks.append(chunk)
        except DecodeError as exc:
            raise ParseError(f"could not decode the {encoding} response body: {exc}", url=url) from exc
        except ReadTimeoutError as exc:
            raise FetchTimeoutError(
                f"body did not arrive within the {self.config.total_timeout:g}s budget", url=url
            ) from exc
        except (ProtocolError, HTTPError, OSError) as exc:
            if timed_out.is_set():
                raise FetchTimeoutError(
                    f"body did not arrive within the {self.config.total_timeout:g}s budget", url=url
                ) from exc
            raise ConnectionFailedError(f"connection dropped while reading the body: {exc}", url=url) from exc
        finally:
            watchdog.cancel()
        if timed_out.is_set():
            response.close()
            raise FetchTimeoutError(
                f"body did not arrive within the {self.config.total_timeout:g}s budget", url=url
            )
        return b"".join(chunks)

    # -- robots.txt -----------------------------------------------------------------------

    @staticmethod
    def _robots_key(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}"

    def _robots_entry(self, url: str) -> _RobotsEntry:
        key = self._robots_key(url)
        with self._robots_lock:
            entry = self._robots.get(key)
        if entry is not None and entry.expires > time.monotonic():
            return entry
        entry = self._load_robots(key)
        with self._robots_lock:
            self._robots[key] = entry
        return entry

    def _load_robots(self, key: str) -> _RobotsEntry:
        robots_url = key + "/robots.txt"
        now = time.monotonic()
        try:
            result = self._fetch(
                robots_url,
                etag=None,
                last_modified=None,
                check_robots=False,
                max_bytes=ROBOTS_MAX_BYTES,
                truncate=True,
            )
        except HTTPStatusError as exc:
            if 400 <= exc.status < 500:  # RFC 9309 2.3.1.3: "unavailable" means no rules
                return _RobotsEntry(_allow_all(), "", now + self.config.robots_cache_ttl)
            return _RobotsEntry(
                None,
                f"robots.txt answered HTTP {exc.status}; treating the site as disallowed for now",
                now + ROBOTS_ERROR_TTL,
            )
        except (FetchTimeoutError, ConnectionFailedError) as exc:
            return _RobotsEntry(
                None,
                f"robots.txt unreachable ({exc.message}); treating the site as disallowed for now",
                now + ROBOTS_ERROR_TTL,
            )
        content = result.content
        if len(content) >= ROBOTS_MAX_BYTES:
            # Cut at the last complete line: half a rule ("Disallow: /priv") would mean another.
            content = content[: content.rfind(b"\n") + 1]
        parser = urllib.robotparser.RobotFileParser(robots_url)
        parser.parse(content.decode("utf-8", "replace").splitlines())
        parser.modified()  # can_fetch() answers False until the parser believes it has read
        return _RobotsEntry(parser, "", now + self.config.robots_cache_ttl)

    def _check_robots(self, url: str) -> float:
        """Raise RobotsDisallowedError when robots.txt forbids `url`; return seconds waited."""
        started = time.monotonic()
        entry = self._robots_entry(url)
        if entry.parser is None:
            raise RobotsDisallowedError(entry.reason, url=url)
        if not entry.parser.can_fetch(self.robots_token, url):
            raise RobotsDisallowedError(f"robots.txt of {urlsplit(url).netloc} disallows this URL", url=url)
        return time.monotonic() - started

    def _interval_for(self, url: str) -> float:
        interval = self.config.per_host_min_interval
        with self._robots_lock:
            entry = self._robots.get(self._robots_key(url))
        if entry is not None and entry.parser is not None:
            delay = entry.parser.crawl_delay(self.robots_token)
            if delay:
                interval = max(interval, min(float(delay), MAX_CRAWL_DELAY))
        return interval


def _allow_all() -> urllib.robotparser.RobotFileParser:
    parser = urllib.robotparser.RobotFileParser()
    parser.allow_all = True
    return parser
