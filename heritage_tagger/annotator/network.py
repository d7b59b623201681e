"""The fused annotation network (seed 000, eqs. 13-15) and the label-quantity regressor (seed 002).

Training schedule. The paper trains with SGD at lr 0.001, divided by 10 every 10 epochs, for
30 epochs; on a catalogue of a few hundred photos that is 30-300 optimiser steps at a tiny
learning rate and the network barely moves from its initialisation (measured on DOCUMERICA:
validation imAP at chance, 0.07). The default is therefore Adam at lr 0.001 with the output
bias started at each tag's log-odds, at least STEPS_PER_EPOCH optimiser steps per requested
epoch (``epochs`` is the floor: 30 epochs give at least 300 steps), and early stopping on the validation imAP (not the BCE loss: with sparse labels the
loss falls first by pushing every logit down, long before the ranking is learnt; stopping on
the loss stopped at chance on DOCUMERICA, stopping on imAP reached 0.18-0.20 over three
splits). The paper's schedule stays reachable: ``ModelSettings.optimizer = "sgd"`` (read with
``getattr``; the field is requested in settings.py) runs exactly ``epochs`` epochs of it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress

if TYPE_CHECKING:  # pragma: no cover
    import torch
    from torch import nn

# Optimiser choices reachable through ModelSettings.optimizer (see the module docstring).
PAPER_SCHEDULE = "sgd"  # SGD, lr 0.001, /10 every 10 epochs, fixed number of epochs
DEFAULT_SCHEDULE = "adam"  # Adam, lr 0.001, early stopping on validation imAP
STEPS_PER_EPOCH = 10  # Adam: at least this many optimiser steps per requested epoch (tiny collections
# have 1-2 batches an epoch: 30 epochs of them would be 30-60 steps)
GX_SCALES: dict[
    str, Callable[[int], float]
] = {  # ModelSettings.gx_scale -> the factor GX is multiplied by into the network, given its size
    "unit-variance": lambda dim: math.sqrt(dim),
    "none": lambda dim: 1.0,
}
PATIENCE = 8  # epochs without a better validation result before stopping ...
PATIENCE_STEPS = 60  # ... and at least this many optimiser steps


def _modules() -> tuple[type[nn.Module], type[nn.Module]]:
    import torch
    from torch import nn

    class AnnotationNet(nn.Module):
        """theta_X = ReLU(W_X s GX + b_X); theta_S = ReLU(W_S GS + b_S); logits = W_P [theta_X; theta_S] + b_P.

        ``gx_scale`` (s) rescales GX before the first layer: GX rows have unit length, so each of
        their G numbers is about 1/sqrt(G) and a freshly initialised layer barely sees them; the
        product model uses s = sqrt(G) (unit variance per number), the paper's model s = 1.
        With ``text_dim`` > 0 a third branch reads the record's own text (``annotator.text_inputs``):
        theta_T = ReLU(W_T GT + b_T) joins the concatenation, and ``lexical_weight * lexical[t]``
        (one weight shared by every tag) is added to the logit of each tag the caption names, so the
        evidence carries over to tags with few training photos. During training each row's text is
        hidden with probability ``text_dropout``, so the same network also answers from the image alone.
        """

        def __init__(
            self,
            gx_dim: int,
            gs_dim: int,
            n_tags: int,
            h1: int = 512,
            h2: int = 256,
            text_dim: int = 0,
            h3: int = 128,
            gx_scale: float = 1.0,
            text_dropout: float = 0.0,
        ) -> None:
            super().__init__()
            self.visual = nn.Linear(gx_dim, h1)  # eq. 13
            self.semantic = nn.Linear(gs_dim, h2)  # eq. 14
            self.text_dim, self.gx_scale, self.text_dropout = (
                int(text_dim),
                float(gx_scale),
                float(text_dropout),
            )
            if self.text_dim:
                self.text = nn.Linear(self.text_dim, h3)
                self.lexical_weight = nn.Parameter(torch.ones(1))
            self.output = nn.Linear(h1 + h2 + (h3 if self.text_dim else 0), n_tags)  # eq. 15

        def forward(
            self,
            gx: torch.Tensor,
            gs: torch.Tensor,
            gt: torch.Tensor | None = None,
            lexical: torch.Tensor | None = None,
        ) -> torch.Tensor:
            parts = [torch.relu(self.visual(gx * self.gx_scale)), torch.relu(self.semantic(gs))]
            if not self.text_dim:
                return self.output(torch.cat(parts, dim=1))
            if gt is None or lexical is None:
                gt = gx.new_zeros((len(gx), self.text_dim))
                lexical = gx.new_zeros((len(gx), self.output.out_features))
            if self.training and self.text_dropout > 0:
                keep = (torch.rand(len(gx), 1, device=gx.device) >= self.text_dropout).to(gt.dtype)
                gt, lexical = gt * keep, lexical * keep
            parts.append(torch.relu(self.text(gt)))
            return self.output(torch.cat(parts, dim=1)) + self.lexical_weight * lexical

    class LabelQuantityHead(nn.Module):
        """An MLP regressor on [GX; GS] predicting how many tags an image carries (MSE, seed 002)."""

        def __init__(self, in_dim: int, hidden: int = 256, dropout: float = 0.5) -> None:
            super().__init__()
            self.net = nn.Sequential(
                nn.Linear(in_dim, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, 1)
            )

        def forward(self, gx: torch.Tensor, gs: torch.Tensor) -> torch.Tensor:
            return self.net(torch.cat([gx, gs], dim=1)).squeeze(1)

    return AnnotationNet, LabelQuantityHead


@contextmanager
def torch_threads(device: str, n: int = 1) -> Iterator[None]:
    """Run small CPU work on ``n`` torch threads, restoring the setting afterwards.

    Measured on the 2-core CPU under load: a batch of 32 through a 512-unit MLP took 35 ms
    forward+backward with 2 threads (threads spin-waiting for each other) and 0.8 ms with one.
    """
    import torch

    if not str(device).startswith("cpu"):
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def build_annotation_net(
    gx_dim: int,
    gs_dim: int,
    n_tags: int,
    h1: int = 512,
    h2: int = 256,
    *,
    text_dim: int = 0,
    h3: int = 128,
    gx_scale: float = 1.0,
    text_dropout: float = 0.0,
) -> nn.Module:
    """An ``AnnotationNet`` module (torch is imported here, not at module import)."""
    return _modules()[0](gx_dim, gs_dim, n_tags, h1, h2, text_dim, h3, gx_scale, text_dropout)


def init_output_bias(net: nn.Module, y: np.ndarray) -> None:
    """Start the tag logits at the log-odds of each tag's frequency (a common trick for sparse labels)."""
    import torch

    freq = np.clip(np.asarray(y, dtype=np.float64).mean(axis=0), 1e-4, 1 - 1e-4)
    bias = net.get_parameter("output.bias")
    with torch.no_grad():
        bias.copy_(torch.as_tensor(np.log(freq / (1 - freq)), dtype=torch.float32))


