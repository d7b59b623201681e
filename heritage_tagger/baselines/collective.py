"""The collective-knowledge model (seed 000), paper-faithful, behind the registry's interface:
annotator.fit_collective on arrays, with the paper's two-branch network fed the raw GX
(``gx_scale = "none"``) and no record text.

Training metadata (description words, locations) feeds its metric learning; at test time only
the photo's features are used. ``predict_counts`` gives the label-quantity head's counts (seed 002).
Its internal choices (m, GX mode, epochs, blend with neighbour votes) are made on validation as
``fit_collective`` documents; the word vectors are the fold's (GloVe 6B 50-d by default).
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import numpy as np

from heritage_tagger.baselines.registry import Method, SideInfo
from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.settings import ModelSettings


class Collective(Method):
    name = "collective"
    label = "Collective model (seed 000, paper-faithful)"
    needs_word_vectors = True
    default_params: ClassVar[dict[str, Any]] = {"settings": None}

    def _fit(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        side: SideInfo,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> None:
        from heritage_tagger.annotator.fit import fit_collective
        from heritage_tagger.text.lemmatise import token_set

        settings = self.params["settings"] or ModelSettings()
        settings = dataclasses.replace(
            settings, seed=int(side.get("seed", settings.seed)), gx_scale="none", record_text=False
        )
        words = [token_set(d or t) for d, t in zip(side["descriptions"], side["titles"], strict=True)]
        word_vectors = side.get("word_vectors")
        if word_vectors is None:
            raise ValueError("the collective model needs word vectors (side['word_vectors'])")
        self._model = fit_collective(
            X,
            words,
            list(side["locations"]),
            Y,
            list(side["labels"]),
            word_vectors,
            settings,
            progress=progress,
            cancel=cancel,
        )
        hyper = self._model.hyperparameters
        self.chosen = {
            "gx_mode": self._model.gx_mode,
            "m": int(self._model.m),
            "blend_weight": float(self._model.blend_weight),
            "network_epochs": hyper.get("network_epochs"),
            "quantity": hyper.get("quantity"),
            "validation": {k: v for k, v in self._model.metrics.items() if not isinstance(v, dict)},
        }
        self._cache: tuple[int, np.ndarray, np.ndarray] | None = None

    def _run(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        key = hash(X.tobytes())
        if self._cache is None or self._cache[0] != key:
            probs, counts = self._model.predict(X)
            self._cache = (key, np.asarray(probs, dtype=np.float32), np.asarray(counts, dtype=np.int64))
        return self._cache[1], self._cache[2]

    def _predict(self, X: np.ndarray, side: SideInfo) -> np.ndarray:
        return self._run(X)[0]

    def predict_counts(self, features: np.ndarray, side: SideInfo) -> np.ndarray | None:
        return self._run(np.ascontiguousarray(features, dtype=np.float32))[1]
