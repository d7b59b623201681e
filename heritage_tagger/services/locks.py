"""Lock files in a catalogue's ``locks`` folder: who holds them (pid, host), taken over when their process is gone.

The window lock says that a Heritage Tagger window has the catalogue open, so that a second
window (in this process or another) says so instead of opening it twice.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from heritage_tagger.domain.errors import CatalogueError, CatalogueInUseError
from heritage_tagger.domain.text import display_path

WINDOW_LOCK = "window.lock"
TRAINING_LOCK = "training.lock"


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:  # pragma: no cover - e.g. Windows without the process
        return False
    return True


@dataclass(frozen=True)
class Holder:
    """What a lock file says about the process that holds it."""

    pid: int
    host: str
    since: str
    token: str = ""

    @property
    def alive(self) -> bool:
        """False only when the holder ran on this machine and is gone (another machine's lock is kept)."""
        return self.host != socket.gethostname() or pid_alive(self.pid)

    def describe(self) -> str:
        return f"process {self.pid} on {self.host}, since {self.since}"


def read_holder(path: Path) -> Holder | None:
    """The holder written in a lock file, or None when there is no (readable) lock."""
    try:
        data: Any = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    try:
        pid = int(data.get("pid", 0) or 0)
    except (TypeError, ValueError):
        pid = 0
    host = str(data.get("host") or socket.gethostname())  # a lock naming no host was written here
    return Holder(pid, host, str(data.get("since", "?")), str(data.get("token", "")))


def remove_if_stale(path: Path) -> bool:
    """Delete a lock file whose process is gone (or which names none); True when it was removed."""
    holder = read_holder(path)
    if path.exists() and (holder is None or not holder.alive):
        path.unlink(missing_ok=True)
        return True
    return False


class LockFile:
    """An exclusive lock file (``O_EXCL``) holding this process's pid, host and a token of its own."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.token = uuid.uuid4().hex

    def acquire(self) -> Holder | None:
        """Take the lock and return None, or return the live holder that has it. Stale locks are taken over."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = read_holder(self.path)
                if holder is not None and holder.alive:
                    return holder
                if holder is None and self._young():
                    continue  # being written by its owner right now
                self.path.unlink(missing_ok=True)  # its process is gone
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(
                    {
                        "pid": os.getpid(),
                        "host": socket.gethostname(),
                        "since": datetime.now().isoformat(timespec="seconds"),
                        "token": self.token,
                    },
                    fh,
                )
            return None
        holder = read_holder(self.path)
        return holder or Holder(0, "?", "?")

    def _young(self) -> bool:
        try:
            return datetime.now().timestamp() - self.path.stat().st_mtime < 2.0
        except OSError:
            return False

    def release(self) -> None:
        """Remove the lock file if it is still ours."""
        holder = read_holder(self.path)
        if holder is not None and holder.token == self.token:
            self.path.unlink(missing_ok=True)


def hold_window_lock(catalogue: Any, replacing: Any = None) -> None:
    """Mark ``catalogue`` as open in a window until it is closed; CatalogueInUseError if another window has it.

    ``replacing`` is the catalogue the same window had open: when it is the same file, its lock
    passes to the new one. A read-only catalogue is not locked (nothing can be changed through it).
    """
    if catalogue.readonly:
        return
    lock = LockFile(catalogue.workspace.locks / WINDOW_LOCK)
    if replacing is not None and Path(replacing.path) == Path(catalogue.path):
        for release in list(replacing.on_close):
            if (
                isinstance(getattr(release, "__self__", None), LockFile)
                and release.__self__.path == lock.path
            ):
                replacing.on_close.remove(release)
                catalogue.on_close.append(release)
                return
    try:
        holder = lock.acquire()
    except OSError as exc:
        raise CatalogueError(
            f"Cannot write in {display_path(catalogue.workspace.locks)} ({exc.strerror or exc}): "
            "check that folder's permissions."
        ) from exc
    if holder is not None:
        where = "this program" if holder.pid == os.getpid() else holder.describe()
        raise CatalogueInUseError(
            f"The catalogue {display_path(catalogue.path)} is already open in another Heritage Tagger window "
            f"({where}): switch to that window, or close it first. If no such window is open, delete "
            f"{display_path(lock.path)}."
        )
    catalogue.on_close.append(lock.release)


def open_in_window(path: Path | str, *, create: bool = True, replacing: Any = None) -> Any:
    """Open a catalogue for a window: :func:`open_catalogue` plus the window lock (released on close)."""
    from heritage_tagger.services.catalogue import open_catalogue

    catalogue = open_catalogue(path, create=create)
    try:
        hold_window_lock(catalogue, replacing)
    except BaseException:
        catalogue.close()
        raise
    return catalogue
