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
    PAPER_SCHEDULE,
    FitHistory,
    build_annotation_net,
    build_quantity_head,
    fit_module,
    init_output_bias,
    predict_module,
    sigmoid,
)
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback
from heritage_tagger.knowledge.index import NeighbourIndex
from heritage_tagger.knowledge.ranking import mean_average_precision
from heritage_tagger.knowledge.relevance import RelevanceScale, tag_similarity, training_relevance
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


@dataclass
class Validation:
    """Held-out rows a stage run is judged on: their GX and ground truth."""

    gx: np.ndarray
    y: np.ndarray


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
    val_probs: np.ndarray | None = None  # network probabilities of the held-out rows
    val_neighbour: np.ndarray | None = None  # phi * R neighbour scores of the held-out rows
    quantity_errors: np.ndarray = field(default_factory=lambda: np.zeros(0))  # |regressor - truth|
    constant_errors: np.ndarray = field(default_factory=lambda: np.zeros(0))  # |median count - truth|
    index: NeighbourIndex | None = None  # over gx: the model keeps it (an HNSW graph is costly to build)


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
) -> StageResult:
    """Relevance, GS, network and label quantity on ``gx``/``Y`` (validated when ``validation`` is given)."""
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
    val_in: tuple[np.ndarray, np.ndarray] | None = None
    val_neighbour = None
    if validation is not None:
        v_rows, v_dist = index.nearest(validation.gx, m)
        phi_val = phi(v_dist, sigma)
        val_neighbour = neighbour_tag_scores(v_rows, phi_val, relevance)
        val_in = (validation.gx, semantic_summary(v_rows, phi_val, rh))
    check()
    progress(Progress("summary", n, n, tag))
    # (5) the annotation network, sigmoid cross-entropy on the binary ground truth
    import torch

    torch.manual_seed(settings.seed)
    net = build_annotation_net(
        gx.shape[1], gs.shape[1], Y.shape[1], settings.hidden_visual, settings.hidden_semantic
    )
    if schedule != PAPER_SCHEDULE:
        init_output_bias(net, Y)
    fixed = final and schedule != PAPER_SCHEDULE

    def fit(
        module: nn.Module,
        target: np.ndarray,
        loss: str,
        stage: str,
        n_epochs: int | None,
        val_target: np.ndarray | None,
        score: bool,
    ) -> FitHistory:
        y_val = validation.y if validation is not None else None
        return fit_module(
            module,
            (gx, gs),
            target,
            loss=loss,
            val=None if val_in is None or val_target is None else (val_in, val_target),
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
        )

    history = fit(net, Y, "bce", "network", epochs, None if validation is None else validation.y, True)
    result = StageResult(
        relevance, xi, scale, sigma, net, history, None, val_neighbour=val_neighbour, index=index
    )
    if val_in is not None:
        result.val_probs = sigmoid(predict_module(net, val_in, device))
    # (6) label quantity: MSE regressor on [GX; GS] against the constant median count
    counts = Y.sum(axis=1).astype(np.float32)
    progress(Progress("label quantity", 0, 1, tag))
    if use_regressor:
        torch.manual_seed(settings.seed)
        quantity = build_quantity_head(gx.shape[1] + gs.shape[1], settings.hidden_semantic)
        val_counts = None if validation is None else validation.y.sum(axis=1).astype(np.float32)
        result.quantity_epochs = fit(
            quantity, counts, "mse", "label quantity", quantity_epochs, val_counts, False
        ).best_epoch
        if validation is not None and val_in is not None:
            truth = validation.y.sum(axis=1)
            pred = np.clip(np.rint(predict_module(quantity, val_in, device)), 1, max(1, counts.max()))
            const = max(1.0, float(np.rint(np.median(counts))))
            result.quantity_errors = np.abs(pred - truth)
            result.constant_errors = np.abs(const - truth)
        if final:
            result.quantity = quantity
    progress(Progress("label quantity", 1, 1, tag))
    return result
