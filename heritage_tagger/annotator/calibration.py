"""Honest confidence: calibrated probabilities (temperature, Platt or isotonic scaling, chosen on held-out
predictions), the precision of what is proposed above a threshold, and the threshold for a target precision.

Calibration is fitted on the (image, tag) pairs that matter: each image's ``TOP_PAIRS`` best-scored
tags, where proposals are made (the long tail of hopeless tags would otherwise dominate the fit).
Isotonic steps are shrunk towards the overall rate (``PSEUDO_COUNT``), so that a step of a few
pairs that were all right does not read as certainty. Every calibrated probability keeps a share
``TIE_BREAK`` of the score itself, so calibration is strictly increasing: an isotonic step (or a
sigmoid saturating in float32) would otherwise give many tags of an image one probability, and tied
tags rank as if all came last (the image AP's tie rule), which cost up to 0.04 image AP.
With ``method="auto"`` each method is fitted on 4/5 of the held-out images and scored by log loss
on the rest (5 folds); the lowest mean wins and is refitted on them all. "none" keeps the scores.

A proposal for an image is one of its ``count`` best tags (the label-quantity head's cap) whose
calibrated probability is at least the threshold. ``ThresholdCurve`` records, for every threshold
seen on the held-out images, the precision and recall of those proposals, so that the threshold for
any target precision (a preference) is read off without retraining: the lowest threshold whose
proposals reached the target, with at least ``MIN_PROPOSALS`` of them (none reached it: nothing is
ever proposed, every photo gets "no confident suggestion").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

METHODS = ("temperature", "platt", "isotonic")
TOP_PAIRS = 10
MIN_PROPOSALS = 5
PSEUDO_COUNT = 2.0  # isotonic steps are shrunk towards the overall rate by this many pairs
_EPS = 1e-6
TIE_BREAK = 1e-3  # share of the raw score in a calibrated probability: calibration never ties two scores


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(np.asarray(p, dtype=np.float64), _EPS, 1 - _EPS)
    return np.log(q / (1 - q))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


@dataclass
class Calibrator:
    """A monotone map from a model's scores to calibrated probabilities."""

    method: str = "none"  # "none", "temperature", "platt" or "isotonic"
    a: float = 1.0  # temperature / Platt: sigmoid(a * logit(score) + b)
    b: float = 0.0
    knots_x: list[float] = field(default_factory=list)  # isotonic: piecewise-linear through the knots
    knots_y: list[float] = field(default_factory=list)

    def __call__(self, scores: np.ndarray) -> np.ndarray:
        s = np.asarray(scores, dtype=np.float64)
        if self.method in ("temperature", "platt"):
            out = _sigmoid(self.a * _logit(s) + self.b)
        elif self.method == "isotonic" and self.knots_x:
            out = np.interp(s, self.knots_x, self.knots_y)
        else:
            out = np.clip(s, 0.0, 1.0)
        # strictly increasing: isotonic steps (and a sigmoid saturating in float32) give many tags one
        # probability, and a tie ranks them all as if last (the image AP's tie rule), so a share
        # TIE_BREAK of the score itself keeps the scores' order; the probability moves by at most that
        return ((1.0 - TIE_BREAK) * out + TIE_BREAK * np.clip(s, 0.0, 1.0)).astype(np.float32)

    def as_dict(self) -> dict[str, Any]:
        return {"method": self.method, "a": self.a, "b": self.b, "x": self.knots_x, "y": self.knots_y}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Calibrator:
        data = data or {}
        return cls(
            str(data.get("method", "none")),
            float(data.get("a", 1.0)),
            float(data.get("b", 0.0)),
            [float(v) for v in data.get("x", [])],
            [float(v) for v in data.get("y", [])],
        )


def top_pairs(scores: np.ndarray, k: int = TOP_PAIRS) -> np.ndarray:
    """Boolean [n, T]: each row's ``k`` highest scores."""
    s = np.asarray(scores)
    k = min(k, s.shape[1])
    mask = np.zeros(s.shape, dtype=bool)
    if k:
        idx = np.argpartition(-s, k - 1, axis=1)[:, :k]
        np.put_along_axis(mask, idx, True, axis=1)
    return mask


