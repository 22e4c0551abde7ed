"""Every failure the scrapers raise on purpose.

All errors derive from ScraperError and carry a sentence a curator can read in the
admin or on the command line ("refused to connect to 10.0.0.7: private address"),
plus the URL when one is involved. Callers that record fetch failures can store
`str(error)` as is and use the class (or `code`) to decide on retries.
"""

from __future__ import annotations


class ScraperError(Exception):
    """Base class. `code` is a stable short name for logs and fetch history."""

    code = "scraper_error"

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url

    def __str__(self) -> str:
        if self.url and self.url not in self.message:
            return f"{self.message} ({self.url})"
        return self.message


class InvalidURLError(ScraperError, ValueError):
    """The text is not an absolute http(s) URL we can work with."""

    code = "invalid_url"


class BlockedAddressError(ScraperError):
    """The host resolves to an address we refuse to contact (loopback, private, metadata...)."""

    code = "blocked_address"


class UnsupportedSchemeError(ScraperError):
    """Only http and https are fetched, including on every redirect hop."""

    code = "unsupported_scheme"


class TooLargeError(ScraperError):
    """The (decompressed) body went past the configured cap."""

    code = "too_large"


class TooManyRedirectsError(ScraperError):
    code = "too_many_redirects"


class RobotsDisallowedError(ScraperError):
    """robots.txt asks us not to fetch this URL (or could not be read, RFC 9309 5xx rule)."""

    code = "robots_disallowed"


class RateLimitedError(ScraperError):
    """The server answered 429 (or 503 with Retry-After). `retry_after` is seconds, or None."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float | None = None, url: str | None = None) -> None:
        super().__init__(message, url=url)
        self.retry_after = retry_after


class HTTPStatusError(ScraperError):
    """Any other non-success answer. `status` is the HTTP status code."""

    code = "http_status"

    def __init__(self, status: int, message: str | None = None, *, url: str | None = None) -> None:
        super().__init__(message or f"server answered HTTP {status}", url=url)
        self.status = status


class FetchTimeoutError(ScraperError):
    code = "timeout"


class ConnectionFailedError(ScraperError):
    """DNS failure, refused connection, TLS failure, connection dropped mid-body."""

    code = "connection_failed"


class HostileContentError(ScraperError):
    """The document tries something dangerous (entity expansion, external entities, bombs)."""

    code = "hostile_content"


class ParseError(ScraperError):
    """The document cannot be understood as what it claims to be."""

    code = "parse_error"
