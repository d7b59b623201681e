"""Move a catalogue between an SQLite file and a team catalogue on PostgreSQL (either way): every row, ids
kept, the decisions log verified, and the workspace's files (thumbnails, features, model bundles) copied."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from heritage_tagger.db import transfer
from heritage_tagger.domain.errors import CatalogueError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.services.catalogue import Catalogue, open_catalogue
from heritage_tagger.services.model_versions import bundle_location, stored_bundle_path

MEDIA_FOLDERS = ("thumbnails", "features", "bundles")


@dataclass
class MigrationReport:
    """What was copied: rows per table, the decisions log's digest, files, and images left outside."""

    source: str
    dest: str
    rows: dict[str, int]
    decisions_digest: str
    files_copied: int = 0
    outside_media_root: list[str] = field(default_factory=list)  # record identifiers

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dest": self.dest,
            "rows": self.rows,
            "decisions_digest": self.decisions_digest,
            "files_copied": self.files_copied,
            "outside_media_root": self.outside_media_root,
        }


def _copy_media(
    source: Catalogue, dest: Catalogue, progress: ProgressCallback, cancel: CancelToken | None
) -> int:
    """Copy the workspace's thumbnails, features and bundles (never locks, never temporaries)."""
    n = 0
    for name in MEDIA_FOLDERS:
        src: Path = getattr(source.workspace, name)
        dst: Path = getattr(dest.workspace, name)
        if not src.is_dir() or src.resolve() == dst.resolve():
            continue
        for path in sorted(src.rglob("*")):
            relative = path.relative_to(src)
            if any(part.startswith(".") for part in relative.parts) or not path.is_file():
                continue
            target = dst / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            n += 1
            if n % 200 == 0:
                progress(Progress("copying files", n, None, str(relative)))
                if cancel is not None:
                    cancel.check()
    return n


def _rewrites(source: Catalogue, dest: Catalogue, outside: list[str]) -> dict[str, transfer.Rewrite]:
    src_bundles = source.workspace.bundles.resolve()

    def record(row: dict[str, Any]) -> dict[str, Any]:
        path = source.file_path(row["source_path"] or "")
        stored = dest.stored_path(path)
        if dest.team and stored and Path(stored).is_absolute():
            outside.append(row["identifier"])
        return {**row, "source_path": stored}

    def model(row: dict[str, Any]) -> dict[str, Any]:
        where = bundle_location(source, row["bundle_path"]).resolve()
        if where != src_bundles and src_bundles not in where.parents:
            return row  # a bundle outside the workspace stays where it is
        moved = dest.workspace.bundles.joinpath(*where.relative_to(src_bundles).parts)
        stored = dest.stored_path(moved) if dest.team else stored_bundle_path(moved)
        return {**row, "bundle_path": stored}

    return {"records": record, "model_versions": model}


def migrate_catalogue(
    source: Path | str,
    dest: Path | str,
    *,
    media_root: Path | str | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> MigrationReport:
    """Copy the catalogue ``source`` into a new (or empty) catalogue ``dest``.

    Either may be a file or a ``postgresql://`` URL; ``media_root`` is a team destination's
    shared folder (recorded when it has none). Images are not moved: paths of images inside a
    team catalogue's media root are stored relative to it, others as they are (and listed).
    The source's rows and files are only read.
    """
    with open_catalogue(source, create=False) as src, open_catalogue(dest, media_root=media_root) as dst:
        if src.engine.url == dst.engine.url or (not src.team and not dst.team and src.path == dst.path):
            raise CatalogueError("The source and the destination are the same catalogue.")
        dst.require_writable()
        existing = transfer.content_rows(dst.engine)
        if existing:
            raise CatalogueError(
                f"{dst.name} already holds a catalogue ({existing} rows): migrate-catalogue copies into a new "
                "or empty one only, so nothing was changed."
            )
        files = _copy_media(src, dst, progress, cancel)
        outside: list[str] = []
        rows, digest = transfer.copy_catalogue(
            src.engine, dst.engine, _rewrites(src, dst, outside), progress=progress, cancel=cancel
        )
        return MigrationReport(src.name, dst.name, rows, digest, files, outside)
