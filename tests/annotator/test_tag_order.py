"""Which photos suit a tag: one blend's order of each tag's photos on the scale the served blend gives that tag
(annotator.tag_order), beside the served blend's answer to which tags suit a photo."""

from __future__ import annotations

import numpy as np

from heritage_tagger.annotator.calibration import Calibrator, ThresholdCurve
from heritage_tagger.annotator.choice import Choice, choose, combine
from heritage_tagger.annotator.product import ModeModel
from heritage_tagger.annotator.tag_order import TagOrder, choose_order
from heritage_tagger.knowledge.ranking import mean_average_precision


def _imap(y: np.ndarray, s: np.ndarray) -> float:
    return mean_average_precision(y, s)


def _map(y: np.ndarray, s: np.ndarray) -> float:
    return mean_average_precision(y.T, s.T)


def _two_specialists(n: int = 60, t: int = 6, seed: int = 0) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Labels with tag frequencies from common to rare; "logreg" orders every tag's photos right but
    ranks rare tags above common ones in every photo; "multicnn" has each
    tag's frequency as its scale (common tags first) but orders the photos of a tag at random."""
    rng = np.random.default_rng(seed)
    rates = np.linspace(0.6, 0.08, t)
    y = (rng.random((n, t)) < rates).astype(np.float32)
    y[np.arange(t), np.arange(t)] = 1  # every tag has a positive
    rare_first = 0.5 * (rates.max() - rates)  # a scale per tag that runs against the tag's frequency
    logreg = (0.2 + rare_first[None, :] + 0.1 * y + 0.02 * rng.random((n, t))).astype(np.float32)
    multicnn = (rates[None, :] * (0.9 + 0.2 * rng.random((n, t)))).astype(np.float32)
    return {"logreg": logreg, "multicnn": multicnn}, y


def test_the_map_keeps_each_tags_order_of_photos_and_takes_the_served_blends_scale() -> None:
    rng = np.random.default_rng(1)
    order_held = rng.random((40, 3))
    served_held = np.stack(
        [0.9 + 0.05 * rng.random(40), 0.5 + 0.1 * rng.random(40), 0.01 * rng.random(40)], 1
    )
    tag_order = TagOrder.fit(Choice({"logreg": 1.0}, 0.0), order_held, served_held)
    new = rng.random((25, 3))
    out = tag_order(new)
    for t in range(3):  # strictly increasing within each tag: the same order of photos, no ties
        assert np.array_equal(np.argsort(out[:, t]), np.argsort(new[:, t]))
        assert len(np.unique(out[:, t])) == 25
    # each tag on its served scale: tag 0 above tag 1 above tag 2 in every photo
    assert (out[:, 0] > out[:, 1]).all() and (out[:, 1] > out[:, 2]).all()
    np.testing.assert_allclose(np.median(tag_order(order_held), 0), np.median(served_held, 0), atol=0.02)


def test_the_map_serves_one_blends_order_of_photos_and_the_others_order_of_tags() -> None:
    parts, y = _two_specialists()
    served = choose(parts, y)
    tag_order = choose_order(parts, y, served)
    assert tag_order is not None and tag_order.weights == {"logreg": 1.0}
    mode = ModeModel(served, Calibrator("none"), ThresholdCurve([], [], [], []), order=tag_order)
    assert set(mode.serving_weights) == {"logreg"} | set(served.weights)  # what either answer reads
    test, y_test = _two_specialists(seed=7)
    mapped = mode.blend(test, for_tags=True)
    np.testing.assert_array_equal(mode.blend(test), combine(test, served.weights))  # suggestions: the choice
    assert _map(y_test, mapped) == _map(y_test, test["logreg"])  # the order blend's photos per tag
    assert _imap(y_test, mapped) > _imap(y_test, test["logreg"]) + 0.1  # ... and the served tag scale
    assert _imap(y_test, mapped) >= _imap(y_test, test["multicnn"]) - 0.02
    # when the order blend is the served blend there is nothing to map
    assert choose_order({"logreg": parts["logreg"]}, y, Choice({"logreg": 1.0}, 0.0)) is None
    assert choose_order({"multicnn": parts["multicnn"]}, y, served) is None  # nothing may order photos


def test_the_choice_on_tags_alone_ignores_how_a_photos_tags_are_ordered() -> None:
    parts, y = _two_specialists()
    assert choose(parts, y, measure="tags").weights == {"logreg": 1.0}
    assert choose({"multicnn": parts["multicnn"]}, y, measure="tags").score == _map(y, parts["multicnn"])


def test_a_mode_with_a_map_survives_its_manifest_and_arrays() -> None:
    parts, y = _two_specialists()
    served = choose(parts, y)
    tag_order = choose_order(parts, y, served)
    assert tag_order is not None
    mode = ModeModel(
        served, Calibrator("platt", 2.0, -1.0), ThresholdCurve([0.5], [0.6], [0.3], [9]), order=tag_order
    )
    loaded = ModeModel.from_dict(mode.as_dict(), mode.arrays("m_"), "m_")
    assert loaded.order is not None and loaded.order.weights == tag_order.weights
    np.testing.assert_array_equal(loaded.blend(parts, for_tags=True), mode.blend(parts, for_tags=True))
    assert "for which photos suit a tag" in loaded.describe()
    plain = ModeModel.from_dict(
        ModeModel(served, Calibrator("none"), ThresholdCurve([], [], [], [])).as_dict()
    )
    assert plain.order is None and plain.arrays("m_") == {} and plain.describe() == served.describe()
