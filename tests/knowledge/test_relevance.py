"""Eqs. 6-10 on a hand-computed collection of four images and three tags."""

from __future__ import annotations

import math

import numpy as np
import pytest

from heritage_tagger.knowledge.relevance import (
    combsum,
    median_sigma,
    neighbour_voting,
    new_image_relevance,
    ngd_distance,
    semantic_distance,
    semantic_field,
    tag_similarity,
    training_relevance,
    xi_similarity,
)

# img0: t0 t1   img1: t0 t1   img2: t0 t2   img3: t2      N = 4
# f = (3, 2, 2); co-occurrence (0,1) = 2, (0,2) = 1, (1,2) = 0
Y = np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 0, 1]], dtype=np.float32)
# eq. 6: (max(log f_j, log f_k) - log f_jk) / (log N - min(log f_j, log f_k))
NGD01 = 0.5849625007  # (log 3 - log 2) / (log 4 - log 2) = log2(1.5)
NGD02 = 1.5849625007  # (log 3 - log 1) / (log 4 - log 2) = log2(3)
NGD12 = 2.0  # never together: f_jk floored at 0.5 -> (log 2 - log 0.5) / (log 4 - log 2)
# eq. 8: sigma = median of (0.3421811, 2.5121061, 4.0) = 2.5121061
SIGMA = 2.5121061287
XI01, XI02, XI12 = 0.8726568705, math.exp(-1), 0.2034592752
# neighbours (m = 2); img3's list names itself, which is ignored
NEIGHBOURS = np.array([[1, 2], [0, 3], [0, 1], [2, 3]])


def test_ngd_eq6() -> None:
    s = ngd_distance(Y)
    expected = np.array([[0, NGD01, NGD02], [NGD01, 0, NGD12], [NGD02, NGD12, 0]])
    assert s == pytest.approx(expected, abs=1e-7)


def test_ngd_zero_cooccurrence_floor_and_unused_tags() -> None:
    s = ngd_distance(Y, zero_cooccurrence=0.25)
    assert s[1, 2] == pytest.approx(3.0)  # (log 2 - log 0.25) / log 2
    y = np.c_[Y, np.zeros(4, np.float32)]  # a tag no image carries
    s = ngd_distance(y)
    assert np.all(np.isfinite(s)) and s[3, 3] == 0
    assert s[3, 0] == pytest.approx(NGD12)  # the largest finite distance
    everywhere = np.ones((3, 2), np.float32)  # two tags on every image: 0/0 -> 0
    assert ngd_distance(everywhere)[0, 1] == 0.0


def test_semantic_distance_eq7() -> None:
    s_ctx = ngd_distance(Y)
    h = np.array([[0, 0], [3, 4], [6, 8]], np.float32)  # distances 5, 10, 5
    has = np.array([True, True, True])
    raw = semantic_distance(s_ctx, h, has, alpha=0.76, w2v_scale="none")
    assert raw[0, 1] == pytest.approx(NGD01 + 0.76 * 5)
    assert raw[0, 2] == pytest.approx(NGD02 + 0.76 * 10)
    scaled = semantic_distance(s_ctx, h, has, alpha=0.76)  # divided by the median, 5
    assert scaled[0, 1] == pytest.approx(NGD01 + 0.76 * 1)
    assert scaled[0, 2] == pytest.approx(NGD02 + 0.76 * 2)
    assert scaled[1, 2] == pytest.approx(NGD12 + 0.76 * 1)
    assert np.diag(scaled) == pytest.approx([0, 0, 0])
    # a tag without a vector: s_ctx alone for its pairs
    partial = semantic_distance(s_ctx, h, np.array([True, True, False]), alpha=0.76, w2v_scale="none")
    assert partial[0, 1] == pytest.approx(NGD01 + 0.76 * 5)
    assert partial[0, 2] == pytest.approx(NGD02) and partial[2, 1] == pytest.approx(NGD12)
    assert semantic_distance(s_ctx, None, None) == pytest.approx(s_ctx)


def test_xi_and_median_bandwidth_eq8() -> None:
    s = ngd_distance(Y)
    assert median_sigma(s) == pytest.approx(SIGMA)
    xi, sigma = xi_similarity(s)
    assert sigma == pytest.approx(SIGMA)
    assert xi == pytest.approx(np.array([[1, XI01, XI02], [XI01, 1, XI12], [XI02, XI12, 1]]), abs=1e-7)
    # with word vectors: s = (1.3449625, 3.1049625, 2.76), sigma = median of squares = 2.76^2
    h = np.array([[0, 0], [3, 4], [6, 8]], np.float32)
    xi2, sigma2 = tag_similarity(Y, h, np.array([True, True, True]), alpha=0.76)
    assert sigma2 == pytest.approx(7.6176)
    assert xi2[1, 2] == pytest.approx(math.exp(-1))
    assert xi2[0, 1] == pytest.approx(math.exp(-(1.3449625007**2) / 7.6176))


def test_sigma_is_guarded() -> None:
    zero = np.zeros((3, 3))
    xi, sigma = xi_similarity(zero)
    assert sigma == 1.0 and np.all(xi == 1.0)
    s = np.array([[0, 0, 2], [0, 0, 0], [2, 0, 0]], float)  # median of (0, 4, 0) is 0
    assert median_sigma(s) == pytest.approx(4.0)  # mean of the positive values


