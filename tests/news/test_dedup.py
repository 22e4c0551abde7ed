"""Exact copies, syndicated copies, light rewrites; incremental and bulk agree."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.analysis.helpers import article_make, source_get
from tracker.news import dedup
from tracker.news.dedup_services import dedup_articles, dedup_pending
from tracker.news.models import Article

BASE = (
    "The United States on Monday tightened its restrictions on semiconductor technology bound for China, "
    "adding 140 entities to a trade blacklist and extending controls to high-bandwidth memory chips. "
    "The Commerce Department said the package places new controls on 24 types of chipmaking equipment "
    "and three types of software used to design or produce semiconductors. Most of the new additions are "
    "Chinese makers of chip-manufacturing tools, chip plants and investment firms. Suppliers need a licence "
    "to ship US-origin items to listed companies, and such licences are rarely granted. Officials said the "
    "aim is to slow the development of advanced chips for military uses. China's commerce ministry said it "
    "firmly opposed the measures and would protect the rights of Chinese companies."
)
OTHER = (
    "Italy's data protection authority ordered a Chinese chatbot maker to stop processing the personal "
    "data of Italian users, saying the company's answers about what it collects and where it stores it "
    "were insufficient. The regulator gave no deadline for lifting the block and opened an investigation. "
    "Regulators in Ireland and South Korea have also asked questions about the app's data practices, "
    "and consumer groups filed complaints in several European countries over the privacy policy."
)
T0 = datetime(2024, 12, 2, 18, 0, tzinfo=UTC)


def test_signature_similarity_tracks_text_overlap():
    a, _ = dedup.signature(BASE)
    b, _ = dedup.signature(BASE + " An extra closing sentence from the republisher.")
    c, _ = dedup.signature(OTHER)
    assert dedup.similarity(a, b) >= dedup.SYNDICATED_THRESHOLD
    assert dedup.similarity(a, c) < 0.2
    assert dedup.text_hash("Hello,  World!") == dedup.text_hash("hello world")


@pytest.mark.parametrize("text", [BASE, OTHER, "Too short.", "  ...  ", ""])
def test_fingerprint_is_signature_and_hash_in_one_pass(text):
    sig, count, digest = dedup.fingerprint(text)
    expected_sig, expected_count = dedup.signature(text)
    assert (sig == expected_sig).all() and count == expected_count
    assert digest == (dedup.text_hash(text) if text.strip() else "")


def test_signature_is_datasketchs_minhash_of_the_shingles():
    from datasketch import MinHash

    reference = MinHash(num_perm=dedup.NUM_PERM, seed=20240709)
    reference.update_batch(list(dedup.shingles(BASE)))
    sig, count = dedup.signature(BASE)
    assert (sig == reference.hashvalues.astype("uint32")).all() and count == len(dedup.shingles(BASE))
    assert dedup.shingles("One two three four") == {b"one two three", b"two three four"}


def test_links_find_takes_the_batch_out_of_the_stored_prints():
    a, b = dedup.signature(BASE)[0], dedup.signature(BASE + " One more line.")[0]
    new = [dedup.Print(1, T0, "h1", a)]
    stored = [dedup.Print(1, T0, "h1", a), dedup.Print(2, T0 + timedelta(hours=1), "h2", b)]
    assert [(x, y) for x, y, _ in dedup.links_find(new, stored)] == [(1, 2)]


def _rewrite(text: str) -> str:
    # Change every twelfth word: a light rewrite that keeps about 60% of the three-word phrases.
    words = text.split()
    return " ".join(w if i % 12 else "also" for i, w in enumerate(words))


@pytest.fixture
def sources(db):
    return [source_get(domain=f"outlet{i}.example") for i in range(6)]


def test_exact_syndicated_rewrite_and_unrelated(sources):
    original = article_make(source=sources[0], title="Original", text=BASE, published=T0)
    exact = article_make(source=sources[1], title="Copy", text=BASE, published=T0 + timedelta(hours=3))
    syndicated = article_make(
        source=sources[2],
        title="Tweaked",
        text=BASE + " Reporting by a wire desk.",
        published=T0 + timedelta(hours=5),
    )
    rewrite = article_make(
        source=sources[3], title="Rewrite", text=_rewrite(BASE), published=T0 + timedelta(hours=8)
    )
    unrelated = article_make(source=sources[4], title="Other", text=OTHER, published=T0 + timedelta(hours=1))
    dedup_pending()
    for a in (original, exact, syndicated, rewrite, unrelated):
        a.refresh_from_db()
        assert not a.needs_dedup
    assert original.copy_of_id is None and unrelated.copy_of_id is None
    assert (exact.copy_of_id, exact.copy_kind, exact.copy_similarity) == (original.pk, "exact", 1.0)
    assert (syndicated.copy_of_id, syndicated.copy_kind) == (original.pk, "syndicated")
    assert (rewrite.copy_of_id, rewrite.copy_kind) == (original.pk, "rewrite")
    assert dedup.REWRITE_THRESHOLD <= rewrite.copy_similarity < dedup.SYNDICATED_THRESHOLD


def test_an_earlier_original_arriving_later_takes_over_and_chains_flatten(sources):
    copy = article_make(
        source=sources[1], title="Copy", text=BASE + " Extra line.", published=T0 + timedelta(days=1)
    )
    copy2 = article_make(source=sources[2], title="Copy 2", text=BASE, published=T0 + timedelta(days=2))
    dedup_pending()
    copy.refresh_from_db()
    copy2.refresh_from_db()
    assert copy.copy_of_id is None and copy2.copy_of_id == copy.pk
    original = article_make(source=sources[0], title="Wire", text=BASE, published=T0)
    dedup_pending()
    for a in (copy, copy2, original):
        a.refresh_from_db()
    assert original.copy_of_id is None
    assert copy.copy_of_id == original.pk and copy2.copy_of_id == original.pk
    assert copy2.copy_kind == "exact"
    assert copy.needs_clustering  # it must follow its new original's event


def test_copies_outside_the_window_are_not_linked(sources):
    first = article_make(source=sources[0], title="A", text=BASE + " First run.", published=T0)
    later = article_make(
        source=sources[1], title="B", text=BASE + " Second run.", published=T0 + timedelta(days=40)
    )
    dedup_pending()
    later.refresh_from_db()
    first.refresh_from_db()
    assert later.copy_of_id is None


def _corpus(sources):
    texts = [BASE, BASE + " A line.", _rewrite(BASE), OTHER, OTHER + " Update: the block stays.", BASE, OTHER]
    articles = []
    for i, text in enumerate(texts):
        published = T0 + timedelta(hours=(7 - i) * 5)  # later ids are earlier: originals arrive last
        articles.append(
            article_make(source=sources[i % 6], title=f"T{i}", text=text, published=published, path=f"a{i}")
        )
    return articles


def _state():
    return sorted(Article.objects.values_list("id", "copy_of_id", "copy_kind", "copy_similarity"))


def test_incremental_and_bulk_give_the_same_result(sources):
    articles = _corpus(sources)
    for a in articles:  # one at a time, in arrival (id) order
        dedup_articles(article_ids=[a.pk])
    incremental = _state()
    Article.objects.update(copy_of=None, copy_kind="", copy_similarity=None, needs_dedup=True)
    dedup_pending()  # all at once
    assert _state() == incremental
    assert sum(1 for row in incremental if row[1]) == 5  # two groups: 4 BASE-like, 3 OTHER-like
    dedup_articles(article_ids=[a.pk for a in articles])  # idempotent
    assert _state() == incremental
