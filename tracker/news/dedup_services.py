"""Applies tracker.news.dedup to stored articles: fingerprints, links, copy_of marks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from tracker.events.models import ArticleFingerprint
from tracker.news import dedup
from tracker.news.models import AWAITING_DEDUP, Article

# Articles handled per transaction: big enough to amortise the window query, small enough to
# keep the write lock short.
DEDUP_BATCH_SIZE = 500


@dataclass
class DedupResult:
    processed: int = 0
    copies: int = 0  # articles marked as copies in this pass
    relinked: int = 0  # articles whose copy_of changed (including new copies)


def _print_from_fingerprint(fp: dict) -> dedup.Print:
    sig = dedup.signature_from_bytes(fp["signature"]) if fp["shingle_count"] >= dedup.MIN_SHINGLES else None
    return dedup.Print(fp["article_id"], fp["published_at"], fp["content_hash"], sig)


_FP_FIELDS = ("article_id", "signature", "published_at", "content_hash", "shingle_count")

# An article's (signature, shingle count, text hash): what dedup.fingerprint gives for its text.
ArticleFingerprinter = Callable[[Article], tuple]


def _fingerprint(article: Article) -> tuple:
    return dedup.fingerprint(article.text)


def dedup_articles(
    *, article_ids: list[int], fingerprint: ArticleFingerprinter = _fingerprint
) -> DedupResult:
    """Fingerprint these articles and link them (and anything they touch) to their original.
    Idempotent: running it again over the same articles changes nothing.

    `fingerprint` lets a caller serve the fingerprints from its own cache (the pipeline passes
    its per-article features, which prefetch workers may have computed); it must give what
    dedup.fingerprint gives for the article's text."""
    result = DedupResult()
    if not article_ids:
        return result
    with transaction.atomic():
        articles = list(
            Article.objects.filter(pk__among=article_ids).only(
                "id",
                "text",
                "published_at",
                "fetched_at",
                "revision",
                "copy_of_id",
                "copy_kind",
                "copy_similarity",
                "needs_clustering",
                "event_id",
            )
        )
        if not articles:
            return result
        fingerprints = []
        new: list[dedup.Print] = []
        for article in articles:
            sig, count, h = fingerprint(article)
            published = article.published_or_fetched
            fingerprints.append(
                ArticleFingerprint(
                    article_id=article.pk,
                    signature=dedup.signature_to_bytes(sig),
                    published_at=published,
                    content_hash=h,
                    shingle_count=count,
                    revision=article.revision,
                )
            )
            new.append(dedup.Print(article.pk, published, h, sig if count >= dedup.MIN_SHINGLES else None))
        ArticleFingerprint.objects.bulk_create(
            fingerprints,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["signature", "published_at", "content_hash", "shingle_count", "revision"],
        )
        batch_ids = {p.article_id for p in new}
        lo = min(p.published for p in new) - dedup.WINDOW
        hi = max(p.published for p in new) + dedup.WINDOW
        hashes = {p.text_hash for p in new if p.text_hash}
        # Two indexed lookups, not one OR (which SQLite answers with a scan of the table): the
        # window, then exact copies of any age outside it.
        stored_rows = list(
            ArticleFingerprint.objects.filter(published_at__range=(lo, hi))
            .exclude(article_id__among=batch_ids)
            .values(*_FP_FIELDS)
        )
        if hashes:
            seen = {row["article_id"] for row in stored_rows} | batch_ids
            stored_rows += [
                row
                for row in ArticleFingerprint.objects.filter(content_hash__in=hashes).values(*_FP_FIELDS)
                if row["article_id"] not in seen
            ]
        stored = [_print_from_fingerprint(row) for row in stored_rows]
        links = dedup.links_find(new, stored)

        # Existing groups the links touch: their originals and all their copies.
        linked = {a for a, _, _ in links} | {b for _, b, _ in links}
        current = dict(Article.objects.filter(pk__among=linked - batch_ids).values_list("id", "copy_of_id"))
        for article in articles:
            current[article.pk] = article.copy_of_id
        roots = {current.get(i) or i for i in linked} | batch_ids
        # Two indexed lookups rather than one OR, which SQLite answers with a table scan.
        family = list(Article.objects.filter(pk__among=roots).values_list("id", "copy_of_id"))
        family += [
            row
            for row in Article.objects.filter(copy_of_id__among=roots).values_list("id", "copy_of_id")
            if row[0] not in roots
        ]
        edges = [(a, b) for a, b, _ in links]
        for article_id, copy_of_id in family:
            current.setdefault(article_id, copy_of_id)
            if copy_of_id is not None and article_id not in batch_ids:
                edges.append((article_id, copy_of_id))
        members = set(current) | batch_ids
        prints = {p.article_id: p for p in new}
        missing = [i for i in members if i not in prints]
        for row in ArticleFingerprint.objects.filter(article_id__among=missing).values(*_FP_FIELDS):
            prints[row["article_id"]] = _print_from_fingerprint(row)
        published = {i: p.published for i, p in prints.items()}
        for row in Article.objects.filter(pk__among=[i for i in members if i not in published]).values(
            "id", "published_at", "fetched_at"
        ):
            published[row["id"]] = row["published_at"] or row["fetched_at"]

        desired: dict[int, tuple[int | None, str, float | None]] = {}
        for group in dedup.groups_build(members, edges):
            root = dedup.original_pick(group, published)
            desired[root] = (None, "", None)
            for member in group - {root}:
                a, b = prints.get(member), prints.get(root)
                same = bool(a and b and a.text_hash and a.text_hash == b.text_hash)
                if same:
                    sim = 1.0
                elif a is not None and b is not None and a.sig is not None and b.sig is not None:
                    sim = round(dedup.similarity(a.sig, b.sig), 3)
                else:
                    sim = None
                kind = dedup.copy_kind(sim=sim or 0.0, same_text=same)
                desired[member] = (root, kind, sim)

        objects = {a.pk: a for a in articles}
        others = [i for i in desired if i not in objects]
        for article in Article.objects.filter(pk__among=others).only(
            "id", "copy_of_id", "copy_kind", "copy_similarity", "needs_clustering", "event_id"
        ):
            objects[article.pk] = article
        changed = []
        for article_id, (copy_of_id, kind, sim) in desired.items():
            article = objects[article_id]
            if (article.copy_of_id, article.copy_kind, article.copy_similarity) == (copy_of_id, kind, sim):
                continue
            if article.copy_of_id != copy_of_id:
                result.relinked += 1
                # Copies follow their original's event, so a new original means re-clustering.
                article.needs_clustering = True
                if copy_of_id is not None:
                    result.copies += 1
            article.copy_of_id, article.copy_kind, article.copy_similarity = copy_of_id, kind, sim
            changed.append(article)
        if changed:
            Article.objects.bulk_update(
                changed, ["copy_of", "copy_kind", "copy_similarity", "needs_clustering"], batch_size=500
            )
        Article.objects.filter(pk__among=batch_ids).update(needs_dedup=False)
        result.processed = len(articles)
    return result


def dedup_pending(
    *, limit: int = DEDUP_BATCH_SIZE, fingerprint: ArticleFingerprinter = _fingerprint
) -> DedupResult:
    """One batch of articles flagged needs_dedup, oldest publication first (`fingerprint` as in
    dedup_articles)."""
    ids = list(
        Article.objects.filter(AWAITING_DEDUP)
        .order_by("published_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    return dedup_articles(article_ids=ids, fingerprint=fingerprint)
