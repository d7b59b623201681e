"""``heritage-tagger import``: summary, exit codes, --json, a real kill -9 and resume, unreadable files."""

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

from heritage_tagger.cli import main

MakeImage = Callable[..., Path]
REPO = Path(__file__).resolve().parents[2]


def run_cli(catalogue: Path, *args: str) -> int:
    return main(["--catalogue", str(catalogue), "import", *map(str, args)])


def test_import_then_reimport_exit_codes_and_summary(
    tmp_path: Path, make_image: MakeImage, capsys: pytest.CaptureFixture[str]
) -> None:
    make_image(tmp_path / "f" / "a.jpg")
    make_image(tmp_path / "f" / "sub" / "b.png", colour=(1, 2, 3), fmt="PNG")
    (tmp_path / "f" / "records.csv").write_text("id,file,tags\nA,a.jpg,x|y\n", encoding="utf-8")
    cat = tmp_path / "c.sqlite"
    assert run_cli(cat, tmp_path / "f") == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "2 imported, 0 duplicates, 0 skipped."
    assert f"Using the manifest {tmp_path / 'f' / 'records.csv'} found in the folder." in err
    assert run_cli(cat, tmp_path / "f") == 0
    out, _ = capsys.readouterr()
    assert out.splitlines()[0] == "0 imported, 2 duplicates, 0 skipped."


def test_empty_folder_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert run_cli(tmp_path / "c.sqlite", tmp_path / "empty") == 1
    assert "0 imported, 0 duplicates, 0 skipped." in capsys.readouterr().out


def test_all_bad_folder_exits_non_zero_and_lists_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "zero.jpg").write_bytes(b"")
    (folder / "text.png").write_text("not a picture")
    assert run_cli(tmp_path / "c.sqlite", folder) == 1
    out = capsys.readouterr().out
    assert "0 imported, 0 duplicates, 2 skipped." in out
    assert "  zero.jpg: the file is empty (0 bytes)" in out
    assert "  text.png: this is not an image although it is named .png" in out


def test_json_summary(tmp_path: Path, make_image: MakeImage, capsys: pytest.CaptureFixture[str]) -> None:
    make_image(tmp_path / "f" / "a.jpg")
    (tmp_path / "f" / "b.jpg").write_bytes(b"")
    manifest = tmp_path / "list.csv"
    manifest.write_text("file,title\nf/a.jpg,Alpha\n", encoding="utf-8")
    assert run_cli(tmp_path / "c.sqlite", tmp_path / "f", "--manifest", manifest, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["imported"], data["duplicates"], data["resumed"]) == (1, 0, False)
    assert data["skipped"] == [{"path": "b.jpg", "reason": "the file is empty (0 bytes)"}]
    assert data["manifest"] == str(manifest) and data["manifest_found"] is False


def test_manifest_without_file_column_is_a_plain_error(
    tmp_path: Path, make_image: MakeImage, capsys: pytest.CaptureFixture[str]
) -> None:
    make_image(tmp_path / "f" / "a.jpg")
    (tmp_path / "f" / "records.csv").write_text("name,title\na.jpg,A\n", encoding="utf-8")
    assert run_cli(tmp_path / "c.sqlite", tmp_path / "f") == 1
    assert "heritage-tagger: The manifest records.csv has no 'file' column" in capsys.readouterr().err


def _batch_state(catalogue: Path) -> tuple[str, int] | None:
    try:
        with sqlite3.connect(f"file:{catalogue}?mode=ro", uri=True, timeout=1) as db:
            row = db.execute(
                "SELECT status, n_imported FROM import_batches ORDER BY id DESC LIMIT 1"
            ).fetchone()
    except sqlite3.Error:
        return None  # not created yet, or being migrated
    return (row[0], row[1]) if row else None


@pytest.mark.slow
def test_kill_9_midway_then_resume_without_duplicates(tmp_path: Path) -> None:
    from PIL import Image

    folder = tmp_path / "many"
    folder.mkdir()
    n = 200
    for i in range(n):
        Image.new("RGB", (24, 16), (i, 255 - i, (i * 37) % 256)).save(folder / f"img{i:03d}.png")
    catalogue = tmp_path / "c.sqlite"
    command = [sys.executable, "-m", "heritage_tagger", "--catalogue", str(catalogue), "import", str(folder)]
    process = subprocess.Popen(
        [*command, "--commit-every", "2"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    state = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        state = _batch_state(catalogue)
        if state and 0 < state[1] < n // 2:
            break
        time.sleep(0.005)
    assert process.poll() is None, f"the import finished before it could be killed (last seen {state})"
    process.kill()  # SIGKILL: no cleanup at all
    process.wait()
    assert state is not None and state[0] == "running"

    result = subprocess.run([*command, "--json"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["resumed"] is True
    # what the killed run had committed: whole chunks of 2, at least what was seen before the kill
    assert state[1] <= summary["imported_before"] < n and summary["imported_before"] % 2 == 0
    assert (summary["imported"], summary["duplicates"], summary["skipped"]) == (n, 0, [])
    with sqlite3.connect(catalogue) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*), count(DISTINCT sha256) FROM records").fetchone() == (n, n)
        assert db.execute("SELECT status, n_imported FROM import_batches").fetchall() == [("done", n)]
        names = {row[0] for row in db.execute("SELECT identifier FROM records")}
    assert names == {f"img{i:03d}" for i in range(n)}


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A temporary folder another user can enter (pytest's tmp_path is private to its owner)."""
    path = Path(tempfile.mkdtemp(prefix="ht-import-"))
    path.chmod(0o777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_unreadable_file_permission_denied_is_skipped(shared_tmp: Path, make_image: MakeImage) -> None:
    folder = shared_tmp / "f"
    make_image(folder / "ok.jpg")
    locked = make_image(folder / "locked.jpg", colour=(0, 0, 0))
    folder.chmod(0o755)
    locked.chmod(0)
    command = [sys.executable, "-m", "heritage_tagger", "--catalogue", str(shared_tmp / "c.sqlite")]
    command += ["import", str(folder), "--json"]
    if os.geteuid() == 0:  # root reads any file: run the import as the unprivileged user "nobody"
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root and setpriv is missing: cannot drop privileges")
        command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["imported"] == 1
    assert data["skipped"] == [
        {"path": "locked.jpg", "reason": "the file cannot be read (permission denied)"}
    ]
