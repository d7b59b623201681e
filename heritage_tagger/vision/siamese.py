"""Siamese metric learning on cached backbone features: contrastive loss (eqs. 4-5) and a residual adapter.

The head sees L2-normalised backbone features, so pair distances start in [0, 2] and the default
contrastive margin m = 1 (``ModelSettings.contrastive_margin``) sits in the middle of that range:
negative pairs already further apart than 1 cost nothing. The adapter is
``gx = x + W2 relu(W1 x + b1) + b2`` with W2 and b2 zero at the start, so before training GX is
exactly the normalised pretrained representation, and training only nudges it (DESIGN.md, "The model").
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np

from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.settings import ModelSettings
from heritage_tagger.vision.devices import autocast, resolve_device

if TYPE_CHECKING:
    import torch
    from torch import nn


log = logging.getLogger(__name__)

STAGE = "metric"


class PairSet(Protocol):
    """Training pairs as rows of the features (text.metasim.PairSet has this shape): label 1 positive, 0 negative."""

    @property
    def anchor(self) -> np.ndarray: ...

    @property
    def other(self) -> np.ndarray: ...

    @property
    def label(self) -> np.ndarray: ...


Validator = Callable[[np.ndarray], float]

__all__ = [
    "MetricHeadRunner",
    "MetricResult",
    "apply_head",
    "contrastive_loss",
    "l2_normalise",
    "metric_batch",
    "train_metric_head",
]


@dataclass
class MetricResult:
    """The trained head (None when the raw features won), GX for every input row, and the history."""

    state_dict: dict[str, torch.Tensor] | None
    gx: np.ndarray
    chose: Literal["adapter", "raw"]
    history: list[tuple[int, float, float | None]] = field(default_factory=list)  # (epoch, loss, val score)
    raw_score: float | None = None
    best_epoch: int = 0
    best_score: float | None = None


def l2_normalise(features: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (all-zero rows, e.g. of unreadable images, stay zero)."""
    x = np.asarray(features, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.where(norms > 0, norms, 1.0)).astype(np.float32, copy=False)


def contrastive_loss(
    a: torch.Tensor | np.ndarray, b: torch.Tensor | np.ndarray, y: torch.Tensor | np.ndarray, margin: float
) -> torch.Tensor:
    """Eqs. 4-5: D = ||a - b||, L = y D^2 / 2 + (1 - y) max(0, m - D)^2 / 2, averaged over the pairs."""
    import torch

    a = torch.as_tensor(a, dtype=torch.float32)
    b = torch.as_tensor(b, dtype=torch.float32, device=a.device)
    y = torch.as_tensor(y, dtype=torch.float32, device=a.device)
    d2 = ((a - b) ** 2).sum(dim=1)
    positive = d2 > 0  # sqrt has no gradient at 0: identical pairs get D = 0 and a zero gradient
    d = torch.where(positive, torch.where(positive, d2, torch.ones_like(d2)).sqrt(), torch.zeros_like(d2))
    loss = y * d2 / 2 + (1 - y) * torch.clamp(margin - d, min=0) ** 2 / 2
    return loss.mean()


@lru_cache(maxsize=1)
def _head_class() -> type[nn.Module]:
    import torch
    from torch import nn

    class MetricHead(nn.Module):
        """Residual adapter ``x + fc2(relu(fc1(x)))`` with fc2 zero-initialised (identity at the start)."""

        def __init__(self, dim: int, hidden: int) -> None:
            super().__init__()
            self.fc1 = nn.Linear(dim, hidden)
            self.fc2 = nn.Linear(hidden, dim)
            nn.init.zeros_(self.fc2.weight)
            nn.init.zeros_(self.fc2.bias)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x + self.fc2(torch.relu(self.fc1(x)))

    return MetricHead


def __getattr__(name: str) -> type[nn.Module]:
    if name == "MetricHead":  # defined on first use so that importing this module does not import torch
        return _head_class()
    raise AttributeError(name)


