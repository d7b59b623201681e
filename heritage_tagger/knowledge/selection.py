"""Rules shared by every choice made on held-out rows: the validation split, the neighbourhood grid and
the epoch each cross-validation fold's held-out predictions are read at."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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


def out_of_fold_epochs(best_epochs: Sequence[int]) -> list[int]:
    """For each fold, the epoch its held-out predictions are read at: the median best epoch of the
    *other* folds (a fold's own best epoch when it is the only one).

    A model early-stopped on a fold's held-out rows and judged on its predictions there at the
    epoch those same rows chose is judged too kindly: on a small collection, where a fold holds
    three photos, the Multi-CNN probe's held-out imAP read 0.38 against 0.30 on test photos, and
    the choice among components favoured it for that. Reading each fold at an epoch the other folds
    chose keeps the held-out rows out of the choice of epoch.
    """
    epochs = [max(1, int(e)) for e in best_epochs]
    if len(epochs) < 2:
        return epochs
    return [max(1, int(np.median(epochs[:i] + epochs[i + 1 :]))) for i in range(len(epochs))]


def at_epoch(outputs: Sequence[np.ndarray], epoch: int) -> np.ndarray:
    """The output kept for ``epoch`` (1-based); the last kept when training stopped before it."""
    if not outputs:
        raise ValueError("no outputs were kept")
    return outputs[min(max(1, epoch), len(outputs)) - 1]
