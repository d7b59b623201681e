"""``heritage-tagger models list|activate VERSION|remove VERSION``: the catalogue's trained model versions."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from heritage_tagger.services.model_versions import ModelVersionInfo

NAME = "models"
HELP = "list the trained model versions, re-activate an older one (rollback) or remove one"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="models_action", metavar="ACTION")
    listing = sub.add_parser("list", help="every version with its date, backbone, training data and metrics")
    listing.add_argument("--json", action="store_true", help="print the versions as JSON")
    activate = sub.add_parser(
        "activate", help="make VERSION the active model (and refresh pending suggestions with it)"
    )
    activate.add_argument("version", metavar="VERSION", help="version name, its number (v0002) or its id")
    activate.add_argument(
        "--no-resuggest",
        action="store_true",
        help="leave the pending suggestions of other versions as they are",
    )
    remove = sub.add_parser("remove", help="unregister VERSION and delete its files (not the active one)")
    remove.add_argument("version", metavar="VERSION")


def _figure(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, (int, float)) else "-"


def format_versions(versions: list[ModelVersionInfo]) -> str:
    from heritage_tagger.services.model_versions import HEADLINE_METRICS, headline_metrics

    if not versions:
        return "No model has been trained for this catalogue yet: run `heritage-tagger train`."
    head = f"  {'version':<22} {'created':<19} {'backbone':<18} {'photos':>6} {'tags':>5} {'decis.':>6}"
    head += "".join(f" {name:>6}" for name in HEADLINE_METRICS) + "  measured on"
    lines = [head]
    for v in versions:
        m = headline_metrics(v.metrics)
        lines.append(
            f"{'*' if v.is_active else ' '} {v.version:<22} {v.created_at:%Y-%m-%d %H:%M:%S} "
            f"{v.backbone:<18} {v.n_records:>6} {v.n_tags:>5} {v.n_decisions:>6} "
            + "".join(f" {_figure(m[name]):>6}" for name in HEADLINE_METRICS)
            + f"  {m['measured_on']}"
        )
    active = next((v for v in versions if v.is_active), None)
    if active is not None:
        from heritage_tagger.cli.train_cmd import served_lines

        served = served_lines(active.metrics)
        if served:
            lines.append(f"Active model {active.version}:")
            lines.extend("  " + line for line in served)
    lines.append("* = active. `heritage-tagger models activate VERSION` rolls back to an older one.")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import ConsoleProgress, open_from_args, print_json
    from heritage_tagger.services import model_versions

    action = getattr(args, "models_action", None)
    if action is None:
        print(
            "heritage-tagger: say what to do: models list | activate VERSION | remove VERSION",
            file=sys.stderr,
        )
        return 2
    with open_from_args(args, create=False) as catalogue:
        if action == "list":
            versions = model_versions.list_versions(catalogue)
            if args.json:
                print_json(
                    [dict(v.as_dict(), headline=model_versions.headline_metrics(v.metrics)) for v in versions]
                )
            else:
                print(format_versions(versions))
            return 0
        if action == "remove":
            info = model_versions.remove(catalogue, args.version)
            print(f"Removed model version {info.version}.")
            return 0
        info = model_versions.activate(catalogue, args.version)
        print(f"Model version {info.version} is now active.")
        if not args.no_resuggest:
            from heritage_tagger.services.resuggesting import resuggest
            from heritage_tagger.services.suggesting import clear_cache

            clear_cache()
            progress = ConsoleProgress()
            try:
                report = resuggest(catalogue, progress)
            finally:
                progress.close()
            print(f"Refreshed the pending suggestions of {report.annotated} records with {info.version}.")
    return 0
