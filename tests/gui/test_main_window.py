"""The main window on a real catalogue: open, filter, select, review with the keyboard, undo, edit, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from heritage_tagger.domain.records import DecisionAction, TagState
from heritage_tagger.gui.main_window import MainWindow
from heritage_tagger.gui.preferences import Preferences, app_settings
from heritage_tagger.services import browse, review, synthetic
from heritage_tagger.services.catalogue import open_catalogue

WAIT = 15_000


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return app_settings(tmp_path / "prefs.ini")  # never the real user's settings


@pytest.fixture
def synth_path(catalogue_location: Path | str) -> Path | str:
    """A generated catalogue of 300 records (a team catalogue with --engine=postgresql)."""
    with open_catalogue(catalogue_location) as cat:
        synthetic.generate(cat, 300, images=20, seed=5)
    return catalogue_location


@pytest.fixture
def window(qtbot, settings):
    w = MainWindow(settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.runner.shutdown()
    if w.catalogue is not None:
        w.catalogue.close()


def open_and_wait(qtbot, w: MainWindow, path: Path | str) -> None:
    with (
        qtbot.waitSignal(w.model.loaded, timeout=WAIT),
        qtbot.waitSignal(w.browse.details_shown, timeout=WAIT),
    ):
        w.open_path(path)


def test_open_filter_and_select(qtbot, window, synth_path):
    open_and_wait(qtbot, window, synth_path)
    assert window.count_label.text() == "300 photos"
    assert window.detail.record_id == window.model.record_at(0).id
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT) as blocker:
        window.filter_bar.text.setText("harbour")
    expected = browse.ordered_ids(window.catalogue, browse.BrowseFilter(text="harbour"))
    assert blocker.args == [len(expected)] and 0 < len(expected) < 300
    assert [window.model.record_at(i).id for i in range(window.model.rowCount())] == expected[
        : window.model.rowCount()
    ]
    with qtbot.waitSignal(window.browse.details_shown, timeout=WAIT):
        window.browser.select_row(1)
    assert window.detail.record_id == expected[1]
    assert window.detail.edits["title"].text() == window.model.record_at(1).title
    window.filter_bar.state.setCurrentIndex(window.filter_bar.state.findData(browse.RecordState.PENDING))
    qtbot.waitUntil(lambda: window.model.total == browse.count(window.catalogue, window.filter_bar.current()))


def test_grid_fetches_every_page(qtbot, window, synth_path):
    open_and_wait(qtbot, window, synth_path)
    while window.model.canFetchMore():
        with qtbot.waitSignal(window.model.page_loaded, timeout=WAIT):
            window.model.fetchMore()
    ids = [window.model.record_at(i).id for i in range(window.model.rowCount())]
    assert ids == browse.ordered_ids(window.catalogue, browse.BrowseFilter())


def test_keyboard_accept_undo_and_the_log(qtbot, window, synth_path):
    window.filter_bar.state.setCurrentIndex(window.filter_bar.state.findData(browse.RecordState.PENDING))
    open_and_wait(qtbot, window, synth_path)
    rid = window.current_id
    # the cursor (and the tag list's current row) follows once both the details and the panel are in;
    # the panel may arrive after the details, so wait for the cursor, not for the details alone
    cursor = window.review.cursor
    qtbot.waitUntil(
        lambda: cursor.ready and cursor.spot is not None and cursor.record_id == rid, timeout=WAIT
    )
    label = window.detail.tags.current_label()
    assert label == cursor.spot.label
    assert window.details.tags_by_label[label] is TagState.SUGGESTED  # pending ones come first
    window.browser.grid.setFocus()
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(window.browser.grid, Qt.Key.Key_A)
    assert browse.record_details(window.catalogue, rid).tags_by_label[label] is TagState.ACCEPTED
    with qtbot.waitSignal(window.browse.details_shown, timeout=WAIT):
        pass
    assert "accepted" in window.detail.tags.item(0).text() or any(
        "accepted" in window.detail.tags.item(i).text() for i in range(window.detail.tags.count())
    )
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(window.browser.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    log = review.decisions_for(window.catalogue, rid)
    assert [d.action for d in log] == [DecisionAction.ACCEPT, DecisionAction.UNDO]
    assert log[0].reviewer == window.prefs.reviewer and log[1].reverts_id == log[0].id
    assert browse.record_details(window.catalogue, rid).tags_by_label[label] is TagState.SUGGESTED
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(
            window.browser.grid,
            Qt.Key.Key_Z,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert browse.record_details(window.catalogue, rid).tags_by_label[label] is TagState.ACCEPTED
    # R rejects, Enter accepts every stored pending suggestion, J moves on
    with qtbot.waitSignal(window.browse.details_shown, timeout=WAIT):
        qtbot.keyClick(window.browser.grid, Qt.Key.Key_J)
    assert window.current_id != rid
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(window.browser.grid, Qt.Key.Key_Return)
    states = browse.record_details(window.catalogue, window.current_id).tags_by_label
    assert TagState.SUGGESTED not in states.values() and TagState.ACCEPTED in states.values()


def test_accepting_a_catalogued_tag_is_refused_in_the_window(qtbot, window, synth_path):
    window.filter_bar.state.setCurrentIndex(window.filter_bar.state.findData(browse.RecordState.ALL))
    open_and_wait(qtbot, window, synth_path)
    window.detail.tags.setFocus()
    row = next(
        i for i in range(window.detail.tags.count()) if "catalogued" in window.detail.tags.item(i).text()
    )
    window.detail.tags.setCurrentRow(row)
    with qtbot.waitSignal(window.review.error, timeout=WAIT) as blocker:
        qtbot.keyClick(window.detail.tags, Qt.Key.Key_A)
    assert "not a pending suggestion" in blocker.args[0]
    assert "not a pending suggestion" in window.statusBar().currentMessage()


def test_add_a_tag_through_completion(qtbot, window, synth_path):
    open_and_wait(qtbot, window, synth_path)
    qtbot.waitUntil(lambda: bool(window.browse.vocabulary))
    rid = window.current_id
    carried = browse.record_details(window.catalogue, rid).tags_by_label
    target = next(t for t in synthetic.VOCABULARY if t not in carried and len(t) > 5)
    window.browser.grid.setFocus()
    qtbot.keyClick(window.browser.grid, Qt.Key.Key_T)
    dialog = window.review.add_tag_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.edit.hasFocus)
    qtbot.keyClicks(dialog.edit, target[:4])
    popup = dialog.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    completions = [
        dialog.completer.completionModel().index(i, 0).data()
        for i in range(dialog.completer.completionCount())
    ]
    for _ in range(completions.index(target) + 1):  # the librarian arrows down to the tag ...
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # ... and picks it
    assert dialog.edit.text() == target
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    assert browse.record_details(window.catalogue, rid).tags_by_label[target] is TagState.ACCEPTED
    assert review.decisions_for(window.catalogue, rid)[-1].action is DecisionAction.ADD


def test_edit_a_metadata_field(qtbot, window, synth_path):
    open_and_wait(qtbot, window, synth_path)
    rid = window.current_id
    edit = window.detail.edits["title"]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Quayside at dusk")
    with qtbot.waitSignal(window.message, timeout=WAIT, check_params_cb=lambda t: t == "Saved title."):
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert browse.record_details(window.catalogue, rid).record.title == "Quayside at dusk"
    qtbot.waitUntil(lambda: window.model.record_at(0).title == "Quayside at dusk")


def test_unreadable_image_is_a_message(qtbot, window, tmp_path):
    path = tmp_path / "broken.sqlite"
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    with open_catalogue(path) as cat:
        synthetic.generate(cat, 1, seed=1)
        with cat.session() as s:
            from heritage_tagger.db import tables

            s.get(tables.Record, 1).source_path = str(bad)
    open_and_wait(qtbot, window, path)
    qtbot.waitUntil(lambda: "Cannot read the picture" in window.detail.image.message.text(), timeout=WAIT)
    assert "broken.jpg" in window.detail.image.message.text()
    assert "Cannot read the picture" in window.statusBar().currentMessage()


def test_not_a_catalogue_is_a_message(qtbot, window, tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("shopping list")
    with qtbot.waitSignal(window.message, timeout=WAIT, check_params_cb=lambda t: "not an SQLite file" in t):
        window.open_path(path)
    assert window.catalogue is None
    assert "not an SQLite file" in window.panel.message.text()


def test_no_model_offers_training(qtbot, window, synth_path):
    with qtbot.waitSignal(window.suggestions.shown, timeout=WAIT):
        window.open_path(synth_path)
    assert window.panel.train_button.isVisibleTo(window)
    assert "No trained model" in window.panel.message.text()


def test_preferences_and_geometry_persist(qtbot, settings, synth_path):
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.apply_preferences(Preferences(reviewer="ada", suggestions=5, thumbnail_size=96))
    # the controllers share the window's Preferences: the next decision is logged for "ada"
    assert first.review.reviewer == "ada" and first.jobs.prefs is first.prefs is first.model_jobs.prefs
    assert first.thumbnails.size == 96
    first.show()
    first.resize(760, 530)  # the height fits the offscreen screen, which restoreGeometry clamps to
    qtbot.waitUntil(lambda: first.height() == 530)
    first.close()
    second = MainWindow(settings)
    qtbot.addWidget(second)
    assert (
        second.prefs.reviewer == "ada" and second.prefs.suggestions == 5 and second.prefs.thumbnail_size == 96
    )
    assert second.review.reviewer == "ada"
    assert second.height() == 530  # not the default 900
    assert "prefs.ini" in settings.fileName()


def test_delete_removes_the_focused_tag_and_undo_restores_it(qtbot, window, synth_path):
    open_and_wait(qtbot, window, synth_path)
    rid = window.current_id
    tags = window.detail.tags
    row = next(i for i in range(tags.count()) if "catalogued" in tags.item(i).text())
    tags.setCurrentRow(row)
    tags.setFocus()
    label = tags.current_label()
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(tags, Qt.Key.Key_Delete)
    assert browse.record_details(window.catalogue, rid).tags_by_label[label] is TagState.REJECTED
    assert review.decisions_for(window.catalogue, rid)[-1].action is DecisionAction.REMOVE
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(tags, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert browse.record_details(window.catalogue, rid).tags_by_label[label] is TagState.CATALOGUED


def test_the_photos_have_the_focus_from_the_start_so_review_keys_are_not_typed_into_the_search(
    qtbot, window, synth_path
):
    open_and_wait(qtbot, window, synth_path)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    focused = QApplication.focusWidget()
    assert focused is window.browser.currentWidget()
    first = window.current_id
    qtbot.keyClick(focused, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: window.current_id != first, timeout=WAIT)
    assert window.filter_bar.text.text() == ""
