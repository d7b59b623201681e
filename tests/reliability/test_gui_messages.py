"""The desktop app says what the command line says (locked, full, read-only, foreign), and one window per catalogue."""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from heritage_tagger.gui.main_window import MainWindow
from heritage_tagger.gui.preferences import app_settings
from tests.reliability.helpers import LockHolder, cli, json_out, needs_mount, photos, tmpfs

WAIT = 20_000
pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX locks and mounts")


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return app_settings(tmp_path / "prefs.ini")


@pytest.fixture
def windows(qtbot, settings) -> Iterator[list[MainWindow]]:
    made: list[MainWindow] = []
    yield made
    for w in made:
        w.runner.shutdown()
        if w.catalogue is not None:
            w.catalogue.close()


def new_window(qtbot, settings, windows: list[MainWindow]) -> MainWindow:
    w = MainWindow(settings)
    qtbot.addWidget(w)
    w.show()
    windows.append(w)
    return w


def open_ok(qtbot, w: MainWindow, path: Path) -> None:
    with qtbot.waitSignal(w.model.loaded, timeout=WAIT):
        w.open_path(path, create=False)


def open_fails(qtbot, w: MainWindow, path: Path) -> str:
    with qtbot.waitSignal(
        w.message, timeout=WAIT, check_params_cb=lambda text: not text.startswith("Opening")
    ) as got:
        w.open_path(path, create=False)
    return str(got.args[0])


def cli_message(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stderr
    return result.stderr.strip().splitlines()[-1].removeprefix("heritage-tagger: ")


def save_title(qtbot, w: MainWindow, value: str) -> str:
    record_id = w.model.record_at(0).id
    with qtbot.waitSignal(w.message, timeout=WAIT, check_params_cb=lambda t: "save" in t.lower()) as got:
        w.browse.save_field(record_id, "title", value)
    return str(got.args[0])


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    cat = tmp_path / "cat.sqlite"
    json_out(cli(cat, "import", photos(tmp_path / "box", 3)[0].parent, "--json"))
    return cat


def test_a_second_window_on_the_same_catalogue_says_another_window_has_it_open(
    qtbot, settings, windows, catalogue
) -> None:
    first = new_window(qtbot, settings, windows)
    open_ok(qtbot, first, catalogue)
    second = new_window(qtbot, settings, windows)
    text = open_fails(qtbot, second, catalogue)
    assert text.startswith(f"The catalogue {catalogue} is already open in another Heritage Tagger window")
    assert second.catalogue is None and second.panel.message.text() == text
    open_ok(qtbot, first, catalogue)  # the window that has it may open it again (File > Open)
    first.close()  # closing the window lets another one open it
    third = new_window(qtbot, settings, windows)
    open_ok(qtbot, third, catalogue)
    assert third.catalogue is not None


def test_a_window_lock_left_by_a_killed_app_is_taken_over(qtbot, settings, windows, catalogue) -> None:
    process = subprocess.Popen(["true"])
    process.wait()
    locks = catalogue.with_name("cat.heritage") / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    (locks / "window.lock").write_text(
        f'{{"pid": {process.pid}, "host": "{socket.gethostname()}", "since": "x"}}'
    )
    w = new_window(qtbot, settings, windows)
    open_ok(qtbot, w, catalogue)


def test_a_foreign_database_gets_the_command_lines_message(qtbot, settings, windows, tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE users (id INTEGER)")
        db.commit()
    before = path.read_bytes()
    expected = cli_message(cli(path, "stats"))
    w = new_window(qtbot, settings, windows)
    assert open_fails(qtbot, w, path) == expected
    assert "another application's database" in expected
    assert path.read_bytes() == before


def test_a_locked_catalogue_gets_the_command_lines_message(
    qtbot, settings, windows, catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HERITAGE_TAGGER_BUSY_TIMEOUT", "1")
    w = new_window(qtbot, settings, windows)
    open_ok(qtbot, w, catalogue)
    with LockHolder(catalogue):
        expected = cli_message(cli(catalogue, "import", photos(tmp_path / "more", 1, start=40)[0].parent))
        shown = save_title(qtbot, w, "a new title")
    assert shown == f"Could not save title: {expected}"
    assert "is busy: another Heritage Tagger process" in expected


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The catalogue file made unwritable: immutable for root (which ignores permissions), else read-only."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("chattr +i is not available here")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)


def test_a_read_only_catalogue_opens_and_says_what_to_do_on_a_change(
    qtbot, settings, windows, catalogue, tmp_path: Path
) -> None:
    with read_only(catalogue):
        expected = cli_message(cli(catalogue, "import", tmp_path / "box"))
        w = new_window(qtbot, settings, windows)
        open_ok(qtbot, w, catalogue)
        assert w.count_label.text() == "3 photos"
        shown = save_title(qtbot, w, "a new title")
        w.runner.shutdown()
        w.catalogue.close()
    assert shown == f"Could not save title: {expected}"
    assert "is read-only (a read-only file, folder or disk)" in expected


@needs_mount
def test_a_full_disk_gets_the_command_lines_message(qtbot, settings, windows, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "2m") as disk:
        cat = disk / "cat.sqlite"
        json_out(cli(cat, "import", photos(tmp_path / "box", 3)[0].parent, "--json"))
        w = new_window(qtbot, settings, windows)
        open_ok(qtbot, w, cat)
        filler = disk / "filler"
        # unbuffered: a buffered file would fail again at close, flushing what did not fit
        with filler.open("wb", buffering=0) as fh, contextlib.suppress(OSError):
            while True:
                fh.write(b"\0" * 65536)
        shown = save_title(qtbot, w, "x" * 20000)
        w.runner.shutdown()
        w.catalogue.close()
        w.holder.catalogue = None
        expected = cli_message(cli(cat, "import", photos(tmp_path / "more", 2, start=40)[0].parent))
        filler.unlink()
    assert shown == f"Could not save title: {expected}"
    assert expected.startswith(f"The disk holding the catalogue {cat} is full")
