"""A real ``kill -9`` during import, annotation and retraining, then a restart that resumes and completes."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.factories import bomb_png, copy_catalogue

REPO = Path(__file__).resolve().parents[2]
N_PHOTOS = 120
SAFETY_NET = 1800  # seconds; only a hung process reaches it
pytestmark = pytest.mark.slow


def photos(folder: Path, n: int = N_PHOTOS) -> Path:
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    colours = [(200, 40, 30), (30, 160, 40), (40, 60, 210)]
    for i in range(n):
        base = colours[i % 3]
        image = Image.new("RGB", (64, 48), tuple(max(0, min(255, c + (i % 7) * 5 - 15)) for c in base))
        ImageDraw.Draw(image).rectangle(
            [i % 50, (i * 7) % 40, i % 50 + 10, (i * 7) % 40 + 6], fill=(i, 255 - i, 9)
        )
        image.save(folder / f"p{i:03d}.png")
    return folder


def query(catalogue: Path, sql: str) -> list[tuple]:
    """Read the catalogue as another process would; empty while it is being created or locked."""
    try:
        with sqlite3.connect(f"file:{catalogue}?mode=ro", uri=True, timeout=0.5) as db:
            return db.execute(sql).fetchall()
    except sqlite3.Error:
        return []


def kill_when(process: subprocess.Popen, reached: Callable[[], bool], what: str) -> None:
    """Poll until ``reached()`` (an event: a job row, a cursor, a batch count), then SIGKILL the process.

    There is no deadline a loaded machine could miss: the wait ends when the event happens or when the
    process ends without it (a failure). SAFETY_NET only stops a test that would otherwise hang forever.
    """
    started = time.monotonic()
    while process.poll() is None:
        if reached():
            process.kill()
            process.wait()
            return
        if time.monotonic() - started > SAFETY_NET:  # pragma: no cover - a hung process, not a slow one
            process.kill()
            raise AssertionError(f"the process was still running after {SAFETY_NET} s without {what}")
        time.sleep(0.002)
    out = process.stderr.read() if process.stderr else ""
    raise AssertionError(f"the process ended before {what}: {out}")


def command(catalogue: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "heritage_tagger", "--catalogue", str(catalogue), *map(str, args)]


def start(catalogue: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        command(catalogue, *args), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def finish(catalogue: Path, *args: str) -> dict:
    result = subprocess.run(
        command(catalogue, *args), cwd=REPO, capture_output=True, text=True, timeout=SAFETY_NET
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def cat(trained_catalogue_template: Path, tmp_path: Path) -> Path:
    return copy_catalogue(trained_catalogue_template, tmp_path / "cat")


def suggestions_by_record(catalogue: Path) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for identifier, label, score in query(
        catalogue,
        "SELECT r.identifier, g.label, t.score FROM record_tags t JOIN records r ON r.id = t.record_id "
        "JOIN tags g ON g.id = t.tag_id WHERE t.state = 'suggested'",
    ):
        out.setdefault(identifier, {})[label] = score
    return out


def expected_proposals(catalogue: Path, identifiers: list[str]) -> dict[str, dict[str, float]]:
    """What the active model proposes for each record, computed afresh in this process."""
    from heritage_tagger.services.catalogue import open_catalogue
    from heritage_tagger.services.suggesting import clear_cache, suggest_for_record

    clear_cache()
    with open_catalogue(catalogue) as opened:
        out = {i: dict(suggest_for_record(opened, i).proposed) for i in identifiers}
    clear_cache()
    return out


def assert_sound(catalogue: Path, n: int) -> list[str]:
    """integrity_check ok, n distinct records, every job finished; returns the identifiers."""
    assert query(catalogue, "PRAGMA integrity_check") == [("ok",)]
    assert query(catalogue, "SELECT count(*), count(DISTINCT sha256), count(DISTINCT identifier) FROM records "
                 "WHERE batch_id IS NOT NULL") == [(n, n, n)]  # fmt: skip
    assert query(catalogue, "SELECT count(*) FROM jobs WHERE status = 'running'") == [(0,)]
    return [r[0] for r in query(catalogue, "SELECT identifier FROM records WHERE batch_id IS NOT NULL")]


def assert_complete_suggestions(catalogue: Path, identifiers: list[str]) -> None:
    stored = suggestions_by_record(catalogue)
    expected = expected_proposals(catalogue, identifiers)
    assert set(stored) == set(identifiers)
    for identifier in identifiers:
        assert stored[identifier] == pytest.approx(expected[identifier], abs=1e-5), identifier


def test_kill_9_during_import_then_import_annotate_resumes(cat: Path, tmp_path: Path) -> None:
    folder = photos(tmp_path / "box")
    process = start(cat, "import", folder, "--annotate", "--commit-every", "2")
    kill_when(
        process,
        lambda: (
            bool(rows := query(cat, "SELECT n_imported FROM import_batches WHERE status = 'running'"))
            and 0 < rows[0][0] < N_PHOTOS // 2
        ),
        "the import had saved some files",
    )
    assert query(cat, "SELECT count(*) FROM record_tags WHERE state = 'suggested'") == [(0,)]
    data = finish(cat, "import", folder, "--annotate", "--json")
    assert data["resumed"] and 0 < data["imported_before"] < N_PHOTOS
    assert (data["imported"], data["duplicates"], data["skipped"]) == (N_PHOTOS, 0, [])
    assert data["annotation"]["resumed"] and data["annotation"]["records"] == N_PHOTOS
    names = assert_sound(cat, N_PHOTOS)
    assert set(names) == {f"p{i:03d}" for i in range(N_PHOTOS)}
    assert_complete_suggestions(cat, names)


def test_kill_9_during_annotation_leaves_whole_records_and_resumes(cat: Path, tmp_path: Path) -> None:
    folder = photos(tmp_path / "box")
    process = start(cat, "import", folder, "--annotate", "--commit-every", "2")
    cursor: dict = {}

    def annotating() -> bool:
        rows = query(cat, "SELECT cursor_json FROM jobs WHERE kind = 'annotate' AND status = 'running'")
        cursor.update(json.loads(rows[0][0]) if rows else {})
        return 0 < cursor.get("done", 0) < N_PHOTOS // 2

    kill_when(process, annotating, "the annotation had saved some records")
    # what the killed run committed: whole records up to its cursor, nothing after it
    last = query(cat, "SELECT cursor_json FROM jobs WHERE kind = 'annotate'")
    last_id = json.loads(last[0][0])["last_record_id"]
    done_ids = {
        r[0]
        for r in query(cat, f"SELECT identifier FROM records WHERE id <= {last_id} AND batch_id IS NOT NULL")
    }
    stored = suggestions_by_record(cat)
    assert set(stored) == done_ids and len(done_ids) >= cursor["done"]
    expected = expected_proposals(cat, sorted(done_ids))
    for identifier in done_ids:  # no half-written record
        assert stored[identifier] == pytest.approx(expected[identifier], abs=1e-5)

    data = finish(cat, "import", folder, "--annotate", "--json")
    assert data["duplicates"] == N_PHOTOS and data["imported"] == 0
    annotation = data["annotation"]
    assert annotation["resumed"] and annotation["done_before"] == len(done_ids)
    assert annotation["done_before"] + annotation["annotated"] == N_PHOTOS
    names = assert_sound(cat, N_PHOTOS)
    assert_complete_suggestions(cat, names)
    assert query(cat, "SELECT status FROM jobs WHERE kind = 'annotate'") == [("done",)]


@pytest.mark.parametrize("phase", ["comparison", "candidate"])
def test_kill_9_during_retraining_keeps_the_active_model(cat: Path, tmp_path: Path, phase: str) -> None:
    from heritage_tagger.services.catalogue import open_catalogue
    from heritage_tagger.services.review import accept

    # a few reviewed decisions to retrain on
    finish(cat, "import", photos(tmp_path / "box", 15), "--annotate", "--json")
    pending = query(cat, "SELECT t.record_id, g.label FROM record_tags t JOIN tags g ON g.id = t.tag_id "
                         "WHERE t.state = 'suggested' GROUP BY t.record_id")  # fmt: skip
    with open_catalogue(cat) as opened:
        for record_id, label in pending:
            accept(opened, record_id, label, "librarian")
    before = query(cat, "SELECT id, version, is_active FROM model_versions ORDER BY id")
    process = start(cat, "retrain", "--activate", "--yes", "--device", "cpu")
    if phase == "comparison":
        reached = lambda: bool(query(cat, "SELECT 1 FROM jobs WHERE kind = 'retrain' AND status = 'running'"))  # noqa: E731
    else:
        reached = lambda: bool(query(cat, "SELECT 1 FROM jobs WHERE kind = 'train' AND status = 'running'"))  # noqa: E731
    kill_when(process, reached, f"the {phase} training started")
    assert query(cat, "PRAGMA integrity_check") == [("ok",)]
    assert query(cat, "SELECT id, version, is_active FROM model_versions ORDER BY id") == before
    lock = cat.with_name(cat.stem + ".heritage") / "locks" / "training.lock"
    assert json.loads(lock.read_text())["pid"] == process.pid  # left behind by the killed process
    with open_catalogue(cat) as opened:  # the catalogue still suggests with the model from before
        from heritage_tagger.services.suggesting import suggest_for_record

        assert suggest_for_record(opened, "REC-0-00").model_version == before[0][1]
    assert not lock.exists()  # the next start removed the dead process's lock

    data = finish(cat, "retrain", "--activate", "--yes", "--epochs", "2", "--device", "cpu", "--json")
    assert data["activated"] is True
    after = query(cat, "SELECT version, is_active FROM model_versions ORDER BY id")
    assert after == [(before[0][1], 0), (data["candidate"]["version"], 1)]
    assert query(cat, "SELECT count(*) FROM jobs WHERE status = 'running'") == [(0,)]
    assert query(cat, "SELECT status FROM jobs WHERE kind = 'retrain' ORDER BY id") == [
        ("failed",),
        ("done",),
    ]
    assert not lock.exists()


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder the unprivileged user can write (pytest's tmp_path is private to its owner)."""
    path = Path(tempfile.mkdtemp(prefix="ht-kill-"))
    path.chmod(0o777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_corrupt_huge_and_unreadable_files_do_not_stop_annotation(
    trained_catalogue_template: Path,
    shared_tmp: Path,
) -> None:
    cat = copy_catalogue(trained_catalogue_template, shared_tmp / "cat")
    folder = photos(shared_tmp / "box", 9)
    whole = (folder / "p000.png").read_bytes()
    (folder / "corrupt.jpg").write_bytes(whole[: len(whole) // 2])
    bomb_png(folder / "huge.png")
    locked = folder / "locked.png"
    shutil.copy2(folder / "p001.png", locked)
    (folder / "p001.png").write_bytes((folder / "p001.png").read_bytes() + b"\0")  # keep the copy distinct
    for path in [shared_tmp, *shared_tmp.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    locked.chmod(0)
    argv = command(cat, "import", folder, "--annotate", "--json")
    if os.geteuid() == 0:  # root reads any file: run as the unprivileged user "nobody"
        argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *argv]
    result = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=SAFETY_NET)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    reasons = {s["path"]: s["reason"] for s in data["skipped"]}
    assert set(reasons) == {"corrupt.jpg", "huge.png", "locked.png"}
    assert "permission denied" in reasons["locked.png"]
    assert data["imported"] == 9 and data["annotation"]["annotated"] == 9 and not data["annotation"]["failed"]
    names = assert_sound(cat, 9)
    assert_complete_suggestions(cat, names)
