"""Whole-response caching in front of the session, CSRF and auth middleware, and security headers
for every response: a Content-Security-Policy that allows no inline script or
style and nothing from other origins, plus the headers Django's SecurityMiddleware leaves out."""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, has_vary_header
from django.utils.http import parse_http_date_safe

from tracker.web.caching import (
    CHECKED_ATTRIBUTE,
    STORE_ATTRIBUTE,
    data_version,
    request_cache_seconds,
    response_key,
    storable,
    using_version,
)

# Self-hosted everything; inline SVG charts use attributes, never style="", so no 'unsafe-inline'.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The admin is Django's own and uses inline styles in places; it keeps the rest of the policy.
ADMIN_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = (
            ADMIN_CONTENT_SECURITY_POLICY if request.path.startswith("/admin/") else CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.path.startswith(("/api/", "/feeds/")):
            # Feeds and the API are meant to be read by other sites' tools.
            response.headers.setdefault("Access-Control-Allow-Origin", "*")
        return response


def _cached_view(request: HttpRequest) -> bool:
    """Whether the URL goes to a view wrapped in cached_response: anything else (the admin, the
    health check, a 404) is passed on without a version query or a cache lookup."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return getattr(match.func, "web_response_cache", False)


class ResponseCacheMiddleware:
    """Serve a stored page, feed or API answer before sessions, CSRF, auth, URL routing and the
    view run, which a cache hit used to pay for. The key is built as cached_response builds its own
    (host, path, query and the data version, read in one query), so a write shows on the next request
    (under its own prefix: the two store different things). Only
    responses that cached_response marked (200s of public views) are stored, with every header
    the inner middleware added (CSP, frame and content-type policies, ETag, Last-Modified), and
    never one that sets a cookie or varies by cookie; conditional GETs are answered from the stored ETag and
    Last-Modified. Sits below SecurityMiddleware, so HTTPS redirects and HSTS still apply."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = request_cache_seconds(request)
        if seconds <= 0 or not _cached_view(request):
            return self.get_response(request)
        version = data_version()
        # Not cached_response's key: the two store different things.
        key = response_key(request, version, kind="page")
        hit = cache.get(key)
        if hit is not None:
            return self._replay(request, *hit)
        setattr(request, CHECKED_ATTRIBUTE, True)
        with using_version(version):
            response = self.get_response(request)
        if (
            getattr(response, STORE_ATTRIBUTE, False)
            and storable(response)  # again: inner middleware may have changed its status
            and not response.cookies
            and not has_vary_header(response, "Cookie")  # it read the session: it may be personal
        ):
            headers = [(name, value) for name, value in response.items() if name != "X-Cache"]
            cache.set(key, (response.content, headers), seconds)
            response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _replay(request: HttpRequest, content: bytes, headers: list[tuple[str, str]]) -> HttpResponse:
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response["X-Cache"] = "hit"
        etag, last_modified = response.get("ETag"), response.get("Last-Modified")
        if etag or last_modified:
            last_modified = parse_http_date_safe(last_modified) if last_modified else None
            return get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
        return response
