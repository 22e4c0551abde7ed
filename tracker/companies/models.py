from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Company(models.Model):
    """A company or other organisation: labs, chip makers, regulators, universities."""

    class Kind(models.TextChoices):
        COMPANY = "company", "Company"
        GOVERNMENT_BODY = "government_body", "Government body"
        REGULATOR = "regulator", "Regulator"
        UNIVERSITY = "university", "University"
        RESEARCH_LAB = "research_lab", "Research lab"
        NGO = "ngo", "NGO / international organisation"
        MEDIA = "media", "Media organisation"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.COMPANY, db_index=True)
    country = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="companies",
    )
    website = models.URLField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "company or organisation"
        verbose_name_plural = "companies and organisations"

    def __str__(self) -> str:
        return self.name


class CompanyAlias(models.Model):
    """Another name text uses for a company: "Azure OpenAI Service" is Microsoft, "Open AI" is OpenAI."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    # Lower-cased, whitespace-folded form; one alias names one organisation, or matching is ambiguous.
    normalized = models.CharField(max_length=200, unique=True)
    # Short or common-word aliases ("Meta", "Arm") only match with their exact capitalisation.
    case_sensitive = models.BooleanField(default=False)

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "company aliases"

    def __str__(self) -> str:
        return f"{self.alias} → {self.company}"


class CompanyRelation(models.Model):
    """A typed link between organisations, read as "<from> <kind> <to>"."""

    class Kind(models.TextChoices):
        SUBSIDIARY_OF = "subsidiary_of", "is a subsidiary of"
        JOINT_VENTURE_WITH = "joint_venture_with", "is in a joint venture with"
        INVESTOR_IN = "investor_in", "is an investor in"
        PARTNER_OF = "partner_of", "is a partner of"
        OPERATES_FOR = "operates_for", "operates in a country on behalf of"

    from_company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="relations_from")
    to_company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="relations_to")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # For OPERATES_FOR (and joint ventures tied to a market): where it applies.
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_company", "to_company", "kind", "jurisdiction"],
                condition=Q(jurisdiction__isnull=False),
                name="company_relation_unique_in_jurisdiction",
            ),
            models.UniqueConstraint(
                fields=["from_company", "to_company", "kind"],
                condition=Q(jurisdiction__isnull=True),
                name="company_relation_unique",
            ),
            models.CheckConstraint(
                condition=~Q(from_company=F("to_company")), name="company_relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_company} {self.get_kind_display()} {self.to_company}"


class OrganisationCandidate(models.Model):
    """A name that looks like an organisation we do not know yet. Editors accept or reject it;
    it never becomes a Company automatically."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    name = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    mention_count = models.PositiveIntegerField(default=0)
    example_context = models.TextField(blank=True)
    # A URL rather than a foreign key keeps companies free of a dependency on news.
    first_seen_url = models.URLField(max_length=1000, blank=True)
    company = models.ForeignKey(
        Company,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation this candidate was accepted as (new or existing).",
    )
    first_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-mention_count", "name"]

    def __str__(self) -> str:
        return self.name
