"""Classifiers on the backbone features that the product model weighs against the collective model:
the L2 logistic-regression probe and the Multi-CNN MLP, fitted on cross-validation folds.

Both standardise the features with the training rows' mean and spread. ``*_cv`` functions choose
their hyperparameter on the held-out rows of the given folds (the collective model's folds, so
every variant is judged on the same predictions), return those held-out predictions, and refit on
all rows. The baselines ``logreg`` and ``multicnn`` of ``evaluate`` are these same classifiers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from heritage_tagger.annotator.mlp import predict_logits, sigmoid, train_multilabel, two_layer
from heritage_tagger.annotator.runtime import NumpyModule, run
from heritage_tagger.domain.progress import CancelToken
from heritage_tagger.knowledge.ranking import ranking_score
from heritage_tagger.knowledge.selection import at_epoch, out_of_fold_epochs

if TYPE_CHECKING:
    from torch import nn

LOGREG_GRID = (0.01, 0.1, 1.0, 10.0)
CV_TOLERANCE = 1e-5  # the probe ranks tags: a gradient norm of 1e-5 changes no ranking that matters
Folds = Sequence[tuple[np.ndarray, np.ndarray]]


def fit_logistic(
    X: np.ndarray,
    Y: np.ndarray,
    C: float,
    max_iter: int = 200,
    start: tuple[np.ndarray, np.ndarray] | None = None,
    tolerance: float = 1e-6,
) -> tuple[np.ndarray, np.ndarray]:
    """Weights [D, T] and biases [T] of one L2 logistic regression per tag (scikit-learn's objective
    ``C * sum(logloss) + ||w||^2 / 2``, written ``mean(logloss) + ||w||^2 / (2 C n)``), all tags at once
    with L-BFGS (scipy) on the analytic gradient; the bias is not penalised.

    With fewer rows than features the weights lie in the span of the rows (the representer theorem
    for an L2 penalty), so the problem is solved exactly in that subspace: rank <= n instead of D
    unknowns per tag. ``start`` (weights, biases) warm-starts the solver, e.g. from the fit of the
    next smaller C; ``tolerance`` is the gradient norm it stops at.
    """
    from scipy.optimize import minimize
    from threadpoolctl import threadpool_limits

    X = np.ascontiguousarray(X, dtype=np.float64)
    Yf = np.asarray(Y, dtype=np.float64)
    n, d = X.shape
    t = Yf.shape[1]
    with threadpool_limits(1):
        basis: np.ndarray | None = None
        if n < d:  # the rows' span from the n x n Gram matrix: X X^T = U S^2 U^T, basis = X^T U / S
            values, vectors = np.linalg.eigh(X @ X.T)
            keep = values > 1e-10 * max(1.0, float(values.max(initial=0.0)))
            basis = (X.T @ vectors[:, keep]) / np.sqrt(values[keep])  # D x r, orthonormal columns
            X = X @ basis
        r = X.shape[1]
        prior = np.clip(Yf.mean(axis=0), 1e-4, 1 - 1e-4)
        lam = 1.0 / (2.0 * C * n)

        def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
            w, b = theta[: r * t].reshape(r, t), theta[r * t :]
            z = X @ w + b
            # log(1 + e^z) - y z, computed stably
            loss = float((np.logaddexp(0.0, z) - Yf * z).sum() / n + lam * (w * w).sum())
            g = (0.5 * (1.0 + np.tanh(0.5 * z)) - Yf) / n
            grad = np.concatenate([(X.T @ g + 2.0 * lam * w).ravel(), g.sum(axis=0)])
            return loss, grad

        if start is None:
            theta = np.concatenate([np.zeros(r * t), np.log(prior / (1 - prior))])
        else:
            w0 = np.asarray(start[0], np.float64)
            theta = np.concatenate([(w0 if basis is None else basis.T @ w0).ravel(), start[1]])
        result = minimize(
            objective, theta, jac=True, method="L-BFGS-B",
            options={"maxiter": max_iter * 5, "gtol": tolerance, "ftol": 1e-10},
        )  # fmt: skip
        weights = result.x[: r * t].reshape(r, t)
        if basis is not None:
            weights = basis @ weights
    return weights.astype(np.float32), result.x[r * t :].astype(np.float32)


@dataclass
class Standardiser:
    """Per-feature mean and spread of the training rows."""

    mu: np.ndarray
    sd: np.ndarray

    @classmethod
    def of(cls, X: np.ndarray) -> Standardiser:
        X = np.asarray(X, dtype=np.float32)
        return cls(X.mean(axis=0), X.std(axis=0) + 1e-6)

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return ((np.asarray(X, dtype=np.float32) - self.mu) / self.sd).astype(np.float32)


@dataclass
class LogisticProbe:
    """The fitted LogReg probe: ``sigmoid(standardise(x) @ w + b)``."""

    scale: Standardiser
    w: np.ndarray  # float32[D, T]
    b: np.ndarray  # float32[T]
    C: float

    def scores(self, X: np.ndarray) -> np.ndarray:
        return sigmoid(self.scale(X) @ self.w + self.b)

    def arrays(self) -> dict[str, np.ndarray]:
        return {"mu": self.scale.mu, "sd": self.scale.sd, "w": self.w, "b": self.b}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], C: float) -> LogisticProbe:
        scale = Standardiser(np.asarray(arrays["mu"], np.float32), np.asarray(arrays["sd"], np.float32))
        return cls(scale, np.asarray(arrays["w"], np.float32), np.asarray(arrays["b"], np.float32), C)


@dataclass
class MLPProbe:
    """The fitted Multi-CNN classifier: an MLP (one hidden layer, dropout) on standardised features
    (a torch module once trained, in numpy once loaded on the CPU: ``annotator.runtime``)."""

    scale: Standardiser
    module: nn.Module | NumpyModule
    epochs: int

    def scores(self, X: np.ndarray) -> np.ndarray:
        return sigmoid(run(self.module, (self.scale(X),), "cpu"))

    @staticmethod
    def build(in_dim: int, hidden: int, n_tags: int) -> nn.Module:
        return two_layer(in_dim, hidden, n_tags)


@dataclass
class CVResult:
    """A probe refitted on all rows, its held-out scores (rows in the order of the folds' validation
    parts, concatenated) and what was chosen."""

    probe: Any
    held_out: np.ndarray
    chosen: dict[str, Any]


def logistic_cv(
    X: np.ndarray,
    Y: np.ndarray,
    folds: Folds,
    grid: Sequence[float] = LOGREG_GRID,
    cancel: CancelToken | None = None,
) -> CVResult:
    """C from ``grid`` by the ranking score of the pooled held-out predictions, then refitted on all rows."""
    scale = Standardiser.of(X)
    Z = scale(X)
    held = np.concatenate([val for _, val in folds])
    outs: dict[float, np.ndarray] = {}
    scores: dict[float, float] = {}
    scales = [Standardiser.of(X[fit]) for fit, _ in folds]
    previous: list[tuple[np.ndarray, np.ndarray] | None] = [None] * len(folds)
    for C in sorted(grid):  # each fold's fit starts from its fit at the next smaller C
        parts = []
        for f, ((fit, val), fold_scale) in enumerate(zip(folds, scales, strict=True)):
            if cancel is not None:
                cancel.check()
            w, b = fit_logistic(
                fold_scale(X[fit]), Y[fit], float(C), start=previous[f], tolerance=CV_TOLERANCE
            )
            previous[f] = (w, b)
            parts.append(sigmoid(fold_scale(X[val]) @ w + b))
        outs[float(C)] = np.concatenate(parts)
        scores[float(C)] = ranking_score(Y[held], outs[float(C)])
    best = max(scores, key=lambda c: (round(scores[c], 9), -c))
    w, b = fit_logistic(Z, Y, best, tolerance=CV_TOLERANCE)
    chosen = {"C": best, "validation": {str(k): round(v, 4) for k, v in scores.items()}}
    return CVResult(LogisticProbe(scale, w, b, best), outs[best], chosen)


def mlp_cv(
    X: np.ndarray,
    Y: np.ndarray,
    folds: Folds,
    *,
    hidden: int = 512,
    max_epochs: int = 200,
    patience: int = 20,
    lr: float = 1e-3,
    weight_decay: float = 1e-4,
    seed: int = 0,
    cancel: CancelToken | None = None,
) -> CVResult:
    """Per fold: train with early stopping on the fold's held-out rows; their held-out scores are read
    at the median best epoch of the other folds (``knowledge.selection.out_of_fold_epochs``: the
    rows judged never choose their own epoch). Refit on all rows for the median best epoch (on one
    torch thread)."""
    from heritage_tagger.annotator.network import torch_threads

    with torch_threads("cpu"):
        return _mlp_cv(X, Y, folds, hidden, max_epochs, patience, lr, weight_decay, seed, cancel)


def _mlp_cv(
    X: np.ndarray,
    Y: np.ndarray,
    folds: Folds,
    hidden: int,
    max_epochs: int,
    patience: int,
    lr: float,
    weight_decay: float,
    seed: int,
    cancel: CancelToken | None,
) -> CVResult:
    scale = Standardiser.of(X)
    runs, parts = [], []
    for fit, val in folds:
        fold_scale = Standardiser.of(X[fit])
        Zf, Zv = fold_scale(X[fit]), fold_scale(X[val])
        result = train_multilabel(
            lambda: MLPProbe.build(X.shape[1], hidden, Y.shape[1]),
            [Zf], Y[fit], [Zv], Y[val], max_epochs, lr, weight_decay,
            patience=patience, seed=seed, cancel=cancel, keep_val_logits=len(folds) > 1,
        )  # fmt: skip
        runs.append(result)
        parts.append(sigmoid(predict_logits(result.module, [Zv])))  # at its own best epoch
    epochs = [r.best_epoch for r in runs]
    if len(folds) > 1:  # each fold read at the epoch the other folds chose
        parts = [
            sigmoid(at_epoch(r.val_logits, e)) for r, e in zip(runs, out_of_fold_epochs(epochs), strict=True)
        ]
    n_epochs = max(1, int(np.median(epochs)))
    final = train_multilabel(
        lambda: MLPProbe.build(X.shape[1], hidden, Y.shape[1]),
        [scale(X)], Y, None, None, n_epochs, lr, weight_decay, seed=seed, cancel=cancel,
    )  # fmt: skip
    return CVResult(MLPProbe(scale, final.module, n_epochs), np.concatenate(parts), {"epochs": n_epochs})
