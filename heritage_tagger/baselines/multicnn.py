"""Multi-CNN (seed 000): a classifier with sigmoid cross-entropy on the backbone features.

On a CPU the backbone is frozen: features are cached once and only the classifier head (an MLP,
one hidden layer) is trained, with early stopping on a validation part of the training split and
then refitted on all training rows for the chosen number of epochs. Fine-tuning the backbone
(the paper's setting) is not done here, even with a GPU: every method shares the same cached features.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

if TYPE_CHECKING:
    from torch import nn

from heritage_tagger.annotator.mlp import predict_logits, sigmoid, train_multilabel, two_layer
from heritage_tagger.baselines.registry import Method, SideInfo
from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.knowledge.selection import validation_split
from heritage_tagger.settings import ModelSettings

_DEFAULTS = ModelSettings()


class MultiCNN(Method):
    name = "multicnn"
    label = "Multi-CNN (frozen backbone)"
    default_params: ClassVar[dict[str, Any]] = {
        "hidden": _DEFAULTS.hidden_visual,
        "max_epochs": 200,
        "patience": 20,
        "lr": 1e-3,
        "weight_decay": 1e-4,
        "validation_fraction": _DEFAULTS.validation_fraction,
    }

    def _fit(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        side: SideInfo,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> None:
        p = self.params
        seed = int(side.get("seed", 0))
        self._mu, self._sd = X.mean(axis=0), X.std(axis=0) + 1e-6
        Z = (X - self._mu) / self._sd
        fit, val = validation_split(len(X), p["validation_fraction"], seed)

        def build() -> nn.Module:
            return two_layer(Z.shape[1], p["hidden"], Y.shape[1])

        first = train_multilabel(
            build,
            [Z[fit]],
            Y[fit],
            [Z[val]],
            Y[val],
            p["max_epochs"],
            p["lr"],
            p["weight_decay"],
            patience=p["patience"],
            seed=seed,
            cancel=cancel,
        )
        final = train_multilabel(
            build, [Z], Y, None, None, first.best_epoch, p["lr"], p["weight_decay"], seed=seed, cancel=cancel
        )
        self._module = final.module
        self.chosen = {"epochs": first.best_epoch, "validation": round(first.best_score, 4)}

    def _predict(self, X: np.ndarray, side: SideInfo) -> np.ndarray:
        return sigmoid(predict_logits(self._module, [(X - self._mu) / self._sd]))
