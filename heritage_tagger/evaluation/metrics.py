"""Annotation metrics of seed papers 000, 002 and 004: imAP, mAP, OP/OR/OF1, CP/CR/CF1, H-F1, N+.

Conventions (kept identical for every method):

- Average precision is ``knowledge.ranking``'s, the one the model's validation choices and the
  baselines use too: scikit-learn's step-wise definition (``sum_n (R_n - R_{n-1}) P_n`` with one
  threshold per distinct score, so tied scores count as one block).
- imAP averages the AP of the test images that carry at least one positive tag; mAP averages
  the AP of the tags with at least one positive among the test images. Images and tags with
  no positive have no defined AP and are left out (their counts are reported).
- Top-k decisions: an image is given its ``k`` highest-scored tags whose score is strictly
  above ``threshold`` (so it may get fewer, even none); ties are broken by tag index.
  ``k`` is 3 (seed 000) or, per image, a predicted label quantity (seed 002).
- OP/OR are overall (micro) precision and recall; CP/CR average the per-tag precision and
  recall over the tags with a positive in the test set (a tag never predicted has precision
  0); OF1 and CF1 are harmonic means of those averages; H-F1 is the harmonic mean of CF1
  and OF1 (seed 002, eq. 7); N+ counts tags with recall above zero (seed 004).
"""

from __future__ import annotations

import numpy as np

from heritage_tagger.knowledge.ranking import average_precision, average_precisions, mean_average_precision

__all__ = [
    "METRIC_NAMES",
    "average_precision",
    "count_support",
    "decision_metrics",
    "evaluate_scores",
    "imap",
    "map_",
    "per_image_ap",
    "per_tag_ap",
    "top_k_decisions",
]

METRIC_NAMES: tuple[str, ...] = ("imAP", "mAP", "OP", "OR", "OF1", "CP", "CR", "CF1", "H-F1", "N+")


def _harmonic(a: float, b: float) -> float:
    return 0.0 if a + b <= 0 else 2.0 * a * b / (a + b)


def per_image_ap(y_true: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """AP of each image (row) over the tags; NaN for images with no positive tag."""
    return average_precisions(y_true, scores)


def per_tag_ap(y_true: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """AP of each tag (column) over the images; NaN for tags with no positive image."""
    return average_precisions(np.asarray(y_true).T, np.asarray(scores).T)


def imap(y_true: np.ndarray, scores: np.ndarray) -> float:
    """Mean AP over the images that have at least one positive tag."""
    return mean_average_precision(y_true, scores)


def map_(y_true: np.ndarray, scores: np.ndarray) -> float:
    """Mean AP over the tags that have at least one positive image."""
    return mean_average_precision(np.asarray(y_true).T, np.asarray(scores).T)


def top_k_decisions(scores: np.ndarray, k: int | np.ndarray = 3, threshold: float = 0.0) -> np.ndarray:
    """Boolean [n, T]: per image the ``k`` (or ``k[i]``) best tags with score > ``threshold``."""
    s = np.asarray(scores, dtype=np.float64)
    n, t = s.shape
    ks = np.broadcast_to(np.asarray(k, dtype=np.int64), (n,)).clip(0, t)
    order = np.argsort(-s, axis=1, kind="mergesort")
    rank = np.empty_like(order)
    rank[np.arange(n)[:, None], order] = np.arange(t)[None, :]
    return (rank < ks[:, None]) & (s > threshold)


def decision_metrics(y_true: np.ndarray, decided: np.ndarray) -> dict[str, float]:
    """OP, OR, OF1, CP, CR, CF1, H-F1 and N+ of boolean decisions against the ground truth."""
    y = np.asarray(y_true).astype(bool)
    d = np.asarray(decided).astype(bool)
    correct = y & d
    n_correct, n_pred, n_true = int(correct.sum()), int(d.sum()), int(y.sum())
    op = n_correct / n_pred if n_pred else 0.0
    orr = n_correct / n_true if n_true else 0.0
    has_pos = y.any(axis=0)
    tag_correct = correct.sum(axis=0)[has_pos].astype(np.float64)
    tag_pred = d.sum(axis=0)[has_pos].astype(np.float64)
    tag_true = y.sum(axis=0)[has_pos].astype(np.float64)
    if has_pos.any():
        cp = float(
            np.mean(np.divide(tag_correct, tag_pred, out=np.zeros_like(tag_correct), where=tag_pred > 0))
        )
        cr = float(np.mean(tag_correct / tag_true))
    else:
        cp = cr = 0.0
    of1, cf1 = _harmonic(op, orr), _harmonic(cp, cr)
    return {
        "OP": op,
        "OR": orr,
        "OF1": of1,
        "CP": cp,
        "CR": cr,
        "CF1": cf1,
        "H-F1": _harmonic(cf1, of1),
        "N+": float(np.sum(tag_correct > 0)),
    }


def evaluate_scores(
    y_true: np.ndarray,
    scores: np.ndarray,
    k: int | np.ndarray = 3,
    threshold: float = 0.0,
) -> dict[str, float]:
    """Every metric of METRIC_NAMES for one score matrix (rows images, columns tags)."""
    y = np.asarray(y_true).astype(bool)
    s = np.asarray(scores, dtype=np.float64)
    if y.shape != s.shape:
        raise ValueError(f"ground truth {y.shape} and scores {s.shape} differ in shape")
    out = {"imAP": imap(y, s), "mAP": map_(y, s)}
    out.update(decision_metrics(y, top_k_decisions(s, k, threshold)))
    return out


def count_support(y_true: np.ndarray) -> dict[str, int]:
    """How many images and tags entered imAP and mAP (those with a positive)."""
    y = np.asarray(y_true).astype(bool)
    return {"images_scored": int(y.any(axis=1).sum()), "tags_scored": int(y.any(axis=0).sum())}
