"""Writes for events: clustering articles into events, refreshing what an event says,
editor actions (merge, hide, move), the automatic merge pass, and giving orphans an event."""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from tracker.claims.services import claims_refresh_for_event, events_with_claims
from tracker.companies.models import Company
from tracker.events import clustering, dates, features
from tracker.events.independence import event_independent_sources
from tracker.events.models import Event, Topic
from tracker.news.bulk_sql import int_rows_insert
from tracker.news.models import AWAITING_CLUSTERING, Article, ArticleCompany
from tracker.sources.models import Source

logger = logging.getLogger(__name__)

CLUSTER_BATCH_SIZE = 500
REFRESH_BATCH_SIZE = 200
# Representative-article search is capped: a huge event's title comes from its recent core.
REFRESH_MAX_SCORED_ARTICLES = 60
SUMMARY_MAX_CHARS = 500
# An organisation or jurisdiction belongs to an event when it is in a headline or lead, or
# named by at least this many of its articles (organisations: or this many times in one).
ENTITY_MIN_ARTICLES = 2
# A topic needs this many keyword hits across the event's articles (or one in a headline).
TOPIC_MIN_HITS = 3
# How far back the automatic merge pass looks, from the newest activity.
MERGE_PASS_WINDOW_DAYS = 14

_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'\u201c])")


_NEVER = datetime(1, 1, 1, tzinfo=UTC)


def _rows_update(model, fields: list[str], objects: list) -> None:
    """Write these fields of these objects with one prepared UPDATE run for every row
    (executemany): far cheaper than an ORM update per row, or bulk_update's CASE over every row
    and field. Values are prepared by the fields themselves, as the ORM's save does."""
    if not objects:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# --- clustering ------------------------------------------------------------------------------


@dataclass
class ClusterResult:
    processed: int = 0
    joined: int = 0
    created: int = 0
    copies: int = 0
    waiting: int = 0  # copies whose original has no event yet


