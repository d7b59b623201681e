"""Held-out predictions of early-stopped models are read at an epoch their own rows did not choose."""

from __future__ import annotations

import numpy as np

from heritage_tagger.annotator.mlp import predict_logits, sigmoid, train_multilabel
from heritage_tagger.annotator.probes import MLPProbe, Standardiser, mlp_cv
from heritage_tagger.knowledge.ranking import ranking_score
from heritage_tagger.knowledge.selection import at_epoch, out_of_fold_epochs


def _noise(
    n: int = 30, d: int = 12, t: int = 5, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """Features and labels that have nothing to do with each other, in five folds of six rows."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)).astype(np.float32)
    Y = (rng.random((n, t)) < 0.3).astype(np.float32)
    Y[np.arange(t), np.arange(t)] = 1
    parts = np.array_split(rng.permutation(n), 5)
    folds = [(np.sort(np.concatenate(parts[:i] + parts[i + 1 :])), np.sort(parts[i])) for i in range(5)]
    return X, Y, folds


def test_the_multi_cnn_probes_held_out_rows_never_choose_their_own_epoch() -> None:
    """On labels that are noise, reading each fold at the epoch its own rows liked best flatters the
    probe; mlp_cv reads it at the other folds' median best epoch instead."""
    X, Y, folds = _noise()
    kwargs = dict(hidden=16, max_epochs=40, patience=40, seed=0)
    result = mlp_cv(X, Y, folds, **kwargs)  # type: ignore[arg-type]
    held = np.concatenate([val for _, val in folds])
    own, runs = [], []
    for fit, val in folds:
        scale = Standardiser.of(X[fit])
        run = train_multilabel(
            lambda: MLPProbe.build(X.shape[1], 16, Y.shape[1]),
            [scale(X[fit])], Y[fit], [scale(X[val])], Y[val], 40, patience=40, seed=0, keep_val_logits=True,
        )  # fmt: skip
        runs.append(run)
        own.append(sigmoid(predict_logits(run.module, [scale(X[val])])))
    epochs = out_of_fold_epochs([r.best_epoch for r in runs])
    expected = np.concatenate([sigmoid(at_epoch(r.val_logits, e)) for r, e in zip(runs, epochs, strict=True)])
    np.testing.assert_allclose(result.held_out, expected, atol=1e-5)
    flattering = ranking_score(Y[held], np.concatenate(own))
    assert ranking_score(Y[held], result.held_out) < flattering


def test_a_stage_run_is_read_again_at_another_epoch() -> None:
    """fit_collective reads each fold's network at the other folds' epoch (StageResult.read_at): its
    held-out probabilities, with the text and with it hidden, become that epoch's."""
    from heritage_tagger.annotator.network import FitHistory
    from heritage_tagger.annotator.stages import StageResult

    outputs = [np.full((4, 3), float(e)) for e in (-2, 0, 2)]  # rows 0-1 with text, 2-3 hidden
    history = FitHistory("adam", best_epoch=3, val_outputs=outputs)
    run = StageResult(np.zeros((5, 3)), np.eye(3), None, 1.0, None, history, None)  # type: ignore[arg-type]
    run.val_probs, run.val_probs_image = sigmoid(outputs[2][:2]), sigmoid(outputs[2][2:])
    run.read_at(1)
    np.testing.assert_allclose(run.val_probs, sigmoid(np.full((2, 3), -2.0)))
    np.testing.assert_allclose(run.val_probs_image, sigmoid(np.full((2, 3), -2.0)))
    assert history.val_outputs == []  # read once, then let go
