"""Nearest-neighbour index over the training images' visual representations GX (faiss): exact below
``APPROXIMATE_FROM`` vectors, a calibrated HNSW graph from there on.

Exact search (``IndexFlatL2``, the paper's KD-tree without approximation) costs ``n x d`` per query,
so a self-search of every training image costs ``n^2 d``: about an hour of two CPU cores at
100,000 images of 1,280 dimensions. From ``APPROXIMATE_FROM`` vectors the index is an HNSW graph
(``IndexHNSWFlat``) whose search breadth ``efSearch`` is chosen when it is built: a fixed sample
of the indexed rows is searched exactly and with growing ``efSearch`` until the recall of the
``recall_k`` nearest neighbours (the model's m) reaches ``RECALL_TARGET``; the measured recall is
kept (``describe()``), and where no breadth reaches it the index stays exact.

A bundle stores GX once (``arrays.npz``): ``structure()`` gives the index without its vectors
(nothing for the exact index, the graph for HNSW) and ``from_structure(gx, data)`` puts the two
back together. ``serialize``/``deserialize`` (the whole index with its vectors) read bundles
written before that.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from types import ModuleType
from typing import Any

import numpy as np

from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress

_MAX_THREADS = 8
# a batch of at most this many queries is searched on one thread: splitting one query's scan across
# OpenMP threads costs more than it saves whenever another thread or process has a core (measured
# 4x slower at 10,000 rows on the 2-core machine while the other core was busy; BENCHMARKS.md)
ONE_THREAD_UP_TO = 8
APPROXIMATE_FROM = 50_000  # vectors: exact search below, HNSW from here (a self-search costs n^2 d exactly)
RECALL_TARGET = 0.95  # recall@k the approximate index must reach on its calibration sample
CALIBRATION_QUERIES = 256
HNSW_M = 32  # graph degree
HNSW_EF_CONSTRUCTION = 80
EF_SEARCH_GRID = (64, 128, 256, 512, 1024)  # tried in order, each at least 2k
_MAGIC = b"HTIX1\n"  # structure(): a JSON header line, then the faiss graph without its vectors


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


def _without(rows: np.ndarray, own: np.ndarray, k: int) -> np.ndarray:
    """Each row's first ``k`` entries other than its own row ``own[r]`` (-1 padding where fewer)."""
    out = np.full((len(rows), k), -1, dtype=np.int64)
    for r, (row, me) in enumerate(zip(rows, own, strict=True)):
        others = row[row != me][:k]
        out[r, : len(others)] = others
    return out


def recall_at(exact: np.ndarray, found: np.ndarray) -> float:
    """Mean share of each query's exact neighbours (rows of ``exact``, -1 ignored) that ``found`` also lists."""
    hits, total = 0, 0
    for want, got in zip(exact, found, strict=True):
        wanted = set(want[want >= 0].tolist())
        hits += len(wanted & set(got.tolist()))
        total += len(wanted)
    return hits / total if total else 1.0


