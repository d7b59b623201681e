"""Issue 13, "What a new user sees", each sequence replayed with the keyboard and the mouse as a librarian would.

1. A and R act on exactly one tag, the cursor's: not the neighbours' list clicked on the photo before,
   not the row below the one undone, not a tag the next photo carries when its panel came from the
   prefetch cache before its tags; one Tab from the grid reaches the suggestions.
2. Training runs in the background while photos are reviewed; closing asks; a cancel changes nothing.
3. (The fair retrain comparison: tests/gui/test_issue6_dialogs.py and test_retrain_dialog_* below.)
4. After training the whole catalogue has a review queue; Reject all proposed and Mark photo reviewed
   are decisions, undone with Ctrl+Z.
5. Filters say what they do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from heritage_tagger.domain.records import DecisionAction, TagState
from heritage_tagger.gui.main_window import MainWindow
from heritage_tagger.gui.review_cursor import MODEL, NEIGHBOURS
from heritage_tagger.services import browse, review
from heritage_tagger.services.catalogue import Catalogue, open_catalogue
from heritage_tagger.services.model_versions import active_version, list_versions
from heritage_tagger.settings import Settings

WAIT = 60_000
JARGON = ("loss", "epoch", "metric:", "validation", "m=", "fold")


@pytest.fixture
def with_new_photos(
    trained_catalogue_template: Path,
    copy_catalogue: Callable[[Path, Path], Path],
    new_photos: Callable[..., Path],
    fast_settings: Callable[..., Settings],
    tmp_path: Path,
) -> Path:
    """The trained tiny catalogue plus a box of new, untagged photos (the model proposes tags for them)."""
    from heritage_tagger.services.importing import import_folder

    path = copy_catalogue(trained_catalogue_template, tmp_path / "cat")
    with open_catalogue(path, settings=fast_settings()) as cat:
        import_folder(cat, new_photos(tmp_path / "box", per_class=2))
    return path


def open_catalogue_in(qtbot, w: MainWindow, path: Path, settings: Settings) -> Catalogue:
    cat = open_catalogue(path, settings=settings)
    with qtbot.waitSignal(w.model.loaded, timeout=WAIT):
        w.set_catalogue(cat)
    qtbot.waitUntil(lambda: w.model_info is not None, timeout=WAIT)
    return cat


def show_new_photos(qtbot, w: MainWindow, cat: Catalogue) -> None:
    """The box of new photos, by identifier, the first one selected with its suggestions and tags shown."""
    batch_id = browse.batches(cat)[0][0]
    with qtbot.waitSignal(w.model.loaded, timeout=WAIT):
        w.filter_bar.show_queue(batch_id, "identifier")
    settle(qtbot, w)


def settle(qtbot, w: MainWindow) -> int:
    """Wait until the selected photo's live suggestions and its tags are both shown; its id."""

    def settled() -> bool:
        rid, data, details = w.current_id, w.panel.data, w.details
        return (
            rid is not None
            and data is not None
            and data.record_id == rid
            and details is not None
            and details.record.id == rid
            and w.review.cursor.ready
        )

    qtbot.waitUntil(settled, timeout=WAIT)
    assert w.current_id is not None
    return w.current_id


def press(
    qtbot, w: MainWindow, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """A key that writes a decision, pressed on whatever has the keyboard; waits for the decision."""
    target = QApplication.focusWidget() or w.browser.grid
    with qtbot.waitSignal(w.review.decided, timeout=WAIT):
        qtbot.keyClick(target, key, modifier)


def open_proposals(w: MainWindow) -> list[str]:
    data = w.panel.data
    assert data is not None and w.details is not None
    return [p for p in data.proposed if w.details.tags_by_label.get(p) in (None, TagState.SUGGESTED)]


def highlighted_rows(w: MainWindow) -> list[tuple[str, str]]:
    return [(name, item.text(0)) for name, tree in w.panel.trees.items() for item in tree.selectedItems()]


# --- 1. one unmistakable target for every key -----------------------------------------------------


def test_r_after_j_rejects_the_models_proposals_not_the_neighbours_list_clicked_before(
    qtbot, window: MainWindow, with_new_photos: Path, fast_settings: Callable[..., Settings]
) -> None:
    """ "Four presses of R meant for the model's proposals rejected three neighbour tags instead.\""""
    cat = open_catalogue_in(qtbot, window, with_new_photos, fast_settings())
    show_new_photos(qtbot, window, cat)
    tree = window.panel.neighbour_tree
    assert tree.topLevelItemCount() > 0
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(tree.topLevelItem(0)).center()
    )
    assert window.review.cursor.spot.list == NEIGHBOURS  # the librarian looked at the neighbours' tags
    first = window.current_id
    with qtbot.waitSignal(window.browse.details_shown, timeout=WAIT):
        qtbot.keyClick(QApplication.focusWidget() or window.panel, Qt.Key.Key_J)
    rid = settle(qtbot, window)
    assert rid != first
    assert window.review.cursor.spot.list == MODEL  # J: the model's first pending proposal
    proposals = open_proposals(window)
    assert proposals and window.review.cursor.spot.label == proposals[0]
    for _ in proposals:
        press(qtbot, window, Qt.Key.Key_R)
    log = review.decisions_for(cat, rid)
    assert [(d.action, d.label) for d in log] == [(DecisionAction.REJECT, p) for p in proposals]
    neighbour_only = {t for t, _, _ in window.panel.data.neighbour_tags} - {
        t for t, _ in window.panel.data.model_tags
    }
    assert not neighbour_only & {d.label for d in log}


