"""Figures like seed 000's Figs. 5-7: precision-recall of frequent tags, per-tag AP scatter, a contact sheet;
and the reliability diagram of the product model's calibrated probabilities.

All figures use the out-of-fold scores (each record scored by the model of the fold that held
it out), matplotlib's Agg backend and a low dpi so the PNGs stay small.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

from heritage_tagger.evaluation.dataset import PreparedData
from heritage_tagger.evaluation.metrics import average_precision
from heritage_tagger.evaluation.runner import EvaluationResult, MethodResult

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DPI = 80


def _pyplot() -> ModuleType:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Figure, path: Path, colours: int | None = None) -> None:
    """Save at DPI; with ``colours``, as a palette PNG (photos make full-colour PNGs large)."""
    import io

    from PIL import Image

    if colours is None:
        fig.savefig(path, dpi=DPI)
        return
    buffer = io.BytesIO()
    fig.savefig(buffer, dpi=DPI, format="png")
    buffer.seek(0)
    with Image.open(buffer) as image:
        image.convert("RGB").quantize(colors=colours).save(path, optimize=True)


def _scored(method: MethodResult) -> np.ndarray:
    assert method.scores is not None
    return np.isfinite(method.scores).all(axis=1)


def pr_curves(prepared: PreparedData, result: EvaluationResult, path: Path, n_tags: int = 4) -> Path | None:
    """Precision-recall curves of the ``n_tags`` most frequent tags, every method (Fig. 6)."""
    from sklearn.metrics import precision_recall_curve

    methods = [m for m in result.methods if m.folds and m.scores is not None]
    if not methods or prepared.Y.shape[1] == 0:
        return None
    plt = _pyplot()
    tags = list(range(min(n_tags, prepared.Y.shape[1])))  # vocabulary is sorted by frequency
    fig, axes = plt.subplots(1, len(tags), figsize=(3.6 * len(tags), 3.6), squeeze=False)
    for ax, t in zip(axes[0], tags, strict=True):
        for m in methods:
            ok = _scored(m)
            y = prepared.Y[ok, t]
            if not y.any() or m.tag_scores is None:
                continue
            scores = m.tag_scores[ok, t]  # each tag's photos in the order the method shows them
            precision, recall, _ = precision_recall_curve(y, scores)
            label = f"{m.label.split(' (')[0]} {average_precision(y, scores):.2f}"
            ax.step(recall, precision, where="post", lw=1.2, label=label)
        ax.set_title(f"'{prepared.vocabulary[t]}' ({int(prepared.Y[:, t].sum())} photos)", fontsize=9)
        ax.set_xlabel("recall", fontsize=8)
        ax.set_ylabel("precision", fontsize=8)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.02)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=6, loc="lower left")
    fig.suptitle(
        f"{prepared.data.name}: precision-recall of the most frequent tags (AP in the legend)", fontsize=9
    )
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def tag_ap_scatter(
    prepared: PreparedData, result: EvaluationResult, path: Path, ours: str = "product"
) -> Path | None:
    """Per-tag AP of the product model (image only; else the collective model) against KNN, Multi-CNN and
    the LogReg probe (Fig. 7)."""
    by_name = {m.name: m for m in result.methods if m.folds and m.scores is not None}
    if ours not in by_name:
        ours = "collective"
    others = [n for n in ("knn", "multicnn", "logreg") if n in by_name]
    if ours not in by_name or not others:
        return None
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(others), figsize=(3.6 * len(others), 3.7), squeeze=False)
    ok = _scored(by_name[ours]) & np.logical_and.reduce([_scored(by_name[o]) for o in others])
    Y = prepared.Y[ok]
    keep = Y.any(axis=0)
    ordered = {n: by_name[n].tag_scores for n in [ours, *others]}  # each tag's photos as shown
    ap = {
        n: np.array([average_precision(Y[:, t], s[ok][:, t]) for t in np.flatnonzero(keep)])
        for n, s in ordered.items()
        if s is not None
    }
    for ax, other in zip(axes[0], others, strict=True):
        wins = int(np.sum(ap[ours] > ap[other]))
        ax.scatter(ap[other], ap[ours], s=10, alpha=0.6)
        ax.plot([0, 1], [0, 1], color="grey", lw=0.8)
        ax.set_xlabel(f"{by_name[other].label} AP", fontsize=8)
        ax.set_ylabel(f"{by_name[ours].label} AP", fontsize=8)
        ax.set_title(f"above diagonal: {wins}/{len(ap[ours])} tags", fontsize=9)
        ax.tick_params(labelsize=7)
    fig.suptitle(f"{prepared.data.name}: per-tag AP (out-of-fold)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def contact_sheet(
    prepared: PreparedData, result: EvaluationResult, path: Path, n_photos: int = 6, k: int = 3
) -> Path | None:
    """~6 photos with their ground truth and each method's top tags (Fig. 5)."""
    from PIL import Image

    methods = [m for m in result.methods if m.folds and m.scores is not None and m.name != "random"]
    if not methods:
        return None
    ok = np.logical_and.reduce([_scored(m) for m in methods])
    candidates = np.flatnonzero(ok)
    if candidates.size == 0:
        return None
    # deterministic pick: spread over the collection, preferring photos with several tags
    ranked = sorted(candidates, key=lambda i: (-min(int(prepared.Y[i].sum()), 4), prepared.data.ids[i]))
    chosen = sorted(ranked[: n_photos * 3 : 3] if len(ranked) >= n_photos * 3 else ranked[:n_photos])
    plt = _pyplot()
    cols = min(3, len(chosen))
    rows = int(np.ceil(len(chosen) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 5.0 * rows), squeeze=False)
    vocab = prepared.vocabulary
    for ax in axes.ravel():
        ax.axis("off")
    for ax, i in zip(axes.ravel(), chosen, strict=False):
        with Image.open(prepared.data.image_paths[i]) as opened:
            im = opened.convert("RGB")
            im.thumbnail((200, 200))
            ax.imshow(np.asarray(im))
        truth = ", ".join(vocab[t] for t in np.flatnonzero(prepared.Y[i]))
        lines = [textwrap.shorten(f"GT: {truth}", 70)]
        for m in methods:
            s = m.scores[i]  # type: ignore[index]
            top = [vocab[t] for t in np.argsort(-s, kind="stable")[:k]]
            lines.append(textwrap.shorten(f"{m.label.split(' (')[0]}: {', '.join(top)}", 70))
        ax.set_title(f"{prepared.data.ids[i]}", fontsize=8)
        ax.text(
            0.0, -0.02, "\n".join(lines), transform=ax.transAxes, fontsize=6.5, va="top", family="monospace"
        )
    fig.suptitle(
        f"{prepared.data.name}: ground truth (GT) and each method's top {k} tags, out-of-fold", fontsize=9
    )
    fig.tight_layout()
    _save(fig, path, colours=128)
    plt.close(fig)
    return path


