"""The validation split, the neighbourhood grid and the out-of-fold epochs shared by the model, the baselines
and evaluation."""

from __future__ import annotations

import numpy as np
import pytest

from heritage_tagger.knowledge.selection import at_epoch, neighbour_grid, out_of_fold_epochs, validation_split


def test_validation_split_stays_inside_training() -> None:
    fit, val = validation_split(10, 0.2, seed=0)
    assert len(val) == 2 and set(fit).isdisjoint(val) and len(fit) + len(val) == 10
    assert list(fit) == sorted(fit) and list(val) == sorted(val)
    again = validation_split(10, 0.2, seed=0)
    assert again[1].tolist() == val.tolist()
    assert validation_split(10, 0.2, seed=1)[1].tolist() != val.tolist()


def test_validation_split_keeps_one_row_on_each_side() -> None:
    fit, val = validation_split(2, 0.9, seed=0)
    assert len(fit) == 1 and len(val) == 1
    fit, val = validation_split(50, 0.0, seed=0)
    assert len(val) == 1 and len(fit) == 49


def test_neighbour_grid_is_clipped_deduplicated_and_sorted() -> None:
    assert neighbour_grid((5, 10, 20, 50), 1000) == [5, 10, 20, 50]
    assert neighbour_grid((50, 5, 20, 10), 12) == [5, 10, 12]
    assert neighbour_grid((5, 10), 3) == [3]
    assert neighbour_grid((0, 2), 0) == [1]


def test_each_fold_is_read_at_the_median_best_epoch_of_the_other_folds() -> None:
    assert out_of_fold_epochs([10, 40, 12, 14, 30]) == [22, 13, 22, 21, 13]
    assert out_of_fold_epochs([7, 3]) == [3, 7]  # two folds: each is read at the other's epoch
    assert out_of_fold_epochs([9]) == [9]  # one hold-out split: nothing else to read it by
    assert out_of_fold_epochs([0, 0, 5]) == [3, 3, 1]  # never before the first epoch


def test_an_epoch_past_the_last_kept_output_reads_the_last() -> None:
    outputs = [np.full((2, 3), e, dtype=np.float32) for e in (1, 2, 3)]
    assert (
        at_epoch(outputs, 2)[0, 0] == 2
        and at_epoch(outputs, 9)[0, 0] == 3
        and at_epoch(outputs, 0)[0, 0] == 1
    )
    with pytest.raises(ValueError):
        at_epoch([], 1)
