from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Topic(models.Model):
    """A policy area used to filter the timeline: export controls, chips, API access, regulation..."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    # Words that suggest the topic in an article, one per line.
    keywords = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """Something that happened, as told by one or more articles."""

    class Status(models.TextChoices):
        AUTO = "auto", "Automatic"
        REVIEWED = "reviewed", "Reviewed by an editor"
        HIDDEN = "hidden", "Hidden"

    class DatePrecision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"
        YEAR = "year", "Year"
        UNKNOWN = "unknown", "Unknown"

    class DateMethod(models.TextChoices):
        EXPLICIT = "explicit", "Explicit date in the text"
        NO_YEAR = "no_year", "Date without a year, year from publication"
        RELATIVE = "relative", "Relative date resolved against publication"
        PUBLICATION = "publication", "Earliest publication date (no date in the text)"
        EDITOR = "editor", "Set by an editor"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, blank=True)
    summary = models.TextField(blank=True)

    # When the thing happened, kept apart from when it was reported. Services always fill it,
    # falling back to the earliest publication day with precision "unknown", so the timeline can sort.
    event_date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    date_method = models.CharField(max_length=16, choices=DateMethod.choices, blank=True)
    date_evidence = models.TextField(
        blank=True, help_text="The words and article the date was resolved from."
    )

    first_reported_at = models.DateTimeField(null=True, blank=True)
    first_reported_by = models.ForeignKey(
        "sources.Source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="first_reported_events",
    )

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.AUTO, db_index=True)
    # Set when an editor merged, split, moved articles or edited fields: automatic passes leave it alone.
    editor_locked = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_events"
    )

    jurisdictions = models.ManyToManyField("jurisdictions.Jurisdiction", blank=True, related_name="events")
    companies = models.ManyToManyField("companies.Company", blank=True, related_name="events")
    topics = models.ManyToManyField(Topic, blank=True, related_name="events")

    # Denormalised for the timeline; kept current by the events services.
    article_count = models.PositiveIntegerField(default=0)
    independent_source_count = models.PositiveIntegerField(default=0)
    last_article_at = models.DateTimeField(null=True, blank=True)

    # Clustering state: a compact profile of the event's text, owned by the clustering service.
    profile = models.JSONField(default=dict, blank=True)
    needs_refresh = models.BooleanField(
        default=True, help_text="Title, summary, date or counts need recomputing."
    )

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-event_date", "-first_reported_at", "-id"]
        indexes = [
            # Timeline: visible events by event date, newest first, keyset on (date, id).
            models.Index(
                fields=["-event_date", "-id"],
                condition=Q(merged_into__isnull=True) & ~Q(status="hidden"),
                name="event_timeline_idx",
            ),
            models.Index(fields=["-updated_at", "-id"], name="event_updated_idx"),
            # The refresh stage's pickup, `ORDER BY id LIMIT n`: on (id), so no scan of all events.
            models.Index(fields=["id"], condition=Q(needs_refresh=True), name="event_needs_refresh_idx"),
            models.Index(fields=["-last_article_at"], name="event_recent_activity_idx"),
            # Clustering's candidate events: not merged, active since the window start.
            models.Index(fields=["merged_into", "last_article_at"], name="event_candidates_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(merged_into=F("id")), name="event_not_merged_into_self"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_visible(self) -> bool:
        return self.merged_into_id is None and self.status != self.Status.HIDDEN


class ArticleFingerprint(models.Model):
    """The MinHash signature of an article's text, kept so the near-duplicate index can be
    rebuilt for any time window without re-reading article texts."""

    article = models.OneToOneField(
        "news.Article", on_delete=models.CASCADE, primary_key=True, related_name="fingerprint"
    )
    # num_perm unsigned 32-bit integers, little-endian.
    signature = models.BinaryField()
    # Copied from the article (published, else fetched) so window queries need no join.
    published_at = models.DateTimeField(db_index=True)
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    shingle_count = models.PositiveIntegerField(default=0)
    # Article revision the signature was computed from.
    revision = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"fingerprint of article {self.article_id}"


class ProcessingIssue(models.Model):
    """A pipeline stage failed for one article or event; shown to editors in the admin."""

    stage = models.CharField(max_length=32)
    article = models.ForeignKey(
        "news.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="processing_issues"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="processing_issues"
    )
    message = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.stage}: {self.message[:80]}"
