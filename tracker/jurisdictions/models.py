from django.db import models


class Jurisdiction(models.Model):
    """A country, territory or bloc that makes or is subject to AI policy."""

    class Kind(models.TextChoices):
        COUNTRY = "country", "Country"
        TERRITORY = "territory", "Territory"  # e.g. Hong Kong: its own rules, part of a country
        BLOC = "bloc", "Bloc"  # e.g. the European Union

    # ISO 3166-1 alpha-2 for countries and territories; "EU" for the European Union.
    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.COUNTRY)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The country a territory belongs to, or the bloc a country is a member of.",
    )
    # Words that name it in text ("Beijing", "Chinese", "mainland China"), one per line.
    aliases = models.TextField(blank=True, help_text="One alias per line: demonyms, capitals, other names.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]
