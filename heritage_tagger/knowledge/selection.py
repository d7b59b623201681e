"""Rules shared by every choice made on held-out rows: the validation split and the neighbourhood grid."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def validation_split(n: int, fraction: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(fit, validation) positions among ``n`` training rows, sorted; hyperparameters are chosen on the latter.

    The validation part is ``round(n * fraction)`` rows of a seeded permutation, at least one and
    leaving at least one row to fit on.
    """
    n_val = min(n - 1, max(1, round(n * fraction)))
    order = np.random.default_rng(seed).permutation(n)
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def neighbour_grid(grid: Iterable[int], available: int) -> list[int]:
    """The neighbourhood sizes worth trying: each value clipped to ``[1, available]``, duplicates
    removed, smallest first. ``available`` is how many rows a neighbourhood can draw from (the
    fit rows, minus one where a row is excluded from its own neighbours)."""
    cap = max(1, int(available))
    return sorted({max(1, min(int(m), cap)) for m in grid})
