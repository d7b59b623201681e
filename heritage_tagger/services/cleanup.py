"""Leftovers of killed jobs, removed the next time the catalogue is opened (:func:`clean_leftovers`).

What a ``kill -9`` (or a power cut) can leave behind, and how each is recognised as a leftover:

- ``models/.vNNNN-....tmp-XXXXXXXX/``: a model bundle being written; removed unless a training
  holds the training lock now.
- ``.NAME.XXXX.part`` beside an export's target: every export writes a note in
  ``locks/exports/`` naming its temporary file; a note whose process is gone points at a leftover.
- ``thumbnails/XX/.tmp-*.jpg``: a thumbnail being written; looked for only when an import was
  interrupted and no import runs now.
- ``locks/*.lock`` of processes that are gone.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from heritage_tagger.db import batches
from heritage_tagger.db import jobs as job_rows
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.importing import UNFINISHED as UNFINISHED_BATCH
from heritage_tagger.services.locks import (
    TRAINING,
    Holder,
    lock_holder,
    pid_alive,
    read_holder,
    remove_if_stale,
)

log = logging.getLogger(__name__)

EXPORT_NOTES = "exports"
_BUNDLE_TMP = re.compile(r"^\.v\d{4,}-.*\.tmp-[0-9a-f]{8}$")
_EXPORT_PART = re.compile(r"^\..+\.[^./]+\.part$")
_THUMB_TMP = re.compile(r"^\.tmp-[^/]*\.jpg$")


def clean_leftovers(catalogue: Catalogue) -> list[Path]:
    """Remove what killed jobs left in the catalogue's workspace (and their export temporaries); returns it.

    Called by ``open_catalogue`` for every writable catalogue. Anything a live process may
    still be writing is left alone; a failure to remove is logged, never raised.
    """
    removed: list[Path] = []
    for clean in (_stale_locks, _bundle_folders, _export_parts, _thumbnail_temporaries):
        try:
            removed += clean(catalogue)
        except Exception:
            log.warning("could not clean up after an interrupted job (%s)", clean.__name__, exc_info=True)
    for path in removed:
        log.info("removed a leftover of an interrupted job: %s", path)
    return removed


def _stale_locks(catalogue: Catalogue) -> list[Path]:
    folder = catalogue.workspace.locks
    if not folder.is_dir():
        return []
    return [path for path in sorted(folder.glob("*.lock")) if remove_if_stale(path)]


def _training_running(catalogue: Catalogue) -> bool:
    """Whether a training holds the lock now (on a team catalogue: on any member's computer)."""
    return lock_holder(catalogue, TRAINING) is not None


def _bundle_folders(catalogue: Catalogue) -> list[Path]:
    root = catalogue.workspace.bundles
    if not root.is_dir() or _training_running(catalogue):
        return []
    removed = []
    for path in sorted(root.iterdir()):
        if path.is_dir() and not path.is_symlink() and _BUNDLE_TMP.match(path.name):
            shutil.rmtree(path)
            removed.append(path)
    return removed


def _export_parts(catalogue: Catalogue) -> list[Path]:
    notes = catalogue.workspace.locks / EXPORT_NOTES
    if not notes.is_dir():
        return []
    removed = []
    for note in sorted(notes.glob("*.json")):
        holder = read_holder(note)
        if holder is not None and holder.alive:
            continue  # an export running now
        with contextlib.suppress(OSError, ValueError, TypeError):
            temp = Path(os.fsdecode(json.loads(note.read_text("utf-8"))["temp"]))
            if _EXPORT_PART.match(temp.name) and temp.is_file() and not temp.is_symlink():
                temp.unlink()
                removed.append(temp)
        note.unlink(missing_ok=True)
    return removed


def _thumbnail_temporaries(catalogue: Catalogue) -> list[Path]:
    root = catalogue.workspace.thumbnails
    if not root.is_dir():
        return []
    with catalogue.session() as session:
        interrupted = batches.any_unfinished(session, UNFINISHED_BATCH)
        running = [job.pid for job in job_rows.running(session, ("import",))]
    if not interrupted or any(pid and pid_alive(pid) for pid in running):
        return []
    removed = []
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        for path in folder.glob(".tmp-*"):
            if _THUMB_TMP.match(path.name) and path.is_file():
                path.unlink()
                removed.append(path)
    return removed


@contextlib.contextmanager
def export_note(catalogue: Catalogue) -> Iterator[Callable[[Path], None]]:
    """A callback that notes an export's temporary file in ``locks/exports/`` until the export ends.

    A killed export leaves the note behind, and the next :func:`clean_leftovers` removes the file.
    Nothing is noted for a read-only catalogue (its exports are cleaned up by the next writer).
    """
    note = catalogue.workspace.locks / EXPORT_NOTES / f"{os.getpid()}-{uuid.uuid4().hex[:8]}.json"

    def remember(temp: Path) -> None:
        if catalogue.readonly:
            return
        with contextlib.suppress(OSError):
            note.parent.mkdir(parents=True, exist_ok=True)
            holder = Holder(os.getpid(), socket.gethostname(), "")
            # json escapes the surrogates of a name that is not UTF-8: os.fsdecode gives it back
            note.write_text(json.dumps({"pid": holder.pid, "host": holder.host, "temp": str(temp)}), "utf-8")

    try:
        yield remember
    finally:
        note.unlink(missing_ok=True)