def fit_calibrator(scores: np.ndarray, truth: np.ndarray, method: str) -> Calibrator:
    """Fit ``method`` on paired 1-d scores and 0/1 truth."""
    s = np.asarray(scores, dtype=np.float64).ravel()
    y = (np.asarray(truth).ravel() > 0).astype(np.float64)
    if method == "none" or len(s) == 0 or y.min() == y.max():
        return Calibrator("none")
    if method == "isotonic":
        return _isotonic(s, y)
    z = _logit(s)
    if method == "temperature":
        from scipy.optimize import minimize_scalar

        def nll(a: float) -> float:
            return _log_loss(_sigmoid(a * z), y)

        a = float(minimize_scalar(nll, bounds=(0.01, 100.0), method="bounded").x)
        return Calibrator("temperature", a=a)
    if method == "platt":
        from sklearn.linear_model import LogisticRegression

        lr = LogisticRegression(C=1e4, max_iter=1000).fit(z.reshape(-1, 1), y)
        a, b = float(lr.coef_[0, 0]), float(lr.intercept_[0])
        if a <= 0.0:  # higher scores were not more often right: no slope, every pair gets the base rate
            a, b = 0.0, float(_logit(np.array(y.mean())))
        return Calibrator("platt", a=a, b=b)
    raise ValueError(f"unknown calibration method {method!r}")


def _isotonic(s: np.ndarray, y: np.ndarray) -> Calibrator:
    """Isotonic regression whose steps are each pulled towards the overall rate by ``PSEUDO_COUNT``
    pairs: a step of three pairs all right reads 0.6 or so, not 1.0 (then made monotone again)."""
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(s, y)
    x_knots = np.asarray(iso.X_thresholds_, dtype=np.float64)
    levels = np.asarray(iso.y_thresholds_, dtype=np.float64)
    prior = float(y.mean())
    fitted = iso.predict(s)
    smoothed = levels.copy()
    for value in np.unique(levels):
        members = np.isclose(fitted, value)
        n, k = float(members.sum()), float(y[members].sum())
        smoothed[np.isclose(levels, value)] = (k + PSEUDO_COUNT * prior) / (n + PSEUDO_COUNT)
    smoothed = np.maximum.accumulate(smoothed)
    return Calibrator("isotonic", knots_x=[float(v) for v in x_knots], knots_y=[float(v) for v in smoothed])


def _log_loss(p: np.ndarray, y: np.ndarray) -> float:
    q = np.clip(np.asarray(p, dtype=np.float64), _EPS, 1 - _EPS)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))


