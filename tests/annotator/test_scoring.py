"""KNN voting, phi-weighted votes and blending on small hand-computed examples; the tag vocabulary."""

from __future__ import annotations

import numpy as np

from heritage_tagger.annotator.scoring import blend, knn_scores, phi_votes
from heritage_tagger.annotator.vocabulary import build_vocabulary, min_tag_count


def test_knn_votes_of_nearest_rows() -> None:
    index = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0]], dtype=np.float32)
    labels = np.array([[1, 0], [1, 1], [0, 1]], dtype=np.float32)
    votes = knn_scores(index, labels, np.array([[0.0, 0.05]], dtype=np.float32), k=2)
    np.testing.assert_allclose(votes, [[2.0, 1.0]])


def test_phi_votes_weigh_nearer_rows_more() -> None:
    import math

    index = np.array([[0.0], [1.0], [3.0]], dtype=np.float32)
    labels = np.array([[1, 0], [0, 1], [1, 1]], dtype=np.float32)
    votes = phi_votes(index, labels, np.array([[0.0]], dtype=np.float32), m=2)
    # squared distances 0 and 1, sigma = their median 0.5: phi = 1 and exp(-2)
    np.testing.assert_allclose(votes, [[1.0, math.exp(-2)]], rtol=1e-6)


def test_blend_scales_neighbour_scores_per_image() -> None:
    out = blend(np.array([[0.2, 0.8]]), np.array([[4.0, 2.0]]), 0.5)
    np.testing.assert_allclose(out, [[0.6, 0.65]])


def test_vocabulary_groups_lemmas_and_drops_rare_tags() -> None:
    records = [
        [("Boats", "boat"), ("Harbour", "harbour")],
        [("boat", "boat")],
        [("Boats", "boat"), ("Rare", "rare")],
        [("Harbour", "harbour")],
        [],
    ]
    vocab = build_vocabulary(records, min_count=2, min_fraction=0.002)
    assert vocab.labels == ["Boats", "Harbour"]  # "Boats" is the group's most used label
    assert vocab.record_tags[1] == ["Boats"] and vocab.record_tags[4] == []
    assert vocab.dropped == [("Rare", 1)]
    np.testing.assert_array_equal(vocab.matrix(), [[1, 1], [1, 0], [1, 0], [0, 1], [0, 0]])
    assert min_tag_count(20_000, 2, 0.002) == 40 and min_tag_count(100, 2, 0.002) == 2


def test_one_search_serves_every_neighbourhood_of_the_grid() -> None:
    from heritage_tagger.annotator.scoring import (
        knn_scores,
        knn_votes_of,
        neighbour_lists,
        phi_votes,
        phi_votes_of,
    )

    rng = np.random.default_rng(3)
    fit = rng.normal(size=(80, 6)).astype(np.float32)
    labels = (rng.random((80, 5)) < 0.3).astype(np.float32)
    queries = rng.normal(size=(15, 6)).astype(np.float32)
    rows, dist = neighbour_lists(fit, queries, 20)
    for m in (1, 5, 20):
        np.testing.assert_allclose(
            phi_votes_of(rows, dist, labels, m), phi_votes(fit, labels, queries, m), rtol=1e-6
        )
        np.testing.assert_array_equal(knn_votes_of(rows, labels, m), knn_scores(fit, labels, queries, m))
