"""Eqs. 11-12 as training and prediction run them: the median bandwidth, phi, GS and neighbour scores."""

from __future__ import annotations

import math

import numpy as np
import pytest

from heritage_tagger.knowledge.summary import (
    median_bandwidth,
    neighbour_tag_scores,
    phi,
    relevance_vectors,
    semantic_summary,
    weighted_sum,
)

E1 = math.exp(-1)


def test_median_bandwidth() -> None:
    assert median_bandwidth(np.array([[1.0, 4.0], [9.0, 16.0]])) == pytest.approx(6.5)
    assert median_bandwidth(np.array([[0.0, 0.0], [0.0, 2.0]])) == pytest.approx(2.0)  # mean of positives
    assert median_bandwidth(np.zeros((2, 2))) == 1.0
    assert median_bandwidth(np.empty((0, 3))) == 1.0
    # entries whose index is -1 (no neighbour) are left out
    assert median_bandwidth(np.array([[1.0, 100.0]]), idx=np.array([[3, -1]])) == pytest.approx(1.0)


def test_phi_eq11() -> None:
    assert phi(np.array([0.0, 2.0, 4.0]), sigma=2.0) == pytest.approx([1.0, E1, math.exp(-2)])
    assert phi(np.array([1.0]), sigma=0.0) == pytest.approx([E1])  # sigma 0 guarded as 1


def test_semantic_summary_eq12() -> None:
    r = np.array([[1, 0], [0.5, 0.5], [0, 2]], np.float32)  # relevance of 3 training images
    h = np.array([[1, 2], [3, 0]], np.float32)  # r . H = [1, 2], [2, 1], [6, 0]
    idx = np.array([[0, 1], [2, -1]])
    dist2 = np.array([[0.0, 2.0], [2.0, 0.0]], np.float32)
    weights = phi(dist2, sigma=2.0)
    gs = semantic_summary(idx, weights, relevance_vectors(r, h))
    assert gs.dtype == np.float32 and gs.shape == (2, 2)
    assert gs[0] == pytest.approx([1 + E1 * 2, 2 + E1 * 1])
    assert gs[1] == pytest.approx([E1 * 6, 0])  # the -1 slot contributes nothing
    scores = neighbour_tag_scores(idx, weights, r)
    assert scores[0] == pytest.approx([1 + 0.5 * E1, 0.5 * E1])


def test_semantic_summary_matches_a_loop() -> None:
    rng = np.random.default_rng(0)
    n, q, m, t, d = 60, 25, 7, 9, 5
    r = rng.random((n, t)).astype(np.float32)
    h = rng.normal(size=(t, d)).astype(np.float32)
    idx = rng.integers(0, n, size=(q, m))
    dist2 = rng.random((q, m)).astype(np.float32) * 3
    sigma = median_bandwidth(dist2)
    gs = semantic_summary(idx, phi(dist2, sigma), relevance_vectors(r, h))
    expected = np.zeros((q, d))
    for i in range(q):
        for j in range(m):
            expected[i] += math.exp(-dist2[i, j] / sigma) * (r[idx[i, j]] @ h)
    assert gs == pytest.approx(expected, rel=1e-4, abs=1e-5)


def test_missing_neighbours_weigh_nothing() -> None:
    # faiss pads short lists with row -1 at an infinite distance: phi is 0 there
    assert phi(np.array([np.inf]), sigma=1.0) == pytest.approx([0.0])
    values = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    out = weighted_sum(np.array([[1, -1], [-1, -1]]), np.array([[0.5, 9.0], [9.0, 9.0]]), values)
    assert out.tolist() == [[1.5, 2.0], [0.0, 0.0]]


def test_weighted_sum_in_chunks_matches_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    from heritage_tagger.knowledge import summary

    rng = np.random.default_rng(1)
    rows = rng.integers(-1, 30, size=(50, 6))
    weights = rng.random((50, 6)).astype(np.float32)
    values = rng.random((30, 4)).astype(np.float32)
    whole = weighted_sum(rows, weights, values)
    monkeypatch.setattr(summary, "_CHUNK_ELEMENTS", 24)  # one query per chunk
    np.testing.assert_allclose(weighted_sum(rows, weights, values), whole, rtol=1e-6)


def test_mismatched_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="tags"):
        relevance_vectors(np.zeros((2, 3)), np.zeros((4, 2)))
