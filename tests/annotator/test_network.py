"""The annotation network (eqs. 13-15), its training loop and the label-quantity head."""

from __future__ import annotations

import numpy as np
import pytest

from heritage_tagger.annotator.network import (
    build_annotation_net,
    build_quantity_head,
    fit_module,
    predict_module,
    sigmoid,
)
from heritage_tagger.domain.errors import CancelledError
from heritage_tagger.domain.progress import CancelToken


def _data(n: int = 64, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    gx = rng.normal(size=(n, 8)).astype(np.float32)
    gs = rng.normal(size=(n, 4)).astype(np.float32)
    y = np.stack([gx[:, 0] > 0, gx[:, 1] + gs[:, 0] > 0, gs[:, 1] > 0.5], axis=1).astype(np.float32)
    return gx, gs, y


def _fit(net: object, gx: np.ndarray, gs: np.ndarray, y: np.ndarray, **kw: object) -> object:
    args = dict(
        loss="bce",
        val=None,
        schedule="adam",
        epochs=40,
        lr=0.01,
        lr_step=10,
        lr_gamma=0.1,
        batch_size=16,
        seed=0,
        device="cpu",
        stage="network",
    )
    args.update(kw)
    return fit_module(net, (gx, gs), y, **args)


def test_forward_is_eqs_13_to_15() -> None:
    import torch

    net = build_annotation_net(8, 4, 3, h1=5, h2=2)
    gx, gs, _ = _data(6)
    out = predict_module(net, (gx, gs), "cpu")
    w = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    theta_x = np.maximum(gx @ w["visual.weight"].T + w["visual.bias"], 0)
    theta_s = np.maximum(gs @ w["semantic.weight"].T + w["semantic.bias"], 0)
    expected = np.concatenate([theta_x, theta_s], axis=1) @ w["output.weight"].T + w["output.bias"]
    assert out.shape == (6, 3)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    assert isinstance(net, torch.nn.Module)


def test_training_loss_falls() -> None:
    gx, gs, y = _data()
    net = build_annotation_net(8, 4, 3, h1=16, h2=8)
    history = _fit(net, gx, gs, y)
    assert history.train_loss[-1] < 0.6 * history.train_loss[0]
    probs = sigmoid(predict_module(net, (gx, gs), "cpu"))
    assert ((probs > 0.5) == (y > 0.5)).mean() > 0.85


def test_early_stopping_keeps_the_best_validation_epoch() -> None:
    gx, gs, y = _data(80)
    net = build_annotation_net(8, 4, 3, h1=64, h2=32)
    history = _fit(net, gx[:60], gs[:60], y[:60], val=((gx[60:], gs[60:]), y[60:]), epochs=200, lr=0.05)
    assert 1 <= history.best_epoch <= history.epochs_run
    assert history.val_loss[history.best_epoch - 1] == min(history.val_loss)


def test_paper_schedule_runs_exactly_the_epochs_asked() -> None:
    gx, gs, y = _data()
    net = build_annotation_net(8, 4, 3, h1=16, h2=8)
    history = _fit(net, gx, gs, y, schedule="sgd", epochs=12, lr=0.001, val=((gx, gs), y))
    assert history.epochs_run == 12 and history.schedule == "sgd"


def test_quantity_head_learns_counts_with_mse() -> None:
    gx, gs, y = _data(96)
    counts = y.sum(axis=1)
    head = build_quantity_head(12, hidden=32)
    history = fit_module(
        head,
        (gx, gs),
        counts,
        loss="mse",
        val=None,
        schedule="adam",
        epochs=60,
        lr=0.01,
        lr_step=10,
        lr_gamma=0.1,
        batch_size=16,
        seed=0,
        device="cpu",
        stage="label quantity",
    )
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]
    pred = predict_module(head, (gx, gs), "cpu")
    assert np.abs(pred - counts).mean() < np.abs(counts.mean() - counts).mean()


def test_training_checks_cancel() -> None:
    gx, gs, y = _data()
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        _fit(build_annotation_net(8, 4, 3, h1=4, h2=4), gx, gs, y, cancel=token)


def test_an_epoch_draws_a_fixed_number_of_rows_in_at_most_so_many_steps() -> None:
    from heritage_tagger.annotator.network import epoch_plan

    assert epoch_plan(2400, 32, 16_384, 128) == (2400, 32)  # a small collection: as before
    assert epoch_plan(24_000, 32, 16_384, 128) == (16_384, 128)  # larger batches, same steps
    assert epoch_plan(100_000, 32, 16_384, 128) == (16_384, 128)  # flat in the collection's size
    assert epoch_plan(500, 32) == (500, 32)
    import torch

    gx, gs, y = _data(200)
    histories = []
    for _ in range(2):  # the same seed draws the same rows each epoch
        torch.manual_seed(1)
        net = build_annotation_net(8, 4, 3, h1=16, h2=8)
        histories.append(_fit(net, gx, gs, y, rows_per_epoch=48, max_steps_per_epoch=2, fixed_epochs=True))
    history = histories[0]
    assert history.epochs_run == 40 and history.train_loss[-1] < 0.7 * history.train_loss[0]
    assert histories[1] == history