def choose_calibrator(
    scores: np.ndarray, Y: np.ndarray, method: str = "auto", seed: int = 0, folds: int = 5
) -> tuple[Calibrator, dict[str, float]]:
    """The calibrator of held-out ``scores`` [n, T] against ``Y``; with "auto", the method of lowest
    cross-validated log loss over images. Returns it and each method's mean held-out log loss."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(Y) > 0
    mask = top_pairs(s)
    if method != "auto":
        return fit_calibrator(s[mask], y[mask], method), {}
    n = len(s)
    k = max(2, min(folds, n // 2))
    parts = np.array_split(np.random.default_rng(seed).permutation(n), k) if n >= 4 else []
    losses: dict[str, float] = {}
    for name in ("none", *METHODS):
        values = []
        for part in parts:
            train = np.ones(n, dtype=bool)
            train[part] = False
            cal = fit_calibrator(s[train][mask[train]], y[train][mask[train]], name)
            test = mask[part]
            values.append(_log_loss(cal(s[part][test]), y[part][test].astype(np.float64)))
        losses[name] = float(np.mean(values)) if values else math.inf
    best = min(losses, key=lambda m: (losses[m], m != "none"))
    return fit_calibrator(s[mask], y[mask], best), {k: round(v, 5) for k, v in losses.items()}


def reliability(
    probs: np.ndarray, truth: np.ndarray, bins: int = 10
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per probability bin [0, 0.1), ...: mean predicted probability, share right, count; and bin edges."""
    p = np.asarray(probs, dtype=np.float64).ravel()
    y = (np.asarray(truth).ravel() > 0).astype(np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    counts = np.bincount(which, minlength=bins).astype(np.float64)
    mean_p = np.divide(np.bincount(which, p, bins), counts, out=np.full(bins, np.nan), where=counts > 0)
    right = np.divide(np.bincount(which, y, bins), counts, out=np.full(bins, np.nan), where=counts > 0)
    return mean_p, right, counts, edges


def expected_calibration_error(probs: np.ndarray, truth: np.ndarray, bins: int = 10) -> float:
    """ECE: the count-weighted mean gap between predicted probability and the share right, over bins."""
    mean_p, right, counts, _ = reliability(probs, truth, bins)
    total = counts.sum()
    if total == 0:
        return float("nan")
    ok = counts > 0
    return float(np.sum(counts[ok] * np.abs(mean_p[ok] - right[ok])) / total)


def proposals(probs: np.ndarray, counts: np.ndarray, threshold: float) -> np.ndarray:
    """Boolean [n, T]: each image's ``counts[i]`` most probable tags whose probability is >= ``threshold``."""
    p = np.asarray(probs, dtype=np.float64)
    n, t = p.shape
    ks = np.broadcast_to(np.asarray(counts, dtype=np.int64), (n,)).clip(0, t)
    order = np.argsort(-p, axis=1, kind="stable")
    rank = np.empty_like(order)
    rank[np.arange(n)[:, None], order] = np.arange(t)[None, :]
    return (rank < ks[:, None]) & (p >= threshold)


@dataclass
class ThresholdCurve:
    """Precision and recall of the proposals at each threshold (ascending) seen on held-out images."""

    thresholds: list[float] = field(default_factory=list)
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    proposed: list[int] = field(default_factory=list)  # how many tags were proposed at that threshold

    def threshold_for(self, target_precision: float) -> float:
        """The lowest threshold whose proposals reached ``target_precision`` (inf: none did)."""
        for t, p, n in zip(self.thresholds, self.precision, self.proposed, strict=True):
            if n >= MIN_PROPOSALS and p >= target_precision - 1e-9:
                return t
        return math.inf

    def at(self, threshold: float) -> tuple[float, float, int]:
        """(precision, recall, proposed) at the lowest recorded threshold >= ``threshold``."""
        for t, p, r, n in zip(self.thresholds, self.precision, self.recall, self.proposed, strict=True):
            if t >= threshold - 1e-12:
                return p, r, n
        return math.nan, 0.0, 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "thresholds": list(self.thresholds),  # exact: a rounded threshold could drop a tag at it
            "precision": [round(v, 6) for v in self.precision],
            "recall": [round(v, 6) for v in self.recall],
            "proposed": list(self.proposed),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ThresholdCurve:
        data = data or {}
        return cls(
            [float(v) for v in data.get("thresholds", [])],
            [float(v) for v in data.get("precision", [])],
            [float(v) for v in data.get("recall", [])],
            [int(v) for v in data.get("proposed", [])],
        )


def threshold_curve(
    probs: np.ndarray, Y: np.ndarray, counts: np.ndarray, max_points: int = 200
) -> ThresholdCurve:
    """The curve of ``proposals(probs, counts, t)`` against ``Y`` for the thresholds the candidates allow."""
    p = np.asarray(probs, dtype=np.float64)
    y = np.asarray(Y) > 0
    candidates = proposals(p, counts, -math.inf)
    values = np.unique(p[candidates])
    if len(values) > max_points:
        values = np.unique(np.quantile(values, np.linspace(0, 1, max_points)))
    total = max(1, int(y.sum()))
    curve = ThresholdCurve()
    for t in values:
        chosen = candidates & (p >= t)
        n = int(chosen.sum())
        right = int((chosen & y).sum())
        curve.thresholds.append(float(t))
        curve.precision.append(right / n if n else 0.0)
        curve.recall.append(right / total)
        curve.proposed.append(n)
    return curve
