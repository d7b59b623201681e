"""Tag relevance of each training image's tags (seed 000, eqs. 6-10): semantic field + neighbour voting.

Choices made where the paper is silent or ambiguous (each one a parameter):

- eq. 6, tags that never co-occur: ``log f(j,k)`` is ``log 0``; the co-occurrence count is
  floored at ``zero_cooccurrence = 0.5`` (half an image), which keeps the distance finite and
  still larger than for one shared image, and grows with how often the two tags occur apart.
  Two tags that are both on every image (0/0) are at distance 0. A tag that no image carries
  gets the largest finite distance of the matrix to every other tag. The diagonal is 0.
- eq. 7, a pair where either tag has no word vector uses ``s_ctx`` alone. By default the
  word-vector distances are divided by their median over the pairs that have both vectors
  (``w2v_scale="median"``), so that alpha weighs two terms of comparable size whatever the
  vectors' norm; ``w2v_scale="none"`` is the paper's raw Euclidean distance.
- eq. 8, "sigma is the medium value": sigma is the median of ``s^2`` over the unordered
  pairs ``j < k`` of tags that both occur (each pair once, diagonal excluded); a zero or
  undefined median falls back to the mean of the positive values, then to 1.
- eq. 9, an image with a single tag: the average over "the other tags" is empty; the tag
  gets ``r_ss = 1`` (nothing in the image's tag set disagrees with it).
- eq. 10, both scores are scaled into [0, 1] before CombSUM. ``normalisation="collection"``
  (default) divides each score by its maximum over the whole collection, so an image whose
  tags are weakly supported keeps lower relevance than one whose tags are strongly supported;
  ``"image"`` divides by each image's own maximum. The result is zero where the image does
  not carry the tag. ``training_relevance`` returns the scale with R, and ``new_image_relevance``
  scores the tags of an image outside the training rows on that same scale (eq. 10 for a record
  that was catalogued after training).

Training (annotator.fit) and prediction (annotator.model) call these functions and nothing else
for eqs. 6-10, with ``ModelSettings.alpha_word_vectors``, ``w2v_distance_scale`` and
``relevance_normalisation``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from heritage_tagger.settings import ModelSettings, Normalisation, W2VScale

_DEFAULTS = ModelSettings()
_BLOCK = 4096


def _labels(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 2:
        raise ValueError(f"the label matrix must be 2-d (images x tags), got shape {y.shape}")
    return (y > 0).astype(np.float32)


def _pair_mask(valid: np.ndarray) -> np.ndarray:
    """Upper-triangle pairs j < k of tags that are both valid."""
    both = valid[:, None] & valid[None, :]
    return np.triu(both, k=1)


def ngd_distance(y: np.ndarray, zero_cooccurrence: float = 0.5) -> np.ndarray:
    """Eq. 6: normalised Google distance between tags from the collection's counts, float64[T, T]."""
    y = _labels(y)
    n = y.shape[0]
    f = y.sum(axis=0).astype(np.float64)
    co = (y.T.astype(np.float64) @ y.astype(np.float64)).astype(np.float64)
    present = f > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        logf = np.log(np.where(present, f, 1.0))
        logco = np.log(np.maximum(co, zero_cooccurrence))
        hi = np.maximum(logf[:, None], logf[None, :])
        lo = np.minimum(logf[:, None], logf[None, :])
        num = hi - logco
        den = np.log(max(n, 1)) - lo
        s = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.where(num > 0, np.inf, 0.0))
    s = np.maximum(s, 0.0)
    finite = np.isfinite(s) & present[:, None] & present[None, :]
    cap = float(s[finite].max()) if finite.any() else 1.0
    s[~finite] = cap
    np.fill_diagonal(s, 0.0)
    return s


def word_vector_distance(h: np.ndarray, has_vector: np.ndarray) -> np.ndarray:
    """Euclidean distances between tag vectors, float64[T, T]; NaN where a tag has no vector."""
    h = np.asarray(h, dtype=np.float64)
    sq = (h * h).sum(axis=1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2.0 * (h @ h.T), 0.0)
    d = np.sqrt(d2)
    np.fill_diagonal(d, 0.0)
    has = np.asarray(has_vector, dtype=bool)
    d[~(has[:, None] & has[None, :])] = np.nan
    return d


