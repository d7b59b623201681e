"""Seed 000's protocol for small collections: hash split, k-fold and repeated splits, fold statistics.

Validation parts inside a training split are ``knowledge.selection.validation_split``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Split:
    """Positions of training and test records in the prepared dataset."""

    name: str
    train: np.ndarray  # int64
    test: np.ndarray  # int64


def _hash_unit(identifier: str) -> float:
    """A stable number in [0, 1) from the record identifier."""
    value = int.from_bytes(hashlib.sha256(identifier.encode("utf-8")).digest()[:8], "big")
    return value / 2.0**64


def hash_split(ids: Sequence[str], test_fraction: float = 1 / 3) -> Split:
    """Seed 000's deterministic 2:1 split: a record is a test record when its id hashes below ``test_fraction``."""
    units = np.array([_hash_unit(i) for i in ids])
    test = np.flatnonzero(units < test_fraction)
    train = np.flatnonzero(units >= test_fraction)
    return Split("hash", train.astype(np.int64), test.astype(np.int64))


def kfold_splits(n: int, folds: int, seed: int = 0) -> list[Split]:
    """K-fold cross-validation over a seeded permutation: each record is tested exactly once."""
    if folds < 2 or folds > n:
        raise ValueError(f"folds must be between 2 and the number of records ({n}), not {folds}")
    order = np.random.default_rng(seed).permutation(n)
    parts = np.array_split(order, folds)
    out = []
    for f, test in enumerate(parts):
        train = np.concatenate([p for g, p in enumerate(parts) if g != f])
        out.append(Split(f"fold{f + 1}", np.sort(train).astype(np.int64), np.sort(test).astype(np.int64)))
    return out


def repeated_splits(n: int, repeats: int, seed: int = 0, test_fraction: float = 1 / 3) -> list[Split]:
    """``repeats`` random 2:1 splits, each drawn from its own seeded generator."""
    n_test = max(1, round(n * test_fraction))
    out = []
    for r in range(repeats):
        order = np.random.default_rng([seed, r]).permutation(n)
        out.append(Split(f"repeat{r + 1}", np.sort(order[n_test:]), np.sort(order[:n_test])))
    return out


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    """Mean and (population) standard deviation over folds, ignoring undefined (NaN) folds."""
    arr = np.asarray(values, dtype=np.float64)
    arr = arr[np.isfinite(arr)]
    if arr.size == 0:
        return float("nan"), float("nan")
    return float(arr.mean()), float(arr.std())
