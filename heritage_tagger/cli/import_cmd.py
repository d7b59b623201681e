"""``heritage-tagger import FOLDER [--annotate]``: import a folder of photographs with their manifest, and annotate it."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from heritage_tagger.domain.progress import CancelToken, Progress

if TYPE_CHECKING:
    from heritage_tagger.services.annotating import AnnotateReport
    from heritage_tagger.services.importing import ImportReport

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
    parser.add_argument(
        "--allow-outside-folder",
        action="store_true",
        help="let the manifest name files outside FOLDER (absolute paths, ../); by default such rows "
        "are skipped without opening the file",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument(
        "--commit-every",
        type=int,
        metavar="N",
        help="save to the catalogue every N files (default from the settings: 50)",
    )
    parser.add_argument(
        "--annotate",
        action="store_true",
        help="then store the active model's suggested tags for every new photo (resumable: run the "
        "same command again after an interruption)",
    )
    parser.add_argument(
        "--auto-accept",
        type=float,
        metavar="THRESHOLD",
        help="with --annotate: accept suggestions scored at or above THRESHOLD (0-1) at once, logged "
        "as decisions by 'auto' (default: off, every suggestion waits for review)",
    )


class RateProgress:
    """Progress on stderr with files per second and time left (a line every few seconds when piped)."""

    def __init__(self, stream: TextIO | None = None, every: float = 2.0) -> None:
        self.stream = stream or sys.stderr
        self.every = every
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._stage: str | None = None
        self._start = 0.0
        self._first = 0
        self._shown = 0.0

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if progress.stage != self._stage:
            self.close()
            self._stage, self._start, self._first, self._shown = progress.stage, now, progress.done, 0.0
        if progress.total and progress.done >= progress.total:
            pass  # always show the last step
        elif now - self._shown < (0.2 if self._tty else self.every):
            return
        self._shown = now
        line = f"{progress.stage}: {progress.done}/{progress.total or '?'}"
        elapsed = now - self._start
        rate = (progress.done - self._first) / elapsed if elapsed > 0 else 0.0
        if rate > 0:
            line += f", {rate:.1f} files/s"
            if progress.total:
                line += f", {max(0.0, (progress.total - progress.done) / rate):.0f} s left"
        self.stream.write(("\r" + line.ljust(70)) if self._tty else line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self._tty and self._stage is not None:
            self.stream.write("\n")
        self._stage = None


@contextmanager
def _cancel_on_interrupt(token: CancelToken) -> Iterator[None]:
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


def _print_summary(report: ImportReport) -> None:
    skipped = report.skipped
    before = f" ({report.imported_before} of them before the interruption)" if report.imported_before else ""
    print(f"{report.imported} imported{before}, {report.duplicates} duplicates, {len(skipped)} skipped.")
    if getattr(report, "linked_tags", 0):
        print(
            f"{report.linked_tags} new tags were linked to vocabulary concepts (`vocab link` lists the others)."
        )
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
    from heritage_tagger.services.importing import find_manifest, import_folder

    if args.commit_every is not None and args.commit_every < 1:
        print("heritage-tagger: --commit-every must be at least 1.", file=sys.stderr)
        return 2
    if args.auto_accept is not None and not (args.annotate and 0.0 < args.auto_accept <= 1.0):
        print(
            "heritage-tagger: --auto-accept takes a threshold above 0 and at most 1, with --annotate.",
            file=sys.stderr,
        )
        return 2
    if not args.manifest:
        found = find_manifest(Path(args.folder).expanduser())
        if found is not None:
            print(f"Using the manifest {found} found in the folder.", file=sys.stderr)
    catalogue = open_from_args(args)
    try:
        settings = catalogue.settings
        import_settings = replace(settings.import_, allow_outside_folder=args.allow_outside_folder)
        if args.commit_every is not None:
            import_settings = replace(import_settings, commit_every=args.commit_every)
        catalogue.settings = replace(settings, import_=import_settings)
        token = CancelToken()
        progress: RateProgress | ConsoleProgress = RateProgress() if args.annotate else ConsoleProgress()
        annotation = None
        try:
            with _cancel_on_interrupt(token):
                if args.annotate:
                    from heritage_tagger.services.annotating import import_and_annotate

                    report, annotation = import_and_annotate(
                        catalogue, args.folder, args.manifest, auto_accept=args.auto_accept,
                        progress=progress, cancel=token,
                    )  # fmt: skip
                else:
                    report = import_folder(
                        catalogue, args.folder, args.manifest, progress=progress, cancel=token
                    )
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
        data = report.as_dict()
        if annotation is not None:
            data["annotation"] = annotation.as_dict()
        print_json(data)
    else:
        _print_summary(report)
        if annotation is not None:
            _print_annotation(annotation)
    if annotation is not None and annotation.no_model:
        from heritage_tagger.services.annotating import NO_MODEL

        print(f"heritage-tagger: {NO_MODEL}", file=sys.stderr)
    return 0 if report.imported or report.duplicates else 1


def _print_annotation(report: AnnotateReport) -> None:
    if report.no_model:
        print("No suggestions were made: no model is active (see below).")
        return
    before = f" ({report.done_before} of them before the interruption)" if report.done_before else ""
    rate = (
        f", {report.annotated / report.seconds:.1f} photos/s"
        if report.seconds > 0 and report.annotated
        else ""
    )
    print(
        f"Annotated {report.done_before + report.annotated} photos{before} with model {report.model_version}: "
        f"{report.suggestions} suggestions{rate}."
    )
    if report.served_by:
        print(f"Suggestions came from: {report.served_by}.")
    outcomes = report.outcomes
    if outcomes:
        print(
            f"{outcomes.get('proposed', 0)} photos got proposed tags, "
            f"{outcomes.get('nothing_new', 0)} had every confident tag already, and "
            f"{outcomes.get('no_confident_suggestion', 0)} got no confident suggestion "
            "(they come first in the review queue: they need a person)."
        )
    coverage = report.coverage
    if coverage is not None and coverage.tags:
        print(
            f"The batch came with {coverage.tags} distinct tags: the model knows {coverage.known_to_model} "
            f"of them; {coverage.named_in_captions} are named in the captions of photos that carry them "
            f"({coverage.assignments_named} of {coverage.assignments} tag uses), so the caption pathway can "
            f"propose them; {coverage.neither} neither way reaches"
            + (f" (e.g. {', '.join(coverage.unknown_examples[:5])})." if coverage.unknown_examples else ".")
        )
    if report.auto_accepted:
        print(f"{report.auto_accepted} suggestions were accepted automatically (reviewer 'auto').")
    if report.failed:
        print(f"{len(report.failed)} photos could not be read and got no suggestions:")
        for record_id, reason in list(report.failed.items())[:_SHOW_LIMIT]:
            print(f"  record {record_id}: {reason}")
