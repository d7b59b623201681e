"""KNN (seed 000): tags voted by the m nearest training images on the backbone features, m chosen on validation."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from heritage_tagger.baselines.registry import Method, SideInfo, nearest, validation_score
from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.knowledge.selection import neighbour_grid, validation_split
from heritage_tagger.settings import ModelSettings
from heritage_tagger.vision.siamese import l2_normalise

_DEFAULTS = ModelSettings()


def knn_votes(base: np.ndarray, labels: np.ndarray, queries: np.ndarray, m: int) -> np.ndarray:
    """Fraction of the ``m`` nearest base rows carrying each tag, ties broken by the tag's training frequency."""
    rows, _ = nearest(base, queries, m)
    votes = labels[rows].mean(axis=1, dtype=np.float64)
    prior = labels.mean(axis=0, dtype=np.float64)
    return (votes + 1e-6 * prior[None, :]).astype(np.float32)


class KNN(Method):
    """Cosine-distance neighbours (L2-normalised features); ``m`` from ``grid`` by validation imAP+mAP."""

    name = "knn"
    label = "KNN"
    default_params: ClassVar[dict[str, Any]] = {
        "grid": (*_DEFAULTS.neighbour_grid,),
        "m": None,  # a fixed m skips the validation search
        "validation_fraction": _DEFAULTS.validation_fraction,
    }

    def _fit(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        side: SideInfo,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> None:
        self._base = l2_normalise(X)
        self._labels = Y.astype(np.float32)
        if self.params["m"] is not None:
            self.m = int(self.params["m"])
            self.chosen = {"m": self.m}
            return
        fit, val = validation_split(len(X), self.params["validation_fraction"], int(side.get("seed", 0)))
        scores = {}
        for m in neighbour_grid(self.params["grid"], len(fit)):
            s = knn_votes(self._base[fit], self._labels[fit], self._base[val], m)
            scores[m] = validation_score(Y[val], s)
        self.m = max(scores, key=lambda m: (scores[m], -m))
        self.chosen = {"m": self.m, "validation": {str(k): round(v, 4) for k, v in scores.items()}}

    def _predict(self, X: np.ndarray, side: SideInfo) -> np.ndarray:
        return knn_votes(self._base, self._labels, l2_normalise(X), min(self.m, len(self._base)))
