"""Algorithm 1 on arrays: pairs, metric learning, relevance, GS, network and label quantity, chosen on validation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from heritage_tagger.annotator import knowledge_ops as ops
from heritage_tagger.annotator.model import CollectiveModel
from heritage_tagger.annotator.network import (
    DEFAULT_SCHEDULE,
    PAPER_SCHEDULE,
    build_annotation_net,
    build_quantity_head,
    fit_module,
    init_output_bias,
    predict_module,
    sigmoid,
)
from heritage_tagger.annotator.scoring import blend, image_average_precision, knn_scores
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.settings import ModelSettings

BLEND_GRID = (1.0, 0.75, 0.5, 0.25, 0.0)
SMALL = 150  # fewer training rows than this: choices by K-fold cross-validation
FOLDS = 5
STAGES = ("pairs", "metric learning", "neighbours", "relevance", "summary", "network", "label quantity")


@dataclass
class _Space:
    """Neighbours of a set of query rows among a set of training rows, in one GX space."""

    rows: np.ndarray
    dist: np.ndarray


def split_rows(n: int, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Deterministic (fit, validation) row indices; at least 2 validation and 3 fit rows."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    n_val = round(n * fraction)
    n_val = min(max(2, n_val), max(0, n - 3))
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def neighbour_grid(settings: ModelSettings, n_index: int) -> list[int]:
    """The grid of m values, capped by how many rows a neighbourhood can draw from."""
    cap = max(1, n_index - 1)
    grid = sorted({min(int(m), cap) for m in (settings.neighbour_grid or (settings.neighbours,))})
    return [m for m in grid if m >= 1]


def _self_space(gx: np.ndarray, m: int) -> _Space:
    index = ops.build_index(gx)
    rows, dist = ops.search(index, gx, m, np.arange(len(gx)))
    return _Space(rows, dist)


def _cross_space(gx_index: np.ndarray, gx_query: np.ndarray, m: int) -> _Space:
    rows, dist = ops.search(ops.build_index(gx_index), gx_query, m)
    return _Space(rows, dist)


def make_folds(n: int, settings: ModelSettings) -> list[tuple[np.ndarray, np.ndarray]]:
    """(fit, validation) row sets: K-fold (K = FOLDS) below SMALL rows, else one hold-out split.

    On a small collection one validation part of 20% is a handful of photos and every choice
    made on it is a coin toss; pooling the held-out predictions of K folds judges each choice
    on every training photo.
    """
    if n >= SMALL:
        return [split_rows(n, settings.validation_fraction, settings.seed)]
    k = max(2, min(FOLDS, n // 3))
    parts = np.array_split(np.random.default_rng(settings.seed).permutation(n), k)
    return [(np.sort(np.concatenate(parts[:i] + parts[i + 1 :])), np.sort(parts[i])) for i in range(k)]


def _votes(gx_index: np.ndarray, y_index: np.ndarray, gx_query: np.ndarray, m: int) -> np.ndarray:
    """phi-weighted tag votes of the m nearest index rows (the neighbour tag-AP's scores)."""
    rows, dist = ops.search(ops.build_index(gx_index), gx_query, m)
    return ops.weighted_vote(rows, ops.phi(dist, ops.median_bandwidth(dist)), y_index.astype(np.float32))


def _best(scores: dict[int, float]) -> tuple[int, float]:
    return max(scores.items(), key=lambda kv: (kv[1], -kv[0]))


def fit_collective(
    features: np.ndarray,
    word_sets: Sequence[frozenset[str]],
    locations: Sequence[str],
    Y: np.ndarray,
    tag_labels: Sequence[str],
    word_vectors: Any,
    settings: ModelSettings,
    *,
    record_ids: np.ndarray | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    device: str = "cpu",
) -> CollectiveModel:
    """Train the collective-knowledge model on training rows (every row carries at least one tag).

    Choices are made on held-out rows (``make_folds``): GX from the metric head or the raw
    features, m from ``settings.neighbour_grid``, the network's epoch count, the label-quantity
    regressor against a constant, and the blend of the network with neighbour scores or plain
    KNN votes (so the model is never worse than plain KNN on the held-out rows). The network and
    the regressor are then refitted on all rows with the chosen settings.
    """
    from heritage_tagger.text.metasim import choose_pairs

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
    check = cancel.check if cancel is not None else (lambda: None)
    H, has_vec = word_vectors.tag_matrix(list(tag_labels))
    H = np.asarray(H, dtype=np.float32)
    has_vec = np.asarray(has_vec, dtype=bool)
    metrics: dict[str, Any] = {
        "validation": f"{len(folds)}-fold cross-validation" if len(folds) > 1 else "hold-out split",
        "validation_rows": len(held),
        "fit_rows": len(folds[0][0]),
    }
    hyper: dict[str, Any] = {"schedule": schedule, "tags_without_word_vector": int((~has_vec).sum())}
    raw = ops.normalise(features)
    grid = neighbour_grid(settings, min(len(fit) for fit, _ in folds) + 1)
    m_probe = grid[len(grid) // 2]

    # (1) pairs and (2) metric learning per fold, validated by neighbour tag-AP of held-out rows
    heads: list[tuple[dict[str, np.ndarray], np.ndarray | None]] = []
    votes: dict[tuple[str, int], list[np.ndarray]] = {
        (mode, m): [] for mode in ("raw", "adapter") for m in grid
    }
    head_info = []
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
            if len(val) <= 2000
            else np.sort(np.random.default_rng(settings.seed).choice(val, 2000, replace=False))
        )

        def validate(gx_all: np.ndarray, fit: np.ndarray = fit, probe: np.ndarray = probe) -> float:
            return image_average_precision(_votes(gx_all[fit], Y[fit], gx_all[probe], m_probe), Y[probe])

        result = ops.train_head(features, fit, pairs, settings, validate, progress, cancel, device)
        state = {
            k: np.asarray(v.detach().cpu() if hasattr(v, "detach") else v)
            for k, v in (result.state_dict or {}).items()
        }
        adapter = np.ascontiguousarray(result.gx, dtype=np.float32) if state else None
        heads.append((state, adapter))
        head_info.append({"chose": result.chose, "best_epoch": result.best_epoch, "pairs": len(pairs)})
        # choosing GX and m: neighbour votes of the held-out rows (a fold without a head uses raw)
        progress(Progress("neighbours", 0, 2 * len(grid), "choosing m"))
        for j, (mode, gx_all) in enumerate((("raw", raw), ("adapter", raw if adapter is None else adapter))):
            for i, m in enumerate(grid):
                check()
                votes[(mode, m)].append(_votes(gx_all[fit], Y[fit], gx_all[val], m))
                progress(Progress("neighbours", j * len(grid) + i + 1, 2 * len(grid), f"{mode} m={m}"))
    hyper["metric_head"] = head_info
    scores = {
        mode: {m: image_average_precision(np.concatenate(votes[(mode, m)]), y_held) for m in grid}
        for mode in ("raw", "adapter")
    }
    if not any(state for state, _ in heads):
        del scores["adapter"]
    m, best_raw = _best(scores["raw"])
    gx_mode = "raw"
    if "adapter" in scores and _best(scores["adapter"])[1] > best_raw:
        gx_mode, m = "adapter", _best(scores["adapter"])[0]
    head_state, gx = {}, raw
    if gx_mode == "adapter":  # the head of the first fold that trained one
        head_state, gx = next((state, adapter) for state, adapter in heads if state)
    hyper.update(
        gx_mode=gx_mode,
        m=int(m),
        neighbour_grid={k: {str(a): round(b, 4) for a, b in v.items()} for k, v in scores.items()},
    )
    metrics["neighbour_ap_raw"] = round(best_raw, 4)
    if "adapter" in scores:
        metrics["neighbour_ap_adapter"] = round(_best(scores["adapter"])[1], 4)
    # plain (unweighted) KNN voting on the raw features, k chosen the same way: the baseline
    knn_folds = {k: [knn_scores(raw[fit], Y[fit], raw[val], k) for fit, val in folds] for k in grid}
    knn = {k: image_average_precision(np.concatenate(v), y_held) for k, v in knn_folds.items()}
    k_best = _best(knn)
    metrics["knn_k"], metrics["knn_raw_imap"] = int(k_best[0]), round(k_best[1], 4)

    # (3)-(6) per fold on its fit rows, predicting its held-out rows
    pooled: dict[str, list[Any]] = {
        "probs": [],
        "neigh": [],
        "epochs": [],
        "q_epochs": [],
        "q_err": [],
        "c_err": [],
    }
    for (fit, val), (_state, adapter) in zip(folds, heads, strict=True):
        fold_gx = adapter if (gx_mode == "adapter" and adapter is not None) else raw
        sel = _stages(
            fold_gx[fit],
            Y[fit],
            H,
            has_vec,
            settings,
            m,
            schedule,
            progress,
            cancel,
            device,
            gx_val=fold_gx[val],
            y_val=Y[val],
        )
        pooled["probs"].append(sel["val_probs"])
        pooled["neigh"].append(sel["val_neighbour"])
        pooled["epochs"].append(sel["history"].best_epoch)
        pooled["q_epochs"].append(sel["quantity_epochs"])
        pooled["q_err"].append(sel["quantity_errors"])
        pooled["c_err"].append(sel["constant_errors"])
        history = sel["history"]
    val_probs, neigh_val = np.concatenate(pooled["probs"]), np.concatenate(pooled["neigh"])
    knn_val = np.concatenate(knn_folds[k_best[0]])
    net_imap = image_average_precision(val_probs, y_held)
    neigh_imap = image_average_precision(neigh_val, y_held)
    blends = {
        (source, w): image_average_precision(blend(val_probs, other, w), y_held)
        for source, other in (("relevance", neigh_val), ("knn", knn_val))
        for w in BLEND_GRID
        if not (source == "knn" and w == 1.0)
    }
    # best imAP; ties go to more network weight, then to the paper's relevance-weighted neighbours
    source, weight = max(blends, key=lambda sw: (round(blends[sw], 9), sw[1], sw[0] == "relevance"))
    epochs = max(1, int(np.median(pooled["epochs"])))
    q_epochs = max(1, int(np.median(pooled["q_epochs"])))
    mae, cmae = float(np.concatenate(pooled["q_err"]).mean()), float(np.concatenate(pooled["c_err"]).mean())
    use_regressor = mae <= cmae
    metrics.update(
        network_imap=round(net_imap, 4),
        neighbour_imap=round(neigh_imap, 4),
        model_imap=round(blends[(source, weight)], 4),
        blend_weight=weight,
        blend_source=source if weight < 1.0 else "none",
        blend_grid={f"{s}:{w}": round(v, 4) for (s, w), v in blends.items()},
        beats_knn=bool(blends[(source, weight)] >= k_best[1]),
        network_history=dict(history.as_dict(), best_epochs=pooled["epochs"]),
        quantity={
            "mae": round(mae, 4),
            "constant_mae": round(cmae, 4),
            "constant": max(1.0, float(np.rint(np.median(Y.sum(axis=1))))),
            "used": "regressor" if use_regressor else "constant",
        },
    )
    hyper.update(network_epochs=epochs, quantity="regressor" if use_regressor else "constant")

    # refit on all rows with the chosen settings
    final = _stages(
        gx,
        Y,
        H,
        has_vec,
        settings,
        min(m, n - 1),
        schedule,
        progress,
        cancel,
        device,
        epochs=epochs,
        quantity_epochs=q_epochs,
        use_regressor=use_regressor,
    )
    counts = Y.sum(axis=1)
    return CollectiveModel(
        tag_labels=list(tag_labels),
        gx_mode=gx_mode,
        head_state=head_state,
        gx=np.ascontiguousarray(gx, dtype=np.float32),
        relevance=final["relevance"],
        labels=Y.astype(np.uint8),
        tag_vectors=H,
        tag_similarity=final["xi"],
        relevance_scales=final["scales"],
        record_ids=record_ids,
        m=int(min(m, n - 1)),
        sigma=final["sigma"],
        net=final["net"],
        quantity=final["quantity"],
        constant_count=int(max(1, round(float(np.median(counts))))),
        max_count=int(counts.max()),
        blend_weight=float(weight),
        blend_source=source,
        knn_k=int(k_best[0]),
        raw_features=raw if (gx_mode == "adapter" and source == "knn" and weight < 1.0) else None,
        device=device,
        hyperparameters=hyper,
        metrics=metrics,
    )


def _stages(
    gx: np.ndarray,
    Y: np.ndarray,
    H: np.ndarray,
    has_vec: np.ndarray,
    settings: ModelSettings,
    m: int,
    schedule: str,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    device: str,
    *,
    gx_val: np.ndarray | None = None,
    y_val: np.ndarray | None = None,
    epochs: int | None = None,
    quantity_epochs: int | None = None,
    use_regressor: bool = True,
) -> dict[str, Any]:
    """Relevance, GS, network and label quantity on one set of rows (validated when gx_val is given)."""
    check = cancel.check if cancel is not None else (lambda: None)
    final = gx_val is None
    tag = "final: " if final else ""
    n = len(gx)
    m = max(1, min(m, n - 1))
    # (3) tag relevance over the m nearest training neighbours, each image excluded from its own
    progress(Progress("relevance", 0, n, f"{tag}m={m}"))
    own = _self_space(gx, m)
    xi = ops.tag_similarity(Y, H, has_vec, settings.alpha_word_vectors)
    relevance, scales = ops.training_relevance(Y, own.rows, xi)
    check()
    progress(Progress("relevance", n, n, f"{tag}m={m}"))
    # (4) semantic summary GS
    progress(Progress("summary", 0, n, tag))
    sigma = ops.median_bandwidth(own.dist)
    rh = ops.relevance_times_vectors(relevance, H)
    gs = ops.summary_from_rh(own.rows, ops.phi(own.dist, sigma), rh)
    out: dict[str, Any] = {"relevance": relevance, "xi": xi, "sigma": sigma, "scales": scales}
    val_in = None
    if not final:
        cross = _cross_space(gx, gx_val, m)
        phi_val = ops.phi(cross.dist, sigma)
        gs_val = ops.summary_from_rh(cross.rows, phi_val, rh)
        out["val_neighbour"] = ops.weighted_vote(cross.rows, phi_val, relevance)
        val_in = (gx_val, gs_val)
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
    common = dict(
        schedule=schedule,
        lr=settings.learning_rate,
        lr_step=settings.lr_step_epochs,
        lr_gamma=settings.lr_gamma,
        batch_size=settings.batch_size,
        seed=settings.seed,
        device=device,
        progress=progress,
        cancel=cancel,
    )
    history = fit_module(
        net,
        (gx, gs),
        Y,
        loss="bce",
        val=None if final else (val_in, y_val),
        epochs=epochs or settings.epochs,
        stage="network",
        fixed_epochs=final and schedule != PAPER_SCHEDULE,
        score=None if final else (lambda logits: image_average_precision(logits, y_val)),
        **common,
    )
    out.update(net=net, history=history)
    if not final:
        out["val_probs"] = sigmoid(predict_module(net, val_in, device))
    # (6) label quantity: MSE regressor on [GX; GS] against the constant median count
    counts = Y.sum(axis=1).astype(np.float32)
    quantity = None
    progress(Progress("label quantity", 0, 1, tag))
    if use_regressor:
        torch.manual_seed(settings.seed)
        quantity = build_quantity_head(gx.shape[1] + gs.shape[1], settings.hidden_semantic)
        qhist = fit_module(
            quantity,
            (gx, gs),
            counts,
            loss="mse",
            val=None if final else (val_in, y_val.sum(axis=1).astype(np.float32)),
            epochs=quantity_epochs or settings.epochs,
            stage="label quantity",
            fixed_epochs=final and schedule != PAPER_SCHEDULE,
            **common,
        )
        out["quantity_epochs"] = qhist.best_epoch
    if not final and quantity is not None:
        truth = y_val.sum(axis=1)
        pred = np.clip(np.rint(predict_module(quantity, val_in, device)), 1, max(1, counts.max()))
        const = max(1.0, float(np.rint(np.median(counts))))
        out["quantity_errors"] = np.abs(pred - truth)
        out["constant_errors"] = np.abs(const - truth)
    out["quantity"] = quantity if (final and use_regressor) else None
    progress(Progress("label quantity", 1, 1, tag))
    return out
