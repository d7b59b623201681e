"""Which files an import will take, in order, each with its manifest row (no database here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from heritage_tagger.domain.errors import ImportFileError
from heritage_tagger.domain.progress import CancelToken, ProgressCallback, null_progress
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
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)


def plan_import(
    folder: Path | str,
    manifest: Path | str | None = None,
    *,
    exclude: tuple[Path, ...] = (),
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> ImportPlan:
    """Scan ``folder`` and match its images with the manifest (``records.csv`` in the folder by default).

    Raises ImportFileError when the folder is missing and ManifestError when the manifest
    cannot be used at all.
    """
    folder = Path(folder).expanduser()
    if not folder.exists():
        raise ImportFileError(f"The folder {folder} does not exist.")
    if not folder.is_dir():
        raise ImportFileError(f"{folder} is a file, not a folder: import takes a folder of images.")
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
        plan.skipped += [(f"{name} line {line}", reason) for line, reason in parsed.problems]
        for row in parsed.rows:
            path = row.resolve(parsed.base)
            if not path.is_file() and parsed.base != folder:
                path = row.resolve(folder)
            if not path.is_file():
                plan.skipped.append(
                    (row.file, f"{name} line {row.line} names this file, but it does not exist")
                )
                continue
            if path in claimed:
                plan.warnings.append(
                    f"{name} line {row.line} names {row.file} again (first at line {claimed[path]}); "
                    "the later row was ignored."
                )
                continue
            claimed[path] = row.line
            plan.files.append(PlannedFile(path, shown_path(path, folder), row))
    for path in scan.files:
        if path.resolve() not in claimed:
            plan.files.append(PlannedFile(path, shown_path(path, folder), None))
    return plan
