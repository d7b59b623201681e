"""Siamese metric learning: eqs. 4-5 by hand, the adapter's identity start, training, raw fallback, cancel."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from heritage_tagger.domain.errors import CancelledError
from heritage_tagger.domain.progress import CancelToken, Progress
from heritage_tagger.settings import ModelSettings
from heritage_tagger.vision import siamese
from heritage_tagger.vision.siamese import (
    MetricHeadRunner,
    apply_head,
    contrastive_loss,
    l2_normalise,
    metric_batch,
    train_metric_head,
)


def test_contrastive_loss_by_hand() -> None:
    a = torch.tensor([[0.0, 0.0], [0.0, 0.0], [3.0, 4.0], [1.0, 1.0]])
    b = torch.tensor([[3.0, 4.0], [0.3, 0.4], [0.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([1.0, 0.0, 0.0, 1.0])
    # D = 5, 0.5, 5, 0. Positive D=5: 25/2 = 12.5. Negative D=0.5, m=1: (1-0.5)^2/2 = 0.125.
    # Negative D=5 > m: 0. Positive D=0: 0. Mean = 12.625 / 4 = 3.15625.
    assert float(contrastive_loss(a, b, y, margin=1.0)) == pytest.approx(3.15625)
    # with m = 2 the near negative costs (2-0.5)^2/2 = 1.125: (12.5 + 1.125) / 4 = 3.40625
    assert float(contrastive_loss(a, b, y, margin=2.0)) == pytest.approx(3.40625)
    # identical negative pair: D = 0, loss m^2/2 with a finite gradient
    p = torch.zeros(1, 2, requires_grad=True)
    loss = contrastive_loss(p, torch.zeros(1, 2), torch.zeros(1), margin=1.0)
    loss.backward()
    assert float(loss.detach()) == pytest.approx(0.5) and torch.isfinite(p.grad).all()


def two_clusters(seed: int = 0, n: int = 40, dim: int = 16) -> tuple[np.ndarray, np.ndarray, tuple]:
    """Two overlapping clusters; positives within a cluster, negatives across (like metadata pairs)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(2, dim)) * 0.35
    label = np.arange(n) % 2
    features = (centres[label] + rng.normal(size=(n, dim))).astype(np.float32) + 3.0  # shared offset
    anchor, other, y = [], [], []
    for i in range(n):
        same = [j for j in range(n) if j != i and label[j] == label[i]]
        diff = [j for j in range(n) if label[j] != label[i]]
        for j in rng.choice(same, 2, replace=False):
            anchor.append(i), other.append(j), y.append(1.0)
        for j in rng.choice(diff, 2, replace=False):
            anchor.append(i), other.append(j), y.append(0.0)
    return features, label, (np.array(anchor), np.array(other), np.array(y, dtype=np.float32))


