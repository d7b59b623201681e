"""Eqs. 11-12: the median bandwidth, phi and the semantic summary GS on hand-computed numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from heritage_tagger.knowledge.summary import median_bandwidth, neighbour_tag_scores, phi, semantic_summary

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
    gs = semantic_summary(idx, dist2, r, h, sigma=2.0)
    assert gs.dtype == np.float32 and gs.shape == (2, 2)
    assert gs[0] == pytest.approx([1 + E1 * 2, 2 + E1 * 1])
    assert gs[1] == pytest.approx([E1 * 6, 0])  # the -1 slot contributes nothing
    scores = neighbour_tag_scores(idx, dist2, r, sigma=2.0)
    assert scores[0] == pytest.approx([1 + 0.5 * E1, 0.5 * E1])


def test_semantic_summary_matches_a_loop() -> None:
    rng = np.random.default_rng(0)
    n, q, m, t, d = 60, 25, 7, 9, 5
    r = rng.random((n, t)).astype(np.float32)
    h = rng.normal(size=(t, d)).astype(np.float32)
    idx = rng.integers(0, n, size=(q, m))
    dist2 = rng.random((q, m)).astype(np.float32) * 3
    sigma = median_bandwidth(dist2)
    gs = semantic_summary(idx, dist2, r, h, sigma)
    expected = np.zeros((q, d))
    for i in range(q):
        for j in range(m):
            expected[i] += math.exp(-dist2[i, j] / sigma) * (r[idx[i, j]] @ h)
    assert gs == pytest.approx(expected, rel=1e-4, abs=1e-5)


def test_mismatched_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="tags"):
        semantic_summary(np.zeros((1, 1), int), np.zeros((1, 1)), np.zeros((2, 3)), np.zeros((4, 2)), 1.0)
