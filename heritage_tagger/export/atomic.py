"""Atomic output files: write beside the target, then ``os.replace``, so no half-written export is left."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from heritage_tagger.domain.errors import ExportError

__all__ = ["ExportError", "atomic_text_file"]


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def _create_temporary(target: Path, on_temp: Callable[[Path], None] | None) -> tuple[int, Path]:
    """A new private file ``.NAME.XXXXXXXX.part`` beside ``target`` (as ``mkstemp``), named before it exists."""
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        if on_temp is not None:
            on_temp(tmp)
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")


@contextlib.contextmanager
def atomic_text_file(
    path: Path | str,
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
    on_temp: Callable[[Path], None] | None = None,
) -> Iterator[TextIO]:
    """Open a temporary file beside ``path`` for writing; on success it replaces ``path`` atomically.

    On any error the temporary file is removed and an existing ``path`` is left untouched; an
    ``OSError`` (disk full, permission denied) becomes an :class:`ExportError` in plain words.
    ``on_temp`` is told the temporary file's path (``.NAME.XXXXXXXX.part``) just before it is
    created, so that a process killed before it could remove it leaves a note of it (see
    ``services.cleanup``).
    """
    target = Path(path).expanduser()
    if target.is_dir():
        raise ExportError(f"Cannot export to {target}: it is a folder; give a file name.")
    if not target.parent.is_dir():
        raise ExportError(f"Cannot export to {target}: the folder {target.parent} does not exist.")
    try:
        fd, tmp = _create_temporary(target, on_temp)
    except OSError as exc:
        raise ExportError(f"Cannot write in the folder {target.parent}: {_why(exc)}.") from exc
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(OSError):
            # mkstemp makes the file private (0600): keep the replaced file's mode, else rw-r--r--
            os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(
            f"Cannot write the export to {target}: {_why(exc)}. Nothing was written"
            + (" and the existing file is unchanged." if target.exists() else ".")
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