def nn_accuracy(gx: np.ndarray, label: np.ndarray) -> float:
    """Share of rows whose nearest other row is in the same cluster (higher is better)."""
    d = ((gx[:, None, :] - gx[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    return float((label[d.argmin(1)] == label).mean())


FAST = dataclasses.replace(
    ModelSettings(),
    learning_rate=0.2,
    epochs=12,
    lr_step_epochs=12,
    batch_size=16,
    metric_batch_size=16,
    device="cpu",
)


def test_untrained_head_is_the_identity_on_normalised_features() -> None:
    features, _, _ = two_clusters()
    head = siamese.MetricHead(16, 8)
    state = {k: v.detach().clone() for k, v in head.state_dict().items()}
    np.testing.assert_allclose(apply_head(state, features), l2_normalise(features), atol=1e-6)
    np.testing.assert_array_equal(apply_head(None, features), l2_normalise(features))
    assert np.allclose(np.linalg.norm(l2_normalise(features), axis=1), 1.0)


def test_training_lowers_the_loss_and_keeps_the_best_epoch() -> None:
    features, label, pairs = two_clusters()
    scores: list[float] = []

    def validate(gx: np.ndarray) -> float:
        scores.append(nn_accuracy(gx, label))
        return scores[-1]

    result = train_metric_head(features, pairs, FAST, validate=validate)
    losses = [loss for _, loss, _ in result.history]
    assert (
        len(result.history) == FAST.epochs + 1
        or result.history[-1][0] - result.best_epoch >= FAST.lr_step_epochs
    )
    assert losses[-1] < 0.5 * losses[0]
    assert result.chose == "adapter" and result.state_dict is not None
    assert result.best_score == max(s for _, _, s in result.history if s is not None) > result.raw_score
    assert result.history[result.best_epoch][2] == result.best_score
    # GX is the kept epoch's head applied to the features, and the caller's score reproduces
    np.testing.assert_allclose(apply_head(result.state_dict, features), result.gx, atol=1e-5)
    assert nn_accuracy(result.gx, label) == pytest.approx(result.best_score)
    assert result.gx.shape == features.shape and result.gx.dtype == np.float32


def test_without_validation_the_last_epoch_is_kept() -> None:
    features, _, pairs = two_clusters(seed=1)
    result = train_metric_head(features, pairs, dataclasses.replace(FAST, epochs=3))
    assert result.chose == "adapter" and result.best_epoch == 3 and len(result.history) == 4
    assert all(score is None for _, _, score in result.history)
    assert not np.allclose(result.gx, l2_normalise(features))


def test_raw_features_win_when_validation_says_so() -> None:
    features, _, pairs = two_clusters(seed=2)
    raw = l2_normalise(features)

    def prefers_raw(gx: np.ndarray) -> float:
        return 1.0 if np.allclose(gx, raw, atol=1e-7) else 0.5

    result = train_metric_head(
        features, pairs, dataclasses.replace(FAST, epochs=4, lr_step_epochs=2), prefers_raw
    )
    assert result.chose == "raw" and result.state_dict is None
    np.testing.assert_array_equal(result.gx, raw)
    assert result.raw_score == 1.0
    # patience of lr_step_epochs epochs without gain stops training early
    assert [epoch for epoch, _, _ in result.history] == [0, 1, 2]


def test_cancel_stops_training() -> None:
    features, _, pairs = two_clusters(seed=3)
    token = CancelToken()
    seen: list[int] = []

    def cancel_after_first_epoch(report: Progress) -> None:
        seen.append(report.done)
        if report.done >= 1:
            token.cancel()

    with pytest.raises(CancelledError):
        train_metric_head(features, pairs, FAST, progress=cancel_after_first_epoch, cancel=token)
    assert max(seen) == 1


def test_each_epoch_draws_a_sample_of_the_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    features, _, pairs = two_clusters(seed=4)
    seen: list[int] = []
    real = siamese.contrastive_loss

    def counting(a, b, y, margin):  # the real loss, counting the pairs each call sees
        seen.append(len(y))
        return real(a, b, y, margin)

    monkeypatch.setattr(siamese, "contrastive_loss", counting)
    settings = dataclasses.replace(FAST, epochs=3, metric_pairs_per_epoch=40)
    messages: list[str] = []
    result = train_metric_head(features, pairs, settings, progress=lambda p: messages.append(p.message))
    # 160 pairs, 40 drawn per epoch in steps of 16: 16 + 16 + 8, three epochs, after the first loss
    assert seen[0] == 40 and seen[1:] == [16, 16, 8] * 3
    assert "40 of 160 pairs" in messages[0]
    assert result.chose == "adapter" and len(result.history) == 4


def test_validation_sees_only_the_given_rows() -> None:
    features, _, pairs = two_clusters(seed=5)
    rows = np.arange(0, 40, 2)  # one cluster's rows only
    shapes: list[tuple[int, ...]] = []
    firsts: list[np.ndarray] = []

    def validate(gx: np.ndarray) -> float:
        shapes.append(gx.shape)
        firsts.append(gx[0].copy())
        return float(len(shapes))  # every epoch "improves"

    result = train_metric_head(
        features, pairs, dataclasses.replace(FAST, epochs=2), validate, validation_rows=rows
    )
    assert shapes == [(20, 16)] * 3
    np.testing.assert_array_equal(firsts[0], l2_normalise(features)[0])  # the raw check: those rows
    np.testing.assert_allclose(firsts[-1], result.gx[0], atol=1e-5)
    assert result.gx.shape == features.shape  # GX is still given for every row
    with pytest.raises(ValueError, match="validation row"):
        train_metric_head(features, pairs, FAST, validate, validation_rows=np.array([40]))


def test_large_batches_scale_the_learning_rate() -> None:
    settings = dataclasses.replace(ModelSettings(), batch_size=32, metric_batch_size=512, learning_rate=0.001)
    assert metric_batch(settings, 100_000) == (512, pytest.approx(0.016))
    assert metric_batch(settings, 64) == (64, pytest.approx(0.002))  # every pair in one step
    assert metric_batch(settings, 10) == (10, pytest.approx(0.001))  # never below the base rate


def test_mixed_precision_leaves_the_cpu_result_unchanged() -> None:
    features, _, pairs = two_clusters(seed=6)
    plain = train_metric_head(features, pairs, dataclasses.replace(FAST, epochs=2, mixed_precision=False))
    mixed = train_metric_head(features, pairs, dataclasses.replace(FAST, epochs=2, mixed_precision=True))
    np.testing.assert_array_equal(plain.gx, mixed.gx)
    assert plain.history == mixed.history


def test_the_numpy_runner_matches_the_torch_head() -> None:
    features, _, pairs = two_clusters(seed=7)
    result = train_metric_head(features, pairs, dataclasses.replace(FAST, epochs=2))
    assert result.state_dict is not None
    runner = MetricHeadRunner(result.state_dict)
    np.testing.assert_allclose(runner(features), result.gx, atol=1e-5)
    numpy_state = {k: v.numpy() for k, v in result.state_dict.items()}
    np.testing.assert_allclose(MetricHeadRunner(numpy_state)(features[:3]), result.gx[:3], atol=1e-5)
