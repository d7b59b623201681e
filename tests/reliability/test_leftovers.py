"""Issue 14, failure 9: what killed jobs leave behind is removed the next time the catalogue is opened."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.helpers import cli, json_out, photos, query, start

pytestmark = pytest.mark.skipif(os.name != "posix", reason="kill -9")


def dead_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def wait_for(found: callable, process: subprocess.Popen, what: str, timeout: float = 120) -> object:  # type: ignore[valid-type]
    """Poll until ``found()`` gives something (an event; the timeout only guards a broken test)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        if process.poll() is not None:
            raise AssertionError(
                f"the process ended before {what}: {process.stderr.read() if process.stderr else ''}"
            )
        time.sleep(0.002)
    raise AssertionError(f"timed out waiting for {what}")


def lock(path: Path, pid: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"pid": pid, "host": socket.gethostname(), "since": "2026-01-01T00:00:00"}))


def test_9_a_bundle_folder_left_by_a_killed_training_is_removed_on_the_next_start(tmp_path: Path) -> None:
    cat = tmp_path / "cat.sqlite"
    json_out(cli(cat, "import", photos(tmp_path / "box", 2)[0].parent, "--json"))
    models = tmp_path / "cat.heritage" / "models"
    leftover = models / ".v0002-20260101T0000.tmp-1a2b3c4d"  # as write_bundle names it
    leftover.mkdir(parents=True)
    (leftover / "weights.safetensors").write_bytes(b"\0" * 4096)  # half-written when the kill came
    kept = models / "v0001-20250101T0000"
    kept.mkdir()
    training = tmp_path / "cat.heritage" / "locks" / "training.lock"

    lock(training, os.getpid())  # a training runs now: its folder is left alone
    assert cli(cat, "stats").returncode == 0
    assert leftover.is_dir()

    lock(training, dead_pid())  # the training was killed
    assert cli(cat, "stats").returncode == 0
    assert not leftover.exists() and not training.exists()
    assert kept.is_dir()  # a real bundle folder is never touched


def test_9_a_killed_export_leaves_no_part_file_after_the_next_start(tmp_path: Path) -> None:
    cat = tmp_path / "cat.sqlite"
    assert cli(cat, "synth", "6000").returncode == 0
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    target = out_dir / "box 12.xml"

    def part() -> list[Path]:
        return [
            p for p in out_dir.iterdir() if p.name.startswith(".box 12.xml.") and p.name.endswith(".part")
        ]

    process = start(cat, "export", "--format", "dc-xml", "--output", target)
    (temp,) = wait_for(part, process, "the export started writing")  # type: ignore[misc]
    process.kill()
    process.wait()
    assert temp.is_file() and not target.exists()  # what the kill left behind

    assert cli(cat, "stats").returncode == 0  # the next start of any command
    assert part() == [] and not target.exists()
    assert list((tmp_path / "cat.heritage" / "locks" / "exports").iterdir()) == []


def test_9_a_running_export_keeps_its_part_file_while_another_command_starts(tmp_path: Path) -> None:
    cat = tmp_path / "cat.sqlite"
    assert cli(cat, "synth", "6000").returncode == 0
    target = tmp_path / "out.csv"
    process = start(cat, "export", "--format", "csv", "--output", target, "--excel-safe")
    temp = wait_for(lambda: list(tmp_path.glob(".out.csv.*.part")), process, "the export started writing")
    assert cli(cat, "stats").returncode == 0  # opened while the export runs
    _out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert temp and len(target.read_text("utf-8-sig").splitlines()) == 6001
    assert list(tmp_path.glob(".out.csv.*.part")) == []


def test_9_thumbnail_temporaries_of_a_killed_import_are_removed(tmp_path: Path) -> None:
    cat = tmp_path / "cat.sqlite"
    box = photos(tmp_path / "box", 60)[0].parent
    process = start(cat, "import", box, "--commit-every", "2")
    wait_for(
        lambda: (rows := query_quiet(cat, "SELECT n_imported FROM import_batches")) and rows[0][0] > 0,
        process,
        "the import had saved some files",
    )
    process.kill()
    process.wait()
    thumbs = tmp_path / "cat.heritage" / "thumbnails"
    leftover = (
        next(p for p in thumbs.iterdir() if p.is_dir()) / ".tmp-k1ll3d.jpg"
    )  # as write_thumbnail names it
    leftover.write_bytes(b"\xff\xd8\xff")
    real = sorted(p for p in thumbs.rglob("*.jpg") if not p.name.startswith(".tmp-"))

    assert cli(cat, "stats").returncode == 0
    assert not leftover.exists() and list(thumbs.rglob(".tmp-*")) == []  # the kill may have left one too
    assert sorted(thumbs.rglob("*.jpg")) == real
    data = json_out(cli(cat, "import", box, "--json"))  # and the import resumes as before
    assert data["resumed"] and data["imported"] == 60


def query_quiet(cat: Path, sql: str) -> list[tuple]:
    try:
        return query(cat, sql)
    except Exception:  # noqa: BLE001 - not created yet, or being created
        return []


def test_9_stale_lock_files_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    cat = tmp_path / "cat.sqlite"
    assert cli(cat, "synth", "3").returncode == 0
    locks = tmp_path / "cat.heritage" / "locks"
    lock(locks / "training.lock", dead_pid())
    lock(locks / "window.lock", dead_pid())
    lock(locks / "other.lock", os.getpid())
    assert cli(cat, "stats").returncode == 0
    assert sorted(p.name for p in locks.iterdir()) == ["other.lock"]