def _entities(article_ids: list[int]) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Per article: organisations it is about (prominent or named twice; media excluded) and
    jurisdictions it names."""
    companies: dict[int, set[int]] = defaultdict(set)
    rows = (
        ArticleCompany.objects.filter(article_id__among=article_ids)
        .filter(Q(prominent=True) | Q(mention_count__gte=2))
        .exclude(company__kind=Company.Kind.MEDIA)
        .values_list("article_id", "company_id")
    )
    for article_id, company_id in rows:
        companies[article_id].add(company_id)
    jurisdictions: dict[int, set[int]] = defaultdict(set)
    through = Article.jurisdictions.through
    for article_id, jurisdiction_id in through.objects.filter(article_id__among=article_ids).values_list(
        "article_id", "jurisdiction_id"
    ):
        jurisdictions[article_id].add(jurisdiction_id)
    return companies, jurisdictions


def _event_candidates(lo: datetime, hi: datetime) -> clustering.EventIndex:
    index = clustering.EventIndex()
    rows = (
        Event.objects.filter(merged_into__isnull=True, last_article_at__gte=lo, first_reported_at__lte=hi)
        .exclude(status=Event.Status.HIDDEN)
        .order_by()  # no ORDER BY: the (merged_into, last_article_at) index answers it alone
        .values("id", "profile", "editor_locked", "first_reported_at", "last_article_at", "event_date")
    )
    # The model's order (newest event date first), kept for equal scores, sorted here.
    rows = sorted(
        rows,
        key=lambda r: (r["event_date"] or _NEVER.date(), r["first_reported_at"] or _NEVER, r["id"]),
        reverse=True,
    )
    for row in rows:
        index.put(
            clustering.Candidate(
                key=row["id"],
                profile=row["profile"] or {},
                locked=row["editor_locked"],
                first=row["first_reported_at"],
                last=row["last_article_at"],
            )
        )
    return index


def cluster_articles(*, article_ids: list[int]) -> ClusterResult:
    """Give each article an event: copies follow their original; an original joins the best
    matching recent event or starts a new one. Editor-assigned articles stay where they are."""
    result = ClusterResult()
    if not article_ids:
        return result
    with transaction.atomic():
        articles = list(
            Article.objects.filter(pk__among=article_ids)
            .only(
                "id",
                "title",
                "text",
                "published_at",
                "fetched_at",
                "copy_of_id",
                "event_id",
                "event_assigned_by",
            )
            .order_by("published_at", "id")
        )
        done: list[Article] = []
        originals = [
            a
            for a in articles
            if a.copy_of_id is None
            and a.event_id is None
            and a.event_assigned_by != Article.EventAssignment.EDITOR
        ]
        original_ids = {a.pk for a in originals}
        for a in articles:
            if a.pk not in original_ids and (
                a.copy_of_id is None or a.event_assigned_by == Article.EventAssignment.EDITOR
            ):
                done.append(a)  # already placed, or placed by an editor
        assigned: dict[int, int | str] = {}
        index = None
        new_profiles: dict[str, dict] = {}
        touched: dict[int | str, dict] = {}
        if originals:
            companies, jurisdictions = _entities([a.pk for a in originals])
            lo = originals[0].published_or_fetched - clustering.EVENT_WINDOW
            hi = originals[-1].published_or_fetched + clustering.EVENT_WINDOW
            index = _event_candidates(lo, hi)
            text_features = [features.text_features(a.title, a.text, article_id=a.pk) for a in originals]
            vectors = [vector for vector, _ in text_features]
            phrases = [found for _, found in text_features]
            index.documents_add(vectors)
            for n, article in enumerate(originals):
                published = article.published_or_fetched
                vector = vectors[n]
                comps, jurs = companies.get(article.pk, set()), jurisdictions.get(article.pk, set())
                key, score = index.best(
                    vector=vector,
                    companies=comps,
                    jurisdictions=jurs,
                    published=published,
                    phrases=phrases[n],
                )
                if key is None or score < clustering.JOIN_THRESHOLD:
                    key = f"new:{n}"
                    index.put(clustering.Candidate(key=key, profile={}))
                    new_profiles[key] = {"title": article.title, "published": published}
                    result.created += 1
                else:
                    result.joined += 1
                profile = clustering.profile_add(
                    index.events[key].profile,
                    vector=vector,
                    companies=comps,
                    jurisdictions=jurs,
                    published=published,
                    phrases=phrases[n],
                )
                candidate = index.events[key]
                index.put(clustering.Candidate(key=key, profile=profile, locked=candidate.locked))
                touched[key] = profile
                assigned[article.pk] = key

        # New events get rows; touched existing events get their profile and time span.
        key_to_id: dict[int | str, int] = {k: k for k in touched if isinstance(k, int)}
        now = timezone.now()
        creating = []
        for key, info in new_profiles.items():
            profile = touched[key]
            creating.append(
                Event(
                    title=info["title"][:300],
                    slug=slugify(info["title"])[:300],
                    event_date=info["published"].date(),
                    date_precision=Event.DatePrecision.UNKNOWN,
                    date_method=Event.DateMethod.PUBLICATION,
                    first_reported_at=datetime.fromisoformat(profile["first"]),
                    last_article_at=datetime.fromisoformat(profile["last"]),
                    profile=profile,
                    needs_refresh=True,
                    created_at=now,
                    updated_at=now,
                )
            )
        if creating:
            Event.objects.bulk_create(creating)
            for key, event in zip(new_profiles, creating, strict=True):
                key_to_id[key] = event.pk
        existing_ids = [k for k in touched if isinstance(k, int)]
        if existing_ids:
            events = list(
                Event.objects.filter(pk__among=existing_ids).only(
                    "id", "first_reported_at", "last_article_at"
                )
            )
            for event in events:
                profile = touched[event.pk]
                event.profile = profile
                first, last = (
                    datetime.fromisoformat(profile["first"]),
                    datetime.fromisoformat(profile["last"]),
                )
                event.first_reported_at = min(filter(None, [event.first_reported_at, first]))
                event.last_article_at = max(filter(None, [event.last_article_at, last]))
                event.needs_refresh = True
            _rows_update(Event, ["profile", "first_reported_at", "last_article_at", "needs_refresh"], events)
        for article in originals:
            article.event_id = key_to_id[assigned[article.pk]]
            done.append(article)

        # Copies follow their original (which may have been placed just now).
        copies = [
            a
            for a in articles
            if a.copy_of_id is not None and a.event_assigned_by != Article.EventAssignment.EDITOR
        ]
        if copies:
            placed = {a.pk: a.event_id for a in originals}
            missing = {a.copy_of_id for a in copies} - set(placed)
            placed.update(Article.objects.filter(pk__among=missing).values_list("id", "event_id"))
            old_events = set()
            for copy in copies:
                event_id = placed.get(copy.copy_of_id)
                if event_id is None:
                    result.waiting += 1
                    continue
                if copy.event_id != event_id:
                    if copy.event_id:
                        old_events.add(copy.event_id)
                    copy.event_id = event_id
                    old_events.add(event_id)
                result.copies += 1
                done.append(copy)
            if old_events:
                Event.objects.filter(pk__among=old_events).update(needs_refresh=True)
        for article in done:
            article.needs_clustering = False
        _rows_update(Article, ["event", "needs_clustering"], done)
        result.processed = len(done)
    return result


def cluster_pending(*, limit: int = CLUSTER_BATCH_SIZE) -> ClusterResult:
    """One batch of analysed articles waiting for an event, oldest publication first."""
    ids = list(
        Article.objects.filter(AWAITING_CLUSTERING)
        .order_by("published_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    return cluster_articles(article_ids=ids)


# --- refreshing what an event says ---------------------------------------------------------


def _lead(text: str, limit: int = SUMMARY_MAX_CHARS) -> str:
    paragraphs = [p.strip() for p in text.split("\n") if len(p.strip()) > 60]
    body = " ".join(paragraphs[:2]) if paragraphs else text.strip()
    sentences = _SENTENCE_RE.split(body)
    summary = ""
    for sentence in sentences:
        if summary and len(summary) + len(sentence) > limit:
            break
        summary = f"{summary} {sentence}".strip()
        if len(summary) >= limit // 2:
            break
    return summary[:limit]


_topic_patterns: dict[int, tuple[str, re.Pattern, tuple[str, ...]]] = {}


def _topic_regexes() -> list[tuple[Topic, re.Pattern, tuple[str, ...]]]:
    """Per topic: the pattern of its keywords, and the keywords (a text holding none of them as
    a substring cannot match, which is much cheaper to find out than running the pattern)."""
    out = []
    for topic in Topic.objects.all():
        keywords = tuple(w.strip().lower() for w in topic.keywords.splitlines() if w.strip())
        if not keywords:
            continue
        cached = _topic_patterns.get(topic.pk)
        if cached is None or cached[0] != topic.keywords:
            pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in keywords) + r")\b")
            cached = (topic.keywords, pattern, keywords)
            _topic_patterns[topic.pk] = cached
        out.append((topic, cached[1], cached[2]))
    return out


def event_refresh(*, event: Event) -> Event:
    """Recompute what one event says from its articles (see events_refresh), then its claims,
    as the pipeline does; the claims refresh stores the independent-source count of an event
    with claims (tracker/events/independence.py). One transaction: a failure half-way leaves the
    event as it was, not without its tags."""
    with transaction.atomic():
        events_refresh(events=[event])
        if event.pk in events_with_claims(event_ids=[event.pk]):
            claims_refresh_for_event(event=event)
    return event


def events_refresh(*, events: list[Event]) -> list[Event]:
    """Recompute counts, first report, title, summary, date, organisations, jurisdictions and
    topics of these events from their articles, in a fixed number of queries for the batch.
    An editor-locked event keeps its title, summary, date and tags; only its counts and first
    report follow its articles. The independent-source count is stored here only for events
    without claims (one per outlet); the claims refresh, which must follow, stores it for the
    others (tracker/events/independence.py). Call inside a transaction."""
    if not events:
        return events
    by_id = {e.pk: e for e in events}
    articles_of: dict[int, list[Article]] = defaultdict(list)
    for article in (
        Article.objects.filter(event_id__among=by_id)
        .select_related("source")
        .only(
            "id",
            "event_id",
            "title",
            "text",
            "published_at",
            "fetched_at",
            "copy_of_id",
            "source__id",
            "source__name",
            "source__owner_group",
            "source__kind",  # deferred, it cost one query per article
        )
        .order_by("published_at", "id")
    ):
        articles_of[article.event_id].append(article)
    outlet_of = _speaking_outlets(articles_of)
    # Events whose articles carry or own claims: their count is the claims refresh's to store.
    counted_by_claims = events_with_claims(event_ids=list(by_id))
    unlocked = [e for e in events if not e.editor_locked and articles_of.get(e.pk)]
    article_ids = [a.pk for e in unlocked for a in articles_of[e.pk]]
    mentions: dict[int, list[tuple[int, bool, int]]] = defaultdict(list)
    places: dict[int, list[int]] = defaultdict(list)
    if article_ids:
        for article_id, company_id, prominent, count in (
            ArticleCompany.objects.filter(article_id__among=article_ids)
            .exclude(company__kind=Company.Kind.MEDIA)
            .values_list("article_id", "company_id", "prominent", "mention_count")
        ):
            mentions[article_id].append((company_id, prominent, count))
        for article_id, jurisdiction_id in Article.jurisdictions.through.objects.filter(
            article_id__among=article_ids
        ).values_list("article_id", "jurisdiction_id"):
            places[article_id].append(jurisdiction_id)
    topic_patterns = _topic_regexes() if unlocked else []
    now = timezone.now()
    tags: dict[str, dict[int, list[int]]] = {"companies": {}, "jurisdictions": {}, "topics": {}}
    for event in events:
        articles = articles_of.get(event.pk, [])
        event.article_count = len(articles)
        event.needs_refresh = False
        event.updated_at = now
        if event.pk not in counted_by_claims:
            event.independent_source_count = event_independent_sources(
                outlets={a.pk: outlet_of[a.pk] for a in articles}
            )
        if not articles:
            if not event.editor_locked and event.merged_into_id is None:
                # Its articles followed their originals elsewhere: nothing left to show.
                event.status = Event.Status.HIDDEN
            continue
        originals = [a for a in articles if a.copy_of_id is None] or articles
        first = articles[0]
        event.first_reported_at = first.published_or_fetched
        event.first_reported_by = first.source
        event.last_article_at = max(a.published_or_fetched for a in articles)
        if event.editor_locked:
            continue
        # An aggregator's rewrite ("X SLAMS Y") is rarely the headline an analyst should read first.
        reporting = [a for a in originals if a.source.kind != Source.Kind.AGGREGATOR] or originals
        scored = reporting[-REFRESH_MAX_SCORED_ARTICLES:]
        centroid = clustering.vector_normalize(event.profile.get("terms", {})) if event.profile else {}
        if centroid and len(scored) > 1:

            def centrality(a: Article, centroid=centroid) -> tuple[float, float]:
                vec = clustering.vector_normalize(features.term_vector(a.title, a.text))
                return (
                    sum(v * centroid.get(t, 0.0) for t, v in vec.items()),
                    -a.published_or_fetched.timestamp(),
                )

            representative = max(scored, key=centrality)
        else:
            representative = scored[0]
        event.title = (representative.title or event.title)[:300]
        event.slug = slugify(event.title)[:300]
        event.summary = _lead(representative.text)
        if event.date_method != Event.DateMethod.EDITOR:
            # Term vectors and dates come remembered from features: a growing event's refresh
            # re-reads its earlier articles, which would otherwise make its n-th article cost n.
            chosen = dates.event_date_choose(
                [
                    (
                        a.source.name,
                        features.date_candidates(
                            features.refresh_text(a.title, a.text), a.published_or_fetched
                        ),
                    )
                    for a in originals
                ],
                event.first_reported_at,
            )
            event.event_date = chosen.value
            event.date_precision = chosen.precision
            event.date_method = chosen.method
            event.date_evidence = chosen.evidence
        per_company: dict[int, set[int]] = defaultdict(set)
        core = set()
        per_place: Counter = Counter()
        for a in articles:
            for company_id, prominent, count in mentions.get(a.pk, ()):
                per_company[company_id].add(a.pk)
                if prominent or count >= ENTITY_MIN_ARTICLES:
                    core.add(company_id)
            per_place.update(places.get(a.pk, ()))
        tags["companies"][event.pk] = [
            c for c, arts in per_company.items() if c in core or len(arts) >= ENTITY_MIN_ARTICLES
        ]
        tags["jurisdictions"][event.pk] = [
            j for j, n in per_place.items() if n >= ENTITY_MIN_ARTICLES or len(articles) == 1
        ]
        topics = []
        lowered = [(a.title.lower(), a.text[:4000].lower()) for a in scored]  # once, not per topic
        for topic, pattern, keywords in topic_patterns:
            hits, in_title = 0, False
            for title, text in lowered:
                if any(k in title for k in keywords):
                    in_title = in_title or bool(pattern.search(title))
                if any(k in text for k in keywords):
                    hits += len(pattern.findall(text))
            if in_title or hits >= TOPIC_MIN_HITS:
                topics.append(topic.pk)
        tags["topics"][event.pk] = topics
    for relation, chosen_tags in tags.items():
        if not chosen_tags:
            continue
        through = getattr(Event, relation).through
        target = {"companies": "company_id", "jurisdictions": "jurisdiction_id", "topics": "topic_id"}[
            relation
        ]
        through.objects.filter(event_id__among=list(chosen_tags)).delete()
        int_rows_insert(
            through, ["event_id", target], [(e, t) for e, values in chosen_tags.items() for t in values]
        )
    fields = [
        "article_count", "first_reported_at", "first_reported_by",
        "last_article_at", "needs_refresh", "updated_at", "title", "slug", "summary", "event_date",
        "date_precision", "date_method", "date_evidence", "status",
    ]  # fmt: skip
    _rows_update(Event, fields, events)
    _rows_update(Event, ["independent_source_count"], [e for e in events if e.pk not in counted_by_claims])
    return events


def _speaking_outlets(articles_of: dict[int, list[Article]]) -> dict[int, str]:
    """Per article, the independence key of the outlet it speaks as (a copy: its original's,
    see independence.speaking_outlet), reading only the originals outside these events."""
    outlet_of = {a.pk: a.source.independence_key for articles in articles_of.values() for a in articles}
    elsewhere = {
        a.copy_of_id
        for articles in articles_of.values()
        for a in articles
        if a.copy_of_id and a.copy_of_id not in outlet_of
    }
    if elsewhere:
        for original in (
            Article.objects.filter(pk__among=elsewhere)
            .select_related("source")
            .only("id", "source__id", "source__owner_group")
        ):
            outlet_of[original.pk] = original.source.independence_key
    for articles in articles_of.values():
        for a in articles:
            if a.copy_of_id and a.copy_of_id in outlet_of:
                outlet_of[a.pk] = outlet_of[a.copy_of_id]
    return outlet_of


def events_refresh_pending(*, limit: int = REFRESH_BATCH_SIZE) -> list[Event]:
    """Refresh one batch of flagged events; returns them so callers can run follow-ups."""
    with transaction.atomic():
        events = list(Event.objects.filter(needs_refresh=True).order_by("id")[:limit])
        events_refresh(events=events)
    return events


# --- editor actions -------------------------------------------------------------------------


def event_merge(*, target: Event, others: list[Event], by_editor: bool = True) -> Event:
    """Move every article (and claim) of `others` into `target`; the others point at it.
    An editor's merge locks the target so automatic passes never split it again."""
    others = [e for e in others if e.pk != target.pk]
    if not others:
        raise ValidationError("Choose at least two events to merge.")
    if target.merged_into_id is not None:
        raise ValidationError(f"Event {target.pk} was itself merged into event {target.merged_into_id}.")
    with transaction.atomic():
        other_ids = [e.pk for e in others]
        Article.objects.filter(event_id__in=other_ids).update(event=target)
        from tracker.claims.models import Claim

        Claim.objects.filter(event_id__in=other_ids).update(event=target)
        Event.objects.filter(merged_into_id__in=other_ids).update(merged_into=target)
        profile = target.profile or {}
        for other in others:
            profile = clustering.profile_merge(profile, other.profile or {})
        Event.objects.filter(pk__in=other_ids).update(
            merged_into=target, article_count=0, needs_refresh=False, updated_at=timezone.now()
        )
        target.profile = profile
        target.needs_refresh = True
        fields = ["profile", "needs_refresh"]
        if by_editor:
            target.editor_locked = True
            target.status = Event.Status.REVIEWED
            fields += ["editor_locked", "status"]
        target.save(update_fields=fields)
        event_refresh(event=target)
    return target


