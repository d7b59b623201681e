"""Menus that start jobs (import, export), the shortcuts window, versions, and the gui/synth commands."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence

from heritage_tagger.cli import main as cli_main
from heritage_tagger.gui.dialogs.shortcuts_dialog import ShortcutsDialog
from heritage_tagger.gui.main_window import MainWindow
from heritage_tagger.gui.preferences import app_settings
from heritage_tagger.gui.shortcuts import SHORTCUTS
from heritage_tagger.services import browse, synthetic
from heritage_tagger.services.catalogue import open_catalogue

WAIT = 30_000


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(app_settings(tmp_path / "prefs.ini"))
    qtbot.addWidget(w)
    w.show()
    yield w
    w.runner.shutdown()
    if w.catalogue is not None:
        w.catalogue.close()


def opened(qtbot, w: MainWindow, path: Path) -> None:
    with qtbot.waitSignal(w.model.loaded, timeout=WAIT):
        w.open_path(path)


def test_import_folder_from_the_menu(qtbot, window, tmp_path, make_image):
    folder = tmp_path / "box"
    for i in range(3):
        make_image(folder / f"p{i}.jpg", colour=(40 * i, 90, 160), pattern=i)
    (folder / "records.csv").write_text("id,file,title,tags\nA1,p0.jpg,Harbour,harbour\n", encoding="utf-8")
    opened(qtbot, window, tmp_path / "new.sqlite")
    assert window.model.total == 0
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT):
        window.jobs.import_folder(str(folder))
    assert window.model.total == 3
    assert "Imported 3 photos" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.filter_bar.batch.count() == 2)  # "All batches" and the new one


def test_export_csv_from_the_menu(qtbot, window, tmp_path):
    path = tmp_path / "c.sqlite"
    with open_catalogue(path) as cat:
        synthetic.generate(cat, 5, seed=1)
    opened(qtbot, window, path)
    out = tmp_path / "out.csv"
    with qtbot.waitSignal(window.message, timeout=WAIT, check_params_cb=lambda t: t.startswith("Exported")):
        window.jobs.export("csv", str(out))
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 6


def test_shortcuts_are_defined_once(qtbot, window):
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(SHORTCUTS)
    for row, s in enumerate(SHORTCUTS):
        action = window.commands[s.name]
        assert [k.toString() for k in action.shortcuts()] == [QKeySequence(k).toString() for k in s.keys]
        assert dialog.table.item(row, 1).text() == s.help
    keys = [k for s in SHORTCUTS for k in s.keys]
    assert len(keys) == len(set(keys))  # no key does two things


def test_versions_dialog_lists_none_yet(qtbot, window, tmp_path):
    opened(qtbot, window, tmp_path / "v.sqlite")
    from PySide6.QtWidgets import QApplication

    window.model_jobs.versions()
    qtbot.waitUntil(lambda: any(type(w).__name__ == "VersionsDialog" for w in QApplication.topLevelWidgets()))


def test_synth_and_screenshot_commands(qtbot, tmp_path, capsys):
    cat = tmp_path / "s.sqlite"
    assert cli_main(["--catalogue", str(cat), "synth", "40", "--images", "6"]) == 0
    assert '"records": 40' in capsys.readouterr().out
    with open_catalogue(cat) as c:
        assert browse.count(c, browse.BrowseFilter()) == 40
        rid = browse.ordered_ids(c, browse.BrowseFilter())[3]
    shot = tmp_path / "shot.png"
    args = [
        "--catalogue",
        str(cat),
        "gui",
        "--screenshot",
        str(shot),
        "--select",
        str(rid),
        "--size",
        "1000x700",
    ]
    assert cli_main([*args, "--settings", str(tmp_path / "p.ini")]) == 0
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1000, 700)


def test_errors_read_as_plain_words():
    import sqlite3

    from heritage_tagger.domain.errors import CatalogueError
    from heritage_tagger.gui.workers import describe_error

    assert "catalogue is busy" in describe_error(sqlite3.OperationalError("database is locked"))
    assert describe_error(CatalogueError("No catalogue at x.")) == "No catalogue at x."
    missing = FileNotFoundError(2, "No such file or directory", "/nowhere/p.jpg")
    assert describe_error(missing) == "No such file or directory (/nowhere/p.jpg)"


def test_load_image_says_what_is_wrong(tmp_path, make_image):
    from heritage_tagger.gui.images import ImageReadError, load_image

    good = make_image(tmp_path / "big.png", size=(400, 200))
    image = load_image([tmp_path / "missing.jpg", good], 100)
    assert (image.width(), image.height()) == (100, 50)  # scaled while decoding, missing one skipped
    with pytest.raises(ImageReadError, match="missing"):
        load_image([tmp_path / "gone.jpg"], 100)
    (tmp_path / "bad.jpg").write_bytes(b"not an image at all")
    with pytest.raises(ImageReadError, match=r"Cannot read the picture \(bad.jpg"):
        load_image([tmp_path / "bad.jpg"], 100)
