"""Average precision of tag rankings: the one AP used for validation choices, baselines and evaluation.

Tie rule (scikit-learn's ``average_precision_score``): AP is ``sum_n (R_n - R_{n-1}) P_n`` with one
threshold per distinct score, so a block of tied scores counts as a single step and every positive
in it gets the precision reached at the block's end. The result does not depend on the order of
the columns (tag order), and a constant score gives the share of positives (what a random
ordering gets on average), never a lucky or unlucky order. A row without a positive has no AP (NaN).
"""

from __future__ import annotations

import numpy as np


def average_precisions(y_true: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """AP of each row's ranking of its columns, float64[n]; NaN for a row without a positive.

    ``y_true`` and ``scores`` are ``[n, T]``; a positive is ``y_true > 0``.
    """
    y = np.asarray(y_true) > 0
    s = np.asarray(scores, dtype=np.float64)
    if y.shape != s.shape or y.ndim != 2:
        raise ValueError(f"ground truth {y.shape} and scores {s.shape} must be 2-d and of the same shape")
    n, t = y.shape
    if n == 0 or t == 0:
        return np.full(n, np.nan)
    order = np.argsort(-s, axis=1, kind="stable")
    s_sorted = np.take_along_axis(s, order, axis=1)
    hits = np.take_along_axis(y, order, axis=1)
    true_positives = np.cumsum(hits, axis=1)
    # the last position of the block of equal scores that each position belongs to
    is_end = np.ones((n, t), dtype=bool)
    is_end[:, :-1] = s_sorted[:, 1:] != s_sorted[:, :-1]
    positions = np.where(is_end, np.arange(t), t)
    block_end = np.minimum.accumulate(positions[:, ::-1], axis=1)[:, ::-1]
    precision = np.take_along_axis(true_positives, block_end, axis=1) / (block_end + 1)
    n_pos = hits.sum(axis=1)
    total = (precision * hits).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n_pos > 0, total / np.maximum(n_pos, 1), np.nan)


def average_precision(y_true: np.ndarray, scores: np.ndarray) -> float:
    """AP of one ranking (a 1-d truth and score vector); NaN when there is no positive."""
    y = np.asarray(y_true).reshape(1, -1)
    return float(average_precisions(y, np.asarray(scores).reshape(1, -1))[0])


def mean_average_precision(y_true: np.ndarray, scores: np.ndarray) -> float:
    """Mean AP over the rows that have a positive (imAP on ``[images, tags]``); NaN when none has."""
    ap = average_precisions(y_true, scores)
    return float(np.nanmean(ap)) if np.isfinite(ap).any() else float("nan")


def ranking_score(y_true: np.ndarray, scores: np.ndarray) -> float:
    """Mean of imAP and mAP (images and tags without a positive left out): what validation choices of
    the baselines and of the product model maximise, since evaluation reports both."""
    y = np.asarray(y_true) > 0
    s = np.asarray(scores)
    return float(mean_of_defined(mean_average_precision(y, s), mean_average_precision(y.T, s.T)))


def mean_of_defined(imap: np.ndarray | float, map_: np.ndarray | float) -> np.ndarray:
    """``ranking_score`` from its two parts, element-wise: their mean, or the one that is defined
    (not NaN), or 0 when neither is."""
    i = np.asarray(imap, dtype=np.float64)
    m = np.asarray(map_, dtype=np.float64)
    one = np.where(np.isfinite(i), i, np.where(np.isfinite(m), m, 0.0))
    return np.where(np.isfinite(i) & np.isfinite(m), (i + m) / 2, one)