def event_hide(*, event: Event) -> Event:
    event.status = Event.Status.HIDDEN
    event.editor_locked = True
    event.updated_at = timezone.now()
    event.save(update_fields=["status", "editor_locked", "updated_at"])
    return event


def event_edit(*, event: Event, changed: list[str]) -> Event:
    """An editor changed fields of the event: lock it, and record an edited date as the editor's."""
    event.editor_locked = True
    if "event_date" in changed or "date_precision" in changed:
        event.date_method = Event.DateMethod.EDITOR
    if event.status == Event.Status.AUTO:
        event.status = Event.Status.REVIEWED
    event.updated_at = timezone.now()
    event.save()
    return event


def article_move(*, article: Article, event: Event) -> Article:
    """An editor puts an article (and the copies that followed it) into another event.
    Both events are locked: automatic passes will not move it back."""
    if event.merged_into_id is not None:
        raise ValidationError(
            f"Event {event.pk} was merged into event {event.merged_into_id}; move it there."
        )
    with transaction.atomic():
        old_id = article.event_id
        article.event = event
        article.event_assigned_by = Article.EventAssignment.EDITOR
        article.needs_clustering = False
        article.save(update_fields=["event", "event_assigned_by", "needs_clustering", "updated_at"])
        Article.objects.filter(copy_of=article, event_assigned_by=Article.EventAssignment.AUTO).update(
            event=event
        )
        Event.objects.filter(pk__in=[i for i in (old_id, event.pk) if i]).update(
            editor_locked=True, needs_refresh=True
        )
    return article


