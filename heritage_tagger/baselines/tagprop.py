"""TagProp, sigma-ML variant (Guillaumin et al. 2009): distance-weighted neighbour voting with a learned
bandwidth and a per-tag sigmoid, fitted by maximising the log-likelihood of the training tags.

Prediction for image i and tag w: ``p = sigmoid(alpha_w * sum_j pi_ij y_jw + beta_w)`` with
``pi_ij = softmax_j(-theta * d_ij)`` over its K nearest training images (squared L2 distance of
L2-normalised backbone features). ``theta``, ``alpha`` and ``beta`` are learned on the training
images' own neighbourhoods (each image left out of its neighbourhood) with L-BFGS. K and the L2
penalty on ``alpha`` (which keeps tiny collections from overfitting) are chosen on a validation
part of the training split. Single base distance, so the metric-learning part reduces to the bandwidth.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from heritage_tagger.baselines.registry import Method, SideInfo, nearest, validation_score
from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.knowledge.selection import neighbour_grid, validation_split
from heritage_tagger.settings import ModelSettings
from heritage_tagger.vision.siamese import l2_normalise

_DEFAULTS = ModelSettings()


def fit_tagprop(
    base: np.ndarray, labels: np.ndarray, k: int, reg: float, max_iter: int
) -> tuple[float, np.ndarray, np.ndarray]:
    """(theta, alpha[T], beta[T]) maximising the leave-one-out likelihood of the training tags."""
    import torch

    rows, dist = nearest(base, base, k, exclude_self=True)
    d = torch.from_numpy(dist.astype(np.float32))
    yn = torch.from_numpy(labels[rows])  # (n, k, T)
    y = torch.from_numpy(labels)
    prior = y.mean(0).clamp(1e-3, 1 - 1e-3)
    med = float(np.median(dist)) or 1.0
    log_theta = torch.tensor(np.log(1.0 / med), dtype=torch.float32, requires_grad=True)
    alpha = torch.full((y.shape[1],), 4.0, requires_grad=True)
    beta = (torch.log(prior / (1 - prior))).clone().requires_grad_(True)
    opt = torch.optim.Adam([log_theta, alpha, beta], lr=0.05)
    for _ in range(max_iter):  # Adam, not L-BFGS: L-BFGS's line search ran the bandwidth off to 0 or infinity
        opt.zero_grad()
        pi = torch.softmax(-torch.exp(log_theta.clamp(-10, 10)) * d, dim=1)
        x = torch.einsum("nk,nkt->nt", pi, yn)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(alpha * x + beta, y, reduction="mean")
        loss = loss + reg * (alpha * alpha).mean()
        loss.backward()
        opt.step()
    theta = float(torch.exp(log_theta.detach().clamp(-10, 10)))
    return theta, alpha.detach().numpy(), beta.detach().numpy()


def tagprop_scores(
    base: np.ndarray,
    labels: np.ndarray,
    queries: np.ndarray,
    k: int,
    theta: float,
    alpha: np.ndarray,
    beta: np.ndarray,
) -> np.ndarray:
    rows, dist = nearest(base, queries, k)
    z = -theta * dist.astype(np.float64)
    z -= z.max(axis=1, keepdims=True)
    pi = np.exp(z)
    pi /= pi.sum(axis=1, keepdims=True)
    x = np.einsum("qk,qkt->qt", pi, labels[rows])
    return 1.0 / (1.0 + np.exp(-np.clip(alpha * x + beta, -50, 50)))


class TagProp(Method):
    name = "tagprop"
    label = "TagProp (σML)"
    default_params: ClassVar[dict[str, Any]] = {
        "grid": (*_DEFAULTS.neighbour_grid,),
        "reg_grid": (1e-3, 1e-2, 1e-1),
        "max_iter": 300,
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
        base = l2_normalise(X)
        labels = Y.astype(np.float32)
        fit, val = validation_split(len(X), self.params["validation_fraction"], int(side.get("seed", 0)))
        trials: dict[tuple[int, float], float] = {}
        for k in neighbour_grid(self.params["grid"], len(fit) - 1):
            for reg in self.params["reg_grid"]:
                if cancel is not None:
                    cancel.check()
                theta, a, b = fit_tagprop(base[fit], labels[fit], k, float(reg), int(self.params["max_iter"]))
                s = tagprop_scores(base[fit], labels[fit], base[val], k, theta, a, b)
                trials[(k, float(reg))] = validation_score(Y[val], s)
        self.k, reg = max(trials, key=lambda kr: (trials[kr], -kr[0], kr[1]))
        self.k = max(1, min(self.k, len(X) - 1))
        self._theta, self._alpha, self._beta = fit_tagprop(
            base, labels, self.k, reg, int(self.params["max_iter"])
        )
        self._base, self._labels = base, labels
        self.chosen = {
            "k": self.k,
            "alpha_l2": reg,
            "theta": round(self._theta, 4),
            "validation": {f"{k},{r}": round(v, 4) for (k, r), v in trials.items()},
        }

    def _predict(self, X: np.ndarray, side: SideInfo) -> np.ndarray:
        return tagprop_scores(
            self._base, self._labels, l2_normalise(X), self.k, self._theta, self._alpha, self._beta
        )
