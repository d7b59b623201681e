"""Markdown tables shaped like seed 000's Table 1 and the results.json of an evaluation run."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from heritage_tagger.evaluation.metrics import METRIC_NAMES
from heritage_tagger.evaluation.protocol import mean_std
from heritage_tagger.evaluation.runner import (
    PROPOSED_METRICS,
    SUGGESTIONS_MAP,
    EvaluationResult,
    MethodResult,
)

OURS = ("product", "product-text", "collective")  # the rows the paired differences are computed for


def _cell(stat: dict[str, float], metric: str) -> str:
    mean, std = stat["mean"], stat["std"]
    if not math.isfinite(mean):
        return "–"
    if metric in ("N+", "per image"):
        return f"{mean:.1f} ± {std:.1f}"
    return f"{mean:.3f} ± {std:.3f}"


def paired_differences(a: MethodResult, b: MethodResult, metric: str) -> tuple[float, float, int, int] | None:
    """(mean, std, folds won, folds) of ``a - b`` on ``metric`` over the folds both completed (top 3)."""
    if not a.folds or len(a.folds) != len(b.folds):
        return None
    diffs = [x[metric] - y[metric] for x, y in zip(a.folds, b.folds, strict=True)]
    mean, std = mean_std(diffs)
    return mean, std, sum(1 for d in diffs if d > 0), len(diffs)


def _difference_cell(found: tuple[float, float, int, int] | None) -> str:
    if found is None or not math.isfinite(found[0]):
        return "–"
    mean, std, won, n = found
    return f"{mean:+.3f} ± {std:.3f} ({won}/{n})"


def difference_tables(result: EvaluationResult) -> list[str]:
    """Paired per-fold differences (top 3) of each of OURS against every other method."""
    by_name = {m.name: m for m in result.methods if m.folds}
    ours = [n for n in OURS if n in by_name]
    if not ours:
        return []
    out = ["\n### Paired per-fold differences (row method minus column method; mean ± std, folds won)\n"]
    for name in ours:
        others = [m for m in result.methods if m.name != name and m.folds and m.name != "random"]
        if not others:
            continue
        out.append(f"{by_name[name].label} minus:\n")
        out.append("| method | ΔimAP | ΔmAP |\n|---|---|---|")
        for other in others:
            cells = [_difference_cell(paired_differences(by_name[name], other, k)) for k in ("imAP", "mAP")]
            out.append(f"| {other.label} | " + " | ".join(cells) + " |")
        out.append("")
    return out


def _rows(methods: list[MethodResult], lq: bool) -> list[str]:
    lines = []
    for m in methods:
        if not (m.folds_lq if lq else m.folds):
            lines.append(f"| {m.label} | " + " | ".join("failed" for _ in METRIC_NAMES) + " |")
            continue
        summary = m.summary(lq)
        lines.append(f"| {m.label} | " + " | ".join(_cell(summary[k], k) for k in METRIC_NAMES) + " |")
    return lines


def markdown_tables(result: EvaluationResult, caption: str = "") -> str:
    """Top-3 table, label-quantity table, and the 'metadata at test time' section (LTN, LTwin)."""
    header = "| Method | " + " | ".join(METRIC_NAMES) + " |\n|---|" + "---|" * len(METRIC_NAMES)
    plain = [m for m in result.methods if not m.uses_test_metadata]
    meta = [m for m in result.methods if m.uses_test_metadata]
    n_folds = len(result.splits)
    out = []
    if caption:
        out.append(caption + "\n")
    out.append(f"### Up to 3 tags per image (mean ± std over {n_folds} folds)\n")
    out.append(header)
    out.extend(_rows(plain, lq=False))
    out.append("\n### Label quantity: as many tags as predicted per image (seed 002)\n")
    out.append(header)
    out.extend(_rows(plain, lq=True))
    if meta:
        out.append("\n### Metadata at test time (these read the test photo's own description and location)\n")
        out.append(header)
        out.extend(_rows(meta, lq=False))
    proposing = [m for m in result.methods if m.folds_proposed]
    if proposing:
        out.append(
            "\n### What is proposed after calibration (tags above the threshold for the target precision, "
            "at most the label quantity; ECE over each photo's 10 most probable tags; none = share of photos "
            "with no confident suggestion)\n"
        )
        out.append(
            "| Method | " + " | ".join(PROPOSED_METRICS) + " |\n|---|" + "---|" * len(PROPOSED_METRICS)
        )
        for m in proposing:
            summary = m.summary(proposed=True)
            out.append(f"| {m.label} | " + " | ".join(_cell(summary[k], k) for k in PROPOSED_METRICS) + " |")
    searching = [m for m in result.methods if SUGGESTIONS_MAP in m.summary()]
    if searching:
        out.append(
            '\n### Two orders\n\nThe mAP above is measured on the order the app\'s "photos for a tag" search '
            "shows (`heritage-tagger suggest --tag`); imAP and the top-3 decisions on the suggestion scores. "
            "Ordered by the suggestion scores themselves, each tag's photos give:\n"
        )
        for m in searching:
            out.append(f"- {m.label}: mAP {_cell(m.summary()[SUGGESTIONS_MAP], 'mAP')}")
    out.extend(difference_tables(result))
    errors = [f"- {m.label}: {e}" for m in result.methods for e in m.errors]
    if errors:
        out.append("\n### Failures\n")
        out.extend(errors)
    return "\n".join(out) + "\n"


def _clean(value: object) -> object:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _clean(value.item())
    return value


def results_json(result: EvaluationResult, context: dict[str, Any]) -> dict[str, Any]:
    """Per method: every metric's mean and std (top 3 and label quantity), the per-fold values,
    the hyperparameters chosen in each fold, timings and failures; plus ``context`` (data
    fingerprint, backbone and checksum, settings, protocol)."""
    methods = {}
    for m in result.methods:
        methods[m.name] = {
            "label": m.label,
            "uses_test_metadata": m.uses_test_metadata,
            "top3": m.summary(False),
            "label_quantity": m.summary(True),
            "proposed": m.summary(proposed=True) if m.folds_proposed else None,
            "folds_top3": m.folds,
            "folds_label_quantity": m.folds_lq,
            "folds_proposed": m.folds_proposed,
            "chosen_hyperparameters": m.chosen,
            "fit_predict_seconds": m.seconds,
            "errors": m.errors,
        }
    splits = [{"name": s.name, "train": len(s.train), "test": len(s.test)} for s in result.splits]
    return {
        str(k): _clean(v)
        for k, v in {**context, "splits": splits, "folds": result.fold_info, "methods": methods}.items()
    }


def write_report(out_dir: Path, result: EvaluationResult, context: dict[str, Any], caption: str = "") -> str:
    """Write ``results.json`` and ``table.md`` into ``out_dir``; return the markdown."""
    out_dir.mkdir(parents=True, exist_ok=True)
    table = markdown_tables(result, caption)
    (out_dir / "table.md").write_text(table, encoding="utf-8")
    payload = results_json(result, context)
    (out_dir / "results.json").write_text(
        json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return table
