"""Locks of a catalogue: lock files in its ``locks`` folder (who holds them: user, pid, host; taken over when
their process is gone), and the catalogue-wide lock of one kind of work (:class:`CatalogueLock`).

The window lock says that a Heritage Tagger window has the catalogue open, so that a second
window (in this process or another) says so instead of opening it twice; a team catalogue is
meant to be open in many windows and has none. The training lock (training, retraining and
activation) is a lock file on an SQLite catalogue and a PostgreSQL advisory lock on a team
catalogue (``db/team_locks.py``), so one training runs at a time across the whole team.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from heritage_tagger.domain.errors import CatalogueError, CatalogueInUseError, TrainingLockedError
from heritage_tagger.domain.text import display_path

WINDOW_LOCK = "window.lock"
TRAINING = "training"  # the catalogue-wide lock of training, retraining and activation
TRAINING_LOCK = f"{TRAINING}.lock"


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
    """What a lock file (or a team lock's row) says about the process that holds it."""

    pid: int
    host: str
    since: str
    token: str = ""
    user: str = ""

    @property
    def alive(self) -> bool:
        """False only when the holder ran on this machine and is gone (another machine's lock is kept)."""
        return self.host != socket.gethostname() or pid_alive(self.pid)

    def describe(self) -> str:
        who = f"{self.user}, " if self.user else ""
        return f"{who}process {self.pid} on {self.host}, since {self.since}"


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
    return Holder(
        pid, host, str(data.get("since", "?")), str(data.get("token", "")), str(data.get("user", ""))
    )


def remove_if_stale(path: Path) -> bool:
    """Delete a lock file whose process is gone (or which names none); True when it was removed."""
    holder = read_holder(path)
    if path.exists() and (holder is None or not holder.alive):
        path.unlink(missing_ok=True)
        return True
    return False


class LockFile:
    """An exclusive lock file (``O_EXCL``) holding this process's pid, host and a token of its own."""

    def __init__(self, path: Path, user: str = "") -> None:
        self.path = path
        self.token = uuid.uuid4().hex
        self.user = user

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
                        "user": self.user,
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
    if catalogue.readonly or getattr(catalogue, "team", False):
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


def open_in_window(
    path: Path | str, *, create: bool = True, replacing: Any = None, media_root: Path | str | None = None
) -> Any:
    """Open a catalogue for a window: :func:`open_catalogue` plus the window lock (released on close;
    a team catalogue has none: many windows review it at once)."""
    from heritage_tagger.services.catalogue import open_catalogue

    catalogue = open_catalogue(path, create=create, media_root=media_root)
    try:
        hold_window_lock(catalogue, replacing)
    except BaseException:
        catalogue.close()
        raise
    return catalogue


class CatalogueLock:
    """The catalogue-wide lock of one kind of work (``TRAINING``): a lock file in ``workspace.locks`` on an
    SQLite catalogue, an advisory lock on a team catalogue's server. Never waits."""

    def __init__(self, catalogue: Any, name: str) -> None:
        self.catalogue, self.name = catalogue, name
        self.file = LockFile(catalogue.workspace.locks / f"{name}.lock", user=catalogue.user)
        self._team: Any = None

    @property
    def path(self) -> Path | None:
        """The lock file (None for a team catalogue's advisory lock)."""
        return None if self.catalogue.team else self.file.path

    def acquire(self) -> Holder | None:
        """Take the lock and return None, or return who holds it."""
        if not self.catalogue.team:
            return self.file.acquire()
        from heritage_tagger.db.team_locks import AdvisoryLock

        lock = AdvisoryLock(self.catalogue.engine, self.name, self.file.token)
        found = lock.acquire(self.catalogue.user, socket.gethostname(), os.getpid())
        if found is not None:
            return Holder(found.pid, found.host, _local(found.since), found.token, found.holder)
        self._team = lock
        return None

    def release(self) -> None:
        if self._team is not None:
            self._team.release()
            self._team = None
        elif not self.catalogue.team:
            self.file.release()


def lock_holder(catalogue: Any, name: str) -> Holder | None:
    """Who holds the catalogue-wide lock ``name`` now (None: nobody, or only a process that is gone)."""
    if not catalogue.team:
        holder = read_holder(catalogue.workspace.locks / f"{name}.lock")
        return holder if holder is not None and holder.alive else None
    from heritage_tagger.db.team_locks import holder as team_holder

    found = team_holder(catalogue.engine, name)
    if found is None:
        return None
    return Holder(found.pid, found.host, _local(found.since), found.token, found.holder)


def _local(moment: datetime | None) -> str:
    """A UTC time stored by the server as this computer's local time, like the lock files' ``since``."""
    if moment is None:
        return "?"
    return moment.replace(tzinfo=UTC).astimezone().replace(tzinfo=None).isoformat(timespec="seconds")


@contextmanager
def hold_training(catalogue: Any, doing: str = "train") -> Iterator[Path | None]:
    """The training lock for the ``with`` block; TrainingLockedError naming who trains, and since when.

    ``doing``: "train" (training and retraining) or "activate" (activating a model version).
    Yields the lock file (None on a team catalogue).
    """
    lock = CatalogueLock(catalogue, TRAINING)
    holder = lock.acquire()
    if holder is not None:
        raise TrainingLockedError(training_busy_message(holder, doing, lock.path))
    try:
        yield lock.path
    finally:
        lock.release()


def training_busy_message(holder: Holder, doing: str, path: Path | None) -> str:
    who = holder.user or "someone"
    text = (
        f"Another training of this catalogue is running: {who} started it at {holder.since} "
        f"(process {holder.pid} on {holder.host})."
    )
    text += (
        " Activate a model version when it has finished."
        if doing == "activate"
        else " Wait for it to finish, then try again."
    )
    if path is not None:
        text += f" If it is not running, delete {display_path(path)}."
    return text