def init_lexical_weight(net: nn.Module, y: np.ndarray, lexical: np.ndarray) -> float:
    """Start the shared weight of "the caption names this tag" at its log-odds ratio on the training rows:
    ``logit(P(tag | named)) - logit(P(tag))`` (add-one smoothed; at least 0). Adam moves one scalar by
    about the learning rate a step, too little to learn a weight of a few units from 1 on a small catalogue."""
    import torch

    if not getattr(net, "text_dim", 0):
        return 0.0
    y, lexical = np.asarray(y, np.float64), np.asarray(lexical, np.float64)
    named = lexical > 0
    p_named = (float((y * named).sum()) + 1.0) / (float(named.sum()) + 2.0)
    p_any = (float(y.sum()) + 1.0) / (float(y.size) + 2.0)
    value = max(0.0, math.log(p_named / (1 - p_named)) - math.log(p_any / (1 - p_any)))
    with torch.no_grad():
        net.get_parameter("lexical_weight").fill_(value)
    return value


def build_quantity_head(in_dim: int, hidden: int = 256) -> nn.Module:
    """A ``LabelQuantityHead`` module."""
    return _modules()[1](in_dim, hidden)


def __getattr__(name: str) -> type[nn.Module]:  # lazy access to the torch classes: network.AnnotationNet
    if name == "AnnotationNet":
        return _modules()[0]
    if name == "LabelQuantityHead":
        return _modules()[1]
    raise AttributeError(name)


