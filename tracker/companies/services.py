"""Writes for organisations, aliases, relations, review candidates and the reference data."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from tracker.companies.models import Company, CompanyAlias, CompanyRelation, OrganisationCandidate
from tracker.events.models import Topic
from tracker.jurisdictions.models import Jurisdiction

REFERENCE_DATA_PATH = Path(__file__).resolve().parent / "data" / "reference.json"

# Acronyms up to this length ("BIS", "CAC", "EU") are matched only with their capitals, so
# ordinary words ("bis", "cac") never count as mentions.
ACRONYM_MAX_LENGTH = 6

_SPACE_RE = re.compile(r"\s+")


def alias_normalize(alias: str) -> str:
    """Lower-cased, whitespace-folded form used for uniqueness and case-insensitive matching."""
    return _SPACE_RE.sub(" ", alias.replace("\u2019", "'")).strip().lower()


def alias_is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and len(alias) <= ACRONYM_MAX_LENGTH and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class ReferenceLoadResult:
    jurisdictions: int
    topics: int
    companies: int
    aliases: int
    relations: int


def alias_add(*, company: Company, alias: str, case_sensitive: bool | None = None) -> CompanyAlias:
    """Give `company` another name. An alias already naming another organisation is an error,
    because one name pointing at two organisations makes every match ambiguous."""
    alias = _SPACE_RE.sub(" ", alias).strip()
    if not alias:
        raise ValidationError("An alias cannot be empty.")
    normalized = alias_normalize(alias)
    if case_sensitive is None:
        case_sensitive = alias_is_acronym(alias)
    existing = CompanyAlias.objects.filter(normalized=normalized).select_related("company").first()
    if existing is not None:
        if existing.company_id != company.pk:
            raise ValidationError(f"The alias {alias!r} already names {existing.company.name}.")
        if existing.case_sensitive != case_sensitive or existing.alias != alias:
            existing.alias = alias
            existing.case_sensitive = case_sensitive
            existing.save(update_fields=["alias", "case_sensitive"])
        return existing
    return CompanyAlias.objects.create(
        company=company, alias=alias, normalized=normalized, case_sensitive=case_sensitive
    )


def company_create(
    *, name: str, kind: str = Company.Kind.COMPANY, country: Jurisdiction | None = None
) -> Company:
    name = _SPACE_RE.sub(" ", name).strip()
    if not name:
        raise ValidationError("A company needs a name.")
    if Company.objects.filter(name__iexact=name).exists():
        raise ValidationError(f"An organisation called {name!r} already exists.")
    if CompanyAlias.objects.filter(normalized=alias_normalize(name)).exists():
        raise ValidationError(f"{name!r} is already an alias of another organisation.")
    company = Company.objects.create(name=name, slug=_unique_slug(name), kind=kind, country=country)
    alias_add(company=company, alias=name)
    return company


def _unique_slug(name: str) -> str:
    base = slugify(name)[:190] or "organisation"
    slug, n = base, 2
    while Company.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def candidate_accept_as_company(
    *, candidate: OrganisationCandidate, kind: str = Company.Kind.COMPANY
) -> Company:
    """An editor confirms a candidate is a new organisation."""
    if candidate.status != OrganisationCandidate.Status.PENDING:
        raise ValidationError(f"{candidate.name!r} was already {candidate.get_status_display().lower()}.")
    with transaction.atomic():
        company = company_create(name=candidate.name, kind=kind)
        candidate.status = OrganisationCandidate.Status.ACCEPTED
        candidate.company = company
        candidate.save(update_fields=["status", "company"])
    return company


def candidate_accept_as_alias(*, candidate: OrganisationCandidate, company: Company) -> CompanyAlias:
    """An editor says the candidate is another name of a known organisation."""
    if candidate.status != OrganisationCandidate.Status.PENDING:
        raise ValidationError(f"{candidate.name!r} was already {candidate.get_status_display().lower()}.")
    with transaction.atomic():
        alias = alias_add(company=company, alias=candidate.name)
        candidate.status = OrganisationCandidate.Status.ACCEPTED
        candidate.company = company
        candidate.save(update_fields=["status", "company"])
    return alias


def candidate_reject(*, candidate: OrganisationCandidate) -> None:
    candidate.status = OrganisationCandidate.Status.REJECTED
    candidate.save(update_fields=["status"])


def candidates_record(*, found: dict[str, tuple[str, str, str, int]]) -> int:
    """Count organisation-like names: {normalized: (name, context, url, articles)}.
    Accepted and rejected names keep their status; counts still grow so editors see reach."""
    if not found:
        return 0
    existing = {c.normalized: c for c in OrganisationCandidate.objects.filter(normalized__in=list(found))}
    new = []
    for normalized, (name, context, url, count) in found.items():
        candidate = existing.get(normalized)
        if candidate is None:
            new.append(
                OrganisationCandidate(
                    name=name[:200],
                    normalized=normalized[:200],
                    mention_count=count,
                    example_context=context,
                    first_seen_url=url[:1000],
                )
            )
        else:
            candidate.mention_count += count
    OrganisationCandidate.objects.bulk_create(new, ignore_conflicts=True)
    if existing:
        OrganisationCandidate.objects.bulk_update(list(existing.values()), ["mention_count"])
    return len(new)


def reference_data_load(*, path: Path | None = None) -> ReferenceLoadResult:
    """Create or update jurisdictions, topics, organisations, aliases and relations from the
    reference file. Idempotent: running it twice changes nothing; editors' own additions stay."""
    path = path or REFERENCE_DATA_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValidationError(f"Cannot read reference data from {path}: {exc}") from exc
    counts = {"jurisdictions": 0, "topics": 0, "companies": 0, "aliases": 0, "relations": 0}
    with transaction.atomic():
        by_code: dict[str, Jurisdiction] = {}
        for row in data.get("jurisdictions", []):
            jurisdiction, _ = Jurisdiction.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "slug": slugify(row["name"]),
                    "kind": row.get("kind", Jurisdiction.Kind.COUNTRY),
                    "aliases": "\n".join(row.get("aliases", [])),
                },
            )
            by_code[jurisdiction.code] = jurisdiction
            counts["jurisdictions"] += 1
        for row in data.get("jurisdictions", []):
            parent = by_code.get(row.get("parent") or "")
            jurisdiction = by_code[row["code"]]
            if jurisdiction.parent_id != (parent.pk if parent else None):
                jurisdiction.parent = parent
                jurisdiction.save(update_fields=["parent"])
        for row in data.get("topics", []):
            Topic.objects.update_or_create(
                slug=row["slug"],
                defaults={
                    "name": row["name"],
                    "description": row.get("description", ""),
                    "keywords": "\n".join(row.get("keywords", [])),
                },
            )
            counts["topics"] += 1
        companies: dict[str, Company] = {}
        for row in data.get("organisations", []):
            company = Company.objects.filter(name=row["name"]).first()
            country = by_code.get(row.get("country") or "")
            if company is None:
                company = Company.objects.create(
                    name=row["name"],
                    slug=_unique_slug(row["name"]),
                    kind=row.get("kind", Company.Kind.COMPANY),
                    country=country,
                    website=row.get("website", ""),
                )
            elif company.kind != row.get("kind", company.kind) or company.country_id != (
                country.pk if country else None
            ):
                company.kind = row.get("kind", company.kind)
                company.country = country
                company.save(update_fields=["kind", "country", "updated_at"])
            companies[company.name] = company
            counts["companies"] += 1
            forced = set(row.get("case_sensitive", []))
            variants: dict[str, list[str]] = {}
            for alias in [row["name"], *row.get("aliases", [])]:
                variants.setdefault(alias_normalize(alias), []).append(alias)
            for spellings in variants.values():
                # Two capitalisations listed ("Nvidia", "NVIDIA") mean capitals do not matter.
                alias = spellings[0]
                case_sensitive = len(spellings) == 1 and (alias in forced or alias_is_acronym(alias))
                alias_add(company=company, alias=alias, case_sensitive=case_sensitive)
                counts["aliases"] += 1
        for row in data.get("relations", []):
            try:
                from_company, to_company = companies[row["from"]], companies[row["to"]]
            except KeyError as exc:
                raise ValidationError(f"Relation names an unknown organisation: {exc}") from exc
            jurisdiction = by_code.get(row.get("jurisdiction") or "")
            CompanyRelation.objects.update_or_create(
                from_company=from_company,
                to_company=to_company,
                kind=row["kind"],
                jurisdiction=jurisdiction,
                defaults={"note": row.get("note", "")},
            )
            counts["relations"] += 1
    from tracker.companies.mentions import matcher_invalidate

    matcher_invalidate()
    return ReferenceLoadResult(**counts)
