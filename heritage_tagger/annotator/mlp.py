"""A small torch MLP trainer with sigmoid cross-entropy and early stopping on a validation part (the product model's Multi-CNN probe and the baselines)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from torch import nn

from heritage_tagger.domain.progress import CancelToken
from heritage_tagger.knowledge.ranking import ranking_score as validation_score


@dataclass
class MLPResult:
    module: nn.Module
    best_epoch: int
    best_score: float
    val_logits: list[np.ndarray] = field(default_factory=list)  # per epoch, when kept


def train_multilabel(
    build: Callable[[], nn.Module],
    inputs: Sequence[np.ndarray],
    Y: np.ndarray,
    val_inputs: Sequence[np.ndarray] | None,
    Y_val: np.ndarray | None,
    epochs: int,
    lr: float = 1e-3,
    weight_decay: float = 1e-4,
    batch_size: int = 32,
    patience: int = 15,
    seed: int = 0,
    cancel: CancelToken | None = None,
    keep_val_logits: bool = False,
) -> MLPResult:
    """Adam on sigmoid cross-entropy; with validation data, keeps the epoch of best imAP+mAP (early stopping)
    and, with ``keep_val_logits``, the validation logits of every epoch."""
    import torch

    torch.manual_seed(seed)
    module = build()
    tensors = [torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)) for a in inputs]
    target = torch.from_numpy(np.asarray(Y, dtype=np.float32))
    opt = torch.optim.Adam(module.parameters(), lr=lr, weight_decay=weight_decay)
    gen = torch.Generator().manual_seed(seed)
    n = target.shape[0]
    best_state, best_epoch, best_score, waited = None, epochs, -1.0, 0
    kept: list[np.ndarray] = []
    for epoch in range(1, epochs + 1):
        if cancel is not None:
            cancel.check()
        module.train()
        for idx in torch.randperm(n, generator=gen).split(batch_size):
            opt.zero_grad()
            logits = module(*[t[idx] for t in tensors])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target[idx])
            loss.backward()
            opt.step()
        if val_inputs is None or Y_val is None:
            continue
        logits = predict_logits(module, val_inputs)
        if keep_val_logits:
            kept.append(logits)
        score = validation_score(Y_val, logits)
        if score > best_score + 1e-6:
            best_score, best_epoch, waited = score, epoch, 0
            best_state = {k: v.detach().clone() for k, v in module.state_dict().items()}
        else:
            waited += 1
            if waited >= patience:
                break
    if best_state is not None:
        module.load_state_dict(best_state)
    module.eval()
    return MLPResult(module, best_epoch, best_score, kept)


def predict_logits(module: nn.Module, inputs: Sequence[np.ndarray]) -> np.ndarray:
    import torch

    module.eval()
    with torch.no_grad():
        out = module(*[torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32)) for a in inputs])
    return out.numpy()


def sigmoid(x: np.ndarray) -> np.ndarray:
    return (1.0 / (1.0 + np.exp(-np.clip(x, -50, 50)))).astype(np.float32)


def two_layer(in_dim: int, hidden: int, out_dim: int, dropout: float = 0.5) -> nn.Module:
    import torch

    return torch.nn.Sequential(
        torch.nn.Linear(in_dim, hidden),
        torch.nn.ReLU(),
        torch.nn.Dropout(dropout),
        torch.nn.Linear(hidden, out_dim),
    )
