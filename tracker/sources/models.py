from django.db import models
from django.db.models import Q
from django.utils import timezone


class Source(models.Model):
    """An outlet or organisation that publishes."""

    class Kind(models.TextChoices):
        NEWS_OUTLET = "news_outlet", "News outlet"
        WIRE = "wire", "Wire service"
        BLOG = "blog", "Blog"
        GOVERNMENT = "government", "Government"
        THINK_TANK = "think_tank", "Think tank"
        COMPANY = "company", "Company"
        AGGREGATOR = "aggregator", "Aggregator"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    # Registrable host without "www.", e.g. "reuters.com". Articles are matched to sources by it.
    domain = models.CharField(max_length=253, unique=True)
    homepage = models.URLField(max_length=500, blank=True)
    country = models.ForeignKey(
        "jurisdictions.Jurisdiction", null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NEWS_OUTLET, db_index=True)
    # Outlets of one owner group count once when corroboration is counted.
    owner_group = models.CharField(max_length=200, blank=True, db_index=True)
    reliability_note = models.TextField(
        blank=True, help_text="Editor's note on how far this source can be trusted."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def independence_key(self) -> str:
        """Sources sharing this key are one voice when corroboration is counted."""
        return f"group:{self.owner_group.lower()}" if self.owner_group else f"source:{self.pk}"


class Feed(models.Model):
    """A URL the scrapers poll, with its fetch state."""

    class Kind(models.TextChoices):
        RSS = "rss", "RSS"
        ATOM = "atom", "Atom"
        JSON_FEED = "json_feed", "JSON Feed"
        SITEMAP = "sitemap", "Sitemap"
        PAGE = "page", "Web page"

    # Polling bounds: a busy feed is polled every few minutes, a quiet one once a day.
    MIN_INTERVAL_SECONDS = 5 * 60
    MAX_INTERVAL_SECONDS = 24 * 60 * 60
    DEFAULT_INTERVAL_SECONDS = 60 * 60

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField(max_length=1000, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.RSS)
    title = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)

    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    consecutive_errors = models.PositiveIntegerField(default=0)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_new_item_at = models.DateTimeField(null=True, blank=True)
    next_fetch_at = models.DateTimeField(default=timezone.now)
    fetch_interval_seconds = models.PositiveIntegerField(default=DEFAULT_INTERVAL_SECONDS)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["source__name", "url"]
        indexes = [
            # The scheduler's question: which active feeds are due?
            models.Index(fields=["next_fetch_at"], condition=Q(active=True), name="feed_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(fetch_interval_seconds__gte=60), name="feed_interval_at_least_a_minute"
            ),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def is_healthy(self) -> bool:
        return self.consecutive_errors == 0


class FetchLog(models.Model):
    """One poll of a feed: what came back and what it added."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="fetch_logs")
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    ok = models.BooleanField(default=True)
    new_items = models.PositiveIntegerField(default=0)
    updated_items = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["feed", "-started_at"], name="fetchlog_feed_recent_idx")]

    def __str__(self) -> str:
        return f"{self.feed} @ {self.started_at:%Y-%m-%d %H:%M}"
