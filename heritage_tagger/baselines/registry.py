"""One registry of annotation methods (lazy imports), sharing fit/predict on cached backbone features.

Every method is a :class:`Method`: ``fit(features, Y, side)`` then ``predict(features, side)``
returns float32 scores ``[q, T]`` (higher = more likely). ``side`` is a plain mapping:
``titles``, ``descriptions``, ``locations`` (lists, one per row), ``labels`` (the tag
vocabulary), ``word_vectors`` (a ``text.word_vectors.WordVectors`` trained on training text
only, or None) and ``seed``. The runner blanks a test set's metadata for every method whose
``uses_test_metadata`` is False, so a photo's own description can never leak into its prediction.
Public methods merge defaults and validate; subclasses implement ``_fit`` / ``_predict``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict

import numpy as np

from heritage_tagger.domain.progress import CancelToken, ProgressCallback, null_progress

if TYPE_CHECKING:
    from heritage_tagger.text.word_vectors import WordVectors


class SideInfo(TypedDict, total=False):
    """What a method may read besides the features, one entry per row where it is a list."""

    titles: Sequence[str]
    descriptions: Sequence[str]
    locations: Sequence[str]
    labels: Sequence[str]  # the tag vocabulary
    word_vectors: WordVectors | None  # trained on training text only
    seed: int


# name -> (module, class); imported only when the method is asked for
_REGISTRY: dict[str, tuple[str, str]] = {
    "random": ("heritage_tagger.baselines.random_guess", "RandomGuess"),
    "knn": ("heritage_tagger.baselines.knn", "KNN"),
    "logreg": ("heritage_tagger.baselines.logreg", "LogRegProbe"),
    "multicnn": ("heritage_tagger.baselines.multicnn", "MultiCNN"),
    "melfc": ("heritage_tagger.baselines.melfc", "MeLFc"),
    "tagprop": ("heritage_tagger.baselines.tagprop", "TagProp"),
    "ccaknn": ("heritage_tagger.baselines.cca_knn", "CCAKNN"),
    "ltn": ("heritage_tagger.baselines.ltn", "LTN"),
    "ltwin": ("heritage_tagger.baselines.ltn", "LTwin"),
    "aaam": ("heritage_tagger.baselines.aaam", "AAAM"),
    "collective": ("heritage_tagger.baselines.collective", "Collective"),
    "product": ("heritage_tagger.baselines.product", "Product"),
    "product-text": ("heritage_tagger.baselines.product", "ProductText"),
}


class Method:
    """Base class: defaults merged with the caller's parameters; hyperparameters chosen recorded in ``chosen``."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    default_params: ClassVar[dict[str, Any]] = {}
    uses_test_metadata: ClassVar[bool] = False
    needs_word_vectors: ClassVar[bool] = False

    def __init__(self, **params: Any) -> None:
        unknown = set(params) - set(self.default_params)
        if unknown:
            raise ValueError(f"{self.name}: unknown parameters {sorted(unknown)}")
        self.params: dict[str, Any] = {**self.default_params, **params}
        self.chosen: dict[str, Any] = {}
        self.n_tags = 0

    def fit(
        self,
        features: np.ndarray,
        Y: np.ndarray,
        side: SideInfo,
        progress: ProgressCallback = null_progress,
        cancel: CancelToken | None = None,
    ) -> Method:
        X = np.ascontiguousarray(features, dtype=np.float32)
        Yb = np.asarray(Y).astype(bool)
        if X.ndim != 2 or Yb.ndim != 2 or X.shape[0] != Yb.shape[0]:
            raise ValueError(f"{self.name}: features {X.shape} and labels {Yb.shape} do not match")
        self.n_tags = Yb.shape[1]
        self._fit(X, Yb, side, progress, cancel)
        return self

    def predict(self, features: np.ndarray, side: SideInfo) -> np.ndarray:
        X = np.ascontiguousarray(features, dtype=np.float32)
        scores = np.asarray(self._predict(X, side), dtype=np.float32)
        if scores.shape != (X.shape[0], self.n_tags):
            raise RuntimeError(f"{self.name} returned scores of shape {scores.shape}")
        return scores

    def predict_counts(self, features: np.ndarray, side: SideInfo) -> np.ndarray | None:
        """How many tags to propose per image (seed 002), when the method predicts it; else None."""
        return None

    def photos_for_tags(self, features: np.ndarray, side: SideInfo) -> np.ndarray | None:
        """Scores [q, T] whose columns order the photos for each tag, when the method answers "which
        photos suit this tag?" apart from "which tags suit this photo?" (the product model's search,
        ``annotator.tag_order``); None when ``predict``'s scores answer both."""
        return None

    def proposals(self, features: np.ndarray, side: SideInfo) -> tuple[np.ndarray, np.ndarray] | None:
        """(calibrated probabilities [q, T], proposed bool[q, T]) when the method decides what to propose
        (the product model: above its confidence threshold); None for a method that only ranks."""
        return None

    def _fit(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        side: SideInfo,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> None:
        raise NotImplementedError

    def _predict(self, X: np.ndarray, side: SideInfo) -> np.ndarray:
        raise NotImplementedError


def available_methods() -> list[str]:
    """Registered method names, in the order of seed 000's Table 1."""
    return list(_REGISTRY)


def method_class(name: str) -> type[Method]:
    try:
        module_name, class_name = _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown method {name!r}; known: {', '.join(_REGISTRY)}") from None
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls


def create_method(name: str, **params: Any) -> Method:
    """A fresh, unfitted method with its defaults merged with ``params``."""
    return method_class(name)(**params)


# ---- helpers shared by the methods -------------------------------------------------------


def validation_score(Y: np.ndarray, scores: np.ndarray) -> float:
    """Mean of imAP and mAP on a validation part (``knowledge.ranking.ranking_score``)."""
    from heritage_tagger.knowledge.ranking import ranking_score

    return ranking_score(Y, scores)


def nearest(
    base: np.ndarray, queries: np.ndarray, k: int, exclude_self: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """(rows int64[q, k], squared distances float32[q, k]) of the ``k`` nearest base rows, by brute force.

    With ``exclude_self`` the queries are the base rows themselves and each row's own index is skipped.
    """
    base = np.asarray(base, dtype=np.float32)
    queries = np.asarray(queries, dtype=np.float32)
    k = max(1, min(k, base.shape[0] - (1 if exclude_self else 0)))
    b2 = np.einsum("ij,ij->i", base, base)
    rows_out = np.empty((queries.shape[0], k), dtype=np.int64)
    dist_out = np.empty((queries.shape[0], k), dtype=np.float32)
    step = max(1, 4_000_000 // max(1, base.shape[0]))
    for start in range(0, queries.shape[0], step):
        q = queries[start : start + step]
        d = np.einsum("ij,ij->i", q, q)[:, None] + b2[None, :] - 2.0 * q @ base.T
        np.maximum(d, 0.0, out=d)
        if exclude_self:
            d[np.arange(q.shape[0]), np.arange(start, start + q.shape[0])] = np.inf
        part = np.argpartition(d, k - 1, axis=1)[:, :k]
        pd = np.take_along_axis(d, part, axis=1)
        order = np.argsort(pd, axis=1, kind="stable")
        rows_out[start : start + step] = np.take_along_axis(part, order, axis=1)
        dist_out[start : start + step] = np.take_along_axis(pd, order, axis=1)
    return rows_out, dist_out
