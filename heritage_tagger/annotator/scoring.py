"""Scores used to choose between model variants on validation: image AP and neighbour tag voting."""

from __future__ import annotations

import numpy as np


def image_average_precision(scores: np.ndarray, truth: np.ndarray) -> float:
    """imAP: average precision of each image's tag ranking, averaged over images with a tag.

    Ties are broken by tag order (a stable sort), so a constant score is no better than chance
    ordering.
    """
    scores = np.asarray(scores, dtype=np.float64)
    truth = np.asarray(truth) > 0
    aps = []
    for s, t in zip(scores, truth, strict=True):
        n_pos = int(t.sum())
        if n_pos == 0:
            continue
        order = np.argsort(-s, kind="stable")
        hits = t[order]
        ranks = np.nonzero(hits)[0] + 1
        precision = np.arange(1, n_pos + 1) / ranks
        aps.append(float(precision.mean()))
    return float(np.mean(aps)) if aps else 0.0


def knn_scores(index_vectors: np.ndarray, labels: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Plain KNN voting baseline: each of the ``k`` nearest (squared L2) rows votes 1 for its tags."""
    from heritage_tagger.annotator import knowledge_ops as ops

    rows, _ = ops.search(ops.build_index(index_vectors), queries, k)
    return ops.weighted_vote(rows, np.ones(rows.shape, dtype=np.float32), labels.astype(np.float32))


def blend(model_probs: np.ndarray, neighbour: np.ndarray, weight: float) -> np.ndarray:
    """``weight * model + (1 - weight) * neighbour`` with neighbour scores scaled to [0, 1] per image."""
    top = neighbour.max(axis=1, keepdims=True)
    scaled = np.divide(neighbour, top, out=np.zeros_like(neighbour), where=top > 0)
    return (weight * model_probs + (1.0 - weight) * scaled).astype(np.float32)
