"""Logistic-regression probe: L2-regularised one-vs-rest logistic regression on standardised backbone features.

All tags are fitted at once with full-batch L-BFGS in torch; the objective separates per tag, so
this is exactly one independent L2 logistic regression per tag (scikit-learn's
``C * sum(logloss) + ||w||^2 / 2``, written as ``mean(logloss) + ||w||^2 / (2 C n)``).
C is chosen on a validation part of the training split.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from heritage_tagger.baselines.registry import Method, SideInfo, validation_score
from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.knowledge.selection import validation_split
from heritage_tagger.settings import ModelSettings

_DEFAULTS = ModelSettings()


def fit_logistic(
    X: np.ndarray, Y: np.ndarray, C: float, max_iter: int = 200
) -> tuple[np.ndarray, np.ndarray]:
    """Weights [D, T] and biases [T] of one L2 logistic regression per tag."""
    import torch

    torch.manual_seed(0)
    x = torch.from_numpy(np.ascontiguousarray(X, dtype=np.float32))
    y = torch.from_numpy(np.asarray(Y, dtype=np.float32))
    n, d = x.shape
    prior = y.mean(0).clamp(1e-4, 1 - 1e-4)
    w = torch.zeros(d, y.shape[1], requires_grad=True)
    b = torch.log(prior / (1 - prior)).clone().requires_grad_(True)
    opt = torch.optim.LBFGS([w, b], lr=1.0, max_iter=max_iter, history_size=20, line_search_fn="strong_wolfe")
    lam = 1.0 / (2.0 * C * n)

    def closure() -> torch.Tensor:
        opt.zero_grad()
        logits = x @ w + b
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="sum") / n
        loss = loss + lam * (w * w).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return w.detach().numpy(), b.detach().numpy()


class LogRegProbe(Method):
    """Linear probe; ``C`` chosen from ``grid`` by validation imAP+mAP, then refitted on all training rows."""

    name = "logreg"
    label = "LogReg probe"
    default_params: ClassVar[dict[str, Any]] = {
        "grid": (0.01, 0.1, 1.0, 10.0),
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