def _pair_arrays(
    pairs: PairSet | tuple[np.ndarray, np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A PairSet (anchor, other, label attributes) or an (anchor, other, label) tuple."""
    if isinstance(pairs, tuple):
        anchor, other, label = pairs
    else:
        anchor, other, label = pairs.anchor, pairs.other, pairs.label
    anchor = np.asarray(anchor, dtype=np.int64)
    other = np.asarray(other, dtype=np.int64)
    label = np.asarray(label, dtype=np.float32)
    if not (anchor.shape == other.shape == label.shape) or anchor.ndim != 1:
        raise ValueError("pairs need anchor, other and label arrays of the same length")
    return anchor, other, label


def _gx(head: nn.Module, x: torch.Tensor, batch: int = 8192) -> np.ndarray:
    import torch

    head.eval()
    with torch.inference_mode():
        parts = [head(x[i : i + batch]).float().cpu().numpy() for i in range(0, len(x), batch)]
    head.train()
    return (
        np.concatenate(parts).astype(np.float32, copy=False)
        if parts
        else np.zeros((0, x.shape[1]), np.float32)
    )


def metric_batch(settings: ModelSettings, n_pairs: int) -> tuple[int, float]:
    """Pairs per step and the learning rate for them: ``metric_batch_size`` pairs (all when fewer) at
    ``learning_rate`` scaled by batch / ``batch_size`` (the linear scaling rule: as many pairs are
    seen per unit of learning rate as with the paper's small batches, in far fewer steps)."""
    batch = max(1, min(settings.metric_batch_size, n_pairs))
    scale = max(1.0, batch / max(1, settings.batch_size))
    return batch, settings.learning_rate * scale


def train_metric_head(
    features: np.ndarray,
    pairs: PairSet | tuple[np.ndarray, np.ndarray, np.ndarray],
    settings: ModelSettings,
    validate: Validator | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    device: str | None = None,
    hidden: int | None = None,
    validation_rows: np.ndarray | None = None,
) -> MetricResult:
    """Train the adapter on pairs of rows of ``features`` with the contrastive loss; return GX.

    Each epoch draws ``metric_pairs_per_epoch`` of the pairs afresh (all of them when there are
    fewer) and takes SGD steps (momentum 0.9, step decay of ``lr_step_epochs``/``lr_gamma``) of
    ``metric_batch_size`` pairs at the scaled learning rate of ``metric_batch``; an epoch's cost
    does not grow with the collection. With ``validate`` (higher is better), called after every
    epoch on GX of ``validation_rows`` (all rows when None, in that order; a fixed sample keeps
    the check's cost flat too), the best epoch's weights are kept, training stops after
    ``lr_step_epochs`` epochs without improvement, and when no epoch beats ``validate(normalised
    raw features of those rows)`` the result is ``chose="raw"`` with GX = the normalised raw
    features. Without ``validate`` the last epoch wins. The hidden width defaults to
    ``settings.hidden_visual``. On CUDA the forward pass runs under mixed precision
    (``settings.mixed_precision``); on the CPU everything is float32.
    """
    import torch

    x_np = l2_normalise(features)
    n, dim = x_np.shape
    anchor, other, label = _pair_arrays(pairs)
    if len(anchor) and (min(anchor.min(), other.min()) < 0 or max(anchor.max(), other.max()) >= n):
        raise ValueError("a pair refers to a row outside the features")
    checked = np.arange(n) if validation_rows is None else np.asarray(validation_rows, dtype=np.int64)
    if len(checked) and (checked.min() < 0 or checked.max() >= n):
        raise ValueError("a validation row is outside the features")
    target = resolve_device(device or settings.device)
    generator = torch.Generator().manual_seed(settings.seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(settings.seed)
        head = _head_class()(dim, hidden or settings.hidden_visual)
    head.to(target)
    x = torch.from_numpy(x_np).to(target)
    x_checked = x[torch.from_numpy(checked).to(target)]
    a_idx = torch.from_numpy(anchor).to(target)
    o_idx = torch.from_numpy(other).to(target)
    y_all = torch.from_numpy(label).to(target)
    batch, lr = metric_batch(settings, len(anchor))
    per_epoch = min(len(anchor), max(1, settings.metric_pairs_per_epoch))
    optimiser = torch.optim.SGD(head.parameters(), lr=lr, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(
        optimiser, step_size=settings.lr_step_epochs, gamma=settings.lr_gamma
    )
    margin = settings.contrastive_margin
    mixed = settings.mixed_precision

    def draw() -> torch.Tensor:
        """This epoch's pairs: a fresh random sample (a permutation when every pair fits)."""
        order = torch.randperm(len(anchor), generator=generator)
        return order[:per_epoch].to(target)

    def pairs_loss(chosen: torch.Tensor) -> torch.Tensor:
        with autocast(target, mixed):
            gx = head(x[torch.cat([a_idx[chosen], o_idx[chosen]])])
        gx = gx.float()
        return contrastive_loss(gx[: len(chosen)], gx[len(chosen) :], y_all[chosen], margin)

    def first_loss() -> float:
        if not len(anchor):
            return 0.0
        chosen = torch.randperm(len(anchor), generator=torch.Generator().manual_seed(settings.seed))
        with torch.inference_mode():
            return float(pairs_loss(chosen[:per_epoch].to(target)))

    raw_score = float(validate(x_np[checked])) if validate is not None else None
    history: list[tuple[int, float, float | None]] = [(0, first_loss(), raw_score)]
    best_state = copy.deepcopy(head.state_dict())
    best_score, best_epoch = raw_score, 0
    progress(
        Progress(
            STAGE,
            0,
            settings.epochs,
            f"metric learning on {per_epoch} of {len(anchor)} pairs an epoch, {batch} a step",
        )
    )
    for epoch in range(1, settings.epochs + 1):
        if cancel is not None:
            cancel.check()
        order = draw()
        total, count = 0.0, 0
        for start in range(0, len(order), batch):
            if cancel is not None:
                cancel.check()
            chosen = order[start : start + batch]
            loss = pairs_loss(chosen)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            total += float(loss.detach()) * len(chosen)
            count += len(chosen)
        scheduler.step()
        mean_loss = total / max(1, count)
        score = float(validate(_gx(head, x_checked))) if validate is not None else None
        history.append((epoch, mean_loss, score))
        message = f"epoch {epoch}: loss {mean_loss:.4f}" + (
            f", validation {score:.4f}" if score is not None else ""
        )
        progress(Progress(STAGE, epoch, settings.epochs, message))
        if score is None or best_score is None:
            continue
        if score > best_score:
            best_score, best_epoch = score, epoch
            best_state = copy.deepcopy(head.state_dict())
        elif epoch - best_epoch >= settings.lr_step_epochs:
            log.info(
                "metric head: no validation gain for %d epochs, stopping at %d",
                settings.lr_step_epochs,
                epoch,
            )
            break
    if validate is None:
        best_state, best_epoch = copy.deepcopy(head.state_dict()), len(history) - 1
    if validate is not None and best_epoch == 0:
        log.info("metric head: raw features win on validation (%.4f); GX = raw features", raw_score)
        return MetricResult(None, x_np, "raw", history, raw_score, 0, raw_score)
    state = {k: v.detach().cpu().clone() for k, v in best_state.items()}
    return MetricResult(state, apply_head(state, x_np), "adapter", history, raw_score, best_epoch, best_score)


class MetricHeadRunner:
    """A trained metric head for GX of a few queries at a time (prediction), in numpy: no torch import,
    so a catalogued photo's suggestions need neither torch nor a GPU. Matches ``apply_head`` to float32
    rounding."""

    def __init__(self, state: Mapping[str, torch.Tensor | np.ndarray], device: str = "cpu") -> None:
        def array(key: str) -> np.ndarray:
            value = state[key]
            if not isinstance(value, np.ndarray):
                value = value.detach().cpu().numpy()
            return np.ascontiguousarray(value, dtype=np.float32)

        self.device = device  # kept for callers that name one; the numpy head always runs on the CPU
        self.w1t, self.b1 = np.ascontiguousarray(array("fc1.weight").T), array("fc1.bias")
        self.w2t, self.b2 = np.ascontiguousarray(array("fc2.weight").T), array("fc2.bias")

    def __call__(self, features: np.ndarray) -> np.ndarray:
        """GX of backbone features: ``x + fc2(relu(fc1(x)))`` on the L2-normalised rows, float32[q, dim]."""
        x = l2_normalise(features)
        hidden = x @ self.w1t
        hidden += self.b1
        np.maximum(hidden, 0.0, out=hidden)
        out = hidden @ self.w2t
        out += self.b2
        out += x
        return out.astype(np.float32, copy=False)


def apply_head(
    state_dict: Mapping[str, torch.Tensor | np.ndarray] | None, features: np.ndarray, device: str = "cpu"
) -> np.ndarray:
    """GX of backbone features: the head on the normalised features, or those features when state is None."""
    import torch

    x_np = l2_normalise(features)
    if state_dict is None:
        return x_np
    weight1 = torch.as_tensor(state_dict["fc1.weight"])
    hidden, dim = weight1.shape
    if x_np.shape[1] != dim:
        raise ValueError(f"the head expects {dim}-d features, got {x_np.shape[1]}-d")
    head = _head_class()(dim, hidden)
    head.load_state_dict({k: torch.as_tensor(v) for k, v in state_dict.items()})
    target = resolve_device(device)
    head.to(target)
    return _gx(head, torch.from_numpy(x_np).to(target))
