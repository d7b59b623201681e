"""AAAM-lite (seed 003): binary cross-entropy plus the triplet-margin (TM) ranking loss over labels.

Seed 003 trains BCE first (the easy-to-detect labels), then BCE + lambda * TM with a triplet
sampler taking, per image, its top-ranked relevant label i, its lowest-ranked relevant label j
and its top-ranked irrelevant label k (the hard sample):
``TM = max(0, m + (z_i - z_j)^2 - (z_i - z_k)^2)`` on the sigmoid scores z.
Simplified: the head is an MLP on the cached pooled backbone features, so the paper's
self-attention over convolutional feature maps is absent; epochs stop early on validation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

if TYPE_CHECKING:
    import torch
    from torch import nn

from heritage_tagger.annotator.mlp import predict_logits, sigmoid, two_layer
from heritage_tagger.baselines.registry import Method, SideInfo, validation_score
from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.knowledge.selection import validation_split
from heritage_tagger.settings import ModelSettings

_DEFAULTS = ModelSettings()


def triplet_margin(z: torch.Tensor, y: torch.Tensor, margin: float) -> torch.Tensor:
    """Mean TM loss of eq. 4 with the hardest triplet of each image that has a relevant label."""
    import torch

    big = 1e4
    rel = y > 0.5
    has = rel.any(dim=1) & (~rel).any(dim=1)
    if not bool(has.any()):
        return z.sum() * 0.0
    z, rel = z[has], rel[has]
    zi = torch.where(rel, z, torch.full_like(z, -big)).max(dim=1).values
    zj = torch.where(rel, z, torch.full_like(z, big)).min(dim=1).values
    zk = torch.where(~rel, z, torch.full_like(z, -big)).max(dim=1).values
    return torch.relu(margin + (zi - zj) ** 2 - (zi - zk) ** 2).mean()


def train_aaam(
    Z: np.ndarray,
    Y: np.ndarray,
    Zv: np.ndarray | None,
    Yv: np.ndarray | None,
    p: dict[str, Any],
    seed: int,
    epochs: int,
    cancel: CancelToken | None = None,
) -> tuple[nn.Module, int, float]:
    import torch

    torch.manual_seed(seed)
    module = two_layer(Z.shape[1], p["hidden"], Y.shape[1])
    x = torch.from_numpy(np.ascontiguousarray(Z, dtype=np.float32))
    y = torch.from_numpy(Y.astype(np.float32))
    opt = torch.optim.Adam(module.parameters(), lr=p["lr"], weight_decay=p["weight_decay"])
    gen = torch.Generator().manual_seed(seed)
    best_state, best_epoch, best_score, waited = None, epochs, -1.0, 0
    for epoch in range(1, epochs + 1):
        if cancel is not None:
            cancel.check()
        module.train()
        use_tm = epoch > p["bce_epochs"]
        for idx in torch.randperm(len(x), generator=gen).split(32):
            opt.zero_grad()
            logits = module(x[idx])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y[idx])
            if use_tm:
                loss = loss + p["tm_weight"] * triplet_margin(torch.sigmoid(logits), y[idx], p["margin"])
            loss.backward()
            opt.step()
        if Zv is None or Yv is None:
            continue
        score = validation_score(Yv, predict_logits(module, [Zv]))
        if score > best_score + 1e-6:
            best_score, best_epoch, waited = score, epoch, 0
            best_state = {k: v.detach().clone() for k, v in module.state_dict().items()}
        elif use_tm:
            waited += 1
            if waited >= p["patience"]:
                break
    if best_state is not None:
        module.load_state_dict(best_state)
    module.eval()
    return module, best_epoch, best_score


class AAAM(Method):
    name = "aaam"
    label = "AAAM-lite (BCE+TM)"
    default_params: ClassVar[dict[str, Any]] = {
        "hidden": _DEFAULTS.hidden_visual,
        "max_epochs": 200,
        "bce_epochs": 10,
        "patience": 20,
        "tm_weight": 1.0,
        "margin": 0.5,
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
        p, seed = self.params, int(side.get("seed", 0))
        self._mu, self._sd = X.mean(0), X.std(0) + 1e-6
        Z = (X - self._mu) / self._sd
        fit, val = validation_split(len(X), p["validation_fraction"], seed)
        _, epochs, score = train_aaam(Z[fit], Y[fit], Z[val], Y[val], p, seed, p["max_epochs"], cancel)
        self._module, _, _ = train_aaam(Z, Y, None, None, p, seed, epochs, cancel)
        self.chosen = {"epochs": epochs, "validation": round(score, 4)}

    def _predict(self, X: np.ndarray, side: SideInfo) -> np.ndarray:
        return sigmoid(predict_logits(self._module, [(X - self._mu) / self._sd]))
