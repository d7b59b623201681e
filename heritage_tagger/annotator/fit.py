"""Algorithm 1 on arrays: pairs, metric learning, relevance, GS, network and label quantity, chosen on validation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from heritage_tagger.annotator.model import BlendSource, CollectiveModel, GXMode
from heritage_tagger.annotator.network import DEFAULT_SCHEDULE
from heritage_tagger.annotator.scoring import (
    blend,
    knn_votes_of,
    neighbour_lists,
    phi_votes,
    phi_votes_of,
)
from heritage_tagger.annotator.stages import StageResult, Validation, run_stages
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.knowledge.ranking import mean_average_precision
from heritage_tagger.knowledge.selection import neighbour_grid, out_of_fold_epochs, validation_split
from heritage_tagger.settings import ModelSettings
from heritage_tagger.vision.siamese import l2_normalise

if TYPE_CHECKING:
    from heritage_tagger.annotator.text_inputs import TextInputs
    from heritage_tagger.text.word_vectors import WordVectors

BLEND_GRID = (1.0, 0.75, 0.5, 0.25, 0.0)
SMALL = 150  # fewer training rows than this: choices by K-fold cross-validation
FOLDS = 5
PROBE_ROWS = 2000  # held-out rows the metric head is validated on, at most
STAGES = ("pairs", "metric learning", "neighbours", "relevance", "summary", "network", "label quantity")

Folds = list[tuple[np.ndarray, np.ndarray]]
Head = tuple[dict[str, np.ndarray], np.ndarray | None]  # a fold's metric-head weights and GX of every row
Votes = dict[tuple[str, int], list[np.ndarray]]  # (GX mode, m) -> held-out neighbour votes per fold


@dataclass
class HeldOut:
    """Predictions for the training rows while they were held out (the folds of ``make_folds``):
    what the product model's choice among variants and its calibration are made on."""

    rows: np.ndarray  # training rows, in the order of the arrays below
    folds: Folds
    model: np.ndarray  # the collective model's scores (its blend), the rows' text read
    model_image: np.ndarray  # ... their text hidden (the same as ``model`` without a text branch)
    network: np.ndarray  # the network alone, text read
    network_image: np.ndarray
    knn: np.ndarray  # plain KNN votes (k chosen on these rows)
    counts: np.ndarray  # the label quantity proposed for each row (regressor or constant)


def unit_rows(H: np.ndarray) -> np.ndarray:
    """Rows of H scaled to unit length (zero rows stay zero): ``ModelSettings.tag_vectors = "unit"``."""
    norm = np.linalg.norm(H, axis=1, keepdims=True)
    return np.divide(H, norm, out=np.zeros_like(H), where=norm > 0).astype(np.float32)


