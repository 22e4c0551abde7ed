"""Small factories for web tests: build a believable store without the ingestion pipeline."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from tracker.claims.models import Claim, ClaimArticle
from tracker.companies.models import Company, CompanyAlias, CompanyRelation
from tracker.events.models import Event, Topic
from tracker.jurisdictions.models import Jurisdiction
from tracker.news.models import Article, ArticleCompany
from tracker.sources.models import Source

_seq = itertools.count(1)


def jurisdiction(code: str = "US", name: str = "United States", **kw) -> Jurisdiction:
    obj, _ = Jurisdiction.objects.get_or_create(
        code=code, defaults={"name": name, "slug": slugify(name), **kw}
    )
    return obj


def topic(name: str = "Export controls", **kw) -> Topic:
    obj, _ = Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name, **kw})
    return obj


def source(name: str | None = None, *, kind: str = Source.Kind.NEWS_OUTLET, **kw) -> Source:
    n = next(_seq)
    name = name or f"Outlet {n}"
    return Source.objects.create(
        name=name, slug=slugify(name), domain=kw.pop("domain", f"{slugify(name)}.example"), kind=kind, **kw
    )


def company(name: str | None = None, **kw) -> Company:
    name = name or f"Company {next(_seq)}"
    return Company.objects.create(name=name, slug=slugify(name), **kw)


def event(title: str | None = None, *, event_date: dt.date | None = None, **kw) -> Event:
    n = next(_seq)
    title = title or f"Event number {n}"
    kw.setdefault("date_precision", Event.DatePrecision.DAY)
    kw.setdefault("date_method", Event.DateMethod.EXPLICIT)
    return Event.objects.create(
        title=title,
        slug=slugify(title)[:300],
        event_date=event_date or dt.date(2025, 1, 1) + dt.timedelta(days=n % 300),
        **kw,
    )


def article(*, source: Source, event: Event | None = None, title: str | None = None, **kw) -> Article:
    n = next(_seq)
    title = title or f"Article number {n}"
    url = kw.pop("canonical_url", f"https://{source.domain}/{n}/{slugify(title)}.html")
    kw.setdefault("published_at", timezone.now() - dt.timedelta(days=n % 30))
    return Article.objects.create(
        source=source, event=event, title=title, url=url, canonical_url=url, text=kw.pop("text", title), **kw
    )


def claim(*, text: str, event: Event | None = None, **kw) -> Claim:
    return Claim.objects.create(
        text=text, fingerprint=slugify(text)[:255], kind=kw.pop("kind", "policy_action"), event=event, **kw
    )


@dataclass
class Store:
    events: list[Event] = field(default_factory=list)
    companies: list[Company] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    us: Jurisdiction | None = None
    cn: Jurisdiction | None = None
    export_controls: Topic | None = None


def populate(n_events: int = 30, articles_per_event: int = 3) -> Store:
    """A store with n events, each with an original, copies, companies, a claim and a relation."""
    store = Store()
    store.us = jurisdiction("US", "United States")
    store.cn = jurisdiction("CN", "China")
    store.export_controls = topic("Export controls")
    chips = topic("Chips")
    wire = source("Ledger Wire", kind=Source.Kind.WIRE, country=store.us, owner_group="Ledger")
    paper = source("Pacific Ledger", owner_group="Ledger")
    blog = source("Chip Policy Blog", kind=Source.Kind.BLOG)
    store.sources = [wire, paper, blog]
    nvidia = company(
        "Nvidia", country=store.us, description="Designs graphics processors used to train AI models."
    )
    CompanyAlias.objects.create(company=nvidia, alias="NVIDIA Corp", normalized="nvidia corp")
    commerce = company("US Department of Commerce", kind=Company.Kind.GOVERNMENT_BODY, country=store.us)
    lab = company("Example AI Lab", country=store.cn)
    CompanyRelation.objects.create(from_company=lab, to_company=nvidia, kind=CompanyRelation.Kind.PARTNER_OF)
    store.companies = [nvidia, commerce, lab]
    for i in range(n_events):
        ev = event(
            f"Export rule {i} limits chip sales to China",
            event_date=dt.date(2025, 1, 1) + dt.timedelta(days=i * 5),
            summary=f"The Commerce Department tightened rule {i} on advanced chips.",
            article_count=articles_per_event,
            independent_source_count=2,
            first_reported_by=wire,
            first_reported_at=timezone.now() - dt.timedelta(days=i),
        )
        ev.jurisdictions.set([store.us, store.cn] if i % 2 == 0 else [store.us])
        ev.companies.set([nvidia, commerce] if i % 3 else [nvidia, commerce, lab])
        ev.topics.set([store.export_controls] if i % 2 == 0 else [store.export_controls, chips])
        reported = timezone.now() - dt.timedelta(days=i, hours=6)
        original = article(
            source=wire,
            event=ev,
            title=f"Commerce tightens chip rule {i}",
            published_at=reported,
            text=f"Washington announced rule {i} restricting Nvidia accelerators to China.",
        )
        ArticleCompany.objects.create(article=original, company=nvidia, prominent=True)
        for j in range(articles_per_event - 1):
            copy = article(
                source=paper if j % 2 == 0 else blog,
                event=ev,
                title=f"Copy {j} of rule {i}",
                copy_of=original if j % 2 == 0 else None,
                copy_kind=Article.CopyKind.SYNDICATED if j % 2 == 0 else "",
                published_at=reported + dt.timedelta(hours=2 + j * 20),
            )
            ArticleCompany.objects.create(article=copy, company=nvidia)
        cl = claim(
            text=f"Rule {i} adds 140 entities to the Entity List",
            event=ev,
            attributed_to=commerce,
            independent_source_count=2,
            article_count=2,
            status=Claim.Status.CORROBORATED,
        )
        cl.about_companies.set([nvidia])
        ClaimArticle.objects.create(claim=cl, article=original, quote=f"Rule {i} adds 140 entities.")
        store.claims.append(cl)
        store.events.append(ev)
    return store
