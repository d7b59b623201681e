"""Algorithm 1, steps 3-6 on one set of rows: relevance, GS, the annotation network and the label quantity.

Every equation comes from ``knowledge/`` (eqs. 6-12) with the settings that name its choices
(``alpha_word_vectors``, ``w2v_distance_scale``, ``relevance_normalisation``); the network and its
training loop from ``annotator.network``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from heritage_tagger.annotator.network import (
    GX_SCALES,
    PAPER_SCHEDULE,
    FitHistory,
    build_annotation_net,
    build_quantity_head,
    fit_module,
    init_lexical_weight,
    init_output_bias,
    predict_module,
    sigmoid,
)
from heritage_tagger.annotator.text_inputs import blank_inputs
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback
from heritage_tagger.knowledge.index import NeighbourIndex
from heritage_tagger.knowledge.ranking import mean_average_precision
from heritage_tagger.knowledge.relevance import RelevanceScale, tag_similarity, training_relevance
from heritage_tagger.knowledge.selection import at_epoch
from heritage_tagger.knowledge.summary import (
    median_bandwidth,
    neighbour_tag_scores,
    phi,
    relevance_vectors,
    semantic_summary,
)
from heritage_tagger.settings import ModelSettings, Optimizer

if TYPE_CHECKING:
    from torch import nn

    from heritage_tagger.annotator.text_inputs import TextInputs


@dataclass
class Validation:
    """Held-out rows a stage run is judged on: their GX, ground truth and (product model) text inputs."""

    gx: np.ndarray
    y: np.ndarray
    text: TextInputs | None = None
    keep_outputs: bool = False  # keep the network's output of every epoch (``StageResult.read_at``)


@dataclass
class StageResult:
    """What steps 3-6 produced on one set of rows (and, when validated, their held-out predictions)."""

    relevance: np.ndarray  # float32[n, T]
    xi: np.ndarray  # float32[T, T]
    scale: RelevanceScale
    sigma: float
    net: nn.Module
    history: FitHistory
    quantity: nn.Module | None
    quantity_epochs: int = 0
    val_probs: np.ndarray | None = None  # network probabilities of the held-out rows (with their text)
    val_probs_image: np.ndarray | None = None  # ... with their text hidden (None without a text branch)
    val_neighbour: np.ndarray | None = None  # phi * R neighbour scores of the held-out rows
    val_counts: np.ndarray | None = None  # the regressor's counts for the held-out rows
    quantity_errors: np.ndarray = field(default_factory=lambda: np.zeros(0))  # |regressor - truth|
    constant_errors: np.ndarray = field(default_factory=lambda: np.zeros(0))  # |median count - truth|
    index: NeighbourIndex | None = None  # over gx: the model keeps it (an HNSW graph is costly to build)

    def read_at(self, epoch: int) -> None:
        """Held-out probabilities as the network gave them at ``epoch`` (``Validation.keep_outputs``)."""
        if self.val_probs is None or not self.history.val_outputs:
            return
        probs = sigmoid(at_epoch(self.history.val_outputs, epoch))
        n_val = len(self.val_probs)
        self.val_probs = probs[:n_val]
        if self.val_probs_image is not None:
            self.val_probs_image = probs[n_val:]
        self.history.val_outputs = []  # read once; not carried any further


def run_stages(
    gx: np.ndarray,
    Y: np.ndarray,
    H: np.ndarray,
    has_vec: np.ndarray,
    settings: ModelSettings,
    m: int,
    schedule: Optimizer,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    device: str,
    *,
    validation: Validation | None = None,
    epochs: int | None = None,
    quantity_epochs: int | None = None,
    use_regressor: bool = True,
    text: TextInputs | None = None,
) -> StageResult:
    """Relevance, GS, network and label quantity on ``gx``/``Y`` (validated when ``validation`` is given).

    With ``text`` (the rows' ``TextInputs``) the network has the third branch; it is then validated
    on the held-out rows twice, with their text and with it hidden, and early stopping follows the
    mean of both, so that the network is good at both kinds of record.
    """
    check = cancel.check if cancel is not None else (lambda: None)
    final = validation is None
    tag = "final: " if final else ""
    n = len(gx)
    m = max(1, min(m, n - 1))
    # (3) tag relevance over the m nearest training neighbours, each image excluded from its own
    progress(Progress("relevance", 0, n, f"{tag}m={m}"))
    index = NeighbourIndex(gx)
    rows, dist = index.nearest(gx, m, np.arange(n))
    xi64, _ = tag_similarity(Y, H, has_vec, settings.alpha_word_vectors, settings.w2v_distance_scale)
    xi = xi64.astype(np.float32)
    relevance, scale = training_relevance(Y, xi, rows, settings.relevance_normalisation)
    check()
    progress(Progress("relevance", n, n, f"{tag}m={m}"))
    # (4) semantic summary GS
    progress(Progress("summary", 0, n, tag))
    sigma = median_bandwidth(dist)
    rh = relevance_vectors(relevance, H)
    gs = semantic_summary(rows, phi(dist, sigma), rh)
    val_in: tuple[np.ndarray, ...] | None = None
    val_neighbour = None
    if validation is not None:
        v_rows, v_dist = index.nearest(validation.gx, m)
        phi_val = phi(v_dist, sigma)
        val_neighbour = neighbour_tag_scores(v_rows, phi_val, relevance)
        val_in = (validation.gx, semantic_summary(v_rows, phi_val, rh))
    check()
    inputs: tuple[np.ndarray, ...] = (gx, gs)
    val_net_in, val_net_y = val_in, None if validation is None else validation.y
    if text is not None:
        inputs = (gx, gs, *text.arrays())
        if validation is not None and val_in is not None:
            v_text = validation.text or blank_inputs(len(validation.gx), *text.dims)
            with_text = (*val_in, *v_text.arrays())
            hidden = (*val_in, *v_text.blanked().arrays())
            val_net_in = tuple(np.concatenate([a, b]) for a, b in zip(with_text, hidden, strict=True))
            val_net_y = np.concatenate([validation.y, validation.y])
    progress(Progress("summary", n, n, tag))
    # (5) the annotation network, sigmoid cross-entropy on the binary ground truth
    import torch

    torch.manual_seed(settings.seed)
    net = build_annotation_net(
        gx.shape[1], gs.shape[1], Y.shape[1], settings.hidden_visual, settings.hidden_semantic,
        text_dim=0 if text is None else text.embedding.shape[1], h3=settings.hidden_text,
        gx_scale=GX_SCALES[settings.gx_scale](gx.shape[1]), text_dropout=settings.text_dropout,
    )  # fmt: skip
    if schedule != PAPER_SCHEDULE:
        init_output_bias(net, Y)
    if text is not None:
        init_lexical_weight(net, Y, text.lexical)
    fixed = final and schedule != PAPER_SCHEDULE

    def fit(
        module: nn.Module,
        net_inputs: tuple[np.ndarray, ...],
        target: np.ndarray,
        loss: str,
        stage: str,
        n_epochs: int | None,
        val: tuple[tuple[np.ndarray, ...], np.ndarray] | None,
        score: bool,
        keep: bool = False,
    ) -> FitHistory:
        y_val = val[1] if val is not None else None
        return fit_module(
            module,
            net_inputs,
            target,
            loss=loss,
            val=val,
            epochs=n_epochs or settings.epochs,
            stage=stage,
            fixed_epochs=fixed,
            score=(lambda logits: mean_average_precision(y_val, logits))
            if score and y_val is not None
            else None,
            schedule=schedule,
            lr=settings.learning_rate,
            lr_step=settings.lr_step_epochs,
            lr_gamma=settings.lr_gamma,
            batch_size=settings.batch_size,
            seed=settings.seed,
            device=device,
            progress=progress,
            cancel=cancel,
            rows_per_epoch=settings.network_rows_per_epoch,
            max_steps_per_epoch=settings.network_steps_per_epoch,
            keep_val_outputs=keep,
        )

    net_val = None if val_net_in is None or val_net_y is None else (val_net_in, val_net_y)
    keep = validation is not None and validation.keep_outputs
    history = fit(net, inputs, Y, "bce", "network", epochs, net_val, True, keep)
    result = StageResult(
        relevance, xi, scale, sigma, net, history, None, val_neighbour=val_neighbour, index=index
    )
    if val_in is not None and val_net_in is not None:
        probs = sigmoid(predict_module(net, val_net_in, device))
        n_val = len(val_in[0])
        result.val_probs = probs[:n_val]
        if text is not None:
            result.val_probs_image = probs[n_val:]
    # (6) label quantity: MSE regressor on [GX; GS] against the constant median count
    counts = Y.sum(axis=1).astype(np.float32)
    progress(Progress("label quantity", 0, 1, tag))
    if use_regressor:
        torch.manual_seed(settings.seed)
        quantity = build_quantity_head(gx.shape[1] + gs.shape[1], settings.hidden_semantic)
        val_counts = None if validation is None else validation.y.sum(axis=1).astype(np.float32)
        q_val = None if val_in is None or val_counts is None else (val_in, val_counts)
        result.quantity_epochs = fit(
            quantity, (gx, gs), counts, "mse", "label quantity", quantity_epochs, q_val, False
        ).best_epoch
        if validation is not None and val_in is not None:
            truth = validation.y.sum(axis=1)
            pred = np.clip(np.rint(predict_module(quantity, val_in, device)), 1, max(1, counts.max()))
            const = max(1.0, float(np.rint(np.median(counts))))
            result.quantity_errors = np.abs(pred - truth)
            result.val_counts = pred.astype(np.int64)
            result.constant_errors = np.abs(const - truth)
        if final:
            result.quantity = quantity
    progress(Progress("label quantity", 1, 1, tag))
    return result