def make_folds(n: int, settings: ModelSettings) -> Folds:
    """(fit, validation) row sets: K-fold (K = FOLDS) below SMALL rows, else one hold-out split
    (``knowledge.selection.validation_split`` with ``settings.validation_fraction``).

    On a small collection one validation part of 20% is a handful of photos and every choice
    made on it is a coin toss; pooling the held-out predictions of K folds judges each choice
    on every training photo.
    """
    if n >= SMALL:
        return [validation_split(n, settings.validation_fraction, settings.seed)]
    k = max(2, min(FOLDS, n // 3))
    parts = np.array_split(np.random.default_rng(settings.seed).permutation(n), k)
    return [(np.sort(np.concatenate(parts[:i] + parts[i + 1 :])), np.sort(parts[i])) for i in range(k)]


def _best(scores: dict[int, float]) -> tuple[int, float]:
    return max(scores.items(), key=lambda kv: (kv[1], -kv[0]))


def _train_heads(
    features: np.ndarray,
    raw: np.ndarray,
    word_sets: Sequence[frozenset[str]],
    locations: Sequence[str],
    Y: np.ndarray,
    folds: Folds,
    grid: list[int],
    settings: ModelSettings,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    device: str,
) -> tuple[list[Head], Votes, list[dict[str, Any]], list[np.ndarray]]:
    """(1) pairs and (2) metric learning per fold, validated by the neighbour tag-AP of held-out
    rows; the phi-weighted neighbour votes, raw and adapted, per m, of a sample of every fold's
    held-out rows (at most PROBE_ROWS: the GX-or-raw choice is made on a sample), and the samples."""
    from heritage_tagger.text.metasim import choose_pairs
    from heritage_tagger.vision.siamese import train_metric_head

    check = cancel.check if cancel is not None else (lambda: None)
    m_probe = grid[len(grid) // 2]
    heads: list[Head] = []
    votes: Votes = {(mode, m): [] for mode in ("raw", "adapter") for m in grid}
    info: list[dict[str, Any]] = []
    probes: list[np.ndarray] = []
    for fit, val in folds:
        check()
        pairs = choose_pairs(
            [word_sets[i] for i in fit],
            [locations[i] for i in fit],
            settings.n_positive,
            settings.n_negative,
            settings.lambda_location,
            settings.seed,
            progress,
            cancel,
        )
        probe = (
            val
            if len(val) <= PROBE_ROWS
            else np.sort(np.random.default_rng(settings.seed).choice(val, PROBE_ROWS, replace=False))
        )

        # the check after each epoch searches a fixed sample of the fit rows (issue 15: flat cost)
        reference = (
            fit
            if len(fit) <= settings.metric_validation_rows
            else np.sort(
                np.random.default_rng(settings.seed).choice(
                    fit, settings.metric_validation_rows, replace=False
                )
            )
        )

        def validate(
            gx_rows: np.ndarray, reference: np.ndarray = reference, probe: np.ndarray = probe
        ) -> float:
            r = len(reference)
            return mean_average_precision(
                Y[probe], phi_votes(gx_rows[:r], Y[reference], gx_rows[r:], m_probe)
            )

        mapped = (fit[pairs.anchor], fit[pairs.other], np.asarray(pairs.label, dtype=np.float32))
        result = train_metric_head(
            features, mapped, settings, validate, progress, cancel, device,
            validation_rows=np.concatenate([reference, probe]),
        )  # fmt: skip
        state = {k: np.asarray(v.detach().cpu()) for k, v in (result.state_dict or {}).items()}
        adapter = np.ascontiguousarray(result.gx, dtype=np.float32) if state else None
        heads.append((state, adapter))
        info.append(
            {
                "chose": result.chose,
                "best_epoch": result.best_epoch,
                "pairs": len(pairs),
                "pair_loss": round(float(result.history[-1][1]), 6) if result.history else None,
            }
        )
        # choosing GX and m: neighbour votes of the sampled held-out rows (a fold without a head uses
        # raw), one search per representation whose prefixes are the smaller neighbourhoods
        probes.append(probe)
        progress(Progress("neighbours", 0, 2, "choosing m"))
        for j, (mode, gx_all) in enumerate((("raw", raw), ("adapter", raw if adapter is None else adapter))):
            check()
            rows, dist = neighbour_lists(gx_all[fit], gx_all[probe], max(grid))
            for m in grid:
                votes[(mode, m)].append(phi_votes_of(rows, dist, Y[fit], m))
            progress(Progress("neighbours", j + 1, 2, f"{mode}: m in {grid}"))
    return heads, votes, info, probes


def fit_collective(
    features: np.ndarray,
    word_sets: Sequence[frozenset[str]],
    locations: Sequence[str],
    Y: np.ndarray,
    tag_labels: Sequence[str],
    word_vectors: WordVectors,
    settings: ModelSettings,
    *,
    record_ids: np.ndarray | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    device: str = "cpu",
    texts: TextInputs | None = None,
) -> CollectiveModel:
    """Train the collective-knowledge model on training rows (every row carries at least one tag).

    With ``texts`` (the rows' ``TextInputs``) the network gets the product model's third branch on
    the record's own text; without, it is the paper's two-branch network. The held-out predictions
    every choice was made on are left in ``model.held_out`` (not saved in bundles).

    Choices are made on held-out rows (``make_folds``): GX from the metric head or the raw
    features, m from ``settings.neighbour_grid`` (``settings.neighbours`` when the grid is empty),
    the network's epoch count, the label-quantity regressor against a constant, and the blend of the
    network with neighbour scores or plain KNN votes (so the model is never worse than plain KNN on
    the held-out rows). Every choice is scored by ``knowledge.ranking``'s image AP. The network and
    the regressor are then refitted on all rows with the chosen settings.
    """
    features = np.ascontiguousarray(features, dtype=np.float32)
    Y = (np.asarray(Y) > 0).astype(np.float32)
    n, T = Y.shape
    if n < 5 or T < 2:
        raise ValueError(f"need at least 5 training rows and 2 tags, got {n} rows and {T} tags")
    record_ids = np.arange(n, dtype=np.int64) if record_ids is None else np.asarray(record_ids, np.int64)
    folds = make_folds(n, settings)
    held = np.concatenate([val for _, val in folds])
    y_held = Y[held]
    schedule = settings.optimizer or DEFAULT_SCHEDULE
    H_raw, has_raw = word_vectors.tag_matrix(list(tag_labels))
    H = np.asarray(H_raw, dtype=np.float32)
    if settings.tag_vectors == "unit":
        H = unit_rows(H)
    has_vec = np.asarray(has_raw, dtype=bool)
    metrics: dict[str, Any] = {
        "validation": f"{len(folds)}-fold cross-validation" if len(folds) > 1 else "hold-out split",
        "validation_rows": len(held),
        "fit_rows": len(folds[0][0]),
    }
    hyper: dict[str, Any] = {"schedule": schedule, "tags_without_word_vector": int((~has_vec).sum())}
    raw = l2_normalise(features)
    grid = neighbour_grid(
        settings.neighbour_grid or (settings.neighbours,), min(len(fit) for fit, _ in folds)
    )

    heads, votes, head_info, probes = _train_heads(
        features, raw, word_sets, locations, Y, folds, grid, settings, progress, cancel, device
    )
    hyper["metric_head"] = head_info
    y_probe = Y[np.concatenate(probes)]
    metrics["choice_rows"] = len(y_probe)
    scores = {
        mode: {m: mean_average_precision(y_probe, np.concatenate(votes[(mode, m)])) for m in grid}
        for mode in ("raw", "adapter")
    }
    if not any(state for state, _ in heads):
        del scores["adapter"]
    m, best_raw = _best(scores["raw"])
    gx_mode: GXMode = "raw"
    if "adapter" in scores and _best(scores["adapter"])[1] > best_raw:
        gx_mode, m = "adapter", _best(scores["adapter"])[0]
    head_state: dict[str, np.ndarray] = {}
    gx = raw
    if gx_mode == "adapter":  # the head of the first fold that trained one
        head_state, first = next((state, adapter) for state, adapter in heads if state)
        assert first is not None
        gx = first
    hyper.update(
        gx_mode=gx_mode,
        m=int(m),
        neighbour_grid={k: {str(a): round(b, 4) for a, b in v.items()} for k, v in scores.items()},
    )
    metrics["neighbour_ap_raw"] = round(best_raw, 4)
    if "adapter" in scores:
        metrics["neighbour_ap_adapter"] = round(_best(scores["adapter"])[1], 4)
    # plain (unweighted) KNN voting on the raw features, k chosen the same way: the baseline
    raw_lists = [neighbour_lists(raw[fit], raw[val], max(grid))[0] for fit, val in folds]
    knn_folds = {
        k: [knn_votes_of(rows, Y[fit], k) for rows, (fit, _) in zip(raw_lists, folds, strict=True)]
        for k in grid
    }
    knn = {k: mean_average_precision(y_held, np.concatenate(v)) for k, v in knn_folds.items()}
    k_best = _best(knn)
    metrics["knn_k"], metrics["knn_raw_imap"] = int(k_best[0]), round(k_best[1], 4)

    # (3)-(6) per fold on its fit rows, predicting its held-out rows
    runs: list[StageResult] = []
    for (fit, val), (_state, adapter) in zip(folds, heads, strict=True):
        fold_gx = adapter if (gx_mode == "adapter" and adapter is not None) else raw
        validation = Validation(
            fold_gx[val], Y[val], None if texts is None else texts.rows(val), keep_outputs=len(folds) > 1
        )
        args = (fold_gx[fit], Y[fit], H, has_vec, settings, m, schedule, progress, cancel, device)
        fold_text = None if texts is None else texts.rows(fit)
        runs.append(run_stages(*args, validation=validation, text=fold_text))
    best_epochs = [r.history.best_epoch for r in runs]
    if len(folds) > 1:  # held-out rows never choose the epoch they are judged at
        for run, epoch in zip(runs, out_of_fold_epochs(best_epochs), strict=True):
            run.read_at(epoch)
    val_probs = np.concatenate([r.val_probs for r in runs if r.val_probs is not None])
    val_image = (
        val_probs
        if texts is None
        else np.concatenate([r.val_probs_image for r in runs if r.val_probs_image is not None])
    )
    neigh_val = np.concatenate([r.val_neighbour for r in runs if r.val_neighbour is not None])
    knn_val = np.concatenate(knn_folds[k_best[0]])

    def score(w: float, other: np.ndarray) -> float:  # with a text branch: both kinds of record count
        with_text = mean_average_precision(y_held, blend(val_probs, other, w))
        return (
            with_text
            if texts is None
            else (with_text + mean_average_precision(y_held, blend(val_image, other, w))) / 2
        )

    blends = {
        (source, w): score(w, other)
        for source, other in (("relevance", neigh_val), ("knn", knn_val))
        for w in BLEND_GRID
        if not (source == "knn" and w == 1.0)
    }
    # best imAP; ties go to more network weight, then to the paper's relevance-weighted neighbours
    best_source, weight = max(blends, key=lambda sw: (round(blends[sw], 9), sw[1], sw[0] == "relevance"))
    source: BlendSource = "knn" if best_source == "knn" else "relevance"
    epochs = max(1, int(np.median(best_epochs)))
    q_epochs = max(1, int(np.median([r.quantity_epochs for r in runs])))
    mae = float(np.concatenate([r.quantity_errors for r in runs]).mean())
    cmae = float(np.concatenate([r.constant_errors for r in runs]).mean())
    use_regressor = mae <= cmae
    metrics.update(
        network_imap=round(mean_average_precision(y_held, val_probs), 4),
        neighbour_imap=round(mean_average_precision(y_held, neigh_val), 4),
        model_imap=round(blends[(source, weight)], 4),
        blend_weight=weight,
        blend_source=source if weight < 1.0 else "none",
        blend_grid={f"{s}:{w}": round(v, 4) for (s, w), v in blends.items()},
        beats_knn=bool(blends[(source, weight)] >= k_best[1]),
        network_history=dict(runs[-1].history.as_dict(), best_epochs=best_epochs),
        quantity={
            "mae": round(mae, 4),
            "constant_mae": round(cmae, 4),
            "constant": max(1.0, float(np.rint(np.median(Y.sum(axis=1))))),
            "used": "regressor" if use_regressor else "constant",
        },
    )
    hyper.update(network_epochs=epochs, quantity="regressor" if use_regressor else "constant")

    chosen_other = neigh_val if source == "relevance" else knn_val
    constant = max(1, round(float(np.median(Y.sum(axis=1)))))
    held_counts = (
        np.concatenate([r.val_counts for r in runs if r.val_counts is not None])
        if use_regressor
        else np.full(len(held), constant, dtype=np.int64)
    )
    held_out = HeldOut(
        rows=held,
        folds=folds,
        model=blend(val_probs, chosen_other, weight),
        model_image=blend(val_image, chosen_other, weight),
        network=val_probs,
        network_image=val_image,
        knn=knn_val,
        counts=held_counts,
    )

    # refit on all rows with the chosen settings
    args = (gx, Y, H, has_vec, settings, min(m, n - 1), schedule, progress, cancel, device)
    final = run_stages(
        *args, epochs=epochs, quantity_epochs=q_epochs, use_regressor=use_regressor, text=texts
    )
    counts = Y.sum(axis=1)
    model = CollectiveModel(
        tag_labels=list(tag_labels),
        gx_mode=gx_mode,
        head_state=head_state,
        gx=np.ascontiguousarray(gx, dtype=np.float32),
        relevance=final.relevance,
        labels=Y.astype(np.uint8),
        tag_vectors=H,
        tag_similarity=final.xi,
        relevance_scale=final.scale,
        record_ids=record_ids,
        m=int(min(m, n - 1)),
        sigma=final.sigma,
        net=final.net,
        quantity=final.quantity,
        constant_count=int(max(1, round(float(np.median(counts))))),
        max_count=int(counts.max()),
        blend_weight=float(weight),
        blend_source=source,
        knn_k=int(k_best[0]),
        raw_features=raw if (gx_mode == "adapter" and source == "knn" and weight < 1.0) else None,
        device=device,
        hyperparameters=hyper,
        metrics=metrics,
        index=final.index,
    )
    model.held_out = held_out
    return model
