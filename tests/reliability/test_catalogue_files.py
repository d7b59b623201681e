"""Issue 14, failures 5-6: foreign databases left unchanged; locks, full and read-only disks in one sentence."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.helpers import (
    LockHolder,
    assert_clean_failure,
    child_env,
    cli,
    digest,
    json_out,
    needs_mount,
    photos,
    query,
    read_only_view,
    read_until,
    run,
    snapshot,
    start,
    tmpfs,
)

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX processes, mounts and permissions")


def foreign_database(path: Path) -> Path:
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("INSERT INTO users (name) VALUES ('ann'), ('bob')")
        db.commit()
    return path


def unversioned_catalogue(path: Path) -> Path:
    """Our tables without alembic_version (made by create_all, or a half-restored backup)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        for table in ("records", "tags", "record_tags", "decisions", "model_versions"):
            db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
        db.commit()
    return path


def newer_catalogue(path: Path, tmp: Path) -> Path:
    cli(path, "import", tmp)  # a real catalogue (empty folder: nothing imported)
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        db.commit()
    return path


COMMANDS = [
    ("stats",),
    ("import", "{box}"),
    ("export", "--format", "csv", "--output", "{out}"),
    ("models", "list"),
    ("retrain", "--if-due"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (
            "foreign",
            "is not a Heritage Tagger catalogue: it is another application's database (tables users)",
        ),
        (
            "unversioned",
            "has catalogue tables but no schema version, so it cannot be opened or upgraded safely",
        ),
        ("newer", "was made by a newer version of Heritage Tagger (schema 9999_from_the_future)"),
    ],
)
def test_5_foreign_and_unversioned_databases_are_refused_and_left_byte_for_byte(
    tmp_path: Path, kind: str, message: str, command: tuple[str, ...]
) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "their.sqlite"
    box = tmp_path / "box"
    photos(box, 2)
    if kind == "foreign":
        foreign_database(path)
    elif kind == "unversioned":
        unversioned_catalogue(path)
    else:
        newer_catalogue(path, tmp_path / "empty")
    before = snapshot(folder)
    args = [a.format(box=box, out=tmp_path / "out.csv") for a in command]
    result = cli(path, *args)
    assert_clean_failure(result, message, "left unchanged")
    assert snapshot(folder) == before  # the same bytes, no -wal/-shm, no .heritage folder
    assert not (tmp_path / "out.csv").exists()


def test_6_a_write_waits_for_another_process_then_completes(tmp_path: Path) -> None:
    cat = tmp_path / "cat.sqlite"
    json_out(run(cat, "import", photos(tmp_path / "first", 3)[0].parent, "--json"))
    box = photos(tmp_path / "box", 4, start=10)[0].parent
    with LockHolder(cat) as holder:
        process = start(cat, "import", box, "--json")
        assert process.stderr is not None
        waiting = read_until(process.stderr, "waiting for another Heritage Tagger process")[-1]
        assert f"to finish writing to the catalogue {cat} (up to 30 seconds)" in waiting
        assert query(cat, "SELECT count(*) FROM records") == [(3,)]
        holder.release()
        _out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert query(cat, "SELECT count(*), count(DISTINCT sha256) FROM records") == [(7, 7)]


def test_6_a_write_gives_up_cleanly_after_the_busy_timeout(tmp_path: Path) -> None:
    cat = tmp_path / "cat.sqlite"
    json_out(run(cat, "import", photos(tmp_path / "first", 3)[0].parent, "--json"))
    box = photos(tmp_path / "box", 4, start=10)[0].parent
    with LockHolder(cat):
        before = digest(cat)
        result = run(cat, "import", box, HERITAGE_TAGGER_BUSY_TIMEOUT="1")
        assert digest(cat) == before
    assert_clean_failure(
        result,
        f"The catalogue {cat} is busy: another Heritage Tagger process (or another program) kept it locked "
        "for more than 1 seconds; nothing was lost, so run the command again when that process has finished.",
    )
    assert "waiting for another Heritage Tagger process" in result.stderr
    assert query(cat, "SELECT count(*) FROM records") == [(3,)]
    assert query(cat, "SELECT count(*) FROM import_batches") == [(1,)]  # nothing half-made
    data = json_out(run(cat, "import", box, "--json"))  # once the lock is gone, the same command works
    assert data["imported"] == 4


