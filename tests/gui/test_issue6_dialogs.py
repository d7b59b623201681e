"""Import folder with suggestions and review queue, Retrain with comparison, Versions rollback, periodic offer."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from heritage_tagger.gui.dialogs.import_dialog import ImportDialog
from heritage_tagger.gui.dialogs.retrain_dialog import RetrainDialog
from heritage_tagger.gui.main_window import MainWindow
from heritage_tagger.gui.preferences import Preferences, app_settings
from heritage_tagger.services.catalogue import Catalogue, open_catalogue
from heritage_tagger.services.model_versions import active_version, list_versions
from heritage_tagger.settings import Settings

# a retraining on a loaded 2-core machine took over 60 s (seen three times while other jobs ran)
WAIT = 180_000
MakeImage = Callable[..., Path]
OpenCopy = Callable[[Path, Path], Catalogue]


@pytest.fixture
def reviewed_catalogue(
    trained_catalogue_template: Path,
    copy_catalogue: Callable[[Path, Path], Path],
    new_photos: Callable[..., Path],
    fast_settings: Callable[..., Settings],
    tmp_path: Path,
) -> Path:
    """The trained tiny catalogue plus an annotated box of new photos with a few review decisions."""
    from heritage_tagger.services import review
    from heritage_tagger.services.annotating import import_and_annotate

    path = copy_catalogue(trained_catalogue_template, tmp_path / "reviewed")
    with open_catalogue(path, settings=fast_settings()) as cat:
        _, report = import_and_annotate(cat, new_photos(tmp_path / "reviewed-box"))
        with sqlite3.connect(cat.path) as db:
            pending = db.execute(
                "SELECT t.record_id, g.label FROM record_tags t JOIN tags g ON g.id = t.tag_id "
                "WHERE t.state = 'suggested' AND t.record_id IN (SELECT id FROM records WHERE batch_id = ?) "
                "ORDER BY t.record_id, t.score DESC",
                (report.batch_ids[0],),
            ).fetchall()
        best: dict[int, str] = {}
        for rid, label in pending:
            best.setdefault(rid, label)
        for rid in sorted(best)[:8]:  # 8 decisions; the other photos stay pending
            review.accept(cat, rid, best[rid], "librarian")
    with sqlite3.connect(path) as db:  # copies take the .sqlite file only: fold the WAL into it
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    w = MainWindow(app_settings(tmp_path / "prefs.ini"))
    qtbot.addWidget(w)
    w.show()
    yield w
    w.runner.shutdown()
    if w.catalogue is not None:
        w.catalogue.close()


@pytest.fixture
def open_copy(
    qtbot,
    window: MainWindow,
    copy_catalogue: Callable[[Path, Path], Path],
    fast_settings: Callable[..., Settings],
) -> OpenCopy:
    """``open_copy(template, dest_folder)``: a copy of ``template``, shown in the window with its model."""

    def _open(source: Path, dest: Path) -> Catalogue:
        cat = open_catalogue(copy_catalogue(source, dest), settings=fast_settings())
        with qtbot.waitSignal(window.model.loaded, timeout=WAIT):
            window.set_catalogue(cat)
        qtbot.waitUntil(lambda: window.model_info is not None, timeout=WAIT)
        return cat

    return _open


def _active(cat: Catalogue) -> str:
    info = active_version(cat)
    assert info is not None
    return info.version


def test_import_dialog_defaults(qtbot, tmp_path: Path, make_image: MakeImage) -> None:
    folder = tmp_path / "box"
    make_image(folder / "a.jpg")
    (folder / "records.csv").write_text("id,file\nA,a.jpg\n", encoding="utf-8")
    dialog = ImportDialog(True, str(folder))
    qtbot.addWidget(dialog)
    assert dialog.manifest.text() == str(folder / "records.csv")
    assert dialog.annotate.isChecked() and not dialog.auto.isChecked()
    opts = dialog.options()
    assert opts.annotate and opts.auto_accept is None and opts.manifest == folder / "records.csv"
    dialog.auto.setChecked(True)
    dialog.threshold.setValue(0.8)
    assert dialog.options().auto_accept == pytest.approx(0.8)
    dialog.folder.setText(str(tmp_path / "missing"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "exists" in dialog.error.text() and dialog.result() == 0
    unchecked = ImportDialog(False)
    qtbot.addWidget(unchecked)
    assert not unchecked.annotate.isChecked() and not unchecked.auto.isEnabled()


def test_import_with_suggestions_opens_the_review_queue(
    qtbot,
    window: MainWindow,
    trained_catalogue_template: Path,
    open_copy: OpenCopy,
    new_photos: Callable[..., Path],
    tmp_path: Path,
) -> None:
    from heritage_tagger.services import browse
    from heritage_tagger.services.review_queue import review_queue

    cat = open_copy(trained_catalogue_template, tmp_path / "cat")
    folder = new_photos(tmp_path / "box", per_class=2)
    dialog = window.jobs.import_folder()
    assert isinstance(dialog, ImportDialog) and dialog.annotate.isChecked()
    dialog.folder.setText(str(folder))
    with qtbot.waitSignal(window.message, timeout=WAIT, check_params_cb=lambda t: t.startswith("Imported")):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "Suggested" in window.statusBar().currentMessage()
    batch_id = browse.batches(cat)[0][0]
    expected = review_queue(cat, batch_id)
    qtbot.waitUntil(lambda: window.filter_bar.batch.currentData() == batch_id, timeout=WAIT)
    qtbot.waitUntil(lambda: window.model.total == len(expected) and not window.model.loading, timeout=WAIT)
    assert window.filter_bar.sort.currentText() == "Sort: Needs attention first"
    assert [window.model.record_at(i).id for i in range(len(expected))] == expected
    assert window.jobs.import_summary.startswith("Imported")
    assert "review queue, needs attention first" in window.jobs.import_summary
    assert QApplication.activeModalWidget() is None  # no box to dismiss: the jobs panel says it
    row = window.jobs_panel.row_for(window.jobs.job)
    assert row is not None and "review queue" in row.words.text() and row.bar.value() == row.bar.maximum()
    for order in ("least_confident", "most_confident", "identifier"):  # the Preferences' other queue orders
        expected = review_queue(cat, batch_id, order)
        with qtbot.waitSignal(window.model.loaded, timeout=WAIT):
            assert window.filter_bar.show_queue(batch_id, order)
        assert [window.model.record_at(i).id for i in range(len(expected))] == expected


def test_a_cancelled_import_resumes_without_duplicates(
    qtbot,
    window: MainWindow,
    trained_catalogue_template: Path,
    open_copy: OpenCopy,
    new_photos: Callable[..., Path],
    tmp_path: Path,
) -> None:
    from heritage_tagger.gui.dialogs.import_dialog import ImportOptions

    cat = open_copy(trained_catalogue_template, tmp_path / "cat")
    folder = new_photos(tmp_path / "box", per_class=2)
    options = ImportOptions(folder, annotate=True)
    with qtbot.waitSignal(
        window.message, timeout=WAIT, check_params_cb=lambda t: t.startswith("Import")
    ) as first:
        job = window.jobs.start_import(options)
        assert job is not None
        job.cancel()  # what its Cancel button in the jobs panel does
    # normally "Import: Cancelled. …"; a run that finished before the cancel arrived is also fine here
    assert first.args[0].startswith(("Import: Cancelled", "Imported"))
    with qtbot.waitSignal(window.message, timeout=WAIT, check_params_cb=lambda t: t.startswith("Imported")):
        window.jobs.start_import(options)
    with sqlite3.connect(cat.path) as db:
        n_new = len(list(folder.iterdir()))
        distinct, total = db.execute(
            "SELECT count(DISTINCT sha256), count(*) FROM records WHERE batch_id IS NOT NULL"
        ).fetchone()
        assert distinct == total == n_new
        rows = db.execute(
            "SELECT r.id, count(t.id) FROM records r LEFT JOIN record_tags t ON t.record_id = r.id "
            "AND t.state = 'suggested' WHERE r.batch_id IS NOT NULL GROUP BY r.id"
        ).fetchall()
    assert len(rows) == n_new and all(n > 0 for _, n in rows)


def test_import_without_suggestions_and_no_model(
    qtbot, window: MainWindow, tmp_path: Path, make_image
) -> None:
    from heritage_tagger.gui.dialogs.import_dialog import ImportOptions

    folder = tmp_path / "box"
    for i in range(2):
        make_image(folder / f"p{i}.jpg", colour=(30 * i, 60, 90), pattern=i)
    cat = open_catalogue(tmp_path / "new.sqlite")
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT):
        window.set_catalogue(cat)
    with qtbot.waitSignal(window.message, timeout=WAIT, check_params_cb=lambda t: t.startswith("Imported")):
        window.jobs.start_import(ImportOptions(folder, annotate=True))
    assert "No model is active" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.model.total == 2, timeout=WAIT)


def test_retrain_compare_activate_rollback_and_remove(
    qtbot, window: MainWindow, reviewed_catalogue: Path, open_copy: OpenCopy, tmp_path: Path
) -> None:
    cat = open_copy(reviewed_catalogue, tmp_path / "cat")
    before = _active(cat)
    window.model_jobs.retrain(epochs=1)
    qtbot.waitUntil(lambda: window.model_jobs.retrain_dialog is not None, timeout=WAIT)
    dialog = window.model_jobs.retrain_dialog
    assert isinstance(dialog, RetrainDialog)
    assert "8 review decisions" in dialog.intro.text()
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.candidate is not None or dialog.start_button.isEnabled(), timeout=WAIT)
    assert dialog.candidate is not None, dialog.status.text()
    candidate = dialog.candidate
    assert _active(cat) == before  # nothing activated yet
    names = ["imAP", "mAP", "OP", "OR", "OF1", "CF1"]
    assert [dialog.table.item(r, 0).text().split("(")[-1].rstrip(")") for r in range(6)] == names
    assert all(0.0 <= float(dialog.table.item(r, c).text()) <= 1.0 for r in range(6) for c in (1, 2))
    assert all(dialog.table.item(r, 3).text() for r in range(6))  # each figure explained in a line
    assert "neither model was trained on" in dialog.note.text()
    assert dialog.recommendation.text().startswith("<b>Recommendation: ")
    assert dialog.plot.pixmap() is not None and not dialog.plot.pixmap().isNull()
    shown = {c: [dialog.table.item(r, c).text() for r in range(6)] for c in (1, 2)}  # active, candidate
    dialog.activate_button.click()
    qtbot.waitUntil(lambda: dialog.decided, timeout=WAIT)
    assert _active(cat) == candidate and "is now the active model" in dialog.status.text()

    # Model > Versions: metrics shown, the active one cannot be removed, roll back, remove the candidate
    window.model_jobs.versions()
    qtbot.waitUntil(lambda: window.model_jobs.versions_dialog is not None, timeout=WAIT)
    versions = window.model_jobs.versions_dialog
    assert versions is not None
    assert versions.table.rowCount() == 2
    row = [v.version for v in versions.versions].index(candidate)
    assert versions.table.item(row, 7).text() != "–"  # the held-out imAP
    # the Versions list shows, for both versions, exactly the figures the retrain dialog showed
    for version, column in ((candidate, 2), (before, 1)):
        r = [v.version for v in versions.versions].index(version)
        assert [versions.table.item(r, 7 + i).text() for i in range(6)] == shown[column]
        assert "neither model was trained on" in versions.table.item(r, 13).text()
    versions.select_version(candidate)
    versions.remove_button.click()
    assert "cannot be removed" in versions.status.text()
    versions.select_version(before)
    versions.activate_button.click()
    qtbot.waitUntil(lambda: "is now the active model" in versions.status.text(), timeout=WAIT)
    assert _active(cat) == before
    qtbot.waitUntil(lambda: [v.version for v in versions.versions if v.is_active] == [before], timeout=WAIT)
    assert versions.table.item([v.version for v in versions.versions].index(before), 0).text() == "●"

    # Discard from the retrain dialog: the (now inactive) candidate is removed
    discard = window.model_jobs.open_retrain_dialog(0, None)
    discard.show_outcome(_fake_outcome(candidate, before), None)
    discard.discard_button.click()
    qtbot.waitUntil(lambda: discard.decided, timeout=WAIT)
    assert [v.version for v in list_versions(cat)] == [before]


def _fake_outcome(candidate: str, active: str) -> object:
    from heritage_tagger.services.retraining import Comparison, RetrainOutcome

    metrics = {"imAP": 0.5, "mAP": 0.4, "OP": 0.3, "OR": 0.3, "OF1": 0.3, "CF1": 0.2}
    comparison = Comparison(5, 0, True, 3, active, metrics, metrics)
    return RetrainOutcome(0, SimpleNamespace(version=candidate, n_training_rows=9, n_tags=3), comparison)  # type: ignore[arg-type]


def test_a_cancelled_retrain_changes_nothing(
    qtbot, window: MainWindow, reviewed_catalogue: Path, open_copy: OpenCopy, tmp_path: Path
) -> None:
    cat = open_copy(reviewed_catalogue, tmp_path / "cat")
    before = _active(cat)
    dialog = window.model_jobs.open_retrain_dialog(8, active_version(cat))
    dialog.start_button.click()
    assert window.model_jobs.job is not None and dialog.cancel_button.isVisible()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled() or dialog.candidate is not None, timeout=WAIT)
    assert "active model is unchanged" in dialog.status.text() and dialog.candidate is None
    assert [v.version for v in list_versions(cat)] == [before]


def test_periodic_retraining_preference_and_offer(
    qtbot, window: MainWindow, reviewed_catalogue: Path, open_copy: OpenCopy, tmp_path: Path
) -> None:
    assert Preferences().retrain_after_decisions == 0 and Preferences().retrain_every_days == 0  # off
    open_copy(reviewed_catalogue, tmp_path / "cat")
    prefs = Preferences(retrain_after_decisions=5, retrain_every_days=30)
    window.apply_preferences(prefs)
    loaded = Preferences.load(app_settings(tmp_path / "prefs.ini"))
    assert (loaded.retrain_after_decisions, loaded.retrain_every_days) == (5, 30)
    with qtbot.waitSignal(window.message, timeout=WAIT, check_params_cb=lambda t: "Retraining is due" in t):
        window.model_jobs.check_retrain_due()
    assert window.retrain_bar.isVisible() and "decisions since" in window.retrain_bar.label.text()
    window.retrain_bar.action.click()
    assert not window.retrain_bar.isVisible()
    qtbot.waitUntil(lambda: window.model_jobs.retrain_dialog is not None, timeout=WAIT)
    window.model_jobs.retrain_dialog.reject()


def test_preferences_dialog_has_the_retraining_fields(qtbot) -> None:
    from heritage_tagger.gui.dialogs.preferences_dialog import PreferencesDialog

    dialog = PreferencesDialog(Preferences(reviewer="ann"))
    qtbot.addWidget(dialog)
    assert dialog.retrain_after.text() == "Off" and dialog.retrain_days.text() == "Off"
    dialog.retrain_after.setValue(200)
    dialog.retrain_days.setValue(7)
    result = dialog.result_preferences()
    assert (result.retrain_after_decisions, result.retrain_every_days) == (200, 7)
    assert result.queue_order == "needs_attention"
    dialog.queue_order.setCurrentIndex(dialog.queue_order.findData("identifier"))
    assert dialog.result_preferences().queue_order == "identifier"


def test_model_menu_has_retrain_and_needs_a_catalogue(qtbot, window: MainWindow) -> None:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Model")
    assert [a.text() for a in menu.actions()] == ["&Train…", "&Retrain…", "&Versions…"]
    for name in ("retrain", "train", "versions", "import", "export"):  # no dialog opens
        with qtbot.waitSignal(
            window.message, timeout=WAIT, check_params_cb=lambda t: "Open a catalogue" in t
        ):
            window.commands[name].trigger()
    assert window.jobs.import_dialog is None and window.model_jobs.retrain_dialog is None
