"""``heritage-tagger train``: train the collective-knowledge model on the catalogue's tags and activate it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heritage_tagger.services.training import TrainingOutcome

NAME = "train"
HELP = "train a tagging model on the catalogued and accepted tags, and make it the active model"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backbone",
        default=None,
        help="vgg16, efficientnet_lite0, efficientnet_lite2 or auto, the best available "
        "(default: the catalogue's setting, auto)",
    )
    parser.add_argument(
        "--epochs",
        type=int,
        default=None,
        help="training epochs (default 30; the default optimiser takes at least 10 steps an epoch "
        "and stops early when the validation imAP stops improving)",
    )
    parser.add_argument("--device", default=None, help="auto, cpu, cuda or cuda:N (default: auto)")
    parser.add_argument(
        "--no-activate", action="store_true", help="register the new version without activating it"
    )
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")


def format_outcome(outcome: TrainingOutcome) -> str:
    """A few lines a librarian can read: version, data, choices and validation figures."""
    m = outcome.metrics
    lines = [
        f"Backbone: {outcome.backbone}" + (f" ({outcome.backbone_note})" if outcome.backbone_note else "")
    ]
    if outcome.dropped_tags:
        few = ", ".join(f"{t} ({c})" for t, c in outcome.dropped_tags[:8])
        more = f" and {len(outcome.dropped_tags) - 8} more" if len(outcome.dropped_tags) > 8 else ""
        lines.append(f"Dropped {len(outcome.dropped_tags)} rare tags: {few}{more}")
    if outcome.failed_images:
        lines.append(f"{len(outcome.failed_images)} photos could not be read and were left out")
    lines += [
        f"Trained on {outcome.n_training_rows} tagged photos of {outcome.n_records}, {outcome.n_tags} tags",
        f"Neighbours m = {outcome.m}; visual representation GX = "
        + (
            "metric-learning adapter"
            if outcome.gx_mode == "adapter"
            else "raw backbone features (the adapter did not help)"
        ),
        f"Validation ({m.get('validation_rows')} photos) imAP: model {m.get('model_imap')}, network alone "
        f"{m.get('network_imap')}, neighbour votes {m.get('neighbour_imap')}, plain KNN {m.get('knn_raw_imap')} "
        f"(k = {m.get('knn_k')})",
    ]
    weight = m.get("blend_weight", 1.0)
    if weight < 1.0:
        what = "plain KNN votes" if m.get("blend_source") == "knn" else "relevance-weighted neighbour votes"
        lines.append(
            f"The network's probabilities are blended with {what} (network weight {weight}), "
            "which did better on validation"
        )
    quantity = m.get("quantity") or {}
    if quantity:
        lines.append(
            f"Label quantity: mean absolute error {quantity.get('mae')} against {quantity.get('constant_mae')} "
            f"for always proposing {quantity.get('constant'):g}; "
            + ("the regressor is used" if quantity.get("used") == "regressor" else "the constant is used")
        )
    lines += served_lines(m)
    lines.append(
        f"New model version {outcome.version}" + (" (active)" if outcome.active else " (not activated)")
    )
    return "\n".join(lines)


def served_lines(metrics: dict[str, Any]) -> list[str]:
    """Which model serves suggestions, with its validation figures and confidence threshold, in words."""
    served = metrics.get("served_by") or {}
    product = metrics.get("product") or {}
    lines = []
    for mode, words in (("text", "photos with a title or description"), ("image", "photos alone")):
        if mode not in served:
            continue
        report = product.get(mode) or {}
        line = f"Suggestions for {words} come from {served[mode]}"
        if report:
            line += f" (validation imAP {report.get('imAP')}, mAP {report.get('mAP')})"
        lines.append(line)
        if report.get("threshold") is None:
            lines.append(
                f"  No threshold reached {report.get('target_precision', 0.5):.0%} precision on validation: "
                'such photos get "no confident suggestion" and go to a person'
            )
        else:
            lines.append(
                f"  Proposed when the calibrated probability is at least {report['threshold']:.2f}: "
                f"on validation {report.get('proposed_precision', 0):.0%} of {report.get('proposed')} proposed "
                f"tags were right (target {report.get('target_precision', 0.5):.0%}), "
                f"{report.get('proposed_recall', 0):.0%} of the true tags found"
            )
    return lines


def run(args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import ConsoleProgress, open_from_args, print_json
    from heritage_tagger.services.training import train_catalogue

    progress = ConsoleProgress()
    with open_from_args(args, create=False) as catalogue:
        try:
            outcome = train_catalogue(
                catalogue,
                backbone=args.backbone,
                epochs=args.epochs,
                device=args.device,
                activate=not args.no_activate,
                progress=progress,
            )
        finally:
            progress.close()
    if args.json:
        print_json(outcome.as_dict())
    else:
        print(format_outcome(outcome))
    return 0
