"""Semantic summary of an image's neighbours (seed 000, eqs. 11-12): GS = sum_j phi_ij (r_j . H).

eq. 11's "sigma is the medium value of phi" is read as: sigma is the median of the squared
neighbour distances ``||GX(i) - GX(i_j)||^2`` over the training images' neighbour lists, so
that a neighbour at the median distance gets ``phi = exp(-1)``. It is computed once at
training time and stored with the model, so that new images are weighted on the same scale.
"""

from __future__ import annotations

import numpy as np


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
    """Eq. 11: ``exp(-dist2 / sigma)`` as float32 (sigma <= 0 is treated as 1)."""
    sigma = float(sigma) if sigma and np.isfinite(sigma) and sigma > 0 else 1.0
    return np.exp(-np.maximum(np.asarray(dist2, dtype=np.float64), 0.0) / sigma).astype(np.float32)


def neighbour_weights(neighbour_idx: np.ndarray, dist2: np.ndarray, sigma: float, n_train: int) -> object:
    """A sparse (queries x n_train) matrix of ``phi`` weights; negative indices are skipped."""
    from scipy import sparse

    idx = np.asarray(neighbour_idx, dtype=np.int64)
    q, m = idx.shape
    w = phi(dist2, sigma).reshape(q, m)
    rows = np.repeat(np.arange(q, dtype=np.int64), m)
    cols = idx.reshape(-1)
    ok = (cols >= 0) & (cols < n_train)
    return sparse.csr_matrix((w.reshape(-1)[ok], (rows[ok], cols[ok])), shape=(q, n_train))


def semantic_summary(
    neighbour_idx: np.ndarray, dist2: np.ndarray, r: np.ndarray, h: np.ndarray, sigma: float
) -> np.ndarray:
    """Eq. 12: ``GS`` float32[q, dim] for q queries from their neighbours among the training rows.

    ``neighbour_idx``/``dist2`` are ``(q, m)`` (from ``NeighbourIndex.search``, the image
    itself already excluded for training images), ``r`` is the training relevance matrix
    ``(n_train, T)`` and ``h`` the tag word-vector matrix ``(T, dim)``.
    """
    r = np.asarray(r, dtype=np.float32)
    h = np.asarray(h, dtype=np.float32)
    if r.shape[1] != h.shape[0]:
        raise ValueError(f"R has {r.shape[1]} tags but H has {h.shape[0]} rows")
    rh = r @ h  # r_j . H for every training image, (n_train, dim)
    w = neighbour_weights(neighbour_idx, dist2, sigma, r.shape[0])
    return np.asarray(w @ rh, dtype=np.float32)  # type: ignore[operator]


def neighbour_tag_scores(
    neighbour_idx: np.ndarray, dist2: np.ndarray, r: np.ndarray, sigma: float
) -> np.ndarray:
    """``sum_j phi_ij r_j`` float32[q, T]: the neighbours' tags weighted by similarity and relevance."""
    r = np.asarray(r, dtype=np.float32)
    w = neighbour_weights(neighbour_idx, dist2, sigma, r.shape[0])
    return np.asarray(w @ r, dtype=np.float32)  # type: ignore[operator]