def test_exactly_one_row_is_highlighted_and_it_is_said_in_words(
    qtbot, window: MainWindow, with_new_photos: Path, fast_settings: Callable[..., Settings]
) -> None:
    """ "The model list and the neighbours list show an identical highlighted row.\""""
    cat = open_catalogue_in(qtbot, window, with_new_photos, fast_settings())
    show_new_photos(qtbot, window, cat)
    spot = window.review.cursor.spot
    rows = highlighted_rows(window)  # the row says where the suggestion came from after the label
    assert len(rows) == 1 and rows[0][0] == MODEL and rows[0][1].startswith("▶ ● " + spot.label)
    assert (
        f"“{spot.label}”" in window.panel.cursor_line.text()
        and "A accepts" in window.panel.cursor_line.text()
    )
    tree = window.panel.neighbour_tree
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(tree.topLevelItem(1)).center()
    )
    rows = highlighted_rows(window)
    assert len(rows) == 1 and rows[0][0] == NEIGHBOURS  # the model's row is no longer highlighted
    assert window.detail.tags.current_label() in (None, window.review.cursor.spot.label)


def test_undo_puts_the_cursor_back_on_the_tag_it_changed(
    qtbot, window: MainWindow, with_new_photos: Path, fast_settings: Callable[..., Settings]
) -> None:
    """ "After each undo the highlight slips down one row, so the next A accepted 'become' instead of 'mountain'.\""""
    cat = open_catalogue_in(qtbot, window, with_new_photos, fast_settings())
    show_new_photos(qtbot, window, cat)
    rid = window.current_id
    first = window.review.cursor.spot.label
    window.browser.grid.setFocus()
    press(qtbot, window, Qt.Key.Key_A)
    assert window.review.cursor.spot.label != first  # it moved on to the next open suggestion
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.review.cursor.spot.label == first
    press(qtbot, window, Qt.Key.Key_A)
    log = review.decisions_for(cat, rid)
    assert [(d.action, d.label) for d in log] == [
        (DecisionAction.ACCEPT, first),
        (DecisionAction.UNDO, first),
        (DecisionAction.ACCEPT, first),
    ]
    # redo after J: the photo and the tag come back
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(window.browse.details_shown, timeout=WAIT):
        qtbot.keyClick(window.browser.grid, Qt.Key.Key_J)
    settle(qtbot, window)
    assert window.current_id != rid
    press(
        qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: window.current_id == rid and window.review.cursor.ready, timeout=WAIT)
    assert window.review.cursor.spot.label == first
    assert browse.record_details(cat, rid).tags_by_label[first] is TagState.ACCEPTED