def test_semantic_field_eq9() -> None:
    xi = np.array([[1, 0.8, 0.2], [0.8, 1, 0.5], [0.2, 0.5, 1]])
    y = np.array([[1, 1, 1], [1, 1, 0], [0, 0, 1], [0, 0, 0]])
    r = semantic_field(y, xi)
    assert r[0] == pytest.approx([(0.8 + 0.2) / 2, (0.8 + 0.5) / 2, (0.2 + 0.5) / 2])
    assert r[1] == pytest.approx([0.8, 0.8, 0])
    assert r[2] == pytest.approx([0, 0, 1.0])  # a single tag gets 1
    assert r[3] == pytest.approx([0, 0, 0])
    assert semantic_field(y, xi, single_tag=0.5)[2, 2] == pytest.approx(0.5)


def test_neighbour_voting() -> None:
    r = neighbour_voting(Y, NEIGHBOURS)
    assert r.tolist() == [[2, 1, 0], [1, 1, 0], [2, 0, 0], [0, 0, 1]]
    padded = np.array([[1, -1], [0, -1], [0, -1], [2, -1]])  # faiss's -1 is skipped
    assert neighbour_voting(Y, padded).tolist() == [[1, 1, 0], [1, 1, 0], [1, 0, 0], [0, 0, 1]]


def test_combsum_eq10() -> None:
    r_ss = semantic_field(Y, xi_similarity(ngd_distance(Y))[0])
    assert r_ss == pytest.approx(np.array([[XI01, XI01, 0], [XI01, XI01, 0], [XI02, 0, XI02], [0, 0, 1]]))
    r_nn = neighbour_voting(Y, NEIGHBOURS)
    # collection: r_ss / 1.0 (its maximum) + r_nn / 2 (its maximum)
    r = combsum(r_ss, r_nn, Y)
    expected = np.array(
        [[XI01 + 1, XI01 + 0.5, 0], [XI01 + 0.5, XI01 + 0.5, 0], [XI02 + 1, 0, XI02], [0, 0, 1 + 0.5]]
    )
    assert r == pytest.approx(expected, abs=1e-6)
    # image: each image's own maximum
    r_img = combsum(r_ss, r_nn, Y, normalisation="image")
    assert r_img == pytest.approx(np.array([[2, 1.5, 0], [2, 2, 0], [2, 0, 1], [0, 0, 2]]), abs=1e-6)
    assert np.all(r[Y == 0] == 0)


def tag_relevance(y: np.ndarray, h: np.ndarray, has: np.ndarray, idx: np.ndarray, **kw: object) -> np.ndarray:
    """Eqs. 6-10 in the order training runs them."""
    normalisation = kw.pop("normalisation", "collection")
    xi, _ = tag_similarity(y, h, has, **kw)  # type: ignore[arg-type]
    return training_relevance(y, xi.astype(np.float32), idx, normalisation)[0]  # type: ignore[arg-type]


def test_training_relevance_combines_every_step() -> None:
    r = tag_relevance(Y, np.zeros((3, 2), np.float32), np.zeros(3, bool), NEIGHBOURS, alpha=0.76)
    assert r.dtype == np.float32 and r.shape == (4, 3)
    assert r[0] == pytest.approx([XI01 + 1, XI01 + 0.5, 0], abs=1e-6)
    h = np.array([[0, 0], [3, 4], [6, 8]], np.float32)
    with_vectors = tag_relevance(Y, h, np.ones(3, bool), NEIGHBOURS, alpha=0.76)
    assert with_vectors[0, 0] == pytest.approx(math.exp(-(1.3449625007**2) / 7.6176) + 1, abs=1e-6)


def test_training_relevance_returns_its_scale() -> None:
    xi, _ = xi_similarity(ngd_distance(Y))
    _r, scale = training_relevance(Y, xi, NEIGHBOURS)
    assert scale.normalisation == "collection"
    assert scale.semantic_field_max == pytest.approx(1.0) and scale.voting_max == 2.0
    r_img, scale_img = training_relevance(Y, xi, NEIGHBOURS, "image")
    assert scale_img.normalisation == "image"
    assert r_img == pytest.approx(combsum(semantic_field(Y, xi), neighbour_voting(Y, NEIGHBOURS), Y, "image"))
    with pytest.raises(ValueError, match="normalisation"):
        training_relevance(Y, xi, NEIGHBOURS, "nonsense")  # type: ignore[arg-type]


def test_new_image_relevance_uses_the_training_scale() -> None:
    xi, _ = xi_similarity(ngd_distance(Y))
    _, scale = training_relevance(Y, xi, NEIGHBOURS)
    # a new image carrying t0 and t1 whose neighbours are img0 and img2: votes t0 = 2, t1 = 1
    r = new_image_relevance([0, 1], np.array([0, 2, -1]), Y, xi, scale)
    # collection: r_ss / 1.0 + r_nn / 2 (the training maxima), like img0's row of R
    assert r == pytest.approx([XI01 + 1.0, XI01 + 0.5], abs=1e-6)
    # image: this image's own maxima
    _, image_scale = training_relevance(Y, xi, NEIGHBOURS, "image")
    r_img = new_image_relevance([0, 1], np.array([0, 2, -1]), Y, xi, image_scale)
    assert r_img == pytest.approx([2.0, 1.5], abs=1e-6)


def test_relevance_scales_to_many_images() -> None:
    rng = np.random.default_rng(0)
    y = (rng.random((3000, 40)) < 0.08).astype(np.float32)
    idx = rng.integers(0, 3000, size=(3000, 20))
    r = tag_relevance(y, rng.normal(size=(40, 8)).astype(np.float32), np.ones(40, bool), idx)
    assert np.all(r[y == 0] == 0) and np.all(r[y == 1] > 0) and r.max() <= 2.0 + 1e-6
