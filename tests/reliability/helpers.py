"""What the reliability tests share: the command line in-process and as a process, lock holders, read-only and full disks."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

import heritage_tagger

PACKAGE_ROOT = Path(heritage_tagger.__file__).resolve().parents[1]  # the code under test, in children too
TRACEBACK = "Traceback (most recent call last)"


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PACKAGE_ROOT)
    env.update(extra)
    return env


def command(catalogue: Path, *args: object) -> list[str]:
    return [sys.executable, "-m", "heritage_tagger", "--catalogue", str(catalogue), *map(os.fspath, args)]


def run(catalogue: Path, *args: object, timeout: float = 300, **env: str) -> subprocess.CompletedProcess[str]:
    """The command line as a separate process; stdout and stderr as text (undecodable bytes escaped)."""
    return subprocess.run(
        command(catalogue, *args),
        cwd=tempfile.gettempdir(),
        env=child_env(**env),
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=timeout,
    )


def cli(catalogue: Path, *args: object) -> subprocess.CompletedProcess[str]:
    """The command line in this process (faster than :func:`run`), with what it printed."""
    from heritage_tagger.cli import main

    out, err = io.StringIO(), io.StringIO()
    argv = ["--catalogue", str(catalogue), *map(os.fspath, args)]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except Exception:  # noqa: BLE001 - reported the way a terminal would show it
            traceback.print_exc(file=err)
            code = 1
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def start(catalogue: Path, *args: object, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(catalogue, *args),
        cwd=tempfile.gettempdir(),
        env=child_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="backslashreplace",
    )


def read_until(stream: IO[str], marker: str) -> list[str]:
    """Lines of ``stream`` up to the first containing ``marker`` (an event, not a deadline)."""
    lines = []
    for line in stream:
        lines.append(line)
        if marker in line:
            return lines
    raise AssertionError(f"the stream ended before {marker!r}: {''.join(lines)}")


def json_out(result: subprocess.CompletedProcess[str]) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def assert_clean_failure(result: subprocess.CompletedProcess[str], *phrases: str) -> str:
    """Exit code 1, no traceback, every phrase in the one ``heritage-tagger:`` error line; returns that line."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert TRACEBACK not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("heritage-tagger: ")]
    assert errors, result.stderr
    for phrase in phrases:
        assert phrase in errors[-1], errors[-1]
    return errors[-1]


def query(catalogue: Path, sql: str) -> list[tuple]:
    uri = Path(catalogue).resolve().as_uri() + "?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=30)) as db:
        return db.execute(sql).fetchall()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder`` with its content hash and modification time (ns)."""
    return {
        p.relative_to(folder).as_posix(): (digest(p), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def photos(folder: Path, n: int, *, start: int = 0, prefix: str = "p") -> list[Path]:
    """``n`` small distinct PNGs."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        image = Image.new("RGB", (40, 30), ((i * 37) % 256, (i * 91) % 256, (i * 13) % 256))
        ImageDraw.Draw(image).rectangle([i % 30, i % 20, i % 30 + 8, i % 20 + 6], fill=(i % 256, 9, 200))
        path = folder / f"{prefix}{i:03d}.png"
        image.save(path)
        paths.append(path)
    return paths


class LockHolder:
    """Another process holding the catalogue's write lock (BEGIN IMMEDIATE) until told to let go."""

    SCRIPT = (
        "import sqlite3, sys\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('BEGIN IMMEDIATE')\n"
        "print('LOCKED', flush=True)\n"
        "sys.stdin.readline()\n"
        "db.execute('ROLLBACK')\n"
        "print('RELEASED', flush=True)\n"
    )

    def __init__(self, catalogue: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", self.SCRIPT, str(catalogue)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        read_until(self.process.stdout, "LOCKED")

    def release(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None and self.process.stdout is not None
            self.process.stdin.write("go\n")
            self.process.stdin.flush()
            read_until(self.process.stdout, "RELEASED")
            self.process.wait(timeout=30)

    def __enter__(self) -> LockHolder:
        return self

    def __exit__(self, *_: object) -> None:
        try:
            self.release()
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()


def can_mount() -> bool:
    """Root with CAP_SYS_ADMIN (as on the CI machine) can make real read-only and full disks."""
    if os.name != "posix" or os.geteuid() != 0:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", tmp], capture_output=True)
        if result.returncode != 0:
            return False
        subprocess.run(["umount", tmp], check=True)
    return True


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A small RAM disk at ``where`` (a real ENOSPC when it is full)."""
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@contextlib.contextmanager
def read_only_view(folder: Path, where: Path) -> Iterator[Path]:
    """``folder`` seen through a read-only bind mount at ``where`` (a read-only disk)."""
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


needs_mount = pytest.mark.skipif(not can_mount(), reason="needs root with CAP_SYS_ADMIN to mount a disk")