def test_one_tab_from_the_grid_reaches_the_suggestions_and_tab_moves_between_lists(
    qtbot, window: MainWindow, with_new_photos: Path, fast_settings: Callable[..., Settings]
) -> None:
    """ "Reaching the suggestion list from the grid takes about 8 Tabs.\""""
    cat = open_catalogue_in(qtbot, window, with_new_photos, fast_settings())
    show_new_photos(qtbot, window, cat)
    window.activateWindow()
    window.browser.grid.setFocus()
    qtbot.waitUntil(window.browser.grid.hasFocus)
    qtbot.keyClick(window.browser.grid, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.panel
    cursor = window.review.cursor
    assert cursor.spot.list == MODEL
    qtbot.keyClick(window.panel, Qt.Key.Key_Tab)
    assert cursor.spot.list == NEIGHBOURS and window.panel.hasFocus()
    qtbot.keyClick(window.panel, Qt.Key.Key_Down)
    second = cursor.entries(NEIGHBOURS)[1].label
    assert cursor.spot.label == second
    qtbot.keyClick(window.panel, Qt.Key.Key_Left)
    assert cursor.spot.list == MODEL
    qtbot.keyClick(window.panel, Qt.Key.Key_Backtab)  # before the first list: back to the grid
    assert window.browser.grid.hasFocus()


def test_j_then_a_before_the_next_photos_tags_arrive_acts_on_its_first_proposal(
    qtbot, window: MainWindow, trained_catalogue_template: Path, copy_catalogue, fast_settings, tmp_path: Path
) -> None:
    """A helper's sequence: J then A at once, the next photo's panel from the prefetch cache before its tags
    arrived: A accepted a catalogued tag of the new photo ("not a pending suggestion")."""
    cat = open_catalogue_in(
        qtbot, window, copy_catalogue(trained_catalogue_template, tmp_path / "cat"), fast_settings()
    )
    settle(qtbot, window)
    version = window.panel.data.model_version
    following = window.model.record_at(1).id
    qtbot.waitUntil(lambda: window.suggestions.cache.get(following, version) is not None, timeout=WAIT)
    errors: list[str] = []
    window.review.error.connect(errors.append)
    window.browser.grid.setFocus()
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(window.browser.grid, Qt.Key.Key_J)
        qtbot.keyClick(window.browser.grid, Qt.Key.Key_A)  # the same instant: its tags are not read yet
    assert not errors
    (decision,) = review.decisions_for(cat, following)
    carried = {
        t for t, s in browse.record_details(cat, following).tags_by_label.items() if s is TagState.CATALOGUED
    }
    assert decision.action is DecisionAction.ACCEPT and decision.previous_state is TagState.SUGGESTED
    assert decision.label not in carried


# --- 2. training never blocks the window ----------------------------------------------------------


def test_training_runs_in_the_background_while_photos_are_reviewed(
    qtbot, window: MainWindow, with_new_photos: Path, fast_settings: Callable[..., Settings]
) -> None:
    cat = open_catalogue_in(qtbot, window, with_new_photos, fast_settings())
    before = active_version(cat)
    assert before is not None
    show_new_photos(qtbot, window, cat)
    window.prefs.backbone, window.prefs.device = "tiny", "cpu"
    job = window.model_jobs.train()
    assert job is not None and job.active
    seen: list[tuple[float, str]] = []
    job.changed.connect(lambda: seen.append((job.fraction, f"{job.headline}: {job.detail}")))
    assert QApplication.activeModalWidget() is None and window.jobs_dock.isVisible()
    assert window.model_jobs.train() is None  # one training at a time, said in words
    # review two photos while it trains
    window.browser.grid.setFocus()
    reviewed = []
    for _ in range(2):
        rid = settle(qtbot, window)
        press(qtbot, window, Qt.Key.Key_A)
        assert job.active  # still training while the decision was written
        reviewed.append(rid)
        with qtbot.waitSignal(window.browse.details_shown, timeout=WAIT):
            qtbot.keyClick(window.browser.grid, Qt.Key.Key_J)
    assert all(review.decisions_for(cat, rid) for rid in reviewed)
    # closing while it runs asks, and "No" keeps everything running
    window.close()
    assert window.isVisible() and window.close_box is not None and window.close_box.isVisible()
    assert (
        "training the model" in window.close_box.text()
        and "active model stays as it was" in window.close_box.text()
    )
    window.close_box.button(window.close_box.StandardButton.No).click()
    assert window.isVisible() and job.active
    qtbot.waitUntil(lambda: not job.active, timeout=180_000)
    assert job.state == "done", job.outcome
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0  # one bar, only forward
    words = {w for _, w in seen}
    assert any("step 4 of 8" in w for w in words) and all(
        w.startswith("Learning from") for w in words if ":" in w
    )
    assert not any(j in w.lower() for w in words for j in JARGON), words
    after = active_version(cat)
    assert after is not None and after.version != before.version
    # after the training, the whole catalogue's review queue is filled in the background
    queue = window.model_jobs.queue_job
    assert queue is not None
    qtbot.waitUntil(lambda: not queue.active, timeout=180_000)
    assert queue.state == "done", queue.outcome
    pending = browse.ordered_ids(cat, browse.BrowseFilter(state=browse.RecordState.PENDING))
    untagged = browse.ordered_ids(cat, browse.BrowseFilter(state=browse.RecordState.UNTAGGED))
    assert pending and set(untagged) - set(reviewed) <= set(pending)


def test_a_cancelled_training_leaves_the_active_model_as_it_was(
    qtbot, window: MainWindow, with_new_photos: Path, fast_settings: Callable[..., Settings]
) -> None:
    cat = open_catalogue_in(qtbot, window, with_new_photos, fast_settings())
    before = [v.version for v in list_versions(cat)]
    window.prefs.backbone, window.prefs.device = "tiny", "cpu"
    job = window.model_jobs.train()
    assert job is not None
    qtbot.waitUntil(lambda: job.fraction > 0, timeout=WAIT)
    row = window.jobs_panel.row_for(job)
    assert row is not None
    qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not job.active, timeout=WAIT)
    assert job.state == "cancelled" and "active model is unchanged" in row.words.text()
    assert [v.version for v in list_versions(cat)] == before
    assert window.close_question() is None  # nothing left running: closing does not ask


