"""The choice of what serves suggestions: each component alone or a blend, on held-out rows."""

from __future__ import annotations

import numpy as np

from heritage_tagger.annotator.choice import Choice, choose, combine


def truth(n: int = 60, t: int = 10, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    y = np.zeros((n, t), dtype=np.float32)
    for i in range(n):
        y[i, rng.choice(t, size=2, replace=False)] = 1
    return y


def test_the_component_that_ranks_best_is_chosen_alone() -> None:
    y = truth()
    rng = np.random.default_rng(1)
    good = y * 0.6 + rng.random(y.shape) * 0.5
    noise = rng.random(y.shape)
    choice = choose({"collective": noise, "logreg": good}, y)
    assert choice.weights == {"logreg": 1.0} and choice.name == "logreg"
    assert choice.candidates["logreg"] > choice.candidates["collective"]
    assert "LogReg" in choice.describe()


def test_complementary_components_are_blended() -> None:
    y = truth()
    rng = np.random.default_rng(2)
    half = np.zeros_like(y)
    half[:, :5] = 1  # one component knows the first five tags, the other the rest
    a = np.where(half > 0, y * 0.8 + rng.random(y.shape) * 0.3, rng.random(y.shape) * 0.3)
    b = np.where(half == 0, y * 0.8 + rng.random(y.shape) * 0.3, rng.random(y.shape) * 0.3)
    choice = choose({"logreg": a, "multicnn": b}, y)
    assert choice.name == "blend" and set(choice.weights) == {"logreg", "multicnn"}
    assert choice.score > max(choice.candidates["logreg"], choice.candidates["multicnn"])
    assert "a blend of" in choice.describe()
    assert Choice.from_dict(choice.as_dict()).weights == choice.weights


def test_votes_are_scaled_per_image_before_blending() -> None:
    votes = np.array([[4.0, 2.0, 0.0], [0.0, 0.0, 0.0]])
    probs = np.array([[0.1, 0.2, 0.3], [0.5, 0.5, 0.5]])
    out = combine({"knn": votes, "logreg": probs}, {"knn": 0.5, "logreg": 0.5})
    np.testing.assert_allclose(out, [[0.55, 0.35, 0.15], [0.25, 0.25, 0.25]], atol=1e-6)


def test_a_coin_toss_between_components_shares_the_weight_and_a_clear_winner_keeps_it() -> None:
    y = truth(n=24, t=8, seed=5)
    rng = np.random.default_rng(6)
    # two equally informative components sharing most of their noise (so a blend gains nothing):
    # which one wins on 24 photos is luck
    common = rng.random(y.shape)
    a = y * 0.5 + common + 0.2 * rng.random(y.shape)
    b = y * 0.5 + common + 0.2 * rng.random(y.shape)
    plain = choose({"logreg": a, "multicnn": b}, y, bootstraps=0)
    averaged = choose({"logreg": a, "multicnn": b}, y, seed=0)
    assert plain.weights == {"logreg": 1.0}  # one winner, by 0.002, on this draw of held-out photos
    assert set(averaged.weights) == {"logreg", "multicnn"}  # resamples disagree: both keep a share
    assert min(averaged.weights.values()) > 0.2
    assert abs(sum(averaged.weights.values()) - 1.0) < 1e-6
    assert averaged.weights == choose({"logreg": a, "multicnn": b}, y, seed=0).weights  # seeded
    noise = rng.random(y.shape)
    clear = choose({"collective": noise, "logreg": y * 0.8 + rng.random(y.shape) * 0.3}, y)
    assert clear.weights == {"logreg": 1.0}  # every resample picks it


def test_the_choice_keeps_the_held_out_score_of_every_candidate() -> None:
    y = truth(n=30, t=6, seed=5)
    rng = np.random.default_rng(6)
    parts = {"logreg": y * 0.6 + rng.random(y.shape), "multicnn": rng.random(y.shape)}
    choice = choose(parts, y)
    from heritage_tagger.knowledge.ranking import ranking_score

    for name, scores in parts.items():
        assert abs(choice.candidates[name] - ranking_score(y, scores)) < 1e-9
    assert abs(choice.score - ranking_score(y, combine(parts, choice.weights))) < 1e-9


def test_a_share_below_half_a_grid_step_is_dropped() -> None:
    """A vote at weight 0.03 still reorders the photos for a rare tag whose probabilities differ by
    less than that, so a component that won on only a few resamples is left out altogether."""
    y = truth(n=24, t=8, seed=5)
    rng = np.random.default_rng(6)
    common = rng.random(y.shape)
    a = y * 0.5 + common + 0.2 * rng.random(y.shape)
    b = y * 0.5 + common + 0.2 * rng.random(y.shape)
    votes = rng.integers(0, 3, y.shape).astype(np.float32)  # KNN votes that know nothing
    choice = choose({"logreg": a, "multicnn": b, "knn": votes}, y, seed=0)
    assert "knn" not in choice.weights
    assert all(w >= 0.125 for w in choice.weights.values())
    assert abs(sum(choice.weights.values()) - 1.0) < 1e-6
