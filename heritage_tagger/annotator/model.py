"""A trained collective-knowledge model held in memory: GX, neighbours, GS, network, label quantity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from heritage_tagger.annotator.network import sigmoid
from heritage_tagger.annotator.runtime import NumpyModule, run
from heritage_tagger.annotator.scoring import blend, knn_votes, knn_votes_of
from heritage_tagger.knowledge.index import NeighbourIndex
from heritage_tagger.knowledge.relevance import RelevanceScale, new_image_relevance
from heritage_tagger.knowledge.summary import neighbour_tag_scores, phi, relevance_vectors, semantic_summary
from heritage_tagger.vision.siamese import MetricHeadRunner, l2_normalise

if TYPE_CHECKING:
    from torch import nn

    from heritage_tagger.annotator.fit import HeldOut
    from heritage_tagger.annotator.text_inputs import TextInputs

GXMode = Literal["adapter", "raw"]
BlendSource = Literal["relevance", "knn"]


@dataclass
class Neighbourhood:
    """The training neighbours of a batch of queries: row indices, squared distances and phi weights."""

    rows: np.ndarray  # int64[q, k], -1 where fewer than k neighbours exist
    sq_distances: np.ndarray  # float32[q, k]
    phi: np.ndarray  # float32[q, k], eq. 11

    def first(self, k: int) -> Neighbourhood:
        """The ``k`` nearest of these (a search for more neighbours serves every smaller neighbourhood)."""
        if k >= self.rows.shape[1]:
            return self
        return Neighbourhood(self.rows[:, :k], self.sq_distances[:, :k], self.phi[:, :k])


@dataclass
class CollectiveModel:
    """Everything prediction needs, as arrays and torch modules (CPU or CUDA)."""

    tag_labels: list[str]
    gx_mode: GXMode  # "adapter" (metric head applied) or "raw" (backbone features)
    head_state: dict[str, np.ndarray]  # metric head weights; empty when gx_mode == "raw"
    gx: np.ndarray  # float32[n, G] training GX
    relevance: np.ndarray  # float32[n, T] R, eq. 10
    labels: np.ndarray  # uint8[n, T] binary ground truth of the training rows
    tag_vectors: np.ndarray  # float32[T, W] H
    tag_similarity: np.ndarray  # float32[T, T] xi (eq. 8), for the relevance of a new image's tags
    relevance_scale: RelevanceScale  # how eq. 10 scaled R: a new image's tags are scored the same way
    record_ids: np.ndarray  # int64[n]
    m: int  # neighbours for GS and neighbour suggestions
    sigma: float  # phi bandwidth (eq. 11)
    net: (
        nn.Module | NumpyModule
    )  # annotator.network's AnnotationNet (in numpy once loaded: annotator.runtime)
    quantity: nn.Module | NumpyModule | None  # LabelQuantityHead, or None when the constant count won
    constant_count: int
    max_count: int
    blend_weight: float  # 1.0: network only; lower: blended with neighbour scores (chosen on validation)
    blend_source: BlendSource = "relevance"  # what the network is blended with: phi * R, or plain KNN votes
    knn_k: int = 0  # plain KNN votes on the normalised raw features (blend_source == "knn")
    raw_features: np.ndarray | None = None  # normalised raw training features, kept when GX is the adapter
    device: str = "cpu"
    hyperparameters: dict[str, Any] = field(default_factory=dict)  # JSON-ready, for the manifest
    metrics: dict[str, Any] = field(default_factory=dict)  # JSON-ready, for the manifest
    index: NeighbourIndex | None = None  # over gx; built from it when not given
    held_out: HeldOut | None = field(default=None, repr=False)  # set by fit_collective; never saved
    _rh: np.ndarray = field(init=False, repr=False)  # R @ H, once
    _row_of: dict[int, int] = field(init=False, repr=False)
    _head: MetricHeadRunner | None = field(default=None, init=False, repr=False)
    _raw_index: NeighbourIndex | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.index is None:
            self.index = NeighbourIndex(self.gx)
        self._rh = relevance_vectors(self.relevance, self.tag_vectors)
        self._row_of = {int(r): i for i, r in enumerate(self.record_ids.tolist())}

    @property
    def n_tags(self) -> int:
        return len(self.tag_labels)

    @property
    def text_dim(self) -> int:
        """The size of the text branch's embedding input (0: the paper's two-branch network)."""
        return int(getattr(self.net, "text_dim", 0))

    @property
    def neighbour_index(self) -> NeighbourIndex:
        """The neighbour index over the training GX."""
        assert self.index is not None  # set in __post_init__
        return self.index

    def row_of(self, record_id: int) -> int | None:
        """The training row of a record, or None when it was not a training row."""
        return self._row_of.get(int(record_id))

    def self_rows(self, record_ids: Sequence[int]) -> np.ndarray:
        """int64[q]: each record's training row, -1 for one that was not trained on (so that a training
        record is not its own neighbour when it is scored)."""
        return np.array([self._row_of.get(int(r), -1) for r in record_ids], dtype=np.int64)

    def visual(self, features: np.ndarray) -> np.ndarray:
        """GX for backbone features: the metric head when it won on validation, else the normalised raw features."""
        features = np.ascontiguousarray(np.atleast_2d(features), dtype=np.float32)
        if self.gx_mode == "raw" or not self.head_state:
            return l2_normalise(features)
        if self._head is None:
            self._head = MetricHeadRunner(self.head_state, self.device)
        return self._head(features)

    def neighbourhood(
        self, gx: np.ndarray, self_rows: np.ndarray | None = None, k: int | None = None
    ) -> Neighbourhood:
        """The ``k`` (default ``m``) nearest training rows in GX, each query's own row excluded."""
        rows, dist = self.neighbour_index.nearest(gx, k or self.m, self_rows)
        return Neighbourhood(rows, dist, phi(dist, self.sigma))

    @property
    def knn_in_gx(self) -> bool:
        """Plain KNN votes search GX itself (GX is the normalised raw features): one search serves both."""
        return self.gx_mode == "raw" or self.raw_features is None

    def search(
        self, gx: np.ndarray, self_rows: np.ndarray | None = None, *, knn: bool = False
    ) -> Neighbourhood:
        """One search of GX wide enough for the model's ``m`` neighbours and, with ``knn`` when plain KNN
        searches GX too, its ``knn_k`` voters: ``first(m)`` is the neighbourhood, and ``knn_votes`` reads
        its voters from it (a suggestion then scans the training vectors once, not two or three times)."""
        k = max(self.m, self.knn_k) if knn and self.knn_in_gx else self.m
        return self.neighbourhood(gx, self_rows, k)

    def summary(self, hood: Neighbourhood) -> np.ndarray:
        """GS (eq. 12) from the neighbours' relevance vectors and the tag word vectors."""
        return semantic_summary(hood.rows, hood.phi, self._rh)

    def neighbour_scores(self, hood: Neighbourhood) -> np.ndarray:
        """``sum_j phi(i, j) * R_j`` for every tag: the neighbour suggestions' scores."""
        return neighbour_tag_scores(hood.rows, hood.phi, self.relevance)

    def neighbour_tags(self, features: np.ndarray, self_rows: np.ndarray | None = None) -> np.ndarray:
        """Neighbour suggestion scores ``float32[q, T]`` for raw backbone features (phi * R over m)."""
        gx = self.visual(features)
        return self.neighbour_scores(self.neighbourhood(gx, self_rows))

    def network_probabilities(
        self, gx: np.ndarray, gs: np.ndarray, text: TextInputs | None = None
    ) -> np.ndarray:
        """The network's tag probabilities; ``text`` feeds the third branch (None: image only)."""
        inputs: tuple[np.ndarray, ...] = (gx, gs)
        if self.text_dim and text is not None:
            inputs = (gx, gs, *text.arrays())
        return sigmoid(run(self.net, inputs, self.device))

    def predict(
        self, features: np.ndarray, self_rows: np.ndarray | None = None, text: TextInputs | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Tag probabilities ``float32[q, T]`` and how many tags to propose ``int[q]``."""
        gx = self.visual(features)
        hood = self.search(gx, self_rows, knn=self.blends_knn)
        return self.predict_from(gx, hood, features, self_rows, text)

    @property
    def blends_knn(self) -> bool:
        """The network is blended with plain KNN votes."""
        return self.blend_weight < 1.0 and self.blend_source == "knn"

    def predict_from(
        self,
        gx: np.ndarray,
        hood: Neighbourhood,
        features: np.ndarray,
        self_rows: np.ndarray | None = None,
        text: TextInputs | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities and counts from GX and its neighbourhood (``features``: the raw backbone features;
        ``hood`` may be wider than ``m``, from ``search``)."""
        gs = self.summary(hood.first(self.m))
        probs = self.network_probabilities(gx, gs, text)
        if self.blend_weight < 1.0:
            probs = blend(probs, self.blend_partner(features, gx, hood, self_rows), self.blend_weight)
        return probs, self.propose_counts(gx, gs)

    def blend_partner(
        self, features: np.ndarray, gx: np.ndarray, hood: Neighbourhood, self_rows: np.ndarray | None = None
    ) -> np.ndarray:
        """The neighbour scores the network is blended with: plain KNN votes or phi * R (``hood`` may be
        wider than ``m``, from ``search``)."""
        if self.blend_source == "knn":
            return self.knn_votes(features, gx, self_rows, hood)
        return self.neighbour_scores(hood.first(self.m))

    def knn_votes(
        self,
        features: np.ndarray,
        gx: np.ndarray,
        self_rows: np.ndarray | None = None,
        searched: Neighbourhood | None = None,
    ) -> np.ndarray:
        """Plain KNN: each of the ``knn_k`` nearest training rows in the raw feature space votes 1
        (``searched``: a search of GX with at least ``knn_k`` columns, used when KNN searches GX too)."""
        k = max(1, self.knn_k)
        if self.knn_in_gx and searched is not None and searched.rows.shape[1] >= k:
            return knn_votes_of(searched.rows, self.labels, k)
        if self.knn_in_gx or self.raw_features is None:
            index, queries = self.neighbour_index, gx
        else:
            if self._raw_index is None:
                # exact: an HNSW graph over 10^5 rows would take minutes to build at the first suggestion
                self._raw_index = NeighbourIndex(self.raw_features, approximate=False)
            index, queries = self._raw_index, l2_normalise(np.atleast_2d(features))
        return knn_votes(index, self.labels, queries, self.knn_k, self_rows)

    def propose_counts(self, gx: np.ndarray, gs: np.ndarray) -> np.ndarray:
        """The label-quantity regressor's count, rounded and clamped to [1, most tags seen]."""
        if self.quantity is None:
            return np.full(len(gx), self.constant_count, dtype=np.int64)
        raw = run(self.quantity, (gx, gs), self.device)
        return np.clip(np.rint(raw), 1, max(1, self.max_count)).astype(np.int64)

    def existing_relevance(
        self, tag_rows: list[int], hood: Neighbourhood, training_row: int | None = None
    ) -> np.ndarray:
        """Relevance of the tags a record carries: its row of R when it is a training row,
        otherwise eq. 10 computed the same way from its neighbours (semantic field + voting)."""
        if training_row is not None:
            return self.relevance[training_row, tag_rows].astype(np.float32)
        return new_image_relevance(
            tag_rows, hood.rows[0], self.labels, self.tag_similarity, self.relevance_scale
        )
