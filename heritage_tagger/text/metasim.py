"""Metadata similarity (seed 000, eqs. 1-3) and the positive/negative pairs chosen from it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.settings import ModelSettings

_DEFAULTS = ModelSettings()
_BLOCK_ELEMENTS = 8_000_000  # one dense block of similarities: rows x n float32 (~32 MB)


def jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    """Eq. 1: ``|a ∩ b| / |a ∪ b|``; 0 when both sets are empty."""
    sa, sb = set(a), set(b)
    union = len(sa | sb)
    return len(sa & sb) / union if union else 0.0


def normalise_location(location: str | None) -> str:
    """A location as compared by eq. 2: whitespace collapsed, case folded; "" when unknown."""
    if not location:
        return ""
    return " ".join(location.split()).casefold()


def location_indicator(a: str | None, b: str | None) -> float:
    """Eq. 2: 1 when both locations are known and equal after normalisation, else 0."""
    na, nb = normalise_location(a), normalise_location(b)
    return 1.0 if na and na == nb else 0.0


def metasim(
    words_a: Iterable[str],
    words_b: Iterable[str],
    location_a: str | None,
    location_b: str | None,
    lam: float = _DEFAULTS.lambda_location,
) -> float:
    """Eq. 3: ``dsim + lambda * gsim`` for one pair of records."""
    return jaccard(words_a, words_b) + lam * location_indicator(location_a, location_b)


@dataclass(frozen=True)
class PairSet:
    """Training pairs for the siamese head: label 1 for a positive pair, 0 for a negative one.

    ``similarity`` is the pair's metasim; ``n_without_metadata`` counts images with neither
    description words nor a location, ``n_without_positive`` images that got no positive pair
    (those, plus images whose metasim is 0 to every other image).
    """

    anchor: np.ndarray  # int64[p]
    other: np.ndarray  # int64[p]
    label: np.ndarray  # float32[p]
    similarity: np.ndarray | None = None  # float32[p]
    n_without_metadata: int = 0
    n_without_positive: int = 0

    def __len__(self) -> int:
        return int(self.anchor.shape[0])


class MetadataSimilarity:
    """Eq. 3 between every pair of records, computed a block of rows at a time.

    Description words go into a sparse binary matrix ``X`` (records x vocabulary); the
    intersections of one block of rows with all records are ``X[block] @ X.T`` (only images
    sharing a word contribute), unions are ``|v_i| + |v_j| - |v_i ∩ v_j|``, and locations
    are integer codes compared by equality. Memory is one block of ``rows x n`` float32.
    """

    def __init__(
        self,
        word_sets: Sequence[Iterable[str]],
        locations: Sequence[str | None] | None = None,
        lam: float = _DEFAULTS.lambda_location,
    ) -> None:
        from scipy import sparse

        self.lam = float(lam)
        sets = [frozenset(w) for w in word_sets]
        self.n = len(sets)
        if locations is None:
            locations = [None] * self.n
        if len(locations) != self.n:
            raise ValueError(f"{self.n} word sets but {len(locations)} locations")
        vocab: dict[str, int] = {}
        indptr = [0]
        indices: list[int] = []
        for words in sets:
            indices.extend(vocab.setdefault(w, len(vocab)) for w in sorted(words))
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float32)
        self.x = sparse.csr_matrix(
            (data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
            shape=(self.n, len(vocab)),
        )
        self.xt = self.x.T.tocsr()
        self.sizes = np.diff(self.x.indptr).astype(np.float32)
        codes: dict[str, int] = {}
        self.location_codes = np.array(
            [codes.setdefault(loc, len(codes)) if loc else -1 for loc in map(normalise_location, locations)],
            dtype=np.int64,
        )
        self.vocabulary_size = len(vocab)
        self.has_metadata = (self.sizes > 0) | (self.location_codes >= 0)

    def rows(self, start: int, stop: int) -> np.ndarray:
        """Dense ``metasim[start:stop, :]`` as float32 (the diagonal included, unmasked)."""
        inter = (self.x[start:stop] @ self.xt).toarray()
        union = self.sizes[start:stop, None] + self.sizes[None, :] - inter
        np.divide(inter, union, out=inter, where=union > 0)
        codes = self.location_codes[start:stop, None]
        same = (codes == self.location_codes[None, :]) & (codes >= 0)
        inter += self.lam * same
        return inter

    def pair(self, i: int, j: int) -> float:
        """Eq. 3 for records ``i`` and ``j``."""
        return float(self.rows(i, i + 1)[0, j])

    def block_size(self) -> int:
        return max(1, min(self.n, _BLOCK_ELEMENTS // max(1, self.n)))


def _pick(
    values: np.ndarray,
    candidates: np.ndarray,
    threshold: float,
    need: int,
    rng: np.random.Generator,
    largest: bool,
) -> np.ndarray:
    """The ``need`` extreme entries of ``values[candidates]``; ties at ``threshold`` drawn by ``rng``."""
    vals = values[candidates]
    strict = candidates[vals > threshold] if largest else candidates[vals < threshold]
    ties = candidates[vals == threshold]
    missing = need - strict.shape[0]
    if missing > 0 and ties.shape[0] > 0:
        drawn = ties[rng.choice(ties.shape[0], size=min(missing, ties.shape[0]), replace=False)]
        strict = np.concatenate([strict, np.sort(drawn)])
    return strict


def _kth_threshold(values: np.ndarray, extreme: np.ndarray, k: int, largest: bool) -> np.ndarray:
    """Per row, the k-th largest (or smallest) value; cheap when the extreme is tied k times."""
    if k == 0 or values.shape[1] < 2:
        return extreme.copy()
    thr = extreme.copy()
    if k > 1:
        ties = (values == extreme[:, None]).sum(axis=1)
        for r in np.flatnonzero(ties < k):
            row = values[r]
            thr[r] = -np.partition(-row, k - 1)[k - 1] if largest else np.partition(row, k - 1)[k - 1]
    return thr


def choose_pairs(
    word_sets: Sequence[Iterable[str]],
    locations: Sequence[str | None] | None = None,
    n_pos: int = _DEFAULTS.n_positive,
    n_neg: int = _DEFAULTS.n_negative,
    lam: float = _DEFAULTS.lambda_location,
    seed: int = _DEFAULTS.seed,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> PairSet:
    """For each image its ``n_pos`` most and ``n_neg`` least metadata-similar other images.

    Choices made where the paper is silent:
    - a positive must have metasim > 0 (an image similar to nothing gets no positive);
    - an image with neither description words nor location is in no pair at all, neither
      as anchor nor as a partner (its similarity to the others is unknown, not zero);
    - negatives are the least similar images and must be strictly less similar than the
      image's most similar one (an image equally similar to all others gets none);
    - ties at the cut-off are broken by a ``numpy`` generator seeded with ``seed``, consumed
      in image order, so the result does not depend on the block size.
    """
    sim = MetadataSimilarity(word_sets, locations, lam)
    n = sim.n
    rng = np.random.default_rng(seed)
    n_pos = max(0, min(int(n_pos), n - 1))
    n_neg = max(0, min(int(n_neg), n - 1))
    anchors: list[np.ndarray] = []
    others: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    sims: list[np.ndarray] = []
    without_positive = 0
    block = sim.block_size()
    unknown = np.flatnonzero(~sim.has_metadata)
    progress(Progress("pairs", 0, n, "Comparing metadata"))
    for start in range(0, n, block):
        if cancel is not None:
            cancel.check()
        stop = min(n, start + block)
        values = sim.rows(start, stop)
        rows = np.arange(stop - start)
        diag = rows + start
        # metasim >= 0, so -1 keeps the image itself (and images without metadata) from the
        # maximum, +inf from the minimum, and NaN from every comparison below
        values[rows, diag] = -1.0
        values[:, unknown] = -1.0
        top = values.max(axis=1) if n > 1 else np.zeros(stop - start, np.float32)
        hi_thr = _kth_threshold(values, top, n_pos, largest=True)
        values[rows, diag] = np.inf
        values[:, unknown] = np.inf
        low = values.min(axis=1) if n > 1 else np.zeros(stop - start, np.float32)
        lo_thr = _kth_threshold(values, low, n_neg, largest=False)
        values[rows, diag] = np.nan
        values[:, unknown] = np.nan
        for r in rows:
            i = start + int(r)
            row = values[r]
            informative = n > 1 and bool(sim.has_metadata[i])
            chosen_pos = np.empty(0, np.int64)
            if informative and n_pos and top[r] > 0:
                thr = float(hi_thr[r])
                if thr > 0:
                    chosen_pos = _pick(row, np.flatnonzero(row >= thr), thr, n_pos, rng, largest=True)
                else:  # fewer than n_pos images are similar at all: take those
                    chosen_pos = np.flatnonzero(row > 0)
            if chosen_pos.shape[0] == 0:
                without_positive += 1
            chosen_neg = np.empty(0, np.int64)
            if informative and n_neg:
                cands = np.flatnonzero((row <= lo_thr[r]) & (row < top[r]))  # empty if all equal
                cands = cands[~np.isin(cands, chosen_pos)]
                chosen_neg = _pick(row, cands, float(lo_thr[r]), n_neg, rng, largest=False)
            picked = np.concatenate([chosen_pos, chosen_neg]).astype(np.int64)
            anchors.append(np.full(picked.shape[0], i, np.int64))
            others.append(picked)
            labels.append(
                np.r_[np.ones(chosen_pos.shape[0]), np.zeros(chosen_neg.shape[0])].astype(np.float32)
            )
            sims.append(row[picked].astype(np.float32))
        progress(Progress("pairs", stop, n, "Comparing metadata"))

    def cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
        return np.concatenate(parts).astype(dtype) if parts else np.empty(0, dtype)

    return PairSet(
        anchor=cat(anchors, np.int64),
        other=cat(others, np.int64),
        label=cat(labels, np.float32),
        similarity=cat(sims, np.float32),
        n_without_metadata=int((~sim.has_metadata).sum()),
        n_without_positive=without_positive,
    )
