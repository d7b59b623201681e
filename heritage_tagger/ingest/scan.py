"""Find the image files under a folder, recursively, in a stable order."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.ingest.formats import has_image_extension, read_head, sniff_mime

# files that are never images, whatever their content: not worth opening to sniff
_NOT_IMAGES = frozenset(
    {".json", ".csv", ".tsv", ".txt", ".xml", ".xmp", ".md", ".html", ".htm", ".pdf", ".sqlite", ".db"}
)
SCAN_STAGE = "Scanning the folder"


@dataclass
class ScanResult:
    """The candidate image files (sorted) and the folders that could not be read."""

    files: list[Path] = field(default_factory=list)
    problems: list[tuple[Path, str]] = field(default_factory=list)


def _hidden(name: str) -> bool:
    # ".DS_Store", "._photo.jpg" (macOS resource forks), ".thumbnails", ...
    return name.startswith(".")


def _is_candidate(path: Path) -> bool:
    if has_image_extension(path):
        return True  # checked (and reported when bad) by the import
    if path.suffix.lower() in _NOT_IMAGES:
        return False
    try:
        return sniff_mime(read_head(path)) is not None
    except OSError:
        return False


def scan_folder(
    folder: Path,
    *,
    exclude: Iterable[Path] = (),
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> ScanResult:
    """Image files under ``folder``: by extension, or by content for files with another name.

    Hidden files and folders and the folders in ``exclude`` (a catalogue's own workspace)
    are left out. Symbolic links to folders are not followed.
    """
    folder = folder.resolve()
    excluded = {p.resolve() for p in exclude}
    result = ScanResult()

    def on_error(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        result.problems.append((where, f"the folder cannot be read ({exc.strerror or exc})"))

    seen = 0
    for root, dirs, files in os.walk(folder, onerror=on_error):
        root_path = Path(root)
        dirs[:] = sorted(d for d in dirs if not _hidden(d) and (root_path / d).resolve() not in excluded)
        for name in sorted(files):
            if _hidden(name):
                continue
            path = root_path / name
            if _is_candidate(path):
                result.files.append(path)
            seen += 1
            if seen % 500 == 0:
                if cancel is not None:
                    cancel.check()
                progress(Progress(SCAN_STAGE, len(result.files), None, f"{seen} files looked at"))
    result.files.sort(key=lambda p: p.relative_to(folder).as_posix())
    progress(Progress(SCAN_STAGE, len(result.files), len(result.files), "done"))
    return result