# --- automatic merge pass -------------------------------------------------------------------


@dataclass
class MergePassResult:
    compared: int = 0
    merged: int = 0


def events_merge_pass(*, until: datetime | None = None) -> MergePassResult:
    """Merge automatic events that are clearly one story. Never touches editor-locked events,
    hidden ones, or events holding articles an editor placed."""
    result = MergePassResult()
    if until is None:
        latest = Event.objects.filter(merged_into__isnull=True).order_by("-last_article_at").first()
        if latest is None or latest.last_article_at is None:
            return result
        until = latest.last_article_at
    since = until - timezone.timedelta(days=MERGE_PASS_WINDOW_DAYS)
    index = _event_candidates(since, until + clustering.EVENT_WINDOW)
    protected = set(
        Article.objects.filter(
            event_id__in=list(index.events), event_assigned_by=Article.EventAssignment.EDITOR
        ).values_list("event_id", flat=True)
    )
    ordered = sorted(index.events.values(), key=lambda c: (c.first or until, str(c.key)))
    for candidate in ordered:
        if candidate.key not in index.events or candidate.locked or candidate.key in protected:
            continue
        result.compared += 1
        best_key, best_score = None, 0.0
        for other in list(index.events.values()):
            if other.key == candidate.key or other.locked or other.key in protected:
                continue
            if not (other.first and candidate.first):
                continue
            if abs((other.first - candidate.first).total_seconds()) > clustering.EVENT_WINDOW.total_seconds():
                continue
            score = min(
                clustering.profiles_similarity(index, other, candidate),
                clustering.profiles_similarity(index, candidate, other),
            )
            if score > best_score:
                best_key, best_score = other.key, score
        if best_key is None or best_score < clustering.MERGE_THRESHOLD:
            continue
        a, b = index.events[best_key], candidate
        target_c, other_c = (a, b) if (a.first, str(a.key)) <= (b.first, str(b.key)) else (b, a)
        target = Event.objects.get(pk=target_c.key)
        other = Event.objects.get(pk=other_c.key)
        event_merge(target=target, others=[other], by_editor=False)
        result.merged += 1
        index.remove(other_c.key)
        target.refresh_from_db(fields=["profile"])
        index.put(
            clustering.Candidate(
                key=target.pk, profile=target.profile, first=target_c.first, last=target_c.last
            )
        )
    return result


