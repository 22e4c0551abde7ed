from django.db import models
from django.db.models import F, Q
from django.utils import timezone

# The articles each pipeline stage picks up, `ORDER BY published_at, id`: a stage reads an
# article only after the stages before it, and a partial index below answers each condition.
AWAITING_DEDUP = Q(needs_dedup=True)
AWAITING_ANALYSIS = Q(needs_analysis=True, needs_dedup=False)
AWAITING_CLUSTERING = Q(needs_clustering=True, needs_dedup=False, needs_analysis=False)


class Article(models.Model):
    """One URL's content, stored once however many feeds or fetches bring it."""

    class CopyKind(models.TextChoices):
        EXACT = "exact", "Exact copy"
        SYNDICATED = "syndicated", "Syndicated / near-identical copy"
        REWRITE = "rewrite", "Light rewrite"

    class EventAssignment(models.TextChoices):
        AUTO = "auto", "Clustering"
        EDITOR = "editor", "Editor"  # never moved by automatic passes

    source = models.ForeignKey("sources.Source", on_delete=models.PROTECT, related_name="articles")
    url = models.URLField(max_length=2000, help_text="The URL it was first fetched from.")
    canonical_url = models.URLField(max_length=2000, unique=True)
    # The identifier an archive or dataset gave it (JSON Lines import); returned by exports.
    external_id = models.CharField(max_length=300, blank=True, db_index=True)

    title = models.CharField(max_length=1000)
    authors = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    source_updated_at = models.DateTimeField(
        null=True, blank=True, help_text="Update time the publisher gave."
    )
    fetched_at = models.DateTimeField(default=timezone.now)
    language = models.CharField(max_length=16, blank=True)
    text = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    is_paywalled = models.BooleanField(default=False)
    extraction_warnings = models.JSONField(default=list, blank=True)

    # sha256 of the normalised text: equal hashes are exact copies.
    content_hash = models.CharField(max_length=64, blank=True, db_index=True)
    revision = models.PositiveIntegerField(default=1, help_text="Bumped each time the content changes.")
    content_updated_at = models.DateTimeField(
        null=True, blank=True, help_text="When we last saw the content change."
    )

    # Copies point at the earliest version; chains are flattened so copy_of is always an original.
    copy_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    copy_kind = models.CharField(max_length=16, choices=CopyKind.choices, blank=True)
    copy_similarity = models.FloatField(null=True, blank=True)

    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    event_assigned_by = models.CharField(
        max_length=8, choices=EventAssignment.choices, default=EventAssignment.AUTO
    )

    companies = models.ManyToManyField("companies.Company", through="ArticleCompany", related_name="articles")
    jurisdictions = models.ManyToManyField("jurisdictions.Jurisdiction", blank=True, related_name="articles")

    # Pipeline flags: each stage picks up work by its flag, so a lost task message delays work
    # but never loses it. Set on ingest and when content changes.
    needs_dedup = models.BooleanField(default=True)
    needs_analysis = models.BooleanField(default=True)  # companies, jurisdictions, claims, citations
    needs_clustering = models.BooleanField(default=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="article_recent_idx"),
            models.Index(fields=["source", "-published_at"], name="article_source_recent_idx"),
            models.Index(fields=["event", "published_at"], name="article_event_idx"),
            # Each stage picks its work up with `ORDER BY published_at, id LIMIT n` under exactly
            # these conditions: the partial index hands the rows over in order at any store size.
            models.Index(
                fields=["published_at", "id"], condition=AWAITING_DEDUP, name="article_needs_dedup_idx"
            ),
            models.Index(
                fields=["published_at", "id"], condition=AWAITING_ANALYSIS, name="article_needs_analysis_idx"
            ),
            models.Index(
                fields=["published_at", "id"], condition=AWAITING_CLUSTERING, name="article_needs_cluster_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(copy_of=F("id")), name="article_not_copy_of_self"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_copy(self) -> bool:
        return self.copy_of_id is not None

    @property
    def published_or_fetched(self):
        return self.published_at or self.fetched_at


class FeedItem(models.Model):
    """A feed's own identifier for an article, remembered so re-polls recognise it."""

    feed = models.ForeignKey("sources.Feed", on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=1000)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feed_items")
    first_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feed", "guid"], name="feeditem_feed_guid_unique")]

    def __str__(self) -> str:
        return self.guid


class ArticleCompany(models.Model):
    """A company or organisation named in an article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="company_mentions")
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="article_mentions"
    )
    mention_count = models.PositiveIntegerField(default=1)
    # Named in the title or lead: the article is about it, not merely mentioning it.
    prominent = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "company"], name="articlecompany_unique"),
        ]
        indexes = [models.Index(fields=["company", "article"], name="articlecompany_company_idx")]

    def __str__(self) -> str:
        return f"{self.company} in {self.article_id}"
