"""LTN and LTwin (seed 001): neighbourhoods found by metadata, neighbour features max-pooled,
metadata mapped through word vectors. These read a test photo's own description and location.

Simplified but faithful in spirit:
- neighbours: the m training records most similar by seed 000's metasim (Jaccard of description
  words + lambda * same location, text.metasim); ties broken by visual cosine similarity; the
  record itself is excluded. The paper samples m of the M best during training; we take the m best,
  m chosen on validation;
- pi(o): the mean word vector of the record's description words and location (seed 001 sums
  them; the mean keeps the scale independent of the description's length);
- LTN: ``W_y [relu(W_x x); max_i relu(W_z z_i)]``; LTwin adds ``relu(W_u pi(o_x))`` and
  ``max_i relu(W_v pi(o_{z_i}))`` as a second pipeline; trained with sigmoid cross-entropy and
  early stopping on validation (no RNN variants).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

if TYPE_CHECKING:
    from torch import nn

from heritage_tagger.annotator.mlp import predict_logits, sigmoid, train_multilabel
from heritage_tagger.baselines.registry import Method, SideInfo
from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.knowledge.selection import validation_split
from heritage_tagger.settings import ModelSettings
from heritage_tagger.vision.siamese import l2_normalise

_DEFAULTS = ModelSettings()


def _words(side: SideInfo, i: int) -> frozenset[str]:
    from heritage_tagger.text.lemmatise import token_set

    text = side["descriptions"][i] or side["titles"][i]
    return token_set(text)


def metadata_neighbours(
    base_words: list[frozenset[str]],
    base_locs: list[str],
    base_vis: np.ndarray,
    q_words: list[frozenset[str]],
    q_locs: list[str],
    q_vis: np.ndarray,
    m: int,
    exclude_self: bool,
) -> np.ndarray:
    """rows int64[q, m] of the most metadata-similar base records (visual similarity breaks ties)."""
    from heritage_tagger.text.metasim import MetadataSimilarity

    sim = MetadataSimilarity(
        list(q_words) + list(base_words), list(q_locs) + list(base_locs), _DEFAULTS.lambda_location
    )
    nq = len(q_words)
    meta = sim.rows(0, nq)[:, nq:].astype(np.float64)
    score = meta + 1e-3 * (q_vis @ base_vis.T)  # cosine in [-1, 1]: below any metasim step
    if exclude_self:
        score[np.arange(nq), np.arange(nq)] = -np.inf
    m = max(1, min(m, base_vis.shape[0] - (1 if exclude_self else 0)))
    return np.argsort(-score, axis=1, kind="stable")[:, :m]


class _Net:
    @staticmethod
    def build(dim: int, wdim: int, hidden: int, n_tags: int, twin: bool) -> nn.Module:
        import torch

        class Net(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.fx = torch.nn.Linear(dim, hidden)
                self.fz = torch.nn.Linear(dim, hidden)
                parts = 2
                if twin:
                    self.ux = torch.nn.Linear(wdim, hidden)
                    self.uz = torch.nn.Linear(wdim, hidden)
                    parts = 4
                self.drop = torch.nn.Dropout(0.5)
                self.out = torch.nn.Linear(parts * hidden, n_tags)

            def forward(self, x, z, ox=None, oz=None):  # type: ignore[no-untyped-def]
                relu = torch.relu
                h = [relu(self.fx(x)), relu(self.fz(z)).amax(dim=1)]
                if twin:
                    h += [relu(self.ux(ox)), relu(self.uz(oz)).amax(dim=1)]
                return self.out(self.drop(torch.cat(h, dim=1)))

        return Net()


class LTN(Method):
    name = "ltn"
    label = "LTN (metadata at test time)"
    uses_test_metadata = True
    twin: ClassVar[bool] = False
    default_params: ClassVar[dict[str, Any]] = {
        "grid": (3, 6, 12),
        "hidden": 256,
        "max_epochs": 150,
        "patience": 15,
        "validation_fraction": _DEFAULTS.validation_fraction,
    }

    @property
    def needs_word_vectors(self) -> bool:  # type: ignore[override]
        return self.twin

    def _meta_vectors(self, side: SideInfo) -> np.ndarray:
        wv = side.get("word_vectors")
        n = len(side["descriptions"])
        if not self.twin:
            return np.zeros((n, 1), dtype=np.float32)
        if wv is None:
            raise ValueError("LTwin needs word vectors (side['word_vectors'])")
        out = np.zeros((n, wv.dim), dtype=np.float32)
        for i in range(n):
            text = " ".join(sorted(_words(side, i))) + " " + (side["locations"][i] or "")
            vec = wv.phrase(text)
            if vec is not None:
                out[i] = vec
        return out

    def _inputs(self, qi: dict[str, Any], rows: np.ndarray) -> list[np.ndarray]:
        z = self._Z[rows]
        if not self.twin:
            return [qi["x"], z]
        return [qi["x"], z, qi["o"], self._O[rows]]

    def _fit(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        side: SideInfo,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> None:
        p, seed = self.params, int(side.get("seed", 0))
        self._mu, self._sd = X.mean(0), X.std(0) + 1e-6
        self._Z = ((X - self._mu) / self._sd).astype(np.float32)
        self._vis = l2_normalise(X)
        self._words = [_words(side, i) for i in range(len(X))]
        self._locs = list(side["locations"])
        self._O = self._meta_vectors(side)
        fit, val = validation_split(len(X), p["validation_fraction"], seed)
        wdim = self._O.shape[1]

        def build() -> nn.Module:
            return _Net.build(X.shape[1], wdim, p["hidden"], Y.shape[1], self.twin)

        def rows_for(query: np.ndarray, base: np.ndarray, m: int, exclude: bool) -> np.ndarray:
            r = metadata_neighbours(
                [self._words[i] for i in base],
                [self._locs[i] for i in base],
                self._vis[base],
                [self._words[i] for i in query],
                [self._locs[i] for i in query],
                self._vis[query],
                m,
                exclude,
            )
            return base[r]

        trials = {}
        for m in p["grid"]:
            tr = rows_for(fit, fit, m, True)
            vr = rows_for(val, fit, m, False)
            res = train_multilabel(
                build,
                self._inputs({"x": self._Z[fit], "o": self._O[fit]}, tr),
                Y[fit],
                self._inputs({"x": self._Z[val], "o": self._O[val]}, vr),
                Y[val],
                p["max_epochs"],
                patience=p["patience"],
                seed=seed,
                cancel=cancel,
            )
            trials[m] = (res.best_score, res.best_epoch)
        self.m = max(trials, key=lambda m: (trials[m][0], -m))
        epochs = trials[self.m][1]
        all_rows = np.arange(len(X))
        rows = rows_for(all_rows, all_rows, self.m, True)
        final = train_multilabel(
            build,
            self._inputs({"x": self._Z, "o": self._O}, rows),
            Y,
            None,
            None,
            epochs,
            seed=seed,
            cancel=cancel,
        )
        self._module = final.module
        self.chosen = {
            "m": self.m,
            "epochs": epochs,
            "validation": {str(k): round(v[0], 4) for k, v in trials.items()},
        }

    def _predict(self, X: np.ndarray, side: SideInfo) -> np.ndarray:
        words = [_words(side, i) for i in range(len(X))]
        vis = l2_normalise(X)
        rows = metadata_neighbours(
            self._words, self._locs, self._vis, words, list(side["locations"]), vis, self.m, False
        )
        qi = {"x": ((X - self._mu) / self._sd).astype(np.float32), "o": self._meta_vectors(side)}
        return sigmoid(predict_logits(self._module, self._inputs(qi, rows)))


class LTwin(LTN):
    name = "ltwin"
    label = "LTwin (metadata at test time)"
    twin = True