def test_6_a_second_import_of_a_folder_being_imported_is_refused(tmp_path: Path) -> None:
    cat = tmp_path / "cat.sqlite"
    box = photos(tmp_path / "box", 12)[0].parent
    first = start(cat, "import", box, "--commit-every", "1", "--json")
    assert first.stderr is not None
    try:
        read_until(first.stderr, "Importing")  # its batch and job are committed before this line
        with LockHolder(cat) as holder:  # taken between two of the first import's commits
            read_until(first.stderr, "waiting for another Heritage Tagger process")
            second = cli(cat, "import", box)
            holder.release()
            _out, err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
    assert_clean_failure(
        second, f"The folder {box} is being imported into this catalogue by another Heritage Tagger process"
    )
    assert first.returncode == 0, err
    assert query(cat, "SELECT count(*), count(DISTINCT sha256) FROM records") == [(12, 12)]
    assert query(cat, "SELECT status FROM import_batches") == [("done",)]


CREATE = (
    "import sys\n"
    "from heritage_tagger.services.catalogue import open_catalogue\n"
    "print('READY', flush=True)\n"
    "sys.stdin.readline()\n"
    "open_catalogue(sys.argv[1]).close()\n"
    "print('OPENED', flush=True)\n"
)


def test_6_processes_creating_the_same_new_catalogue_do_not_race(tmp_path: Path) -> None:
    for round_ in range(3):
        cat = tmp_path / f"new{round_}.sqlite"
        children = [
            subprocess.Popen(
                [sys.executable, "-c", CREATE, str(cat)],
                env=child_env(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        for child in children:  # all loaded and waiting: then all at once
            assert child.stdout is not None
            read_until(child.stdout, "READY")
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        results = [child.communicate(timeout=120) for child in children]
        assert [c.returncode for c in children] == [0] * 4, [err for _, err in results]
        assert all("OPENED" in out for out, _ in results)
        assert query(cat, "PRAGMA integrity_check") == [("ok",)]
        from heritage_tagger.db.migrate import head_revision

        assert query(cat, "SELECT version_num FROM alembic_version") == [(head_revision(),)]


def noisy_photos(folder: Path, n: int) -> Path:
    """Photos of noise: their thumbnails do not compress, so they fill a small disk quickly."""
    import numpy as np
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    for i in range(n):
        Image.fromarray(rng.integers(0, 256, (160, 200, 3), dtype=np.uint8)).save(folder / f"n{i:03d}.png")
    return folder


@needs_mount
def test_6_a_full_disk_fails_in_one_sentence_and_the_import_resumes_after_space_is_freed(
    tmp_path: Path,
) -> None:
    box = noisy_photos(tmp_path / "box", 60)
    with tmpfs(tmp_path / "disk", "1m") as disk:
        cat = disk / "cat.sqlite"
        result = run(cat, "import", box, "--commit-every", "5")
        message = assert_clean_failure(result, f"The disk holding the catalogue {cat} is full")
        assert message.endswith(
            "free some space, or move the catalogue to a larger disk, and run the command again."
        )
        assert query(cat, "PRAGMA integrity_check") == [("ok",)]
        saved = query(cat, "SELECT count(*) FROM records")[0][0]
        assert 0 < saved < 60  # what was committed before the disk filled up is there
        shutil.rmtree(disk / "cat.heritage" / "thumbnails")  # the librarian frees some space
        subprocess.run(["mount", "-o", "remount,size=4m", str(disk)], check=True)
        data = json_out(run(cat, "import", box, "--commit-every", "5", "--json"))
        assert data["resumed"] and data["imported"] == 60 and data["imported_before"] == saved
        assert query(cat, "SELECT count(*), count(DISTINCT sha256) FROM records") == [(60, 60)]


def test_6_a_full_database_is_reported_in_the_same_sentence(tmp_path: Path) -> None:
    """Without a small disk to fill: SQLite's page limit gives the same SQLITE_FULL error, in this process."""
    from sqlalchemy import Engine, event

    cat = tmp_path / "cat.sqlite"
    json_out(cli(cat, "import", photos(tmp_path / "first", 2)[0].parent, "--json"))
    pages = query(cat, "PRAGMA page_count")[0][0]

    def limit(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")  # type: ignore[attr-defined]

    event.listen(Engine, "connect", limit)
    try:
        result = cli(cat, "import", photos(tmp_path / "box", 40, start=20)[0].parent, "--commit-every", "5")
    finally:
        event.remove(Engine, "connect", limit)
    assert_clean_failure(
        result, f"The disk holding the catalogue {cat} is full, so nothing more could be saved"
    )
    assert query(cat, "PRAGMA integrity_check") == [("ok",)]


@pytest.fixture
def catalogue_with_records(tmp_path: Path) -> Path:
    cat = tmp_path / "ro" / "cat.sqlite"
    cat.parent.mkdir()
    json_out(cli(cat, "import", photos(tmp_path / "box", 5)[0].parent, "--json"))
    return cat


@needs_mount
def test_6_a_read_only_disk_reads_and_refuses_writes_in_one_sentence(
    catalogue_with_records: Path, tmp_path: Path
) -> None:
    folder = catalogue_with_records.parent
    before = snapshot(folder)
    with read_only_view(folder, tmp_path / "mnt") as mnt:
        cat = mnt / "cat.sqlite"
        stats = json_out(run(cat, "stats", "--json"))
        assert stats["records"] == 5
        out = tmp_path / "out.csv"
        exported = run(cat, "export", "--format", "csv", "--output", out)
        assert exported.returncode == 0, exported.stderr
        assert len(out.read_text("utf-8").splitlines()) == 6
        for command in (("import", tmp_path / "box"), ("train", "--epochs", "1"), ("synth", "3")):
            assert_clean_failure(run(cat, *command), "read-only", "and run the command again")
        message = assert_clean_failure(run(cat, "import", tmp_path / "box"))
        assert message == (
            f"heritage-tagger: The catalogue {cat} is read-only (a read-only file, folder or disk), so nothing "
            "could be saved: copy it with its cat.heritage folder to a folder you can write to, or ask for "
            "write permission, and run the command again."
        )
    assert snapshot(folder) == before


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="chattr +i needs root")
def test_6_an_immutable_catalogue_reads_and_refuses_writes_in_one_sentence(
    catalogue_with_records: Path, tmp_path: Path
) -> None:
    cat = catalogue_with_records
    before = digest(cat)
    with immutable(cat):
        assert json_out(run(cat, "stats", "--json"))["records"] == 5
        assert_clean_failure(run(cat, "import", tmp_path / "box"), f"The catalogue {cat} is read-only")
        assert_clean_failure(run(cat, "synth", "3"), "read-only")
    assert digest(cat) == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores file permissions")
def test_6_a_read_only_folder_reads_and_refuses_writes(catalogue_with_records: Path, tmp_path: Path) -> None:
    cat = catalogue_with_records
    for path in (cat.parent, *cat.parent.rglob("*")):
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        assert json_out(run(cat, "stats", "--json"))["records"] == 5
        assert_clean_failure(run(cat, "import", tmp_path / "box"), "is read-only")
    finally:
        for path in (cat.parent, *cat.parent.rglob("*")):
            path.chmod(path.stat().st_mode | 0o200)


def test_a_catalogue_path_with_url_characters_is_the_file_used(tmp_path: Path) -> None:
    folder = tmp_path / "box 12 ?#% 50%"
    cat = folder / "cat?v=1#x%41.sqlite"
    data = json_out(cli(cat, "import", photos(tmp_path / "photos", 2)[0].parent, "--json"))
    assert data["imported"] == 2
    assert sorted(p.name for p in folder.iterdir()) == ["cat?v=1#x%41.heritage", "cat?v=1#x%41.sqlite"]
    assert query(cat, "SELECT count(*) FROM records") == [(2,)]
