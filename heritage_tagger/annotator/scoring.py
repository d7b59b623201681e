"""Neighbour scores used to choose between model variants on validation, and the blend of two scores.

The image AP these choices are judged by is ``knowledge.ranking`` (scikit-learn's tie rule),
the same one evaluation reports.
"""

from __future__ import annotations

import numpy as np

from heritage_tagger.knowledge.index import NeighbourIndex
from heritage_tagger.knowledge.summary import median_bandwidth, phi, weighted_sum


def knn_votes(
    index: NeighbourIndex,
    labels: np.ndarray,
    queries: np.ndarray,
    k: int,
    self_rows: np.ndarray | None = None,
) -> np.ndarray:
    """Plain KNN voting: each of the ``k`` nearest indexed rows (squared L2) votes 1 for its tags, float32[q, T]."""
    rows, _ = index.nearest(queries, max(1, k), self_rows)
    return knn_votes_of(rows, labels, k)


def knn_scores(index_vectors: np.ndarray, labels: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """``knn_votes`` over a fresh index of ``index_vectors``."""
    return knn_votes(NeighbourIndex(index_vectors), labels, queries, k)


def phi_votes(index_vectors: np.ndarray, labels: np.ndarray, queries: np.ndarray, m: int) -> np.ndarray:
    """The ``m`` nearest rows' tags weighted by eq. 11's phi (sigma: the median of these distances)."""
    rows, dist = NeighbourIndex(index_vectors).nearest(queries, m)
    return phi_votes_of(rows, dist, labels, m)


def neighbour_lists(index_vectors: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest rows of each query, searched once exactly: every smaller neighbourhood of a
    grid is a prefix of these lists (``phi_votes_of``, ``knn_votes_of``)."""
    return NeighbourIndex(index_vectors, approximate=False).nearest(queries, k)


def phi_votes_of(rows: np.ndarray, dist: np.ndarray, labels: np.ndarray, m: int) -> np.ndarray:
    """``phi_votes`` from neighbour lists already searched (their first ``m`` columns)."""
    rows, dist = rows[:, :m], dist[:, :m]
    return weighted_sum(rows, phi(dist, median_bandwidth(dist)), np.asarray(labels, dtype=np.float32))


def knn_votes_of(rows: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """``knn_votes`` from neighbour lists already searched (their first ``k`` columns); the gathered
    rows are cast to float32, never the whole n x T label matrix per call."""
    rows = rows[:, : max(1, k)]
    return weighted_sum(rows, np.ones(rows.shape, dtype=np.float32), np.asarray(labels))


def blend(model_probs: np.ndarray, neighbour: np.ndarray, weight: float) -> np.ndarray:
    """``weight * model + (1 - weight) * neighbour`` with neighbour scores scaled to [0, 1] per image."""
    top = neighbour.max(axis=1, keepdims=True)
    scaled = np.divide(neighbour, top, out=np.zeros_like(neighbour), where=top > 0)
    return (weight * model_probs + (1.0 - weight) * scaled).astype(np.float32)