@dataclass
class FitHistory:
    """What a training loop did: losses per epoch and the epoch kept."""

    schedule: str
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_score: list[float] = field(default_factory=list)
    best_epoch: int = 0
    epochs_run: int = 0
    val_outputs: list[np.ndarray] = field(default_factory=list, repr=False)  # per epoch, when kept

    def as_dict(self) -> dict[str, Any]:
        """A compact summary for the manifest: first and last training loss, best validation loss."""
        return {
            "schedule": self.schedule,
            "epochs_run": self.epochs_run,
            "best_epoch": self.best_epoch,
            "train_loss_first": round(self.train_loss[0], 5) if self.train_loss else None,
            "train_loss_last": round(self.train_loss[-1], 5) if self.train_loss else None,
            "val_loss_first": round(self.val_loss[0], 5) if self.val_loss else None,
            "val_loss_best": round(min(self.val_loss), 5) if self.val_loss else None,
            "val_score_best": round(max(self.val_score), 5) if self.val_score else None,
        }


def epoch_plan(
    n: int, batch_size: int, rows_per_epoch: int | None = None, max_steps: int | None = None
) -> tuple[int, int]:
    """(rows an epoch draws, rows a step takes): ``rows_per_epoch`` of ``n`` (all when None or
    fewer), in batches of ``batch_size`` grown where needed to take at most ``max_steps`` steps."""
    per_epoch = n if not rows_per_epoch else min(n, rows_per_epoch)
    if max_steps:
        batch_size = max(batch_size, math.ceil(per_epoch / max_steps))
    return per_epoch, batch_size


