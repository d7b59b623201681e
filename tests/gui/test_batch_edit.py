"""Issue 17, batch edit: select several photos in the grid or the table (mouse, keyboard, Ctrl+A), change them
all with Edit > Batch edit selected photos…, and undo or redo the whole batch as one step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from heritage_tagger.db import field_edits
from heritage_tagger.domain.records import DecisionAction, TagState
from heritage_tagger.gui.dialogs.batch_edit_dialog import BatchEditDialog
from heritage_tagger.gui.main_window import MainWindow
from heritage_tagger.gui.preferences import app_settings
from heritage_tagger.services import browse, review
from heritage_tagger.services.batch_edit import BatchOperation
from heritage_tagger.services.catalogue import open_catalogue
from tests.factories import add_tagged_record

WAIT = 20_000
S, C, A, R = TagState.SUGGESTED, TagState.CATALOGUED, TagState.ACCEPTED, TagState.REJECTED
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def cat_path(tmp_path: Path) -> Path:
    path = tmp_path / "cat.sqlite"
    with open_catalogue(path) as cat:
        add_tagged_record(cat, "p1", {"barn": S, "horse": C}, location="Ohio")
        add_tagged_record(cat, "p2", {"barn": C})
        add_tagged_record(cat, "p3", {"barn": R, "horse": A}, location="Iowa")
        add_tagged_record(cat, "p4", {"barn": S})
        add_tagged_record(cat, "p5", {"church": S})
    return path


@pytest.fixture
def window(qtbot, tmp_path: Path, cat_path: Path) -> Iterator[MainWindow]:
    w = MainWindow(app_settings(tmp_path / "prefs.ini"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    with (
        qtbot.waitSignal(w.model.loaded, timeout=WAIT),
        qtbot.waitSignal(w.browse.details_shown, timeout=WAIT),
    ):
        w.open_path(cat_path)
    yield w
    w.runner.shutdown()
    if w.catalogue is not None:
        w.catalogue.close()


def ids_in_view(w: MainWindow) -> list[int]:
    rows = [w.model.record_at(i) for i in range(w.model.rowCount())]
    return [r.id for r in rows if r is not None]


def states(w: MainWindow, label: str) -> list[TagState | None]:
    assert w.catalogue is not None
    return [browse.record_details(w.catalogue, i).tags_by_label.get(label) for i in ids_in_view(w)]


def tile_centre(w: MainWindow, row: int):
    return w.browser.grid.visualRect(w.model.index(row, 0)).center()


def open_dialog(qtbot, w: MainWindow) -> BatchEditDialog:
    w.commands["batch_edit"].trigger()
    dialog = w.batch_edit.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    return dialog


def run(qtbot, w: MainWindow, dialog: BatchEditDialog) -> None:
    with qtbot.waitSignal(w.review.decided, timeout=WAIT):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    qtbot.waitUntil(w.isActiveWindow, timeout=WAIT)  # the keyboard is back on the photos
    assert QApplication.focusWidget() is w.browser.view


def test_keyboard_and_mouse_select_several_photos_while_one_stays_current(qtbot, window):
    w = window
    ids = ids_in_view(w)
    grid = w.browser.grid
    grid.setFocus()
    assert w.browser.current_row() == 0 and w.browse.selected_ids() == [ids[0]]  # the current one alone
    qtbot.keyClick(grid, Qt.Key.Key_Right, SHIFT)
    qtbot.keyClick(grid, Qt.Key.Key_Right, SHIFT)
    assert w.browse.selected_ids() == ids[:3]
    qtbot.waitUntil(lambda: w.current_id == ids[2], timeout=WAIT)  # the current photo follows the key
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, CTRL, tile_centre(w, 4))
    assert w.browse.selected_ids() == [*ids[:3], ids[4]]
    qtbot.waitUntil(lambda: w.current_id == ids[4], timeout=WAIT)
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, CTRL, tile_centre(w, 1))  # toggles it off
    assert w.browse.selected_ids() == [ids[0], ids[2], ids[4]]
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=tile_centre(w, 3))
    assert w.browse.selected_ids() == [ids[3]]
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, SHIFT, tile_centre(w, 1))  # backwards
    assert w.browse.selected_ids() == ids[1:4]
    qtbot.keyClick(grid, Qt.Key.Key_A, CTRL)
    assert w.browse.selected_ids() == ids
    # the table shares the selection; Shift+click there selects a range of rows
    w.filter_bar.view_toggled.emit(False)
    table = w.browser.table
    assert w.browser.view is table
    assert w.browse.selected_ids() == ids
    row0 = table.visualRect(w.model.index(0, 1)).center()
    row2 = table.visualRect(w.model.index(2, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=row0)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, SHIFT, row2)
    assert w.browse.selected_ids() == ids[:3]
    assert grid.selectionModel().isSelected(w.model.index(1, 0))


def test_the_selection_model_gives_ids_in_view_order_and_j_collapses_it(qtbot, window):
    w = window
    ids = ids_in_view(w)
    selection = w.browser.grid.selectionModel()
    last = w.model.columnCount() - 1
    flags = QItemSelectionModel.SelectionFlag.Select
    selection.select(QItemSelection(w.model.index(3, 0), w.model.index(4, last)), flags)
    selection.select(QItemSelection(w.model.index(1, 0), w.model.index(1, last)), flags)
    assert w.browse.selected_ids() == [ids[0], ids[1], ids[3], ids[4]]
    w.browser.grid.setFocus()
    qtbot.keyClick(w.browser.grid, Qt.Key.Key_J)  # review keys still move one photo at a time
    qtbot.waitUntil(lambda: w.current_id == ids[1], timeout=WAIT)
    assert w.browse.selected_ids() == [ids[1]]


def test_batch_add_tag_is_logged_and_undone_and_redone_as_one_step(qtbot, window):
    w = window
    ids = ids_in_view(w)
    w.browser.grid.setFocus()
    qtbot.keyClick(w.browser.grid, Qt.Key.Key_A, CTRL)
    dialog = open_dialog(qtbot, w)
    assert dialog.selected.text() == "Photos selected: 5"
    assert not dialog.ok_button.isEnabled()  # no tag typed yet
    dialog.set_operation(BatchOperation.ADD_TAG)
    qtbot.keyClicks(dialog.tag, "barn")
    run(qtbot, w, dialog)
    assert states(w, "barn") == [A, C, A, A, A]
    assert w.catalogue is not None
    log = review.decisions_for(w.catalogue)
    assert [d.action for d in log] == [DecisionAction.ADD] * 4
    assert w.commands["undo"].isEnabled()
    with qtbot.waitSignal(w.review.decided, timeout=WAIT):
        qtbot.keyClick(w.browser.grid, Qt.Key.Key_Z, CTRL)
    assert states(w, "barn") == [S, C, R, S, None]
    assert [d.action for d in review.decisions_for(w.catalogue)][4:] == [DecisionAction.UNDO] * 4
    assert not w.commands["undo"].isEnabled() and w.commands["redo"].isEnabled()
    with qtbot.waitSignal(w.review.decided, timeout=WAIT):
        qtbot.keyClick(w.browser.grid, Qt.Key.Key_Z, CTRL | SHIFT)
    assert states(w, "barn") == [A, C, A, A, A]
    assert ids == ids_in_view(w)


def test_batch_remove_and_accept_tags(qtbot, window):
    w = window
    qtbot.keyClick(w.browser.grid, Qt.Key.Key_A, CTRL)
    dialog = open_dialog(qtbot, w)
    dialog.set_operation(BatchOperation.REMOVE_TAG)
    dialog.tag.setText("horse")
    run(qtbot, w, dialog)
    assert states(w, "horse") == [R, None, R, None, None]
    dialog = open_dialog(qtbot, w)
    dialog.set_operation(BatchOperation.ACCEPT_TAG)
    dialog.tag.setText("barn")
    run(qtbot, w, dialog)
    assert states(w, "barn") == [A, C, R, A, None]
    assert "(left as they were: 3)" in w.statusBar().currentMessage()
    with qtbot.waitSignal(w.review.decided, timeout=WAIT):
        w.commands["undo"].trigger()
    assert states(w, "barn") == [S, C, R, S, None]
    assert states(w, "horse") == [R, None, R, None, None]  # only the last batch


def test_batch_field_edits_show_in_the_detail_pane_and_undo_together(qtbot, window):
    w = window
    ids = ids_in_view(w)
    w.browser.grid.setFocus()
    qtbot.keyClick(w.browser.grid, Qt.Key.Key_Right, SHIFT)
    qtbot.keyClick(w.browser.grid, Qt.Key.Key_Right, SHIFT)
    qtbot.waitUntil(lambda: w.details is not None and w.details.record.id == ids[2], timeout=WAIT)
    dialog = open_dialog(qtbot, w)
    assert dialog.selected.text() == "Photos selected: 3"
    dialog.set_operation(BatchOperation.APPEND_FIELD)
    dialog.field.setCurrentIndex(dialog.field.findData("location"))
    assert dialog.separator.isVisible() and not dialog.tag.isVisible()
    dialog.text.setText("farm")
    run(qtbot, w, dialog)
    assert w.catalogue is not None
    where = [browse.record_details(w.catalogue, i).record.location for i in ids]
    assert where == ["Ohio; farm", "farm", "Iowa; farm", "", ""]
    qtbot.waitUntil(lambda: w.details is not None and w.details.record.location == "Iowa; farm", timeout=WAIT)
    assert review.decisions_for(w.catalogue) == []  # field edits are not tag decisions
    with qtbot.waitSignal(w.review.decided, timeout=WAIT):
        w.commands["undo"].trigger()
    where = [browse.record_details(w.catalogue, i).record.location for i in ids]
    assert where == ["Ohio", "", "Iowa", "", ""]
    qtbot.waitUntil(lambda: w.details is not None and w.details.record.location == "Iowa", timeout=WAIT)
    assert w.statusBar().currentMessage().startswith("Undid: Appended to Location on photos: 3")
    with w.catalogue.session() as session:  # the batch and its undo are logged as field edits, one group
        logged = [e for i in ids for e in field_edits.edits_of_record(session, i)]
    assert sorted((e.record_id, e.action.value, e.before, e.after) for e in logged) == [
        (ids[0], "edit", "Ohio", "Ohio; farm"),
        (ids[0], "undo", "Ohio; farm", "Ohio"),
        (ids[1], "edit", "", "farm"),
        (ids[1], "undo", "farm", ""),
        (ids[2], "edit", "Iowa", "Iowa; farm"),
        (ids[2], "undo", "Iowa; farm", "Iowa"),
    ]
    assert len({e.group for e in logged}) == 1 and {e.reviewer for e in logged} == {w.prefs.reviewer}


def test_a_field_edited_in_the_detail_pane_is_logged_for_the_reviewer(qtbot, window):
    w = window
    w.prefs.reviewer = "zoe"
    assert w.details is not None and w.catalogue is not None
    record_id = w.details.record.id
    edit = w.detail.edits["creator"]
    edit.setFocus()
    edit.setText("A. Photographer")
    with qtbot.waitSignal(w.browse.status, timeout=WAIT):
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    with w.catalogue.session() as session:
        logged = field_edits.edits_of_record(session, record_id)
    assert [(e.field, e.before, e.after, e.action.value, e.reviewer) for e in logged] == [
        ("creator", "", "A. Photographer", "edit", "zoe")
    ]


def test_nothing_selected_and_review_keys_inside_the_dialog(qtbot, window):
    w = window
    w.browser.grid.selectionModel().clear()
    w.browser.grid.selectionModel().setCurrentIndex(
        w.model.index(-1, 0), QItemSelectionModel.SelectionFlag.NoUpdate
    )
    with qtbot.waitSignal(w.message, timeout=WAIT) as said:
        w.commands["batch_edit"].trigger()
    assert said.args[0] == "Select one or more photos first."
    w.browser.select_row(0)
    dialog = open_dialog(qtbot, w)
    assert dialog.selected.text() == "Photos selected: 1"
    assert QApplication.activeModalWidget() is dialog
    qtbot.keyClicks(dialog.tag, "ar")  # typed into the tag, never an Accept or a Reject
    assert dialog.tag.text() == "ar"
    dialog.reject()
    assert w.catalogue is not None and review.decisions_for(w.catalogue) == []


def test_select_all_at_scale_is_one_range_of_the_loaded_rows(qtbot, tmp_path: Path):
    """Ctrl+A on a lazily paged listing selects what is loaded, as one range: nothing else is read."""
    from heritage_tagger.gui.browser_model import RecordTableModel
    from heritage_tagger.gui.images import ThumbnailCache
    from heritage_tagger.gui.views import BrowserViews
    from heritage_tagger.gui.workers import TaskRunner
    from heritage_tagger.services import synthetic

    cat = open_catalogue(tmp_path / "big.sqlite")
    synthetic.generate(cat, 2500, seed=4)
    runner = TaskRunner()
    model = RecordTableModel(runner, ThumbnailCache(runner))
    views = BrowserViews(model, 64)
    qtbot.addWidget(views)
    views.resize(420, 300)
    views.show()
    qtbot.waitExposed(views)
    try:
        with qtbot.waitSignal(model.counted, timeout=WAIT):
            model.set_catalogue(cat)
        assert model.total == 2500 and model.rowCount() < 2500  # one page loaded
        views.select_row(0)
        views.grid.setFocus()
        qtbot.keyClick(views.grid, Qt.Key.Key_A, CTRL)
        selection = views.grid.selectionModel().selection()
        assert selection.count() == 1
        ids = views.selected_ids()
        assert len(ids) == model.rowCount() and ids[0] == model.record_at(0).id
        qtbot.keyClick(views.grid, Qt.Key.Key_End, SHIFT)  # Shift+End from the anchor: still one range
        assert views.grid.selectionModel().selection().count() == 1
    finally:
        runner.shutdown()
        cat.close()


def test_a_large_batch_runs_as_a_job_with_progress_and_stays_one_undo_step(qtbot, window, monkeypatch):
    from heritage_tagger.gui import batch_edit as batch_gui

    monkeypatch.setattr(batch_gui, "IN_BACKGROUND", 2)
    w = window
    qtbot.keyClick(w.browser.grid, Qt.Key.Key_A, CTRL)
    dialog = open_dialog(qtbot, w)
    dialog.set_operation(BatchOperation.SET_FIELD)
    dialog.field.setCurrentIndex(dialog.field.findData("creator"))
    dialog.text.setText("Farm Security Administration")
    with qtbot.waitSignal(w.background.added, timeout=WAIT) as added:
        run(qtbot, w, dialog)
    job = added.args[0]
    assert job.spec.title == "Batch edit of 5 photos"
    assert w.catalogue is not None
    creators = {browse.record_details(w.catalogue, i).record.creator for i in ids_in_view(w)}
    assert creators == {"Farm Security Administration"}
    assert job.outcome == "Set Creator on photos: 5"
    with qtbot.waitSignal(w.review.decided, timeout=WAIT):
        w.commands["undo"].trigger()
    creators = {browse.record_details(w.catalogue, i).record.creator for i in ids_in_view(w)}
    assert creators == {""}
