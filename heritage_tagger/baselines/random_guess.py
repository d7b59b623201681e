"""RandomGuess (seed 000): uniformly random tag scores, averaged by the runner over 50 draws."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from heritage_tagger.baselines.registry import Method, SideInfo
from heritage_tagger.domain.progress import CancelToken, ProgressCallback


class RandomGuess(Method):
    """Each call to ``predict`` draws fresh scores; ``draws`` tells the runner how many draws to average."""

    name = "random"
    label = "RandomGuess"
    default_params: ClassVar[dict[str, Any]] = {"draws": 50, "seed": 0}

    def _fit(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        side: SideInfo,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> None:
        self._rng = np.random.default_rng(self.params["seed"])
        self.chosen = {"draws": int(self.params["draws"])}

    def _predict(self, X: np.ndarray, side: SideInfo) -> np.ndarray:
        return self._rng.random((X.shape[0], self.n_tags), dtype=np.float32)
