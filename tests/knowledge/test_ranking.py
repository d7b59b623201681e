"""The one average precision: scikit-learn's tie rule, per row, on hand-computed and random rankings."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import average_precision_score

from heritage_tagger.knowledge.ranking import average_precision, average_precisions, mean_average_precision


def test_by_hand_without_ties() -> None:
    # image 1: positives ranked 1st and 3rd -> (1/1 + 2/3) / 2; image 2: positive ranked 2nd -> 1/2
    scores = np.array([[0.9, 0.5, 0.7], [0.2, 0.1, 0.3]])
    truth = np.array([[1, 1, 0], [1, 0, 0]])
    np.testing.assert_allclose(average_precisions(truth, scores), [(1 + 2 / 3) / 2, 0.5])
    assert mean_average_precision(truth, scores) == pytest.approx(((1 + 2 / 3) / 2 + 0.5) / 2)


def test_a_tied_block_shares_the_precision_at_its_end() -> None:
    # one positive tied with two negatives at the top: precision 1/3 whatever the column order
    truth = np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 0]])
    scores = np.array([[1.0, 1.0, 1.0, 0.0]] * 3)
    np.testing.assert_allclose(average_precisions(truth[:2], scores[:2]), [1 / 3, 1 / 3])
    # the positive alone below the block: precision 1/4
    assert average_precisions(truth[2:] * 0 + [[0, 0, 0, 1]], scores[2:])[0] == pytest.approx(0.25)
    # a constant score gives the share of positives, not a lucky or unlucky tag order
    assert average_precision(np.array([1, 0, 1, 0, 0]), np.zeros(5)) == pytest.approx(0.4)
    assert average_precision(np.array([0, 0, 0, 1, 1]), np.zeros(5)) == pytest.approx(0.4)


def test_rows_without_a_positive_have_no_ap() -> None:
    truth = np.array([[0, 0, 0], [1, 0, 0]])
    scores = np.array([[0.1, 0.2, 0.3], [0.3, 0.2, 0.1]])
    ap = average_precisions(truth, scores)
    assert np.isnan(ap[0]) and ap[1] == 1.0
    assert mean_average_precision(truth, scores) == 1.0
    assert np.isnan(mean_average_precision(truth[:1], scores[:1]))


@pytest.mark.parametrize("seed", range(4))
def test_matches_sklearn_on_random_rankings_with_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = rng.random((25, 12)) < 0.3
    y[:, 0] = True
    s = rng.integers(0, 4, size=(25, 12)).astype(np.float32)  # many ties, like KNN votes
    expected = [average_precision_score(y[i], s[i]) for i in range(len(y))]
    np.testing.assert_allclose(average_precisions(y, s), expected, atol=1e-12)


def test_shapes_must_agree() -> None:
    with pytest.raises(ValueError, match="same shape"):
        average_precisions(np.zeros((2, 3)), np.zeros((3, 2)))
