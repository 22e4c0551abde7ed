"""Django-free scraping library: bytes in, dataclasses out.

Stages, each usable on its own:
    fetch   -> FetchResult          (scrapers.fetch: Fetcher, FetchConfig)
    detect  -> InputKind            (scrapers.detect.detect_kind, re-exported by scrapers.feeds)
    parse   -> ParsedFeed           (scrapers.feeds.parse_feed; sitemaps, jsonfeed underneath)
    extract -> ExtractedArticle     (scrapers.extract.extract_article, discover_feeds)
    urls    -> canonical URLs       (scrapers.urls.canonicalize_url, registrable_domain)

Per-host politeness is a pluggable HostThrottle (scrapers.throttle): in-process by default,
or shared by every process through Redis (scrapers.redis_throttle, which needs redis-py).

Every deliberate failure is a scrapers.errors.ScraperError subclass with a readable message.

Nothing in this package imports Django; the tracker's services adapt these
dataclasses to models.
"""
