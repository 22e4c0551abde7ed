"""Whole-response caching for public pages, feeds and the API.

Nothing on these pages depends on who asks, so a rendered 200 can be shared. The cache key holds a
data version read in one cheap query (newest change per table, index lookups), so new or edited
events, articles, claims and companies show up on the next request; the time limit bounds what the
version cannot see (say, an edit that touches no timestamp).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse

from tracker.claims.models import Claim
from tracker.companies.models import Company
from tracker.events.models import Event, Topic
from tracker.jurisdictions.models import Jurisdiction
from tracker.news.models import Article
from tracker.sources.models import Source

# A news dashboard may lag a minute behind an edit the version does not see; set 0 to disable.
DEFAULT_CACHE_SECONDS = 60


def cache_seconds() -> int:
    configured = getattr(settings, "WEB_CACHE_SECONDS", None)
    if configured is None:
        configured = int(os.environ.get("WEB_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))
    return configured


def request_cache_seconds(request: HttpRequest) -> int:
    """How long an answer to `request` may be kept: 0 for anything but GET and HEAD, or when
    caching is off."""
    return cache_seconds() if request.method in ("GET", "HEAD") else 0


def _version_sql() -> str:
    parts = [
        f"(SELECT MAX(updated_at) FROM {Event._meta.db_table})",
        f"(SELECT MAX(updated_at) FROM {Claim._meta.db_table})",
        f"(SELECT MAX(id) FROM {Claim._meta.db_table})",
        f"(SELECT MAX(id) FROM {Article._meta.db_table})",
        f"(SELECT MAX(updated_at) FROM {Company._meta.db_table})",
        f"(SELECT MAX(updated_at) FROM {Source._meta.db_table})",
        f"(SELECT COUNT(*) FROM {Jurisdiction._meta.db_table})",
        f"(SELECT COUNT(*) FROM {Topic._meta.db_table})",
    ]
    return "SELECT " + ", ".join(parts)


def data_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        return "|".join(str(value) for value in cursor.fetchone())


# The data version read for the request being served, so the response cache and every fragment
# cache of one request share one query.
_request_version: ContextVar[str | None] = ContextVar("web_request_version", default=None)

T = TypeVar("T")


def current_version() -> str:
    version = _request_version.get()
    return version if version is not None else data_version()


@contextmanager
def using_version(version: str) -> Iterator[None]:
    """Make `version` the data version every cache read inside the block uses (current_version())."""
    token = _request_version.set(version)
    try:
        yield
    finally:
        _request_version.reset(token)


def with_data_version(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Read the data version once, before anything else in the view runs (a feed's conditional-GET
    check comes before its response cache), so every cache of the request shares that one query.
    Nothing to do when ResponseCacheMiddleware has read it already."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request_cache_seconds(request) <= 0 or _request_version.get() is not None:
            return view(request, *args, **kwargs)
        with using_version(data_version()):
            return view(request, *args, **kwargs)

    return wrapper


def cached_fragment(name: str, key: str, compute: Callable[[], T]) -> T:
    """A piece many requests recompute (the filter form's choices, a filtered timeline's month
    chart), kept per data version: any write the version sees makes a new key, so no request gets
    a value older than the data it reads beside it. Off, like the response cache, when
    WEB_CACHE_SECONDS is 0."""
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    digest = hashlib.sha256(f"{key}|{current_version()}".encode()).hexdigest()
    full_key = f"web:fragment:{name}:{digest}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, seconds)
    return value


def response_key(request: HttpRequest, version: str, *, kind: str = "response") -> str:
    raw = f"{request.get_host()}|{request.path}|{sorted(request.GET.lists())}|{version}"
    return f"web:{kind}:" + hashlib.sha256(raw.encode()).hexdigest()


# Set on a response cached_response produced, so ResponseCacheMiddleware stores it once the inner
# middleware has added its headers.
STORE_ATTRIBUTE = "_web_response_cacheable"
# Set on a request ResponseCacheMiddleware has looked up already.
CHECKED_ATTRIBUTE = "_web_response_cache_checked"


def storable(response: HttpResponse) -> bool:
    """Whether a response may go into the response cache: a complete 200."""
    return response.status_code == 200 and not response.streaming


def cached_response(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve GETs from the cache while the data version and the time limit hold; cache only 200s.
    Behind ResponseCacheMiddleware (the settings' default) the middleware looks up and stores the
    whole response; this only marks what may be stored. Without it, this caches the body."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        seconds = request_cache_seconds(request)
        if seconds <= 0:
            return view(request, *args, **kwargs)
        if getattr(request, CHECKED_ATTRIBUTE, False):
            response = view(request, *args, **kwargs)
            if storable(response):
                setattr(response, STORE_ATTRIBUTE, True)
            return response
        version = current_version()
        key = response_key(request, version)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Cache"] = "hit"
            return response
        with using_version(version):
            response = view(request, *args, **kwargs)
        if storable(response):
            cache.set(key, (response.content, response["Content-Type"]), seconds)
            response["X-Cache"] = "miss"
        return response

    # Read by ResponseCacheMiddleware through the decorators above this one (they copy __dict__).
    wrapper.web_response_cache = True
    return wrapper