class NeighbourIndex:
    """Squared-L2 search over GX: exact below ``APPROXIMATE_FROM`` rows, a calibrated HNSW graph above.

    ``approximate`` forces the choice (None: by size); ``recall_k`` is how many neighbours the
    approximate index's recall is measured on (the model's m; 50 by default).
    """

    def __init__(
        self, gx: np.ndarray, *, approximate: bool | None = None, recall_k: int = 50, seed: int = 0
    ) -> None:
        faiss = _faiss()
        gx = _as_matrix(gx)
        n, dim = gx.shape
        if approximate is None:
            approximate = n >= APPROXIMATE_FROM
        self.info: dict[str, Any] = {"kind": "exact", "rows": int(n)}
        self._storage = faiss.IndexFlatL2(int(dim))  # the vectors, once; an HNSW graph refers to them
        self._index: Any = self._storage
        if approximate and n > 1:
            graph = faiss.IndexHNSW(self._storage, HNSW_M)  # does not own the storage
            graph.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            graph.add(gx)  # fills the storage and links the graph
            self._index = graph
            self._calibrate(gx, max(1, min(int(recall_k), n - 1)), seed)
        elif n:
            self._storage.add(gx)

    # -- building -----------------------------------------------------------------------------

    def _calibrate(self, gx: np.ndarray, k: int, seed: int) -> None:
        """The smallest efSearch of the grid whose recall@k on a sample of the rows (each searched
        exactly, itself excluded) reaches RECALL_TARGET; exact search where none does."""
        graph = self._index
        rng = np.random.default_rng(seed)
        sample = np.sort(rng.choice(len(gx), size=min(len(gx), CALIBRATION_QUERIES), replace=False))
        _, exact = self._storage.search(gx[sample], k + 1)
        exact = _without(exact, sample, k)
        chosen, recall = None, 0.0
        for ef in EF_SEARCH_GRID:
            graph.hnsw.efSearch = max(ef, 2 * (k + 1))
            _, found = graph.search(gx[sample], k + 1)
            recall = recall_at(exact, found)
            if recall >= RECALL_TARGET:
                chosen = int(graph.hnsw.efSearch)
                break
        info = {"rows": len(gx), "recall_k": k, "recall": round(recall, 4), "target": RECALL_TARGET}
        if chosen is None:  # no breadth is good enough on this data: stay exact
            self._index = self._storage
            self.info = {"kind": "exact", **info, "note": "HNSW stayed below the recall target"}
            return
        self.info = {"kind": "hnsw", **info, "ef_search": chosen, "m": HNSW_M}

    @property
    def dim(self) -> int:
        return int(self._storage.d)

    @property
    def approximate(self) -> bool:
        return self._index is not self._storage

    def __len__(self) -> int:
        return int(self._storage.ntotal)

    def describe(self) -> dict[str, Any]:
        """What kind of index this is and, for HNSW, its search breadth and measured recall@k."""
        return dict(self.info)

    def vectors(self) -> np.ndarray:
        """The indexed GX as a read-only view of the index's own memory (no copy), float32[n, dim]."""
        faiss = _faiss()
        n, d = len(self), self.dim
        if n == 0:
            return np.zeros((0, d), np.float32)
        raw = faiss.rev_swig_ptr(self._storage.get_xb(), n * d)
        view = np.asarray(_Owner(self, raw)).reshape(n, d)
        view.flags.writeable = False
        return view

    # -- searching ----------------------------------------------------------------------------

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
        pushed it out of the list, the farthest extra one is dropped instead. An approximate
        index may miss a neighbour: its place is filled by the next one it finds, or by row -1
        at an infinite distance.
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
            d, i = self._searched(queries[start:stop], k + extra)
            if exclude_self:
                own = i == ids[start:stop, None]
                # drop the query's own row, or else the last (k+1-th) neighbour
                drop = np.where(own.any(axis=1), own.argmax(axis=1), k)
                keep = np.ones_like(own)
                keep[np.arange(stop - start), drop] = False
                d = d[keep].reshape(stop - start, k)
                i = i[keep].reshape(stop - start, k)
            missing = i < 0  # an approximate search found fewer than k
            if missing.any():
                d = np.where(missing, np.inf, d)
            dist2[start:stop] = np.maximum(d, 0.0)
            idx[start:stop] = i
            progress(Progress("neighbours", stop, q, "Searching neighbours"))
        return dist2, idx

    def _searched(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """faiss's search; a few queries on one OpenMP thread (the setting is the calling thread's own)."""
        if len(queries) > ONE_THREAD_UP_TO:
            return self._index.search(queries, k)
        faiss = _faiss()
        before = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            return self._index.search(queries, k)
        finally:
            faiss.omp_set_num_threads(before)

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

    # -- storing ------------------------------------------------------------------------------

    def structure(self) -> bytes:
        """The index without its vectors (which the bundle keeps once, as GX): a header, and the HNSW
        graph for an approximate index; ``from_structure(gx, data)`` rebuilds the same index."""
        header = json.dumps(self.info, sort_keys=True).encode("utf-8") + b"\n"
        if not self.approximate:
            return _MAGIC + header
        faiss = _faiss()
        writer = faiss.VectorIOWriter()
        faiss.write_index(self._index, writer, faiss.IO_FLAG_SKIP_STORAGE)
        return _MAGIC + header + faiss.vector_to_array(writer.data).tobytes()

    @staticmethod
    def is_structure(data: bytes) -> bool:
        """Whether ``data`` came from ``structure()`` (else it is a whole serialised index)."""
        return data.startswith(_MAGIC)

    @classmethod
    def from_structure(cls, gx: np.ndarray, data: bytes) -> NeighbourIndex:
        """The index ``structure()`` described, over ``gx`` (the same rows in the same order)."""
        if not data.startswith(_MAGIC):
            raise ValueError("not an index structure written by this version")
        header, _, graph_bytes = data[len(_MAGIC) :].partition(b"\n")
        info = json.loads(header.decode("utf-8"))
        obj = cls(gx, approximate=False)
        if int(info.get("rows", len(obj))) != len(obj):
            raise ValueError(f"the index structure is for {info.get('rows')} rows, GX has {len(obj)}")
        obj.info = info
        if info.get("kind") != "hnsw":
            return obj
        faiss = _faiss()
        reader = faiss.VectorIOReader()
        faiss.copy_array_to_vector(np.frombuffer(graph_bytes, dtype=np.uint8), reader.data)
        graph = faiss.read_index(reader, faiss.IO_FLAG_SKIP_STORAGE)
        graph.storage = obj._storage  # the vectors stay owned by obj._storage
        graph.own_fields = False
        if int(graph.ntotal) != len(obj) or int(graph.d) != obj.dim:
            raise ValueError("the index graph does not match GX")
        graph.hnsw.efSearch = int(info["ef_search"])
        obj._index = graph
        return obj

    def serialize(self) -> bytes:
        """The whole index with its vectors (faiss's own format, no pickle)."""
        return _faiss().serialize_index(self._index).tobytes()

    @classmethod
    def deserialize(cls, data: bytes) -> NeighbourIndex:
        """An index written by ``serialize`` (bundles before issue 15 stored the exact index so)."""
        faiss = _faiss()
        index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8).copy())
        if not isinstance(index, faiss.IndexFlat):
            raise ValueError(f"unexpected index type {type(index).__name__}")
        obj = cls.__new__(cls)
        obj._storage = index
        obj._index = index
        obj.info = {"kind": "exact", "rows": int(index.ntotal)}
        return obj


class _Owner:
    """Keeps a NeighbourIndex alive for as long as a numpy view of its vectors exists."""

    def __init__(self, owner: NeighbourIndex, raw: np.ndarray) -> None:
        self.owner = owner
        self.__array_interface__ = raw.__array_interface__