def fit_module(
    module: nn.Module,
    inputs: tuple[np.ndarray, ...],
    target: np.ndarray,
    *,
    loss: str,
    val: tuple[tuple[np.ndarray, ...], np.ndarray] | None,
    schedule: str,
    epochs: int,
    lr: float,
    lr_step: int,
    lr_gamma: float,
    batch_size: int,
    seed: int,
    device: str,
    stage: str,
    fixed_epochs: bool = False,
    score: Callable[[np.ndarray], float] | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    rows_per_epoch: int | None = None,
    max_steps_per_epoch: int | None = None,
    keep_val_outputs: bool = False,
) -> FitHistory:
    """Train ``module(*inputs) -> prediction`` with BCE-with-logits (``loss="bce"``) or MSE.

    At scale (issue 15) an epoch is ``rows_per_epoch`` rows drawn afresh (all rows when fewer or
    None), in batches grown beyond ``batch_size`` where needed to keep to ``max_steps_per_epoch``
    steps: an epoch then costs the same at 30,000 rows as at 3,000.

    ``schedule="sgd"`` is the paper's: SGD at ``lr`` divided by ``lr_gamma`` every ``lr_step``
    epochs for exactly ``epochs`` epochs. ``schedule="adam"`` (default): Adam at ``lr`` for at
    most ``max(epochs, enough for STEPS_PER_EPOCH * epochs steps)`` epochs, stopping after PATIENCE epochs with no
    better validation result and restoring the best weights. The validation result is ``score(raw
    validation output)`` when given (higher is better: imAP for the tag network, since the BCE loss
    of sparse labels falls first by pushing every logit down, long before the ranking is learnt),
    else the validation loss. ``fixed_epochs`` runs exactly
    ``epochs`` epochs (used to refit on all rows with the epoch count chosen on validation).
    ``keep_val_outputs`` keeps the raw validation output of every epoch in ``history.val_outputs``
    (for ``knowledge.selection.out_of_fold_epochs``: small validation parts only). Small CPU
    batches run on one torch thread (``torch_threads``).
    """
    per_epoch, batch_size = epoch_plan(len(target), batch_size, rows_per_epoch, max_steps_per_epoch)
    with torch_threads(device):
        import torch

        gen = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)
        module.to(device)
        xs = [torch.as_tensor(x, dtype=torch.float32, device=device) for x in inputs]
        y = torch.as_tensor(target, dtype=torch.float32, device=device)
        if val is not None:
            vxs = [torch.as_tensor(x, dtype=torch.float32, device=device) for x in val[0]]
            vy = torch.as_tensor(val[1], dtype=torch.float32, device=device)
        loss_fn = torch.nn.BCEWithLogitsLoss() if loss == "bce" else torch.nn.MSELoss()
        n = len(y)
        steps_per_epoch = max(1, math.ceil(per_epoch / batch_size))
        opt: torch.optim.Optimizer
        sched: torch.optim.lr_scheduler.StepLR | None
        if schedule == PAPER_SCHEDULE:
            opt = torch.optim.SGD(module.parameters(), lr=lr, momentum=0.0)
            sched = torch.optim.lr_scheduler.StepLR(opt, step_size=max(1, lr_step), gamma=lr_gamma)
            max_epochs = epochs
        else:
            opt = torch.optim.Adam(module.parameters(), lr=lr, weight_decay=1e-5)
            sched = None
            max_epochs = (
                epochs if fixed_epochs else max(epochs, math.ceil(STEPS_PER_EPOCH * epochs / steps_per_epoch))
            )
        history = FitHistory(schedule=schedule)
        best: tuple[float, dict[str, torch.Tensor] | None] = (math.inf, None)
        bad = 0
        for epoch in range(max_epochs):
            if cancel is not None:
                cancel.check()
            module.train()
            order = torch.randperm(n, generator=gen)[:per_epoch].to(device)
            total = 0.0
            for start in range(0, per_epoch, batch_size):
                idx = order[start : start + batch_size]
                opt.zero_grad()
                out = loss_fn(module(*[x[idx] for x in xs]), y[idx])
                out.backward()
                opt.step()
                total += float(out.detach()) * len(idx)
            if sched is not None:
                sched.step()
            history.train_loss.append(total / per_epoch)
            history.epochs_run = epoch + 1
            if val is not None and len(vy):
                module.eval()
                with torch.no_grad():
                    vout = module(*vxs)
                    vloss = float(loss_fn(vout, vy))
                history.val_loss.append(vloss)
                if keep_val_outputs:
                    history.val_outputs.append(vout.float().cpu().numpy())
                if score is not None:
                    value = -float(score(vout.float().cpu().numpy()))
                    history.val_score.append(-value)
                else:
                    value = vloss
                if value < best[0] - 1e-6:
                    best = (value, {k: v.detach().clone() for k, v in module.state_dict().items()})
                    history.best_epoch = epoch + 1
                    bad = 0
                else:
                    bad += 1
            else:
                history.best_epoch = epoch + 1
            progress(Progress(stage, epoch + 1, max_epochs, f"loss {history.train_loss[-1]:.4f}"))
            patience = max(PATIENCE, math.ceil(PATIENCE_STEPS / steps_per_epoch))
            if schedule != PAPER_SCHEDULE and not fixed_epochs and val is not None and bad >= patience:
                break
        if schedule != PAPER_SCHEDULE and best[1] is not None:
            module.load_state_dict(best[1])
        module.eval()
        return history


def _predict_module(
    module: nn.Module, inputs: tuple[np.ndarray, ...], device: str, batch: int = 4096
) -> np.ndarray:
    """Run ``module`` in eval mode over ``inputs`` in batches; returns float32 numpy output."""
    import torch

    module.eval()
    n = len(inputs[0])
    outs = []
    with torch.no_grad():
        for start in range(0, n, batch):
            xs = [
                torch.as_tensor(x[start : start + batch], dtype=torch.float32, device=device) for x in inputs
            ]
            outs.append(module(*xs).float().cpu().numpy())
    if not outs:
        return np.zeros((0,), dtype=np.float32)
    return np.concatenate(outs, axis=0).astype(np.float32)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Numerically stable logistic function on numpy arrays."""
    return (0.5 * (1.0 + np.tanh(0.5 * x))).astype(np.float32)


def predict_module(
    module: nn.Module, inputs: tuple[np.ndarray, ...], device: str, batch: int = 4096
) -> np.ndarray:
    """See ``_predict_module``; a few rows on the CPU run on one thread (lowest latency)."""
    if len(inputs[0]) <= 64:
        with torch_threads(device):
            return _predict_module(module, inputs, device, batch)
    return _predict_module(module, inputs, device, batch)
