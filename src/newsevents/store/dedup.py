"""Exact and near-duplicate articles.

Identity: an article is its *normalised* content (case, punctuation and spacing ignored) plus its
URL.  The same text under the same URL is a duplicate (nothing is stored again); the same text
under another URL is a ``copy`` of the first one stored.

Near-duplicates: wire stories are syndicated with small edits (a headline, a dateline, a sentence
cut).  Each coded article gets a MinHash signature of its word 5-shingles; the
signature's bands are stored (LSH) so that a new article finds its candidate originals with one
indexed lookup, and a candidate whose estimated Jaccard similarity reaches the threshold is its
original.  Near-duplicates are stored and linked to that original, and not coded again.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import numpy as np

NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: a pair at Jaccard 0.5 is a candidate with p=0.87, at 0.2 with p=0.05
ROWS = NUM_PERM // BANDS
SHINGLE = 5
MIN_SHINGLES = 20  # shorter texts are matched exactly only
DEFAULT_THRESHOLD = 0.7
_SEED = 20240215

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalized_text(text: str) -> str:
    """Text reduced to what identifies its content: NFKC, casefolded, words joined by one space."""
    t = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", t).strip()


def normalized_hash(text: str) -> str:
    """SHA-256 of :func:`normalized_text`: the normalised content hash."""
    return hashlib.sha256(normalized_text(text).encode("utf-8")).hexdigest()


def normalize_url(url: str | None) -> str:
    """A URL without its fragment, with scheme and host lowercased ('' for none)."""
    if not url:
        return ""
    u = url.strip()
    try:
        parts = urlsplit(u)
    except ValueError:
        return u
    if not parts.scheme or not parts.netloc:
        return u
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def article_key(norm_hash: str, url: str | None) -> str:
    """The idempotency key: normalised content hash plus normalised URL."""
    return hashlib.sha256(f"{norm_hash}\n{normalize_url(url)}".encode("utf-8")).hexdigest()[:32]


def source_name(outlet: str | None, url: str | None) -> str | None:
    """Who published an article: its outlet, else its URL's host (without www.)."""
    if outlet:
        return outlet
    if url:
        try:
            host = (urlsplit(url.strip()).hostname or "").lower()
        except ValueError:
            host = ""
        if host.startswith("www."):
            host = host[4:]
        return host or None
    return None


# -- MinHash -------------------------------------------------------------------------------------
# Our own few lines rather than a library: stored signatures must stay comparable for the life of a
# database, so the hash and the permutations are fixed here (and datasketch would pull in SciPy).

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_permutations: tuple[np.ndarray, np.ndarray] | None = None


def _perms() -> tuple[np.ndarray, np.ndarray]:
    """The NUM_PERM affine hash functions (a, b), drawn once from a fixed seed."""
    global _permutations
    if _permutations is None:
        rng = np.random.RandomState(_SEED)
        a = rng.randint(1, int(_MERSENNE), size=NUM_PERM, dtype=np.uint64)
        b = rng.randint(0, int(_MERSENNE), size=NUM_PERM, dtype=np.uint64)
        _permutations = (a, b)
    return _permutations


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """The word k-grams of a text's normalised form."""
    words = normalized_text(text).split()
    if len(words) < k:
        return set()
    return {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}


def _shingle_hashes(sh: set[str]) -> np.ndarray:
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=4).digest(), "little") for s in sh),
        dtype=np.uint64, count=len(sh))


def signature(text: str) -> np.ndarray | None:
    """MinHash signature (uint32[NUM_PERM]) of a text's word shingles; None when too short."""
    sh = shingles(text)
    if len(sh) < MIN_SHINGLES:
        return None
    a, b = _perms()
    hv = _shingle_hashes(sh)
    with np.errstate(over="ignore"):  # uint64 products wrap: still a fixed, well-mixed hash
        ph = ((np.outer(hv, a) + b) % _MERSENNE) & _MAX_HASH
    return ph.min(axis=0).astype(np.uint32)


