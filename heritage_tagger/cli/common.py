"""Helpers shared by the command modules: open the catalogue, print progress, print JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, TextIO

from heritage_tagger.domain.progress import Progress

if TYPE_CHECKING:
    from heritage_tagger.services.catalogue import Catalogue


def open_from_args(args: argparse.Namespace, *, create: bool = True) -> Catalogue:
    from heritage_tagger.services.catalogue import open_catalogue

    return open_catalogue(args.catalogue, create=create, media_root=getattr(args, "media_root", None))


class ConsoleProgress:
    """Prints one line per stage change and a percentage on a terminal (quiet when piped)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self._stage: str | None = None
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def __call__(self, progress: Progress) -> None:
        if progress.stage != self._stage:
            if self._tty and self._stage is not None:
                self.stream.write("\n")
            self._stage = progress.stage
            if not self._tty:
                self.stream.write(f"{progress.stage}...\n")
        if self._tty:
            pct = f"{100 * progress.fraction:5.1f}%" if progress.fraction is not None else ""
            self.stream.write(
                f"\r{progress.stage}: {progress.done}/{progress.total or '?'} {pct} {progress.message[:60]}"
            )
            self.stream.flush()

    def close(self) -> None:
        if self._tty and self._stage is not None:
            self.stream.write("\n")


def default_reviewer() -> str:
    """Who decisions made from the command line are logged for, unless ``--reviewer`` says: the user."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "reviewer"


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
