"""MeL+Fc (seed 000's ablation, Table 2): the metadata-guided siamese GX (vision.siamese) and an FC
annotation layer on GX alone, without the semantic summary.

Pairs come from the training records' metadata only (text.metasim.choose_pairs); the head is
validated by neighbour tag-AP of a validation part against the fit part, and falls back to the
normalised raw features when no epoch beats them (DESIGN.md); the FC layer (h1 hidden units,
sigmoid cross-entropy) stops early on the same validation part and is refitted on all rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

if TYPE_CHECKING:
    from torch import nn

from heritage_tagger.annotator.mlp import predict_logits, sigmoid, train_multilabel, two_layer
from heritage_tagger.baselines.knn import knn_votes
from heritage_tagger.baselines.registry import Method, SideInfo, validation_score
from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.knowledge.selection import validation_split
from heritage_tagger.settings import ModelSettings


class MeLFc(Method):
    name = "melfc"
    label = "MeL+Fc"
    default_params: ClassVar[dict[str, Any]] = {"settings": None, "max_epochs": 200, "patience": 20}

    def _fit(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        side: SideInfo,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> None:
        import dataclasses

        from heritage_tagger.text.lemmatise import token_set
        from heritage_tagger.text.metasim import PairSet, choose_pairs
        from heritage_tagger.vision.siamese import apply_head, train_metric_head

        seed = int(side.get("seed", 0))
        st = dataclasses.replace(self.params["settings"] or ModelSettings(), seed=seed)
        fit, val = validation_split(len(X), st.validation_fraction, seed)
        words = [token_set(d or t) for d, t in zip(side["descriptions"], side["titles"], strict=True)]
        pairs = choose_pairs(
            [words[i] for i in fit],
            [side["locations"][i] for i in fit],
            st.n_positive,
            st.n_negative,
            st.lambda_location,
            seed,
        )
        pairs = PairSet(fit[pairs.anchor], fit[pairs.other], pairs.label)  # rows of X
        m_probe = max(1, min(10, len(fit)))

        def validate(gx: np.ndarray) -> float:
            return validation_score(Y[val], knn_votes(gx[fit], Y[fit].astype(np.float32), gx[val], m_probe))

        result = train_metric_head(X, pairs, st, validate, progress, cancel, device="cpu")
        self._state = result.state_dict
        gx = result.gx if self._state is not None else apply_head(None, X)
        # the FC layer sees GX standardised per dimension (unit-norm rows are too small for Adam's
        # default step to move the logits within the early-stopping patience)
        self._mu, self._sd = gx.mean(0), gx.std(0) + 1e-6
        gx = (gx - self._mu) / self._sd

        def build() -> nn.Module:
            return two_layer(gx.shape[1], st.hidden_visual, Y.shape[1])

        first = train_multilabel(
            build,
            [gx[fit]],
            Y[fit],
            [gx[val]],
            Y[val],
            self.params["max_epochs"],
            patience=self.params["patience"],
            seed=seed,
            cancel=cancel,
        )
        final = train_multilabel(build, [gx], Y, None, None, first.best_epoch, seed=seed, cancel=cancel)
        self._module = final.module
        self.chosen = {
            "gx": result.chose,
            "metric_epoch": result.best_epoch,
            "metric_val": None if result.best_score is None else round(result.best_score, 4),
            "raw_val": None if result.raw_score is None else round(result.raw_score, 4),
            "pairs": len(pairs),
            "epochs": first.best_epoch,
        }

    def _predict(self, X: np.ndarray, side: SideInfo) -> np.ndarray:
        from heritage_tagger.vision.siamese import apply_head

        gx = (apply_head(self._state, X) - self._mu) / self._sd
        return sigmoid(predict_logits(self._module, [gx]))
