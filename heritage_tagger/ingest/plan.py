"""Which files an import will take, in order, each with its manifest row (no database here)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from heritage_tagger.domain.errors import ImportFileError
from heritage_tagger.domain.progress import CancelToken, ProgressCallback, null_progress
from heritage_tagger.domain.text import display_path
from heritage_tagger.ingest.manifest import MANIFEST_NAME, Manifest, ManifestRow, read_manifest
from heritage_tagger.ingest.scan import scan_folder


@dataclass(frozen=True)
class PlannedFile:
    path: Path  # absolute
    shown: str  # as shown to the librarian: relative to the folder where possible
    row: ManifestRow | None


@dataclass
class ImportPlan:
    """Files to import (manifest rows first, in manifest order, then the rest sorted by path)."""

    folder: Path
    manifest: Manifest | None
    manifest_found: bool  # True when records.csv was picked up from the folder itself
    files: list[PlannedFile] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (shown path, reason)
    warnings: list[str] = field(default_factory=list)


def find_manifest(folder: Path) -> Path | None:
    """``FOLDER/records.csv`` when it exists."""
    candidate = folder / MANIFEST_NAME
    return candidate if candidate.is_file() else None


def shown_path(path: Path, folder: Path) -> str:
    """A path as shown to the librarian: relative to the folder where possible, never unprintable."""
    try:
        return display_path(path.relative_to(folder).as_posix())
    except ValueError:
        return display_path(str(path))


def _lexical(base: Path, file: str) -> Path:
    """``file`` (as a manifest writes it, Windows separators accepted) under ``base``, ``..`` applied."""
    return Path(os.path.normpath(base / PurePosixPath(file.replace("\\", "/"))))


def _locate(file: str, bases: list[Path], folder: Path, allow_outside: bool) -> tuple[Path | None, bool]:
    """(the file a manifest row names, or None; whether it was refused because it lies outside ``folder``)."""
    outside = 0
    for base in bases:
        candidate = _lexical(base, file)
        if not allow_outside and not candidate.is_relative_to(folder):
            outside += 1  # refused without a look at the file
            continue
        if candidate.is_file():
            return candidate.resolve(), False
    return None, outside == len(bases)


def plan_import(
    folder: Path | str,
    manifest: Path | str | None = None,
    *,
    exclude: tuple[Path, ...] = (),
    allow_outside: bool = False,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> ImportPlan:
    """Scan ``folder`` and match its images with the manifest (``records.csv`` in the folder by default).

    The files a manifest names must lie inside ``folder`` (``..`` and absolute paths leading out
    of it are refused without being opened) unless ``allow_outside`` is set. Rows the manifest
    cannot use are skipped with their line; the file such a row names is skipped too (not
    imported without its metadata), so the same import after a fix catalogues it properly.
    Raises ImportFileError when the folder is missing and ManifestError when the manifest
    cannot be used at all.
    """
    folder = Path(folder).expanduser()
    if not folder.exists():
        raise ImportFileError(f"The folder {display_path(folder)} does not exist.")
    if not folder.is_dir():
        raise ImportFileError(
            f"{display_path(folder)} is a file, not a folder: import takes a folder of images."
        )
    folder = folder.resolve()
    found = False
    manifest_path = Path(manifest).expanduser() if manifest else None
    if manifest_path is None:
        manifest_path = find_manifest(folder)
        found = manifest_path is not None
    parsed = read_manifest(manifest_path) if manifest_path is not None else None
    scan = scan_folder(folder, exclude=exclude, progress=progress, cancel=cancel)
    plan = ImportPlan(folder=folder, manifest=parsed, manifest_found=found)
    plan.skipped += [(shown_path(p, folder), reason) for p, reason in scan.problems]
    claimed: dict[Path, int] = {}
    if parsed is not None:
        plan.warnings += parsed.warnings
        name = parsed.path.name
        bases = [parsed.base] if parsed.base == folder else [parsed.base, folder]
        for problem in parsed.problems:
            path = _locate(problem.file, bases, folder, allow_outside)[0] if problem.file else None
            if path is None:
                plan.skipped.append((f"{name} line {problem.line}", problem.reason))
            elif path not in claimed:
                claimed[path] = problem.line
                plan.skipped.append(
                    (shown_path(path, folder), f"{name} line {problem.line}: {problem.reason}")
                )
        for row in parsed.rows:
            path, refused = _locate(row.file, bases, folder, allow_outside)
            if path is None:
                reason = (
                    f"{name} line {row.line} names this file, which is outside the folder being imported; "
                    "it was not opened (the import command's --allow-outside-folder allows it)"
                    if refused
                    else f"{name} line {row.line} names this file, but it does not exist"
                )
                plan.skipped.append((display_path(row.file), reason))
                continue
            if path in claimed:
                plan.warnings.append(
                    f"{name} line {row.line} names {display_path(row.file)} again (first at line {claimed[path]}); "
                    "the later row was ignored."
                )
                continue
            claimed[path] = row.line
            plan.files.append(PlannedFile(path, shown_path(path, folder), row))
    for path in scan.files:
        if path.resolve() not in claimed:
            plan.files.append(PlannedFile(path, shown_path(path, folder), None))
    return plan
