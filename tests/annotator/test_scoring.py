"""Image AP, KNN voting and blending on small hand-computed examples."""

from __future__ import annotations

import numpy as np

from heritage_tagger.annotator.scoring import blend, image_average_precision, knn_scores
from heritage_tagger.annotator.vocabulary import build_vocabulary, min_tag_count


def test_image_average_precision_by_hand() -> None:
    # image 1: positives ranked 1st and 3rd -> (1/1 + 2/3) / 2; image 2: positive ranked 2nd -> 1/2
    scores = np.array([[0.9, 0.5, 0.7], [0.2, 0.1, 0.3]])
    truth = np.array([[1, 1, 0], [1, 0, 0]])
    assert np.isclose(image_average_precision(scores, truth), ((1 + 2 / 3) / 2 + 0.5) / 2)
    # images without positives are left out
    assert np.isclose(image_average_precision(scores[:1], np.array([[0, 0, 0]])), 0.0)


def test_knn_votes_of_nearest_rows() -> None:
    index = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0]], dtype=np.float32)
    labels = np.array([[1, 0], [1, 1], [0, 1]], dtype=np.float32)
    votes = knn_scores(index, labels, np.array([[0.0, 0.05]], dtype=np.float32), k=2)
    np.testing.assert_allclose(votes, [[2.0, 1.0]])


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
