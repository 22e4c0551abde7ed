"""Django-free scraping library: bytes in, dataclasses out.

Stages, each usable on its own:
    fetch   -> FetchResult          (scrapers.fetch)
    parse   -> ParsedFeed           (scrapers.feeds, scrapers.sitemaps, scrapers.jsonfeed)
    extract -> ExtractedArticle     (scrapers.extract)
    urls    -> canonical URLs       (scrapers.urls)

Nothing in this package imports Django; the tracker's services adapt these
dataclasses to models.
"""
