"""Thin adapters from the annotator to knowledge/ and vision/: neighbours, phi, GS, relevance, GX."""

from __future__ import annotations

from typing import Any

import numpy as np

_CHUNK_ELEMENTS = 16_000_000  # (queries x neighbours x columns) gathered at once: ~64 MB


def build_index(gx: np.ndarray) -> Any:
    """A faiss neighbour index over the training GX (knowledge.index.NeighbourIndex)."""
    from heritage_tagger.knowledge.index import NeighbourIndex

    return NeighbourIndex(np.ascontiguousarray(gx, dtype=np.float32))


def search(
    index: Any, queries: np.ndarray, k: int, self_rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``k`` nearest training rows per query (squared L2), the query's own row (``self_rows``,
    -1 for a query that is not a training row) excluded.

    Returns ``rows int64[q, k]`` (-1 where the index holds fewer rows) and ``sq_distances
    float32[q, k]`` (inf there).
    """
    queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
    q = len(queries)
    out_rows = np.full((q, k), -1, dtype=np.int64)
    out_dist = np.full((q, k), np.inf, dtype=np.float32)
    own = np.full(q, -1, dtype=np.int64) if self_rows is None else np.asarray(self_rows, np.int64).reshape(-1)
    for mask, exclude in ((own >= 0, True), (own < 0, False)):
        if not mask.any():
            continue
        dist, rows = index.search(
            queries[mask], k, exclude_self=exclude, self_ids=own[mask] if exclude else None
        )
        out_rows[mask, : rows.shape[1]] = rows
        out_dist[mask, : dist.shape[1]] = dist
    return out_rows, out_dist


def median_bandwidth(sq_distances: np.ndarray) -> float:
    """sigma for phi (eq. 11): knowledge.summary.median_bandwidth over the finite distances."""
    from heritage_tagger.knowledge.summary import median_bandwidth as _median

    return float(_median(sq_distances))


def phi(sq_distances: np.ndarray, sigma: float) -> np.ndarray:
    """Eq. 11 (knowledge.summary.phi); 0 for missing neighbours (infinite distance)."""
    from heritage_tagger.knowledge.summary import phi as _phi

    return _phi(sq_distances, sigma)


def tag_similarity(Y: np.ndarray, H: np.ndarray, has_vector: np.ndarray, alpha: float) -> np.ndarray:
    """xi between tags (eqs. 6-8, knowledge.relevance.tag_similarity), float32[T, T]."""
    from heritage_tagger.knowledge.relevance import tag_similarity as _xi

    xi, _ = _xi(Y, H, has_vector, alpha)
    return np.asarray(xi, dtype=np.float32)


def training_relevance(
    Y: np.ndarray, rows: np.ndarray, xi: np.ndarray
) -> tuple[np.ndarray, tuple[float, float]]:
    """R (eq. 10) of the training rows from their neighbours (self excluded), and the two
    collection-wide maxima that scaled the semantic field and the neighbour votes."""
    from heritage_tagger.knowledge.relevance import combsum, neighbour_voting, semantic_field

    r_ss = semantic_field(Y, xi)
    r_nn = neighbour_voting(Y, rows)
    scales = (float(r_ss.max()) if r_ss.size else 0.0, float(r_nn.max()) if r_nn.size else 0.0)
    return combsum(r_ss, r_nn, Y, "collection"), scales


def relevance_for_new(
    tag_rows: list[int],
    neighbour_rows: np.ndarray,
    labels: np.ndarray,
    xi: np.ndarray,
    scales: tuple[float, float],
) -> np.ndarray:
    """Eq. 10 for the tags of an image that is not a training row, on the training scale."""
    from heritage_tagger.knowledge.relevance import semantic_field

    n_tags = labels.shape[1]
    y = np.zeros((1, n_tags), dtype=np.float32)
    y[0, tag_rows] = 1.0
    r_ss = semantic_field(y, xi)[0]
    valid = neighbour_rows[neighbour_rows >= 0]
    r_nn = labels[valid].sum(axis=0).astype(np.float32) * y[0]
    ss, nn = scales
    out = (r_ss / ss if ss > 0 else r_ss) + (r_nn / nn if nn > 0 else r_nn)
    return out[tag_rows].astype(np.float32)


def relevance_times_vectors(relevance: np.ndarray, tag_vectors: np.ndarray) -> np.ndarray:
    """``R @ H`` once for all training rows, so GS is a weighted sum of rows."""
    return (relevance.astype(np.float32) @ tag_vectors.astype(np.float32)).astype(np.float32)


def weighted_vote(rows: np.ndarray, weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``sum_j weights[q, j] * values[rows[q, j]]``, rows of -1 skipped."""
    rows = np.atleast_2d(rows)
    out = np.zeros((rows.shape[0], values.shape[1]), dtype=np.float32)
    chunk = max(1, _CHUNK_ELEMENTS // max(1, rows.shape[1] * values.shape[1]))
    for start in range(0, rows.shape[0], chunk):
        r = rows[start : start + chunk]
        valid = r >= 0
        w = np.where(valid, weights[start : start + chunk], 0.0).astype(np.float32)
        gathered = values[np.where(valid, r, 0)].astype(np.float32, copy=False)  # (q, k, D)
        out[start : start + chunk] = np.einsum("qk,qkd->qd", w, gathered)
    return out


def summary_from_rh(rows: np.ndarray, weights: np.ndarray, rh: np.ndarray) -> np.ndarray:
    """Eq. 12: ``GS(i) = sum_j phi(i, j) * (r_j . H)``."""
    return weighted_vote(rows, weights, rh)


def normalise(features: np.ndarray) -> np.ndarray:
    """Backbone features as GX sees them: rows scaled to unit length (vision.siamese.l2_normalise)."""
    from heritage_tagger.vision.siamese import l2_normalise

    return l2_normalise(features)


class HeadRunner:
    """The trained metric head built once, for fast GX of single queries (vision.siamese's adapter)."""

    def __init__(self, state: dict[str, np.ndarray], device: str = "cpu") -> None:
        import torch

        from heritage_tagger.vision import siamese

        hidden, dim = np.asarray(state["fc1.weight"]).shape
        self.device = device
        self.module = siamese.MetricHead(int(dim), int(hidden))
        self.module.load_state_dict({k: torch.as_tensor(np.asarray(v)) for k, v in state.items()})
        self.module.to(device).eval()

    def __call__(self, features: np.ndarray) -> np.ndarray:
        import torch

        x = torch.from_numpy(normalise(features)).to(self.device)
        with torch.inference_mode():
            return self.module(x).float().cpu().numpy()


def train_head(
    features: np.ndarray,
    fit: np.ndarray,
    pairs: Any,
    settings: Any,
    validate: Any,
    progress: Any,
    cancel: Any,
    device: str,
) -> Any:
    """vision.siamese.train_metric_head on all rows, with pairs among the ``fit`` rows only."""
    from heritage_tagger.vision.siamese import train_metric_head

    mapped = (fit[pairs.anchor], fit[pairs.other], np.asarray(pairs.label, dtype=np.float32))
    return train_metric_head(features, mapped, settings, validate, progress, cancel, device)
