"""Append-only, crash-safe on-disk store of feature vectors keyed by image SHA-256 (memory-mapped reads)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from heritage_tagger.domain.errors import HeritageTaggerError

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
DATA_FILE = "features.f32"
KEYS_FILE = "keys.txt"
META_FILE = "meta.json"
LOCK_FILE = "append.lock"
_KEY_LINE = 65  # 64 hex digits and a newline

_SHARED: dict[tuple[str, str, int], FeatureStore] = {}
_SHARED_LOCK = threading.Lock()


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``path`` (created when missing) across processes and threads."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if sys.platform == "win32":
            import msvcrt

            while True:  # LK_LOCK retries for about 10 s, then raises: wait on
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    continue
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class FeatureStoreError(HeritageTaggerError):
    """The feature cache on disk cannot be used (wrong size, unwritable)."""


class FeatureStore:
    """Features of one feature space (backbone + weights checksum) under ``root/space_key/``.

    Layout: ``features.f32`` holds float32 rows of ``dim`` values, appended; ``keys.txt`` holds
    one SHA-256 per line, in the same order. Each batch is written data first, then keys, each
    flushed and fsynced, so after a crash the first ``min(complete key lines, complete rows)``
    entries are trustworthy and anything after them is cut off before the next append.
    Appends hold an exclusive lock (``append.lock``) and first read what other writers appended,
    so several processes (the app, its predictor process, the command line) can share a store.
    ``FeatureStore.shared`` keeps one open store per folder per process and reads only what was
    appended since (a suggestion then costs no re-read of 100,000 keys).
    """

    @classmethod
    def shared(cls, root: Path | str, space_key: str, dim: int) -> FeatureStore:
        """This process's open store for the folder, brought up to date with what others appended."""
        key = (str(Path(root).resolve()), space_key, int(dim))
        with _SHARED_LOCK:
            store = _SHARED.get(key)
            if store is None:
                store = _SHARED[key] = cls(root, space_key, dim)
                return store
        store.recheck_meta()
        store.refresh()
        return store

    def __init__(self, root: Path | str, space_key: str, dim: int) -> None:
        if dim <= 0:
            raise ValueError("dim must be positive")
        self.root = Path(root)
        self.space_key = space_key
        self.dim = int(dim)
        self.folder = self.root / space_key
        self._data_path = self.folder / DATA_FILE
        self._keys_path = self.folder / KEYS_FILE
        self._row_bytes = self.dim * 4
        self._index: dict[str, int] = {}
        self._keys: list[str] = []
        self._memmap: np.memmap | None = None
        self._repaired = False
        self._keys_bytes = 0  # bytes of keys.txt read (complete, trusted lines)
        self._lock = threading.RLock()
        self._meta_seen: tuple[int, int] | None = None  # (mtime ns, size) of the meta file checked
        self._check_meta()
        self._load()

    # -- opening -----------------------------------------------------------------------------

    def _meta_signature(self) -> tuple[int, int] | None:
        try:
            stat = (self.folder / META_FILE).stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def recheck_meta(self) -> None:
        """Check the meta file again when it changed since it was checked (a store kept open by
        ``shared`` must refuse a cache rewritten for another size, as a new one would)."""
        if self._meta_signature() != self._meta_seen:
            self._check_meta()

    def _check_meta(self) -> None:
        meta_path = self.folder / META_FILE
        seen = self._meta_signature()
        if meta_path.is_file():
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise FeatureStoreError(
                    f"The feature cache {self.folder} has an unreadable {META_FILE}."
                ) from exc
            if int(meta.get("dim", -1)) != self.dim:
                raise FeatureStoreError(
                    f"The feature cache {self.folder} holds {meta.get('dim')}-d features, not {self.dim}-d: "
                    "delete the folder to rebuild it."
                )
        self._meta_seen = seen  # only a meta file that passed is not read again

    def _load(self) -> None:
        keys: list[str] = []
        if self._keys_path.is_file():
            raw = self._keys_path.read_bytes()
            for line in raw.split(b"\n")[:-1]:  # the part after the last newline is incomplete
                text = line.decode("ascii", errors="replace")
                if not _SHA256.match(text):
                    break
                keys.append(text)
        rows = self._data_path.stat().st_size // self._row_bytes if self._data_path.is_file() else 0
        n = min(len(keys), rows)
        self._keys = keys[:n]
        self._keys_bytes = n * _KEY_LINE
        self._index = {}
        for row, key in enumerate(self._keys):
            self._index.setdefault(key, row)
        self._memmap = None

    def refresh(self) -> int:
        """Take in the entries other writers appended since this store was read; returns how many."""
        with self._lock:
            try:
                size = self._keys_path.stat().st_size
            except FileNotFoundError:
                size = 0
            if size == self._keys_bytes:
                return 0
            before = len(self._keys)
            if size < self._keys_bytes:  # cut back by a repair elsewhere: read it all again
                self._load()
                return len(self._keys) - before
            with open(self._keys_path, "rb") as handle:
                handle.seek(self._keys_bytes)
                tail = handle.read(size - self._keys_bytes)
            rows = self._data_path.stat().st_size // self._row_bytes if self._data_path.is_file() else 0
            for line in tail.split(b"\n")[:-1]:
                text = line.decode("ascii", errors="replace")
                if not _SHA256.match(text) or len(self._keys) >= rows:
                    break
                self._index.setdefault(text, len(self._keys))
                self._keys.append(text)
                self._keys_bytes += _KEY_LINE
            self._memmap = None
            return len(self._keys) - before

    def _repair(self) -> None:
        """Cut both files back to the trusted entries before appending (once per open)."""
        if self._repaired:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        meta_path = self.folder / META_FILE
        if not meta_path.is_file():
            meta_path.write_text(json.dumps({"space_key": self.space_key, "dim": self.dim}), encoding="utf-8")
        n = len(self._keys)
        for path, size in ((self._data_path, n * self._row_bytes), (self._keys_path, n * _KEY_LINE)):
            if not path.exists():
                path.touch()
            if path.stat().st_size != size:
                with open(path, "r+b") as handle:
                    handle.truncate(size)
                    handle.flush()
                    os.fsync(handle.fileno())
        self._repaired = True

    # -- reading -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, sha256: object) -> bool:
        return isinstance(sha256, str) and sha256.lower() in self._index

    def keys(self) -> list[str]:
        return list(self._keys)

    def _matrix(self) -> np.ndarray:
        n = len(self._keys)
        if n == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._memmap is None or self._memmap.shape[0] != n:
            self._memmap = np.memmap(self._data_path, dtype=np.float32, mode="r", shape=(n, self.dim))
        return self._memmap

    def get(self, sha256s: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``(float32[len, dim], present bool[len])``; rows of absent keys are zero."""
        out = np.zeros((len(sha256s), self.dim), dtype=np.float32)
        with self._lock:
            rows = np.array([self._index.get(k.lower(), -1) for k in sha256s], dtype=np.int64)
            present = rows >= 0
            if present.any():
                wanted = rows[present]
                order = np.argsort(wanted, kind="stable")  # read the memmap in file order
                block = self._matrix()[wanted[order]]
                taken = np.empty_like(block)
                taken[order] = block
                out[present] = taken
        return out, present

    # -- writing -----------------------------------------------------------------------------

    def add(self, sha256s: Sequence[str], matrix: np.ndarray) -> int:
        """Append rows for keys not stored yet (durably); returns how many were added."""
        matrix = np.asarray(matrix, dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape != (len(sha256s), self.dim):
            raise ValueError(f"expected a ({len(sha256s)}, {self.dim}) matrix, got {matrix.shape}")
        keys = [key.lower() for key in sha256s]
        for key in keys:
            if not _SHA256.match(key):
                raise ValueError(f"not a SHA-256 hex digest: {key!r}")
        if not np.isfinite(matrix).all():
            raise ValueError("features must be finite")
        if all(key in self._index for key in keys):
            return 0
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with self._lock, _exclusive(self.folder / LOCK_FILE):
                self.refresh()  # what another process appended is kept, never cut off
                return self._append(keys, matrix)
        except OSError as exc:
            raise FeatureStoreError(f"Cannot write the feature cache in {self.folder}: {exc}") from exc

    def _append(self, keys: list[str], matrix: np.ndarray) -> int:
        new_keys: list[str] = []
        new_rows: list[int] = []
        seen: set[str] = set()
        for i, key in enumerate(keys):
            if key in self._index or key in seen:
                continue
            seen.add(key)
            new_keys.append(key)
            new_rows.append(i)
        if not new_keys:
            return 0
        self._repaired = False  # under the lock: the files may have grown since the last repair
        self._repair()
        block = np.ascontiguousarray(matrix[new_rows])
        with open(self._data_path, "ab") as handle:
            handle.write(block.tobytes())
            handle.flush()
            os.fsync(handle.fileno())
        with open(self._keys_path, "ab") as handle:
            handle.write("".join(k + "\n" for k in new_keys).encode("ascii"))
            handle.flush()
            os.fsync(handle.fileno())
        start = len(self._keys)
        for offset, key in enumerate(new_keys):
            self._index[key] = start + offset
        self._keys.extend(new_keys)
        self._keys_bytes += len(new_keys) * _KEY_LINE
        self._memmap = None
        return len(new_keys)
