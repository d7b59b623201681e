"""Calibration (temperature, Platt, isotonic; chosen on held-out images), ECE, proposals and thresholds."""

from __future__ import annotations

import math

import numpy as np
import pytest

from heritage_tagger.annotator.calibration import (
    Calibrator,
    ThresholdCurve,
    choose_calibrator,
    expected_calibration_error,
    fit_calibrator,
    proposals,
    reliability,
    threshold_curve,
)


def overconfident(n: int = 400, t: int = 12, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(scores, truth, true probability): scores pushed towards 0 and 1 from the true probability."""
    rng = np.random.default_rng(seed)
    true_p = rng.beta(0.6, 2.5, size=(n, t))
    y = (rng.random((n, t)) < true_p).astype(np.float32)
    logit = np.log(true_p / (1 - true_p))
    scores = 1 / (1 + np.exp(-3.0 * logit))  # three times too sure
    return scores, y, true_p


@pytest.mark.parametrize("method", ["temperature", "platt", "isotonic"])
def test_each_method_is_monotone_and_fixes_overconfidence(method: str) -> None:
    scores, y, _ = overconfident()
    cal = fit_calibrator(scores.ravel(), y.ravel(), method)
    assert cal.method == method
    grid = np.linspace(0.001, 0.999, 50)
    assert np.all(np.diff(cal(grid)) >= -1e-6)  # monotone: the ranking is kept
    before = expected_calibration_error(scores, y)
    after = expected_calibration_error(cal(scores), y)
    assert after < before / 2, (before, after)
    again = Calibrator.from_dict(cal.as_dict())
    np.testing.assert_allclose(again(grid), cal(grid), atol=1e-6)


@pytest.mark.parametrize("method", ["temperature", "platt", "isotonic"])
def test_calibration_never_ties_two_scores_so_the_ranking_and_its_ap_are_kept(method: str) -> None:
    """Isotonic steps map many scores to one probability (and a sigmoid saturates in float32): tied tags
    rank as if all were last, which cost the product model up to 0.04 image AP on held-out rows."""
    from heritage_tagger.knowledge.ranking import mean_average_precision

    scores, y, _ = overconfident()
    cal = fit_calibrator(scores.ravel(), y.ravel(), method)
    grid = np.linspace(0.0, 1.0, 2001)
    assert np.all(np.diff(cal(grid)) > 0)  # strictly increasing, ends included
    calibrated = cal(scores)
    # imAP, then mAP (isotonic lost 0.018 and 0.016 here with ties; float32 leaves a few 1e-5 apart)
    for truth, before, after in ((y, scores, calibrated), (y.T, scores.T, calibrated.T)):
        assert mean_average_precision(truth, after) == pytest.approx(
            mean_average_precision(truth, before), abs=1e-3
        )


@pytest.mark.parametrize("method", ["temperature", "platt", "isotonic"])
def test_scores_that_ran_the_wrong_way_on_held_out_rows_never_reverse_the_ranking(method: str) -> None:
    """On a few held-out photos a model's scores can run against the truth; Platt then fitted a
    negative slope and served the ranking upside down (one fold of LoC JFP24 lost 0.11 image AP)."""
    rng = np.random.default_rng(7)
    y = (rng.random(300) < 0.2).astype(np.float64)
    scores = np.clip(0.5 - 0.3 * y + 0.1 * rng.standard_normal(300), 0.01, 0.99)  # higher = less often right
    cal = fit_calibrator(scores, y, method)
    grid = np.linspace(0.0, 1.0, 501)
    assert np.all(np.diff(cal(grid)) > 0)  # still strictly increasing: the ranking is the scores'
    if method == "platt":  # no slope: every pair reads the base rate (to within the tie break)
        assert cal.a == 0.0
        assert np.allclose(cal(grid), y.mean(), atol=2e-3)


def test_auto_chooses_on_held_out_images_and_none_is_kept_when_already_calibrated() -> None:
    scores, y, true_p = overconfident()
    cal, losses = choose_calibrator(scores, y, "auto")
    assert cal.method in ("temperature", "platt", "isotonic") and set(losses) == {
        "none",
        "temperature",
        "platt",
        "isotonic",
    }
    assert losses["none"] > min(losses.values())
    honest, _ = choose_calibrator(true_p, y, "none")
    assert honest.method == "none" and np.allclose(honest(true_p), true_p, atol=1e-6)
    assert fit_calibrator(scores.ravel(), np.zeros(scores.size), "platt").method == "none"  # nothing to learn


def test_ece_and_reliability_bins() -> None:
    rng = np.random.default_rng(1)
    p = rng.random(20000)
    y = rng.random(20000) < p
    assert expected_calibration_error(p, y) < 0.02
    assert expected_calibration_error(np.clip(p + 0.3, 0, 1), y) > 0.2
    mean_p, right, counts, edges = reliability(p, y, bins=5)
    assert counts.sum() == 20000 and len(edges) == 6
    assert np.allclose(mean_p, right, atol=0.03)
    assert math.isnan(expected_calibration_error(np.zeros(0), np.zeros(0)))


def test_proposals_are_capped_by_the_count_and_the_threshold() -> None:
    probs = np.array([[0.9, 0.8, 0.7, 0.1], [0.3, 0.2, 0.6, 0.55]])
    got = proposals(probs, np.array([2, 3]), 0.5)
    assert got.tolist() == [[True, True, False, False], [False, False, True, True]]
    assert not proposals(probs, np.array([2, 3]), math.inf).any()


def test_threshold_for_a_target_precision() -> None:
    rng = np.random.default_rng(2)
    probs = rng.random((300, 8))
    y = rng.random((300, 8)) < probs  # calibrated by construction
    curve = threshold_curve(probs, y, np.full(300, 3))
    t50, t80 = curve.threshold_for(0.5), curve.threshold_for(0.8)
    assert t50 < 0.5 < t80 < 1.0  # each photo's top 3 of 8 are right more than half the time already
    precision, recall, n = curve.at(t80)
    assert precision >= 0.8 and 0 < recall < curve.at(t50)[1] and n >= 5
    assert curve.threshold_for(1.01) == math.inf  # never reached: nothing is ever proposed
    assert ThresholdCurve.from_dict(curve.as_dict()).threshold_for(0.5) == pytest.approx(t50, abs=1e-6)


def test_isotonic_steps_of_a_few_pairs_do_not_read_as_certainty() -> None:
    rng = np.random.default_rng(3)
    scores = np.concatenate([rng.random(300) * 0.5, [0.9, 0.95, 0.97]])
    truth = np.concatenate([rng.random(300) < 0.1, [True, True, True]])
    cal = fit_calibrator(scores, truth, "isotonic")
    top = float(cal(np.array([0.99]))[0])
    assert 0.4 < top < 0.9  # three right out of three: about 0.6, not 1.0
    assert np.all(np.diff(cal(np.linspace(0, 1, 101))) >= -1e-9)