def _robust_median(values: np.ndarray) -> float:
    values = values[np.isfinite(values)]
    if values.size == 0:
        return 1.0
    med = float(np.median(values))
    if med > 0:
        return med
    positive = values[values > 0]
    return float(positive.mean()) if positive.size else 1.0


def semantic_distance(
    s_ctx: np.ndarray,
    h: np.ndarray | None,
    has_vector: np.ndarray | None,
    alpha: float = _DEFAULTS.alpha_word_vectors,
    w2v_scale: W2VScale = _DEFAULTS.w2v_distance_scale,
) -> np.ndarray:
    """Eq. 7: ``s = s_ctx + alpha * s_w2v``; ``s_ctx`` alone for pairs lacking a word vector."""
    s = np.array(s_ctx, dtype=np.float64, copy=True)
    if h is None or has_vector is None or alpha == 0 or not np.any(has_vector):
        return s
    d = word_vector_distance(h, has_vector)
    if w2v_scale == "median":
        d = d / _robust_median(d[_pair_mask(np.asarray(has_vector, bool))])
    elif w2v_scale != "none":
        raise ValueError(f"unknown w2v_scale {w2v_scale!r}")
    both = np.isfinite(d)
    s[both] += alpha * d[both]
    return s


def median_sigma(s: np.ndarray, valid: np.ndarray | None = None) -> float:
    """Eq. 8's sigma: the median of ``s^2`` over unordered pairs of valid tags (guarded)."""
    t = s.shape[0]
    valid = np.ones(t, dtype=bool) if valid is None else np.asarray(valid, dtype=bool)
    return _robust_median((np.asarray(s, np.float64) ** 2)[_pair_mask(valid)])