# --- 4. a queue for the whole catalogue -----------------------------------------------------------


def test_the_review_queue_reject_all_and_mark_reviewed(
    qtbot, window: MainWindow, with_new_photos: Path, fast_settings: Callable[..., Settings]
) -> None:
    cat = open_catalogue_in(qtbot, window, with_new_photos, fast_settings())
    queue = window.model_jobs.fill_queue()  # what follows a training or an activation
    assert queue is not None
    qtbot.waitUntil(lambda: not queue.active, timeout=180_000)
    assert queue.state == "done", queue.outcome
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT):
        window.commands["queue"].trigger()  # Review > Review queue
    flt = window.filter_bar.current()
    assert flt.state is browse.RecordState.NEEDS_REVIEW and flt.sort is browse.SortKey.ATTENTION
    expected = browse.ordered_ids(cat, flt)
    assert [window.model.record_at(i).id for i in range(window.model.rowCount())] == expected
    rid = settle(qtbot, window)
    assert rid == expected[0]
    proposals = open_proposals(window)
    assert proposals
    window.browser.grid.setFocus()
    press(qtbot, window, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)  # Reject all proposed
    states = browse.record_details(cat, rid).tags_by_label
    assert all(states[p] is TagState.REJECTED for p in proposals)
    press(qtbot, window, Qt.Key.Key_M)  # Mark photo reviewed
    assert browse.record_details(cat, rid).reviewed_by == window.prefs.reviewer
    assert rid not in browse.ordered_ids(cat, flt)  # it left the queue
    log = review.decisions_for(cat, rid)
    assert [d.action for d in log] == [DecisionAction.REJECT] * len(proposals) + [DecisionAction.REVIEW]
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the mark ...
    assert browse.record_details(cat, rid).reviewed_by == ""
    press(
        qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
    )  # ... and all the rejections at once
    states = browse.record_details(cat, rid).tags_by_label
    assert all(states[p] is TagState.SUGGESTED for p in proposals)
    assert window.review.cursor.spot.label == proposals[0]


# --- 5. honest filters ----------------------------------------------------------------------------


def test_filters_say_what_they_do(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from heritage_tagger.db import tables
    from heritage_tagger.db.tagging import get_or_create_tags, set_record_tag

    path = tmp_path / "filters.sqlite"
    with open_catalogue(path) as cat:
        with cat.session() as s:
            for i, (location, state) in enumerate(
                [
                    ("San Diego (Calif.)", "catalogued"),
                    ("Adirondack Mountains (N.Y.)", "suggested"),
                    ("Paris", None),
                ]
            ):
                rec = tables.Record(identifier=f"P{i}", sha256=f"{i}" * 64, location=location)
                s.add(rec)
                s.flush()
                if state:
                    water = get_or_create_tags(s, ["water"])["water"]
                    set_record_tag(s, rec.id, water, TagState(state), score=0.4, source="model")
    cat = open_catalogue(path)
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT):
        window.set_catalogue(cat)
    bar = window.filter_bar
    qtbot.waitUntil(lambda: bar.location.count() == 3, timeout=WAIT)
    # no blank entry in the list, every name whole
    names = [bar.location.itemText(i) for i in range(bar.location.count())]
    assert "" not in names and "Adirondack Mountains (N.Y.)" in names and bar.location.currentIndex() == -1
    assert bar.location.view().textElideMode() is Qt.TextElideMode.ElideNone
    assert bar.location.view().minimumWidth() >= bar.location.fontMetrics().horizontalAdvance(names[0])
    # the tag filter: carried tags unless suggestions are asked for
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT) as loaded:
        bar.tag.setText("water")
        bar.tag.editingFinished.emit()
    assert loaded.args == [1]
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT) as loaded:
        bar.tag_suggested.setChecked(True)
    assert loaded.args == [2]
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT):
        bar.tag.clear()
    # the location: any part, any case
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT) as loaded:
        bar.location.setEditText("calif")
    assert loaded.args == [1] and window.model.record_at(0).identifier == "P0"
    # "nothing matches" only while nothing is listed
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT) as loaded:
        bar.location.setEditText("nowhere")
    assert loaded.args == [0] and window.panel.message.text() == "No photo matches the filters."
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT) as loaded:
        bar.location.setEditText("")
    assert loaded.args == [3]
    qtbot.waitUntil(lambda: window.current_id is not None and window.details is not None, timeout=WAIT)
    qtbot.waitUntil(  # the panel's answer for the photo (no model: computed on a worker) replaces it
        lambda: "No photo matches" not in window.panel.message.text() or not window.panel.message.isVisible(),
        timeout=WAIT,
    )
    assert window.detail.record_id == window.current_id == window.model.record_at(0).id


