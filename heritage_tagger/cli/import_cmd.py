"""``heritage-tagger import FOLDER``: import a folder of photographs with their manifest."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

NAME = "import"
HELP = "import a folder of photographs (JPEG, PNG, TIFF, WebP) with their metadata"
_SHOW_LIMIT = 50


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="FOLDER", help="folder to import, searched recursively")
    parser.add_argument(
        "--manifest",
        metavar="CSV",
        help="manifest with the columns id,file,title,description,location,date,creator,tags "
        "(default: FOLDER/records.csv when it exists)",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument(
        "--commit-every",
        type=int,
        metavar="N",
        help="save to the catalogue every N files (default from the settings: 50)",
    )


@contextmanager
def _cancel_on_interrupt(token: Any) -> Iterator[None]:
    """The first Ctrl-C asks the import to stop after saving; a second one stops at once."""
    previous = signal.getsignal(signal.SIGINT)

    def handler(_signum: int, _frame: FrameType | None) -> None:
        if token.cancelled:
            raise KeyboardInterrupt
        print("\nStopping after saving the files done so far (Ctrl-C again to stop now)...", file=sys.stderr)
        token.cancel()

    try:
        signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _print_summary(report: Any) -> None:
    skipped = report.skipped
    before = f" ({report.imported_before} of them before the interruption)" if report.imported_before else ""
    print(f"{report.imported} imported{before}, {report.duplicates} duplicates, {len(skipped)} skipped.")
    if skipped:
        print("Skipped:")
        for item in skipped[:_SHOW_LIMIT]:
            print(f"  {item.path}: {item.reason}")
        if len(skipped) > _SHOW_LIMIT:
            print(f"  ... and {len(skipped) - _SHOW_LIMIT} more (see --json).")
    if report.warnings:
        print("Warnings:")
        for warning in report.warnings[:_SHOW_LIMIT]:
            print(f"  {warning}")
        if len(report.warnings) > _SHOW_LIMIT:
            print(f"  ... and {len(report.warnings) - _SHOW_LIMIT} more (see --json).")


def run(args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import ConsoleProgress, open_from_args, print_json
    from heritage_tagger.domain.errors import CancelledError
    from heritage_tagger.domain.progress import CancelToken
    from heritage_tagger.ingest.plan import find_manifest
    from heritage_tagger.services.importing import import_folder

    if args.commit_every is not None and args.commit_every < 1:
        print("heritage-tagger: --commit-every must be at least 1.", file=sys.stderr)
        return 2
    if not args.manifest:
        found = find_manifest(Path(args.folder).expanduser())
        if found is not None:
            print(f"Using the manifest {found} found in the folder.", file=sys.stderr)
    catalogue = open_from_args(args)
    try:
        if args.commit_every is not None:
            settings = catalogue.settings
            catalogue.settings = replace(
                settings, import_=replace(settings.import_, commit_every=args.commit_every)
            )
        token = CancelToken()
        progress = ConsoleProgress()
        try:
            with _cancel_on_interrupt(token):
                report = import_folder(catalogue, args.folder, args.manifest, progress=progress, cancel=token)
        except CancelledError as exc:
            progress.close()
            print(f"heritage-tagger: {exc}", file=sys.stderr)
            return 130
        progress.close()
    finally:
        catalogue.close()
    if report.resumed:
        print(f"Resumed the unfinished import of this folder (batch {report.batch_id}).", file=sys.stderr)
    if args.json:
        print_json(report.as_dict())
    else:
        _print_summary(report)
    return 0 if report.imported or report.duplicates else 1
