from decimal import Decimal

from django.db import models
from django.utils import timezone


class Claim(models.Model):
    """A checkable statement, followed across the articles that carry it."""

    class Kind(models.TextChoices):
        POLICY_ACTION = "policy_action", "Policy action"
        STATISTIC = "statistic", "Statistic"
        QUOTE = "quote", "Quote or attributed statement"
        FORECAST = "forecast", "Forecast"

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", "Unverified"
        CORROBORATED = "corroborated", "Corroborated"  # two or more independent sources
        DISPUTED = "disputed", "Disputed"  # sources disagree on it, or differing figures
        VERIFIED = "verified", "Verified by an editor"
        FALSE = "false", "False"

    text = models.TextField()
    # Order-insensitive signature used to link paraphrases of the same claim.
    fingerprint = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UNVERIFIED, db_index=True)

    # Who asserts it: a known organisation where possible, else the name as written.
    attributed_to = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="claims_made"
    )
    attributed_to_name = models.CharField(max_length=300, blank=True)
    about_companies = models.ManyToManyField("companies.Company", blank=True, related_name="claims_about")

    # Normalised number for statistics: 36% -> 36 percent; $3.15 trillion -> 3150000000000 USD;
    # 34 digits before the point, so training-compute thresholds (10^26 operations) fit.
    value = models.DecimalField(max_digits=40, decimal_places=6, null=True, blank=True)
    unit = models.CharField(max_length=32, blank=True, help_text="percent, USD, EUR, count, multiplier, ...")
    measure = models.CharField(
        max_length=200, blank=True, help_text="What is counted: 'entities added to the Entity List'."
    )

    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )
    original_reporter = models.ForeignKey(
        "sources.Source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="original_claims",
        help_text="The outlet whose report the carrying articles cite, when they cite one.",
    )
    original_reporter_name = models.CharField(max_length=300, blank=True)

    # Denormalised corroboration, recomputed by the claims services.
    independent_source_count = models.PositiveIntegerField(default=0)
    article_count = models.PositiveIntegerField(default=0)
    editor_locked = models.BooleanField(default=False, help_text="Status set by an editor; never recomputed.")

    first_seen_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-first_seen_at", "-id"]
        indexes = [
            models.Index(fields=["event", "-independent_source_count"], name="claim_event_idx"),
            models.Index(fields=["-created_at", "-id"], name="claim_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:120]

    @property
    def number(self) -> Decimal | None:
        return self.value


class ClaimArticle(models.Model):
    """One article carrying a claim: its exact words and its stance."""

    class Stance(models.TextChoices):
        ASSERTS = "asserts", "Asserts"
        CITES = "cites", "Cites another source"
        DISPUTES = "disputes", "Disputes"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="carriers")
    article = models.ForeignKey("news.Article", on_delete=models.CASCADE, related_name="claim_links")
    quote = models.TextField(help_text="The exact sentence in the article.")
    stance = models.CharField(max_length=16, choices=Stance.choices, default=Stance.ASSERTS)
    # The figure as this article reported it, so differing figures can be shown side by side.
    reported_value = models.DecimalField(max_digits=40, decimal_places=6, null=True, blank=True)
    reported_text = models.CharField(max_length=200, blank=True)
    cited_name = models.CharField(
        max_length=300, blank=True, help_text="Who the article says it got this from."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["claim", "article"], name="claimarticle_unique")]
        indexes = [models.Index(fields=["article"], name="claimarticle_article_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.stance} {self.claim_id}"


class Citation(models.Model):
    """An article naming where its information comes from: "according to The Information",
    "told Reuters". It lets original reporting be told apart from echo."""

    class Kind(models.TextChoices):
        REPORT = "report", "Another outlet's report"
        STATEMENT = "statement", "Statement to a named outlet or by an organisation"
        DOCUMENT = "document", "Official document or filing"
        INTERVIEW = "interview", "Interview"

    article = models.ForeignKey("news.Article", on_delete=models.CASCADE, related_name="citations")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.REPORT)
    cited_name = models.CharField(max_length=300, help_text="As written: 'The Information', 'Reuters'.")
    cited_source = models.ForeignKey(
        "sources.Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="cited_by"
    )
    cited_company = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="cited_by"
    )
    quote = models.TextField(blank=True, help_text="The sentence that names the source.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "cited_name", "kind"], name="citation_unique"),
        ]
        indexes = [models.Index(fields=["cited_name"], name="citation_name_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} cites {self.cited_name}"