# --- 3. the retrain window: buttons below the chart, never taller than the screen ----------------


def test_retrain_dialog_keeps_its_buttons_below_the_chart_on_a_short_screen(qtbot, tmp_path: Path) -> None:
    from types import SimpleNamespace

    from heritage_tagger.gui.dialogs.retrain_dialog import RetrainDialog
    from heritage_tagger.services.retraining import Comparison, RetrainOutcome, save_plot

    active = {"imAP": 0.61, "mAP": 0.42, "OP": 0.5, "OR": 0.4, "OF1": 0.44, "CF1": 0.3}
    candidate = {"imAP": 0.66, "mAP": 0.45, "OP": 0.52, "OR": 0.45, "OF1": 0.48, "CF1": 0.33}
    comparison = Comparison(33, 0, True, 21, "v0001", candidate, active)
    png = save_plot(comparison, "v0002", tmp_path / "chart.png")
    outcome = RetrainOutcome(12, SimpleNamespace(version="v0002", n_training_rows=60, n_tags=21), comparison)  # type: ignore[arg-type]
    dialog = RetrainDialog(12, None)
    qtbot.addWidget(dialog)
    dialog.show_outcome(outcome, str(png))
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().height() <= screen.height()
    buttons, content = dialog.buttons.geometry(), dialog.content_area.geometry()
    assert buttons.top() >= content.bottom() and buttons.bottom() <= dialog.rect().bottom()
    assert dialog.activate_button.isVisible() and dialog.activate_button.isDefault()  # the advice: activate
    assert "Recommendation: Activate the candidate" in dialog.recommendation.text()
    assert "0.66 against 0.61" in dialog.recommendation.text()
    assert dialog.table.item(0, 3).text().startswith("For a typical photo")


def test_retrain_dialog_placed_before_the_comparison_grows_up_not_off_the_screen(
    qtbot, tmp_path: Path
) -> None:
    """Shown small while the candidate trains, low on the screen; the comparison arrives and makes it tall:
    it moves up so that Activate and Discard stay on the screen (seen under Xvfb: they were below it)."""
    from types import SimpleNamespace

    from heritage_tagger.gui.dialogs.retrain_dialog import RetrainDialog
    from heritage_tagger.services.retraining import Comparison, RetrainOutcome

    figures = {"imAP": 0.61, "mAP": 0.42, "OP": 0.5, "OR": 0.4, "OF1": 0.44, "CF1": 0.3}
    comparison = Comparison(33, 0, True, 21, "v0001", figures, figures)
    outcome = RetrainOutcome(12, SimpleNamespace(version="v0002", n_training_rows=60, n_tags=21), comparison)  # type: ignore[arg-type]
    dialog = RetrainDialog(12, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = dialog.screen().availableGeometry()
    dialog.move(screen.left(), screen.bottom() - dialog.frameGeometry().height() - 5)
    qtbot.waitUntil(lambda: dialog.frameGeometry().bottom() > screen.center().y())
    dialog.show_outcome(outcome, None)
    qtbot.waitUntil(lambda: dialog.frameGeometry().bottom() <= screen.bottom())
    button = dialog.discard_button
    corner = button.mapToGlobal(button.rect().bottomRight())
    assert button.isVisible() and screen.contains(corner)