def signature_bytes(sig: np.ndarray | None) -> bytes | None:
    return None if sig is None else sig.astype("<u4").tobytes()


def signature_from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if data is None:
        return None
    return np.frombuffer(bytes(data), dtype="<u4").astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per LSH band (band number included, so bands never collide)."""
    keys = []
    raw = sig.astype("<u4")
    for b in range(BANDS):
        h = hashlib.blake2b(raw[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8, person=b"ne-band" + bytes([b]))
        keys.append(int.from_bytes(h.digest(), "little", signed=True))
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


# -- the verdict on one article ------------------------------------------------------------------


@dataclass
class Verdict:
    """What to do with an article: ``new`` (code it), ``duplicate`` (already stored: nothing to
    do), ``copy`` (same text, another URL) or ``near_duplicate`` (of ``original``)."""

    kind: str
    key: str
    norm_hash: str
    original: str | None = None
    similarity: float | None = None
    signature: np.ndarray | None = field(default=None, repr=False)
    bands: list[int] = field(default_factory=list, repr=False)


class Deduper:
    """Decides, article by article, against the store and the articles of this run not yet stored.

    ``threshold``: estimated Jaccard similarity from which an article is a near-duplicate
    (``None`` or > 1 turns near-duplicate detection off).
    """

    def __init__(self, store, threshold: float | None = DEFAULT_THRESHOLD) -> None:
        self.store = store
        self.threshold = threshold
        self._keys: set[str] = set()  # decided this run (any kind)
        self._by_hash: dict[str, str] = {}  # norm_hash -> key of the coded original (this run)
        self._bands: dict[int, list[str]] = {}  # band key -> coded originals (this run)
        self._sigs: dict[str, np.ndarray] = {}

    def check(self, article) -> Verdict:
        norm = normalized_hash(article.text)
        key = article_key(norm, article.url)
        if key in self._keys or self.store.has_article(key):
            return Verdict("duplicate", key, norm)
        self._keys.add(key)
        original = self._by_hash.get(norm) or self.store.original_by_hash(norm)
        if original:
            return Verdict("copy", key, norm, original=original, similarity=1.0)
        sig = signature(article.text) if self._enabled else None
        bands = band_keys(sig) if sig is not None else []
        if sig is not None:
            best, best_sim = self._best_match(sig, bands)
            if best is not None:
                return Verdict("near_duplicate", key, norm, original=best, similarity=round(best_sim, 4))
        self._by_hash[norm] = key
        if sig is not None:
            self._sigs[key] = sig
            for b in bands:
                self._bands.setdefault(b, []).append(key)
        return Verdict("new", key, norm, signature=sig, bands=bands)

    @property
    def _enabled(self) -> bool:
        return self.threshold is not None and self.threshold <= 1.0

    def _best_match(self, sig: np.ndarray, bands: list[int]) -> tuple[str | None, float]:
        candidates: set[str] = set()
        for b in bands:
            candidates.update(self._bands.get(b, ()))
        stored = self.store.band_candidates(bands)
        candidates.update(stored)
        if not candidates:
            return None, 0.0
        sigs = dict(self._sigs)
        missing = [c for c in candidates if c not in sigs]
        if missing:
            sigs.update(self.store.signatures(missing))
        best, best_sim = None, 0.0
        for c in sorted(candidates):  # sorted: ties go to the same original every run
            s = sigs.get(c)
            if s is None:
                continue
            sim = similarity(sig, s)
            if sim > best_sim:
                best, best_sim = c, sim
        if best is not None and best_sim >= self.threshold:
            return best, best_sim
        return None, best_sim

    def forget(self, verdict: Verdict) -> None:
        """An article that could not be stored: later ones must not be linked to it."""
        self._keys.discard(verdict.key)
        if self._by_hash.get(verdict.norm_hash) == verdict.key:
            del self._by_hash[verdict.norm_hash]
        self._sigs.pop(verdict.key, None)
        for b in verdict.bands:
            keys = self._bands.get(b)
            if keys and verdict.key in keys:
                keys.remove(verdict.key)
