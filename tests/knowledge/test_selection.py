"""The validation split and the neighbourhood grid shared by the model, the baselines and evaluation."""

from __future__ import annotations

from heritage_tagger.knowledge.selection import neighbour_grid, validation_split


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
