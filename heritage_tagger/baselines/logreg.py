"""Logistic-regression probe: L2-regularised one-vs-rest logistic regression on standardised backbone features.

The fit is ``annotator.probes.fit_logistic`` (the product model's probe): all tags at once with
full-batch L-BFGS, exactly one independent L2 logistic regression per tag. C is chosen on a
validation part of the training split.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from heritage_tagger.annotator.probes import LOGREG_GRID, fit_logistic
from heritage_tagger.baselines.registry import Method, SideInfo, validation_score
from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.knowledge.selection import validation_split
from heritage_tagger.settings import ModelSettings

_DEFAULTS = ModelSettings()


class LogRegProbe(Method):
    """Linear probe; ``C`` chosen from ``grid`` by validation imAP+mAP, then refitted on all training rows."""

    name = "logreg"
    label = "LogReg probe"
    default_params: ClassVar[dict[str, Any]] = {
        "grid": LOGREG_GRID,
        "C": None,
        "validation_fraction": _DEFAULTS.validation_fraction,
    }

    def _standardise(self, X: np.ndarray) -> np.ndarray:
        return (X - self._mu) / self._sd

    def _fit(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        side: SideInfo,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> None:
        self._mu = X.mean(axis=0)
        self._sd = X.std(axis=0) + 1e-6
        Z = self._standardise(X)
        if self.params["C"] is not None:
            best = float(self.params["C"])
            self.chosen = {"C": best}
        else:
            fit, val = validation_split(len(X), self.params["validation_fraction"], int(side.get("seed", 0)))
            scores = {}
            for C in self.params["grid"]:
                if cancel is not None:
                    cancel.check()
                w, b = fit_logistic(Z[fit], Y[fit], float(C))
                scores[float(C)] = validation_score(Y[val], Z[val] @ w + b)
            best = max(scores, key=lambda c: (scores[c], -c))
            self.chosen = {"C": best, "validation": {str(k): round(v, 4) for k, v in scores.items()}}
        self._w, self._b = fit_logistic(Z, Y, best)

    def _predict(self, X: np.ndarray, side: SideInfo) -> np.ndarray:
        logits = self._standardise(X) @ self._w + self._b
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -50, 50)))
