"""Fixtures for claims: outlets, organisations, an event and a way to add articles to it."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from tracker.companies.models import Company, CompanyAlias
from tracker.events.models import Event
from tracker.jurisdictions.models import Jurisdiction
from tracker.news.models import Article, ArticleCompany
from tracker.sources.models import Source

_counter = itertools.count(1)
BASE_TIME = datetime(2024, 7, 10, 8, 0, tzinfo=UTC)


def make_source(
    name: str, domain: str, *, owner_group: str = "", kind: str = Source.Kind.NEWS_OUTLET
) -> Source:
    return Source.objects.create(
        name=name, slug=domain.replace(".", "-"), domain=domain, owner_group=owner_group, kind=kind
    )


@pytest.fixture
def outlets(db) -> dict[str, Source]:
    return {
        "ledger": make_source("The Harbour Ledger", "harbourledger.example", owner_group="Harbour Media"),
        "harbour_wire": make_source(
            "Harbour Wire", "harbourwire.example", owner_group="Harbour Media", kind=Source.Kind.WIRE
        ),
        "strait": make_source("Strait Morning Post", "straitpost.example"),
        "brief": make_source("Valley Policy Brief", "valleybrief.example"),
        "hub": make_source("AI Buzz Hub", "aibuzzhub.example", kind=Source.Kind.AGGREGATOR),
        "scoop": make_source("The Informant", "theinformant.example"),
        "wire": make_source("Meridian Wire", "meridianwire.example", kind=Source.Kind.WIRE),
    }


@pytest.fixture
def companies(db) -> dict[str, Company]:
    openai = Company.objects.create(name="OpenAI", slug="openai")
    microsoft = Company.objects.create(name="Microsoft", slug="microsoft")
    vianet = Company.objects.create(name="21Vianet", slug="21vianet")
    for company, alias in [(microsoft, "Azure"), (microsoft, "Azure OpenAI Service"), (openai, "Open AI")]:
        CompanyAlias.objects.create(company=company, alias=alias, normalized=alias.lower())
    return {"openai": openai, "microsoft": microsoft, "21vianet": vianet}


@pytest.fixture
def china(db) -> Jurisdiction:
    return Jurisdiction.objects.create(
        code="CN", name="China", slug="china", aliases="Beijing\nmainland China\nChinese"
    )


@pytest.fixture
def event(db) -> Event:
    return Event.objects.create(title="OpenAI blocks API access from China")


ArticleFactory = Callable[..., Article]


@pytest.fixture
def add_article(db, event, companies, china) -> ArticleFactory:
    """Create an article in the event, with every known company and China recorded as mentioned."""

    def factory(source: Source, text: str, *, copy_of: Article | None = None, hours: int = 0, in_event=True):
        number = next(_counter)
        article = Article.objects.create(
            source=source,
            url=f"http://{source.domain}/a/{number}",
            canonical_url=f"http://{source.domain}/a/{number}",
            title=f"Story {number}",
            text=text,
            published_at=BASE_TIME + timedelta(hours=hours),
            copy_of=copy_of,
            copy_kind=Article.CopyKind.SYNDICATED if copy_of else "",
            event=event if in_event else None,
        )
        for company in companies.values():
            ArticleCompany.objects.create(article=article, company=company)
        article.jurisdictions.add(china)
        return article

    return factory