def xi_similarity(
    s: np.ndarray, sigma: float | None = None, valid: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """Eq. 8: ``xi = exp(-s^2 / sigma)`` (float64[T, T]) and the sigma used."""
    if sigma is None:
        sigma = median_sigma(s, valid)
    sigma = float(sigma) if sigma and np.isfinite(sigma) and sigma > 0 else 1.0
    return np.exp(-(np.asarray(s, np.float64) ** 2) / sigma), sigma


def semantic_field(y: np.ndarray, xi: np.ndarray, single_tag: float = 1.0) -> np.ndarray:
    """Eq. 9: mean ``xi`` between each carried tag and the image's other tags, float32[n, T]."""
    y = _labels(y)
    xi = np.asarray(xi, dtype=np.float32)
    diag = np.diag(xi)
    out = np.zeros_like(y)
    for start in range(0, y.shape[0], _BLOCK):
        yb = y[start : start + _BLOCK]
        count = yb.sum(axis=1, keepdims=True)
        total = yb @ xi - diag[None, :]  # sum over k in t_i, minus k = j
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(count > 1, total / np.maximum(count - 1, 1), single_tag)
        out[start : start + _BLOCK] = r * yb
    return out


def neighbour_voting(y: np.ndarray, neighbour_idx: np.ndarray) -> np.ndarray:
    """r_nn(j|i): how many of image i's neighbours carry tag j, for the tags i carries, float32[n, T].

    ``neighbour_idx`` is int[n, m] over the rows of ``y``; negative indices (faiss's "none")
    and the image itself are ignored.
    """
    from scipy import sparse

    y = _labels(y)
    idx = np.asarray(neighbour_idx, dtype=np.int64)
    n = y.shape[0]
    if idx.shape[0] != n:
        raise ValueError(f"{n} images but neighbours for {idx.shape[0]}")
    m = idx.shape[1] if idx.ndim == 2 else 0
    rows = np.repeat(np.arange(n, dtype=np.int64), m)
    cols = idx.reshape(-1)
    ok = (cols >= 0) & (cols < n) & (cols != rows)
    a = sparse.csr_matrix((np.ones(int(ok.sum()), np.float32), (rows[ok], cols[ok])), shape=(n, n))
    return np.asarray(a @ y, dtype=np.float32) * y


def _scale(r: np.ndarray, normalisation: Normalisation) -> np.ndarray:
    if normalisation == "collection":
        top = float(r.max()) if r.size else 0.0
        return r / top if top > 0 else r
    if normalisation == "image":
        row_top = r.max(axis=1, keepdims=True) if r.size else r
        return np.divide(r, row_top, out=np.zeros_like(r), where=row_top > 0)
    raise ValueError(f"unknown normalisation {normalisation!r}")


def combsum(
    r_ss: np.ndarray,
    r_nn: np.ndarray,
    y: np.ndarray,
    normalisation: Normalisation = _DEFAULTS.relevance_normalisation,
) -> np.ndarray:
    """Eq. 10: the sum of both scores after scaling each into [0, 1]; zero off the image's tags."""
    y = _labels(y)
    r_ss = np.asarray(r_ss, dtype=np.float32) * y
    r_nn = np.asarray(r_nn, dtype=np.float32) * y
    return ((_scale(r_ss, normalisation) + _scale(r_nn, normalisation)) * y).astype(np.float32)


def tag_similarity(
    y: np.ndarray,
    h: np.ndarray | None,
    has_vector: np.ndarray | None,
    alpha: float = _DEFAULTS.alpha_word_vectors,
    w2v_scale: W2VScale = _DEFAULTS.w2v_distance_scale,
    zero_cooccurrence: float = 0.5,
) -> tuple[np.ndarray, float]:
    """Eqs. 6-8 together: ``xi`` (float64[T, T]) and its sigma."""
    s = semantic_distance(ngd_distance(y, zero_cooccurrence), h, has_vector, alpha, w2v_scale)
    present = _labels(y).sum(axis=0) > 0
    return xi_similarity(s, valid=present)


@dataclass(frozen=True)
class RelevanceScale:
    """How eq. 10 scaled the training images' two scores, so that a new image is scored the same way.

    ``semantic_field_max`` and ``voting_max`` are the collection maxima of ``r_ss`` and ``r_nn``
    (the divisors under ``"collection"``; under ``"image"`` each image uses its own maxima).
    """

    normalisation: Normalisation
    semantic_field_max: float
    voting_max: float


def training_relevance(
    y: np.ndarray,
    xi: np.ndarray,
    neighbour_idx: np.ndarray,
    normalisation: Normalisation = _DEFAULTS.relevance_normalisation,
) -> tuple[np.ndarray, RelevanceScale]:
    """Eqs. 9-10 for the training images: R (float32[n, T]) from ``xi`` and each image's neighbours
    among the training rows (itself excluded), and the scale it was computed on."""
    r_ss = semantic_field(y, xi)
    r_nn = neighbour_voting(y, neighbour_idx)
    scale = RelevanceScale(
        normalisation,
        float(r_ss.max()) if r_ss.size else 0.0,
        float(r_nn.max()) if r_nn.size else 0.0,
    )
    return combsum(r_ss, r_nn, y, normalisation), scale


def new_image_relevance(
    tag_rows: Sequence[int],
    neighbour_rows: np.ndarray,
    labels: np.ndarray,
    xi: np.ndarray,
    scale: RelevanceScale,
) -> np.ndarray:
    """Eq. 10 for the tags (``tag_rows``) of an image that is not a training row, float32[len(tag_rows)].

    ``neighbour_rows`` are its training neighbours (-1 skipped) and ``labels`` the training rows'
    binary tags. Under ``"collection"`` both scores are divided by the training maxima, so the
    result sits on the training images' scale; under ``"image"`` by this image's own maxima.
    """
    n_tags = labels.shape[1]
    y = np.zeros((1, n_tags), dtype=np.float32)
    y[0, list(tag_rows)] = 1.0
    r_ss = semantic_field(y, xi)
    rows = np.asarray(neighbour_rows, dtype=np.int64).reshape(-1)
    rows = rows[(rows >= 0) & (rows < labels.shape[0])]
    r_nn = (np.asarray(labels, dtype=np.float32)[rows].sum(axis=0) * y[0])[None, :]
    if scale.normalisation == "collection":
        ss, nn = scale.semantic_field_max, scale.voting_max
        out = (r_ss / ss if ss > 0 else r_ss) + (r_nn / nn if nn > 0 else r_nn)
    else:
        out = _scale(r_ss, scale.normalisation) + _scale(r_nn, scale.normalisation)
    return out[0, list(tag_rows)].astype(np.float32)
