"""Exact nearest-neighbour index over the training images' visual representations GX (faiss)."""

from __future__ import annotations

import os
from functools import lru_cache
from types import ModuleType

import numpy as np

from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress

_MAX_THREADS = 8


@lru_cache(maxsize=1)
def _faiss() -> ModuleType:
    """Import faiss once and cap its OpenMP threads at the cores this process may use."""
    import faiss

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    faiss.omp_set_num_threads(max(1, min(cores, _MAX_THREADS)))
    return faiss


def _as_matrix(x: np.ndarray) -> np.ndarray:
    x = np.ascontiguousarray(np.asarray(x, dtype=np.float32))
    if x.ndim != 2:
        raise ValueError(f"expected a 2-d matrix, got shape {x.shape}")
    return x


class NeighbourIndex:
    """Exact squared-L2 search (``IndexFlatL2``); the paper's KD-tree, without approximation."""

    def __init__(self, gx: np.ndarray) -> None:
        faiss = _faiss()
        gx = _as_matrix(gx)
        self._index = faiss.IndexFlatL2(int(gx.shape[1]))
        if gx.shape[0]:
            self._index.add(gx)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def search(
        self,
        queries: np.ndarray,
        k: int,
        exclude_self: bool = False,
        self_ids: np.ndarray | None = None,
        batch_size: int = 4096,
        progress: ProgressCallback = null_progress,
        cancel: CancelToken | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(dist2 float32[q, k'], idx int64[q, k']), nearest first, ``k' = min(k, available)``.

        With ``exclude_self`` each query is a training row and never its own neighbour:
        query ``r`` is row ``self_ids[r]`` (``r`` when ``self_ids`` is None). One extra
        neighbour is searched and the query's own row dropped; when duplicates at distance 0
        pushed it out of the list, the farthest extra one is dropped instead.
        """
        queries = _as_matrix(queries)
        q = queries.shape[0]
        if queries.shape[1] != self.dim:
            raise ValueError(f"queries have {queries.shape[1]} dimensions, the index {self.dim}")
        if exclude_self:
            ids = np.arange(q, dtype=np.int64) if self_ids is None else np.asarray(self_ids, np.int64)
            if ids.shape != (q,):
                raise ValueError("self_ids must give one training row per query")
        available = len(self) - (1 if exclude_self else 0)
        k = max(0, min(int(k), available))
        dist2 = np.empty((q, k), dtype=np.float32)
        idx = np.empty((q, k), dtype=np.int64)
        if k == 0 or q == 0:
            return dist2, idx
        extra = 1 if exclude_self else 0
        for start in range(0, q, batch_size):
            if cancel is not None:
                cancel.check()
            stop = min(q, start + batch_size)
            d, i = self._index.search(queries[start:stop], k + extra)
            if exclude_self:
                own = i == ids[start:stop, None]
                # drop the query's own row, or else the last (k+1-th) neighbour
                drop = np.where(own.any(axis=1), own.argmax(axis=1), k)
                keep = np.ones_like(own)
                keep[np.arange(stop - start), drop] = False
                d = d[keep].reshape(stop - start, k)
                i = i[keep].reshape(stop - start, k)
            dist2[start:stop] = np.maximum(d, 0.0)
            idx[start:stop] = i
            progress(Progress("neighbours", stop, q, "Searching neighbours"))
        return dist2, idx

    def nearest(
        self, queries: np.ndarray, k: int, self_rows: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest rows of each query, its own row excluded: ``(rows int64[q, k], dist2 float32[q, k])``.

        ``self_rows[r]`` is query ``r``'s own row in the index, or -1 for a query that is not an
        indexed row (a new image). Where the index holds fewer rows than ``k`` the lists are
        padded with row -1 at an infinite distance (weight 0 in eqs. 11-12).
        """
        queries = _as_matrix(np.atleast_2d(queries))
        q = len(queries)
        out_rows = np.full((q, k), -1, dtype=np.int64)
        out_dist = np.full((q, k), np.inf, dtype=np.float32)
        own = (
            np.full(q, -1, dtype=np.int64)
            if self_rows is None
            else np.asarray(self_rows, np.int64).reshape(-1)
        )
        if own.shape != (q,):
            raise ValueError("self_rows must give one row (or -1) per query")
        for mask, exclude in ((own >= 0, True), (own < 0, False)):
            if not mask.any():
                continue
            dist, rows = self.search(
                queries[mask], k, exclude_self=exclude, self_ids=own[mask] if exclude else None
            )
            out_rows[mask, : rows.shape[1]] = rows
            out_dist[mask, : dist.shape[1]] = dist
        return out_rows, out_dist

    def serialize(self) -> bytes:
        """The index as bytes (faiss's own format, no pickle)."""
        return _faiss().serialize_index(self._index).tobytes()

    @classmethod
    def deserialize(cls, data: bytes) -> NeighbourIndex:
        faiss = _faiss()
        obj = cls.__new__(cls)
        obj._index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8).copy())
        return obj
