"""Semantic summary of an image's neighbours (seed 000, eqs. 11-12): GS = sum_j phi_ij (r_j . H).

eq. 11's "sigma is the medium value of phi" is read as: sigma is the median of the squared
neighbour distances ``||GX(i) - GX(i_j)||^2`` over the training images' neighbour lists, so
that a neighbour at the median distance gets ``phi = exp(-1)``. It is computed once at
training time and stored with the model, so that new images are weighted on the same scale.

Neighbour lists are ``rows int64[q, k]`` (-1 where there is no neighbour) with their squared
distances (inf there), as ``knowledge.index.NeighbourIndex.nearest`` gives them; a missing
neighbour weighs nothing. Training (annotator.fit) and prediction (annotator.model) both call
these functions: ``relevance_vectors`` once per model, then ``semantic_summary`` and
``neighbour_tag_scores`` per query.
"""

from __future__ import annotations

import numpy as np

_CHUNK_ELEMENTS = 16_000_000  # (queries x neighbours x columns) gathered at once: ~64 MB


def median_bandwidth(dist2: np.ndarray, idx: np.ndarray | None = None) -> float:
    """Median of the finite squared neighbour distances; the mean of the positive ones, or 1,
    when the median is 0 (many duplicate images). Entries whose ``idx`` is negative are skipped.
    """
    d = np.asarray(dist2, dtype=np.float64)
    if idx is not None:
        d = d[np.asarray(idx) >= 0]
    d = d[np.isfinite(d)].ravel()
    if d.size == 0:
        return 1.0
    med = float(np.median(d))
    if med > 0:
        return med
    positive = d[d > 0]
    return float(positive.mean()) if positive.size else 1.0


def phi(dist2: np.ndarray, sigma: float) -> np.ndarray:
    """Eq. 11: ``exp(-dist2 / sigma)`` as float32 (sigma <= 0 is treated as 1; an infinite distance gives 0)."""
    sigma = float(sigma) if sigma and np.isfinite(sigma) and sigma > 0 else 1.0
    return np.exp(-np.maximum(np.asarray(dist2, dtype=np.float64), 0.0) / sigma).astype(np.float32)


def weighted_sum(rows: np.ndarray, weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``out[q] = sum_j weights[q, j] * values[rows[q, j]]`` float32[q, D]; rows of -1 are skipped.

    Gathered in chunks of about 64 MB, so a large batch of queries never holds a (q, k, D) array at once.
    """
    rows = np.atleast_2d(np.asarray(rows, dtype=np.int64))
    weights = np.atleast_2d(np.asarray(weights, dtype=np.float32))
    values = np.asarray(values)
    out = np.zeros((rows.shape[0], values.shape[1]), dtype=np.float32)
    chunk = max(1, _CHUNK_ELEMENTS // max(1, rows.shape[1] * values.shape[1]))
    for start in range(0, rows.shape[0], chunk):
        r = rows[start : start + chunk]
        valid = r >= 0
        w = np.where(valid, weights[start : start + chunk], 0.0).astype(np.float32)
        gathered = values[np.where(valid, r, 0)].astype(np.float32, copy=False)  # (q, k, D)
        out[start : start + chunk] = np.einsum("qk,qkd->qd", w, gathered)
    return out


def relevance_vectors(r: np.ndarray, h: np.ndarray) -> np.ndarray:
    """``r_j . H`` for every training image j, float32[n_train, dim]: R (n_train, T) times H (T, dim)."""
    r = np.asarray(r, dtype=np.float32)
    h = np.asarray(h, dtype=np.float32)
    if r.shape[1] != h.shape[0]:
        raise ValueError(f"R has {r.shape[1]} tags but H has {h.shape[0]} rows")
    return (r @ h).astype(np.float32)


def semantic_summary(rows: np.ndarray, phi_weights: np.ndarray, rh: np.ndarray) -> np.ndarray:
    """Eq. 12: ``GS(i) = sum_j phi(i, j) (r_j . H)`` float32[q, dim].

    ``rows``/``phi_weights`` are the queries' training neighbours and their eq. 11 weights (a
    training image already excluded from its own list) and ``rh`` is ``relevance_vectors(R, H)``.
    """
    return weighted_sum(rows, phi_weights, rh)


def neighbour_tag_scores(rows: np.ndarray, phi_weights: np.ndarray, r: np.ndarray) -> np.ndarray:
    """``sum_j phi(i, j) r_j`` float32[q, T]: the neighbours' tags weighted by similarity and relevance."""
    return weighted_sum(rows, phi_weights, np.asarray(r, dtype=np.float32))