def reliability_plot(prepared: PreparedData, result: EvaluationResult, path: Path) -> Path | None:
    """Reliability diagram: per probability bin, the share of tags that were right, for every method
    with calibrated probabilities (out of fold, each image's 10 most probable tags)."""
    from heritage_tagger.annotator.calibration import expected_calibration_error, reliability, top_pairs

    methods = [m for m in result.methods if m.calibrated is not None and np.isfinite(m.calibrated).any()]
    if not methods:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(4.2, 4.2))
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1, label="perfectly calibrated")
    for m in methods:
        assert m.calibrated is not None
        ok = np.isfinite(m.calibrated).all(axis=1)
        probs, truth = m.calibrated[ok], prepared.Y[ok]
        mask = top_pairs(probs)
        mean_p, right, counts, _ = reliability(probs[mask], truth[mask])
        shown = counts > 0
        ece = expected_calibration_error(probs[mask], truth[mask])
        ax.plot(mean_p[shown], right[shown], marker="o", linewidth=1.2, label=f"{m.label} (ECE {ece:.3f})")
    ax.set_xlabel("calibrated probability", fontsize=8)
    ax.set_ylabel("share of those tags that were right", fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=6, loc="upper left")
    ax.set_title("Reliability (out of fold, top 10 tags per photo)", fontsize=8)
    fig.tight_layout()
    _save(fig, path)
    plt.close(fig)
    return path


def write_plots(prepared: PreparedData, result: EvaluationResult, out_dir: Path) -> list[Path]:
    """All figures into ``out_dir``; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    made = [
        pr_curves(prepared, result, out_dir / "pr_curves.png"),
        tag_ap_scatter(prepared, result, out_dir / "tag_ap_scatter.png"),
        contact_sheet(prepared, result, out_dir / "contact_sheet.png"),
        reliability_plot(prepared, result, out_dir / "reliability.png"),
    ]
    return [p for p in made if p is not None]
