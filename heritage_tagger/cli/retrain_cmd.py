"""``heritage-tagger retrain``: train a candidate on the reviewed tags, compare it with the active model, activate or discard."""

from __future__ import annotations

import argparse
import sys
from typing import Any

NAME = "retrain"
HELP = (
    "train a candidate model on the catalogued and accepted tags, compare it with the active one "
    "on held-out photos, then activate or discard it (safe to run from cron)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--activate", action="store_true", help="activate the candidate after the comparison")
    choice.add_argument("--discard", action="store_true", help="remove the candidate after the comparison")
    parser.add_argument("--yes", action="store_true", help="do not ask before training")
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.add_argument("--plot", metavar="PNG", help="also save the comparison as a small bar chart")
    parser.add_argument(
        "--if-due", action="store_true", help="train only when due (see --after-decisions and --every-days)"
    )
    parser.add_argument(
        "--after-decisions",
        type=int,
        metavar="N",
        help="with --if-due: due after N decisions since the active model (default 100 when neither is given)",
    )
    parser.add_argument(
        "--every-days", type=float, metavar="K", help="with --if-due: due when the active model is K days old"
    )
    parser.add_argument(
        "--backbone", default=None, help="backbone of the candidate (default: the active model's)"
    )
    parser.add_argument(
        "--epochs", type=int, default=None, help="training epochs (default: the settings' 30)"
    )
    parser.add_argument("--device", default=None, help="auto, cpu, cuda or cuda:N (default: auto)")


def _ask(question: str, answers: str) -> str:
    while True:
        try:
            reply = input(question).strip().lower()[:1]
        except EOFError:
            return ""
        if reply in answers:
            return reply


def run(args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import ConsoleProgress, open_from_args, print_json
    from heritage_tagger.services import retraining
    from heritage_tagger.services.model_versions import remove

    interactive = sys.stdin.isatty() and sys.stdout.isatty() and not args.json
    with open_from_args(args, create=False) as catalogue:
        n_since, active = retraining.decisions_since_active(catalogue)
        if active is None:
            print(
                "heritage-tagger: no model is active yet: run `heritage-tagger train` first.", file=sys.stderr
            )
            return 1
        if args.if_due:
            after = args.after_decisions
            if after is None and args.every_days is None:
                after = retraining.DEFAULT_AFTER_DECISIONS
            due = retraining.retrain_due(catalogue, after, args.every_days)
            if not due.due:
                if args.json:
                    print_json({"due": False, "reason": due.reason, "decisions_since_active": n_since})
                else:
                    print(f"Retraining is not due: {due.reason}.")
                return 0
            print(f"Retraining is due: {due.reason}.", file=sys.stderr)
        print(
            f"{n_since} decisions since the active model {active.version} was trained "
            f"({active.created_at:%Y-%m-%d %H:%M}).",
            file=sys.stderr,
        )
        if interactive and not args.yes and _ask("Train a candidate model now? [y/n] ", "yn") != "y":
            print("Nothing was trained.")
            return 0
        progress = ConsoleProgress()
        try:
            outcome = retraining.retrain(
                catalogue, backbone=args.backbone, epochs=args.epochs, device=args.device, progress=progress
            )
        finally:
            progress.close()
        version = outcome.candidate.version
        if args.plot:
            retraining.save_plot(outcome.comparison, version, args.plot)
        choice = "a" if args.activate else "d" if args.discard else ""
        if not args.json:
            print(outcome.comparison.table(version))
            recommendation = outcome.recommendation
            print(f"Recommendation: {recommendation.verdict.lower()}. {recommendation.reason}")
            if args.plot:
                print(f"Plot saved to {args.plot}.")
        if not choice and interactive:
            choice = _ask(f"[a]ctivate {version}, [d]iscard it, or [k]eep it for later? ", "adk")
        data: dict[str, Any] = outcome.as_dict()
        if choice == "a":
            info, report = retraining.activate_candidate(catalogue, version)
            data.update(activated=True, resuggested=report.annotated)
            message = (
                f"Model version {info.version} is now active (rollback: `heritage-tagger models activate "
                f"{active.version}`); refreshed the pending suggestions of {report.annotated} records."
            )
        elif choice == "d":
            remove(catalogue, version)
            data.update(activated=False, discarded=True)
            message = f"Discarded the candidate {version}; {active.version} stays active."
        else:
            data.update(activated=False, discarded=False)
            message = (
                f"The candidate {version} is registered but not active; {active.version} stays active. "
                f"Activate it with `heritage-tagger models activate {version}`."
            )
    if args.json:
        print_json(data)
    else:
        print(message)
    return 0