# --- orphans --------------------------------------------------------------------------------


def events_assign_orphans() -> int:
    """Give every article without an event one: copies join their original's event, and any
    other article gets an event of its own. Used before exports so nothing is left out."""
    created = 0
    with transaction.atomic():
        for article in Article.objects.filter(event__isnull=True, copy_of__isnull=True).order_by(
            "published_at", "id"
        ):
            event = Event.objects.create(
                title=article.title[:300] or article.canonical_url[:300],
                slug=slugify(article.title)[:300],
                event_date=article.published_or_fetched.date(),
                first_reported_at=article.published_or_fetched,
                last_article_at=article.published_or_fetched,
                date_method=Event.DateMethod.PUBLICATION,
                needs_refresh=True,
            )
            article.event = event
            article.save(update_fields=["event", "updated_at"])
            created += 1
        for copy in Article.objects.filter(event__isnull=True, copy_of__isnull=False).select_related(
            "copy_of"
        ):
            original = copy.copy_of
            if original.event_id is None:
                event = Event.objects.create(
                    title=original.title[:300],
                    event_date=original.published_or_fetched.date(),
                    needs_refresh=True,
                )
                original.event = event
                original.save(update_fields=["event", "updated_at"])
                created += 1
            copy.event_id = original.event_id
            copy.save(update_fields=["event", "updated_at"])
            Event.objects.filter(pk=original.event_id).update(needs_refresh=True)
    return created
