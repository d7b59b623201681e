"""Review > Photos for a tag on the trained tiny catalogue: the search runs as a background job in a worker
process, the rows are the photos that do not carry the tag, most likely first, and A and R decide on them.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from heritage_tagger.domain.records import TagState
from heritage_tagger.gui.accessibility import unnamed_controls
from heritage_tagger.gui.dialogs.tag_search_dialog import STATUS, TagSearchDialog
from heritage_tagger.gui.main_window import MainWindow
from heritage_tagger.services import browse
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.model_versions import active_version

WAIT = 60_000  # a worker process starts and loads the model (slow on a loaded 2-core machine)
TAG = "Barns"  # tests/factories.py: the farm photos carry it; two untagged farm photos do not


@pytest.fixture
def dialog(qtbot, window: MainWindow, trained: Catalogue) -> TagSearchDialog:
    """The trained catalogue in the window, then Review > Photos for a tag."""
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT):
        window.set_catalogue(trained)
    qtbot.waitUntil(lambda: TAG in window.browse.vocabulary, timeout=WAIT)
    window.commands["tag_search"].trigger()
    found = window.tag_search.dialog
    assert found is not None
    qtbot.waitExposed(found)
    found.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is found)
    return found


def find(qtbot, window: MainWindow, dialog: TagSearchDialog, tag: str) -> None:
    """Type ``tag``, press Enter, and wait for the background job to end."""
    dialog.edit.setFocus()
    dialog.edit.setText(tag)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    job = window.tag_search.job
    assert job is not None and job.title == f"Finding photos for “{tag}”"
    assert job in window.background.jobs and window.jobs_dock.isVisible()  # in the jobs panel, with Cancel
    assert dialog.message.text().startswith("Reading photos…")
    assert not dialog.find_button.isEnabled()
    qtbot.waitUntil(lambda: not job.active, timeout=WAIT)


def tags_of(cat: Catalogue, record_id: int) -> dict[str, TagState]:
    return browse.record_details(cat, record_id).tags_by_label


def test_the_photos_without_the_tag_most_likely_first(qtbot, window, dialog, trained):
    assert TAG in dialog.edit.completer().model().stringList()  # the collection's tags complete
    assert unnamed_controls(dialog) == []
    find(qtbot, window, dialog, TAG)
    search = dialog.search
    assert search is not None and search.tag == TAG, dialog.message.text()
    without = {
        rid for rid in browse.ordered_ids(trained, browse.BrowseFilter()) if TAG not in tags_of(trained, rid)
    }
    ids = [m.record_id for m in search.matches]
    assert set(ids) == without and len(ids) == len(without) == 18
    probabilities = [m.probability for m in search.matches]
    assert probabilities == sorted(probabilities, reverse=True)
    assert dialog.table.rowCount() == len(ids)
    for row, match in enumerate(search.matches):
        assert dialog.table.item(row, 0).text() == f"{match.probability:.3f}"
        assert dialog.table.item(row, 1).text() == ("✓" if match.confident else "")
        assert dialog.table.item(row, 2).text() == match.identifier
        assert dialog.table.item(row, 3).text() == match.title
    # the two untagged farm photos first, and likely
    assert {m.identifier for m in search.matches[:2]} == {"REC-0-08", "REC-0-09"}
    assert dialog.table.item(0, 1).text() == "✓"
    version = active_version(trained)
    assert version is not None
    summary = dialog.summary.text()
    assert summary.startswith("18 photos read, 0 could not be read.") and version.version in summary
    assert dialog.table.currentRow() == 0 and dialog.find_button.isEnabled()


def test_a_accepts_and_r_rejects_the_tag_and_the_selection_moves_on(qtbot, window, dialog, trained):
    find(qtbot, window, dialog, TAG)
    search = dialog.search
    assert search is not None and len(search.matches) > 2
    first, second = search.matches[0], search.matches[1]
    assert QApplication.focusWidget() is dialog.table and dialog.table.currentRow() == 0
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(dialog.table, Qt.Key.Key_A)
    assert tags_of(trained, first.record_id)[TAG] is TagState.ACCEPTED
    assert dialog.table.item(0, STATUS).text() == "accepted"
    assert dialog.table.currentRow() == 1
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(dialog.table, Qt.Key.Key_R)
    assert tags_of(trained, second.record_id)[TAG] is TagState.REJECTED
    assert dialog.table.item(1, STATUS).text() == "rejected"
    assert dialog.table.currentRow() == 2
    assert TAG in dialog.message.text()  # "Rejected “Barns”  (Ctrl+Z undoes)"
    assert window.review.can_undo
    details = browse.record_details(trained, first.record_id)
    carried = next(t for t in details.record.tags if t.label == TAG)
    assert carried.source == "model:search" and carried.score == pytest.approx(first.probability)
    # Enter shows the selected photo in the main window
    with qtbot.waitSignal(window.browse.details_shown, timeout=WAIT):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert window.current_id == search.matches[2].record_id


def test_an_unknown_tag_is_said_in_plain_words(qtbot, window, dialog):
    find(qtbot, window, dialog, "procession")
    text = dialog.message.text()
    assert "was not trained on the tag 'procession'" in text, text
    assert "Traceback" not in text and "Error" not in text
    assert dialog.table.rowCount() == 0 and dialog.find_button.isEnabled()


def test_a_cancelled_search_is_said_in_plain_words(qtbot, window, dialog):
    dialog.edit.setText(TAG)
    dialog.find_button.click()
    job = window.tag_search.job
    assert job is not None and dialog.cancel_button.isEnabled()
    dialog.cancel_button.click()  # the same as Cancel in the jobs panel
    qtbot.waitUntil(lambda: not job.active, timeout=WAIT)
    assert dialog.message.text() == "The search was cancelled."
    assert dialog.table.rowCount() == 0 and dialog.find_button.isEnabled()
    assert not dialog.cancel_button.isEnabled()


def test_one_import_batch_is_searched_and_the_browsed_batch_comes_preselected(qtbot, window, trained):
    from heritage_tagger.db.tables import ImportBatch, Record

    with (
        trained.session() as session
    ):  # three photos of an import batch, one of them a farm photo without Barns
        batch = ImportBatch(folder="box-13", status="done")
        session.add(batch)
        session.flush()
        for record in session.query(Record).filter(
            Record.identifier.in_(["REC-0-08", "REC-1-01", "REC-2-03"])
        ):
            record.batch_id = batch.id
        batch_id = batch.id
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT):
        window.set_catalogue(trained)
    qtbot.waitUntil(lambda: any(b == batch_id for b, _ in window.browse.batches), timeout=WAIT)
    bar = window.filter_bar.batch
    bar.setCurrentIndex(bar.findData(batch_id))  # browsing the batch ...
    window.commands["tag_search"].trigger()
    dialog = window.tag_search.dialog
    assert dialog is not None and dialog.scope.currentData() == batch_id  # ... searches it
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert [dialog.scope.itemData(i) for i in range(dialog.scope.count())] == [-1, batch_id]
    find(qtbot, window, dialog, TAG)
    assert dialog.search is not None, dialog.message.text()
    assert dialog.search.matches[0].identifier == "REC-0-08"
    assert {m.identifier for m in dialog.search.matches} == {"REC-0-08", "REC-1-01", "REC-2-03"}
    assert dialog.summary.text().startswith("3 photos read")
    dialog.scope.setCurrentIndex(0)  # all photos again
    find(qtbot, window, dialog, TAG)
    assert dialog.search is not None and len(dialog.search.matches) == 18
