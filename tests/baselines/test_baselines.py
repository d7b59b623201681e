"""Every registered method learns a synthetic tag structure: better than chance on held-out rows."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from heritage_tagger.baselines.registry import available_methods, create_method, nearest
from heritage_tagger.evaluation.metrics import evaluate_scores
from heritage_tagger.text.word_vectors import WordVectors

LABELS = ["harbour", "horse", "church", "street", "river", "crowd"]


@pytest.fixture(autouse=True)
def _one_thread() -> Iterator[None]:
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _data(seed: int = 0, n: int = 72, d: int = 24) -> dict:
    rng = np.random.default_rng(seed)
    t = len(LABELS)
    centres = rng.normal(size=(t, d))
    Y = rng.random((n, t)) < 0.25
    Y[np.arange(n), rng.integers(0, t, n)] = True
    X = (Y.astype(float) @ centres + 0.8 * rng.normal(size=(n, d))).astype(np.float32)
    vocab = [*LABELS, "old", "photo", "boston", "denver"]
    wv = WordVectors(vocab, rng.normal(size=(len(vocab), 8)).astype(np.float32))
    desc = [" ".join(LABELS[j] for j in np.flatnonzero(Y[i])) + " old photo" for i in range(n)]
    locs = [["Boston", "Denver", ""][i % 3] for i in range(n)]
    return {"X": X, "Y": Y, "wv": wv, "desc": desc, "locs": locs}


def _side(data: dict, rows: np.ndarray, metadata: bool) -> dict:
    return {
        "titles": [data["desc"][i] if metadata else "" for i in rows],
        "descriptions": [data["desc"][i] if metadata else "" for i in rows],
        "locations": [data["locs"][i] if metadata else "" for i in rows],
        "labels": LABELS,
        "word_vectors": data["wv"],
        "seed": 0,
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", [m for m in available_methods() if m != "random"])
def test_method_beats_random_on_held_out_rows(name: str) -> None:
    data = _data()
    tr, te = np.arange(48), np.arange(48, 72)
    params = {"max_epochs": 60} if name in ("multicnn", "ltn", "ltwin", "melfc", "aaam") else {}
    method = create_method(name, **params).fit(data["X"][tr], data["Y"][tr], _side(data, tr, True))
    scores = method.predict(data["X"][te], _side(data, te, method.uses_test_metadata))
    assert scores.shape == (24, len(LABELS)) and scores.dtype == np.float32
    assert np.isfinite(scores).all()
    random = create_method("random").fit(data["X"][tr], data["Y"][tr], _side(data, tr, True))
    chance = np.mean(
        [evaluate_scores(data["Y"][te], random.predict(data["X"][te], {}))["imAP"] for _ in range(20)]
    )
    got = evaluate_scores(data["Y"][te], scores)
    assert got["imAP"] > chance + 0.2, (name, got["imAP"], chance)
    assert got["mAP"] > 0.7, (name, got["mAP"])
    assert method.chosen, "the chosen hyperparameters are recorded"


def test_knn_votes_are_neighbour_fractions() -> None:
    X = np.array([[0.0, 1.0], [0.0, 1.1], [1.0, 0.0], [1.1, 0.0]], dtype=np.float32)
    Y = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=bool)
    knn = create_method("knn", m=2).fit(X, Y, {"seed": 0})
    s = knn.predict(np.array([[0.0, 2.0], [3.0, 0.1]], dtype=np.float32), {})
    assert s[0, 0] == pytest.approx(1.0, abs=1e-4) and s[0, 1] < 1e-4
    assert s[1, 1] == pytest.approx(1.0, abs=1e-4) and s[1, 0] < 1e-4


def test_nearest_excludes_self_and_sorts() -> None:
    rng = np.random.default_rng(1)
    base = rng.normal(size=(30, 5)).astype(np.float32)
    rows, dist = nearest(base, base, 4, exclude_self=True)
    assert not (rows == np.arange(30)[:, None]).any()
    assert (np.diff(dist, axis=1) >= -1e-5).all()
    full = ((base[:, None, :] - base[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(full, np.inf)
    assert np.array_equal(rows[:, 0], full.argmin(1))


def test_random_guess_draws_fresh_scores() -> None:
    method = create_method("random").fit(np.zeros((3, 2)), np.eye(3, 4, dtype=bool), {})
    a, b = method.predict(np.zeros((5, 2)), {}), method.predict(np.zeros((5, 2)), {})
    assert a.shape == (5, 4) and not np.allclose(a, b)


def test_unknown_method_and_parameter_are_refused() -> None:
    with pytest.raises(ValueError):
        create_method("nope")
    with pytest.raises(ValueError):
        create_method("knn", kk=3)


@pytest.mark.parametrize("dim", [5, 120])  # more features than rows: solved in the rows' span
def test_logreg_probe_matches_sklearn_on_one_tag(dim: int) -> None:
    from sklearn.linear_model import LogisticRegression

    from heritage_tagger.annotator.probes import fit_logistic

    rng = np.random.default_rng(3)
    X = rng.normal(size=(80, dim))
    y = (X[:, 0] + 0.5 * rng.normal(size=80)) > 0
    w, b = fit_logistic(X, y[:, None], C=0.5, max_iter=500)
    ref = LogisticRegression(C=0.5, tol=1e-8, max_iter=1000).fit(X, y)
    assert np.allclose(w[:, 0], ref.coef_[0], atol=2e-3)
    assert b[0] == pytest.approx(ref.intercept_[0], abs=2e-3)


def test_ltn_neighbours_follow_metadata_not_test_tags() -> None:
    from heritage_tagger.baselines.ltn import metadata_neighbours

    vis = np.eye(3, dtype=np.float32)
    rows = metadata_neighbours(
        [frozenset({"horse"}), frozenset({"church"}), frozenset({"river"})],
        ["", "", ""],
        vis,
        [frozenset({"church", "tower"})],
        ["Boston"],
        np.ones((1, 3), dtype=np.float32) / 3,
        1,
        False,
    )
    assert rows.tolist() == [[1]]


def test_triplet_margin_is_zero_only_when_irrelevant_labels_are_far_below() -> None:
    import torch

    from heritage_tagger.baselines.aaam import triplet_margin

    y = torch.tensor([[1.0, 1.0, 0.0]])
    good = torch.tensor([[0.9, 0.8, 0.0]])  # (0.9-0.8)^2 = .01, (0.9-0)^2 = .81: margin .5 satisfied
    bad = torch.tensor([[0.9, 0.1, 0.8]])
    assert float(triplet_margin(good, y, 0.5)) == 0.0
    assert float(triplet_margin(bad, y, 0.5)) == pytest.approx(0.5 + 0.64 - 0.01)
