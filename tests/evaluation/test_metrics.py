"""The metrics against scikit-learn's average precision and a straightforward loop reference."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import average_precision_score

from heritage_tagger.evaluation import metrics


def _random_case(seed: int, n: int = 23, t: int = 11) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.random((n, t)) < 0.25
    y[:, 0] = False  # a tag with no positive in the test set
    y[3, :] = False  # an image with no positive tag
    s = rng.random((n, t)).astype(np.float32)
    return y, s


@pytest.mark.parametrize("seed", range(5))
def test_imap_and_map_match_sklearn(seed: int) -> None:
    y, s = _random_case(seed)
    img = [average_precision_score(y[i], s[i]) for i in range(len(y)) if y[i].any()]
    tag = [average_precision_score(y[:, j], s[:, j]) for j in range(y.shape[1]) if y[:, j].any()]
    assert metrics.imap(y, s) == pytest.approx(np.mean(img), abs=1e-9)
    assert metrics.map_(y, s) == pytest.approx(np.mean(tag), abs=1e-9)


def test_ap_with_ties_matches_sklearn() -> None:
    rng = np.random.default_rng(7)
    for _ in range(20):
        y = rng.random(30) < 0.3
        y[0] = True
        s = rng.integers(0, 4, size=30).astype(np.float64)  # many ties, like KNN votes
        assert metrics.average_precision(y, s) == pytest.approx(average_precision_score(y, s), abs=1e-12)


def test_perfect_and_inverted_rankings() -> None:
    y = np.array([[1, 0, 0, 1], [0, 1, 0, 0]], dtype=bool)
    assert metrics.imap(y, y.astype(float)) == pytest.approx(1.0)
    assert metrics.map_(y, y.astype(float)) == pytest.approx(1.0)
    assert metrics.imap(y, -y.astype(float)) < 0.6


def _reference(y: np.ndarray, s: np.ndarray, ks: list[int], threshold: float) -> dict[str, float]:
    n, t = y.shape
    predicted: list[set[int]] = []
    for i in range(n):
        ranked = sorted(range(t), key=lambda j: (-s[i, j], j))
        chosen = [j for j in ranked if s[i, j] > threshold][: ks[i]]
        predicted.append(set(chosen))
    correct = sum(1 for i in range(n) for j in predicted[i] if y[i, j])
    n_pred = sum(len(p) for p in predicted)
    n_true = int(y.sum())
    op = correct / n_pred if n_pred else 0.0
    orr = correct / n_true
    precisions, recalls, nplus = [], [], 0
    for j in range(t):
        positives = [i for i in range(n) if y[i, j]]
        if not positives:
            continue
        pred_j = [i for i in range(n) if j in predicted[i]]
        hit = sum(1 for i in pred_j if y[i, j])
        precisions.append(hit / len(pred_j) if pred_j else 0.0)
        recalls.append(hit / len(positives))
        nplus += hit > 0
    cp, cr = sum(precisions) / len(precisions), sum(recalls) / len(recalls)

    def f1(a: float, b: float) -> float:
        return 2 * a * b / (a + b) if a + b else 0.0

    return {
        "OP": op,
        "OR": orr,
        "OF1": f1(op, orr),
        "CP": cp,
        "CR": cr,
        "CF1": f1(cp, cr),
        "H-F1": f1(f1(cp, cr), f1(op, orr)),
        "N+": float(nplus),
    }


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("threshold", [0.0, 0.6, 0.97])
def test_top3_against_loop_reference(seed: int, threshold: float) -> None:
    y, s = _random_case(seed)
    s[5, :] = 0.0  # an image with no prediction above the threshold
    got = metrics.evaluate_scores(y, s, k=3, threshold=threshold)
    want = _reference(y, s, [3] * len(y), threshold)
    for name, value in want.items():
        assert got[name] == pytest.approx(value, abs=1e-12), name


@pytest.mark.parametrize("seed", range(3))
def test_label_quantity_counts_against_reference(seed: int) -> None:
    y, s = _random_case(seed)
    ks = np.random.default_rng(seed).integers(0, 6, size=len(y))
    got = metrics.evaluate_scores(y, s, k=ks, threshold=0.1)
    want = _reference(y, s, list(ks), 0.1)
    for name, value in want.items():
        assert got[name] == pytest.approx(value, abs=1e-12), name


def test_top_k_decisions_respects_threshold_and_k() -> None:
    s = np.array([[0.9, 0.8, 0.7, 0.6], [0.0, 0.0, 0.0, 0.2], [0.1, 0.5, 0.3, 0.4]])
    d = metrics.top_k_decisions(s, k=np.array([2, 3, 0]), threshold=0.05)
    assert d.tolist() == [[True, True, False, False], [False, False, False, True], [False] * 4]


def test_no_prediction_at_all_gives_zeros() -> None:
    y = np.eye(4, dtype=bool)
    out = metrics.evaluate_scores(y, np.zeros((4, 4)), k=3, threshold=0.0)
    assert out["OP"] == 0.0 and out["CP"] == 0.0 and out["N+"] == 0.0 and out["H-F1"] == 0.0


def test_shape_mismatch_raises() -> None:
    with pytest.raises(ValueError):
        metrics.evaluate_scores(np.zeros((2, 3)), np.zeros((3, 2)))
