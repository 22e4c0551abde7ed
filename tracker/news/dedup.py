"""Exact copies and near-duplicates (syndicated wire copy, light rewrites).

Pure functions first (normalise, shingle, sign, compare, group), then the service that applies
them to stored articles. The grouping is order-independent: two articles are linked when their
texts match (same normalised text, or estimated Jaccard similarity of word shingles above
REWRITE_THRESHOLD, published within WINDOW of each other); linked articles form one group whose
earliest member is the original and every other member is a copy of it. Processing articles one
at a time or all at once finds the same links, so incremental and bulk runs agree.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from datasketch import MinHash

NUM_PERM = 126  # 42 bands of 3 rows: catches pairs above ~0.45 similarity almost surely
BAND_ROWS = 3
BANDS = NUM_PERM // BAND_ROWS
SHINGLE_WORDS = 3  # three-word shingles tolerate a changed word while ignoring word order noise
# Copies are looked for among articles published this close to each other: wire copy is
# republished within days, and a bounded window keeps the index small as the store grows.
WINDOW = timedelta(days=14)
# Estimated Jaccard similarity of word shingles.
SYNDICATED_THRESHOLD = 0.80  # the same text with a tweak or an added line
REWRITE_THRESHOLD = 0.50  # half the phrasing shared: a light rewrite of the same copy
# Too little text (a paywall teaser, a headline-only item) says nothing about copying.
MIN_SHINGLES = 20

EXACT = "exact"
SYNDICATED = "syndicated"
REWRITE = "rewrite"

_WORD_RE = re.compile(r"\w+", re.UNICODE)
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=20240709)


def text_normalize(text: str) -> str:
    """Case-, accent-form-, punctuation- and whitespace-insensitive form of a text."""
    return " ".join(_words(text))


def text_hash(text: str) -> str:
    """sha256 of the normalised text: equal hashes are exact copies."""
    return _hash_of(_words(text))


def _hash_of(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def _words(text: str) -> list[str]:
    """The words of text_normalize(text)."""
    return _WORD_RE.findall(unicodedata.normalize("NFKC", text).lower())


def _shingles_of(words: list[str], k: int = SHINGLE_WORDS) -> set[bytes]:
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    if k == 3:  # the usual case, without a slice per shingle
        return {f"{a} {b} {c}".encode() for a, b, c in zip(words, words[1:], words[2:], strict=False)}
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[bytes]:
    return _shingles_of(_words(text), k)


_UNPACK_U32 = struct.Struct("<I").unpack_from


def _sign(grams: set[bytes]) -> tuple[np.ndarray, int]:
    # datasketch's default hash (sha1_hash32: the first four bytes of SHA-1, little-endian),
    # computed here in one comprehension; `int` passes the values through (a call per shingle
    # into a Python function was a fifth of dedup's time).
    m = MinHash(num_perm=NUM_PERM, permutations=_TEMPLATE.permutations, scheme=_TEMPLATE.scheme, hashfunc=int)
    if grams:
        sha1 = hashlib.sha1
        m.update_batch([_UNPACK_U32(sha1(g).digest())[0] for g in grams])
    return m.hashvalues.astype(np.uint32), len(grams)


def signature(text: str) -> tuple[np.ndarray, int]:
    """(MinHash signature as uint32 array, number of shingles)."""
    return _sign(shingles(text))


def fingerprint(text: str) -> tuple[np.ndarray, int, str]:
    """signature(text) and text_hash(text) ("" for a blank text) from one normalisation."""
    words = _words(text)
    sig, count = _sign(_shingles_of(words))
    digest = _hash_of(words) if text.strip() else ""
    return sig, count, digest


def signature_to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def signature_from_bytes(raw: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype="<u4").astype(np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.count_nonzero(a == b)) / len(a)


def copy_kind(*, sim: float, same_text: bool) -> str:
    if same_text:
        return EXACT
    return SYNDICATED if sim >= SYNDICATED_THRESHOLD else REWRITE


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """One 64-bit key per (row, band); equal keys mean an equal band."""
    n = sigs.shape[0]
    bands = sigs[:, : BANDS * BAND_ROWS].astype(np.uint64).reshape(n, BANDS, BAND_ROWS)
    keys = np.zeros((n, BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(BAND_ROWS):
            keys = keys * np.uint64(0x100000001B3) + bands[:, :, r]
        keys = keys * np.uint64(0x9E3779B97F4A7C15) + np.arange(BANDS, dtype=np.uint64)
    return keys


@dataclass(frozen=True, slots=True)
class Print:
    """What the grouping needs to know about one article."""

    article_id: int
    published: datetime
    text_hash: str
    sig: np.ndarray | None  # None: too little text for near-duplicate detection


def links_find(
    new: Sequence[Print], stored: Sequence[Print], window: timedelta = WINDOW
) -> list[tuple[int, int, float]]:
    """Pairs (a, b, similarity) with a in `new` and b in `new` or `stored`, linked as copies."""
    new_ids = {q.article_id for q in new}  # built once: per stored print it made this quadratic
    everyone = list(new) + [p for p in stored if p.article_id not in new_ids]
    links: dict[tuple[int, int], float] = {}

    def add(a: Print, b: Print, sim: float) -> None:
        if a.article_id == b.article_id or abs(a.published - b.published) > window:
            return
        key = (min(a.article_id, b.article_id), max(a.article_id, b.article_id))
        links[key] = max(links.get(key, 0.0), sim)

    by_hash: dict[str, list[Print]] = {}
    for p in everyone:
        if p.text_hash:
            by_hash.setdefault(p.text_hash, []).append(p)
    for p in new:
        for q in by_hash.get(p.text_hash, ()) if p.text_hash else ():
            add(p, q, 1.0)

    new_signed = [p for p in new if p.sig is not None]
    all_signed = [p for p in everyone if p.sig is not None]
    if new_signed and all_signed:
        new_keys = band_keys(np.stack([p.sig for p in new_signed]))
        all_keys = band_keys(np.stack([p.sig for p in all_signed]))
        owners: dict[int, list[int]] = {}
        for i, row in enumerate(new_keys.tolist()):
            for key in row:
                owners.setdefault(key, []).append(i)
        flat = all_keys.ravel()
        hits = np.nonzero(np.isin(flat, new_keys.ravel()))[0]
        pairs: set[tuple[int, int]] = set()
        for pos in hits.tolist():
            j = pos // BANDS
            for i in owners.get(int(flat[pos]), ()):
                pairs.add((i, j))
        for i, j in pairs:
            a, b = new_signed[i], all_signed[j]
            if a.article_id == b.article_id:
                continue
            sim = similarity(a.sig, b.sig)
            if sim >= REWRITE_THRESHOLD:
                add(a, b, sim)
    return [(a, b, s) for (a, b), s in links.items()]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def groups_build(members: Iterable[int], links: Iterable[tuple[int, int]]) -> list[set[int]]:
    """Connected components of the link graph over `members` (plus linked ids)."""
    uf = _UnionFind()
    for m in members:
        uf.find(m)
    for a, b in links:
        uf.union(a, b)
    groups: dict[int, set[int]] = {}
    for m in list(uf.parent):
        groups.setdefault(uf.find(m), set()).add(m)
    return list(groups.values())


def original_pick(group: Iterable[int], published: dict[int, datetime]) -> int:
    """The earliest published member (lowest id on ties) is the original."""
    return min(group, key=lambda i: (published[i], i))
