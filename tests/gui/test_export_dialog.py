"""File > Export…: the dialog's options by format, its scope counts, its remembered choices, and an export
run from it as a background job (pytest-qt, a real catalogue)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from heritage_tagger.gui.dialogs.export_dialog import ExportContext, ExportDialog
from heritage_tagger.gui.main_window import MainWindow
from heritage_tagger.gui.preferences import app_settings
from heritage_tagger.services import browse, synthetic
from heritage_tagger.services.browse import BrowseFilter, RecordState
from heritage_tagger.services.catalogue import open_catalogue
from heritage_tagger.services.export_request import ExportRequest, RecordScope, ScopeKind

WAIT = 30_000


def make_dialog(qtbot, context: ExportContext, settings=None, fmt: str | None = None) -> ExportDialog:
    dialog = ExportDialog(context, settings, fmt)
    qtbot.addWidget(dialog)
    return dialog


def choose(dialog: ExportDialog, fmt: str) -> None:
    dialog.format.setCurrentIndex(dialog.format.findData(fmt))


def test_options_follow_the_format(qtbot) -> None:
    dialog = make_dialog(qtbot, ExportContext())
    expected = {  # format: suggestions, excel-safe, base URI, beside the images
        "csv": (True, True, False, False),
        "dc-xml": (True, False, False, False),
        "dc-jsonld": (True, False, True, False),
        "xmp": (False, False, False, True),
    }
    for fmt, flags in expected.items():
        choose(dialog, fmt)
        got = tuple(
            w.isEnabled() for w in (dialog.suggestions, dialog.excel_safe, dialog.base_uri, dialog.beside)
        )
        assert got == flags, fmt
    dialog.beside.setChecked(True)
    assert not dialog.output.isEnabled() and not dialog.browse_button.isEnabled()
    assert dialog.output_label.text() == "Folder"
    choose(dialog, "csv")
    assert dialog.output.isEnabled() and dialog.output_label.text() == "Output file"


def test_options_of_other_formats_do_not_reach_the_request(qtbot, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, ExportContext())
    dialog.excel_safe.setChecked(True)
    dialog.suggestions.setChecked(True)
    dialog.base_uri.setText("https://ex.org/r/")
    dialog.output.setText(str(tmp_path / "out.csv"))
    choose(dialog, "csv")
    request = dialog.request()
    assert request is not None
    assert (request.format, request.excel_safe, request.include_suggestions, request.base_uri) == (
        "csv", True, True, None,
    )  # fmt: skip
    choose(dialog, "dc-jsonld")
    request = dialog.request()
    assert request is not None and request.output == tmp_path / "out.jsonld"  # the suffix follows the format
    assert (request.excel_safe, request.base_uri) == (False, "https://ex.org/r/")
    choose(dialog, "xmp")
    dialog.beside.setChecked(True)
    request = dialog.request()
    assert request is not None and request.output is None and not request.include_suggestions


def test_a_missing_output_is_said_and_the_dialog_stays(qtbot) -> None:
    dialog = make_dialog(qtbot, ExportContext())
    dialog.show()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and "Choose a file" in dialog.error.text()
    dialog.output.setText("/no/such/folder/out.csv")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and dialog.error.text() == "The folder /no/such/folder does not exist."


def test_scope_counts_and_a_selection_needs_selected_photos(qtbot) -> None:
    flt = BrowseFilter(tag="harbour")
    dialog = make_dialog(qtbot, ExportContext(browse_filter=flt))
    assert "counting" in dialog.scope_filter.text()
    assert not dialog.scope_selection.isEnabled() and not dialog.scope_batch.isEnabled()
    assert not dialog.set_scope(ScopeKind.SELECTION)
    dialog.set_counts(1234, [(7, "#7 box (2026-12-01)"), (3, "#3 old (2026-11-01)")], 5000)
    assert dialog.scope_filter.text() == "Current filter (1,234 photos): tag “harbour”"
    assert "5,000 photos" in dialog.scope_all.text()
    assert dialog.scope_batch.isEnabled() and not dialog.batch.isEnabled()
    assert dialog.set_scope(ScopeKind.BATCH)
    assert dialog.batch.isEnabled()
    dialog.batch.setCurrentIndex(1)
    assert dialog.scope() == RecordScope.batch(3)
    assert dialog.set_scope(ScopeKind.FILTER) and dialog.scope() == RecordScope.matching(flt)

    selected = make_dialog(qtbot, ExportContext(selected_ids=(5, 2)))
    assert selected.scope_selection.isEnabled() and "(2)" in selected.scope_selection.text()
    assert selected.set_scope(ScopeKind.SELECTION) and selected.scope() == RecordScope.selected([2, 5])


def test_the_last_choices_are_remembered(qtbot, tmp_path: Path) -> None:
    settings = app_settings(tmp_path / "prefs.ini")
    first = make_dialog(qtbot, ExportContext(batches=((4, "#4 box"),)), settings)
    choose(first, "dc-jsonld")
    first.set_scope(ScopeKind.BATCH)
    first.suggestions.setChecked(True)
    first.base_uri.setText("https://ex.org/r/")
    first.output.setText(str(tmp_path / "last.jsonld"))
    first.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert first.result() == ExportDialog.DialogCode.Accepted
    again = make_dialog(qtbot, ExportContext(), app_settings(tmp_path / "prefs.ini"))
    assert again.fmt == "dc-jsonld" and again.suggestions.isChecked()
    assert again.base_uri.text() == "https://ex.org/r/" and again.output.text() == str(
        tmp_path / "last.jsonld"
    )
    assert again.scope_kind() is ScopeKind.ALL  # no batch listed yet ...
    again.set_counts(3, [(4, "#4 box")])
    assert again.scope_kind() is ScopeKind.BATCH  # ... chosen again once the batches arrive


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(app_settings(tmp_path / "prefs.ini"))
    qtbot.addWidget(w)
    w.show()
    yield w
    w.runner.shutdown()
    if w.catalogue is not None:
        w.catalogue.close()


def test_file_export_runs_the_current_filter_as_a_job(qtbot, window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with open_catalogue(path) as cat:
        synthetic.generate(cat, 40, seed=3)
        flt = BrowseFilter(state=RecordState.UNTAGGED)
        want = sorted(r.identifier for r in browse.rows_for_ids(cat, browse.ordered_ids(cat, flt)))
    assert 0 < len(want) < 40
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT):
        window.open_path(path)
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT):
        window.model.set_filter(flt)
    assert [a.text() for a in window.menuBar().actions()[0].menu().actions()].count("&Export…") == 1
    window.commands["export"].trigger()
    dialog = window.jobs.export_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: f"({len(want)} photos): untagged" in dialog.scope_filter.text(), timeout=WAIT)
    assert "(40 photos)" in dialog.scope_all.text()
    assert dialog.scope_selection.isEnabled()  # the current photo
    choose(dialog, "csv")
    assert dialog.set_scope(ScopeKind.FILTER)
    out = tmp_path / "filtered.csv"
    dialog.output.setText(str(out))
    with qtbot.waitSignal(
        window.message, timeout=WAIT, check_params_cb=lambda t: t.startswith("Exported")
    ) as got:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert got.args[0] == f"Exported {len(want)} records to {out}."
    with out.open(encoding="utf-8", newline="") as fh:
        assert sorted(r["dcterms:identifier"] for r in csv.DictReader(fh)) == want
    job = window.jobs.job
    assert job is not None and "filtered photos" in job.title


def test_export_with_a_selection_writes_the_selected_photo(qtbot, window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with open_catalogue(path) as cat:
        synthetic.generate(cat, 6, seed=1)
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT):
        window.open_path(path)
    qtbot.waitUntil(lambda: window.browse.selected_ids() != [], timeout=WAIT)
    (selected,) = window.browse.selected_ids()
    dialog = window.jobs.ask_export(window.model.filter, window.browse.selected_ids())
    assert dialog is not None
    choose(dialog, "dc-jsonld")
    dialog.set_scope(ScopeKind.SELECTION)
    out = tmp_path / "one.jsonld"
    dialog.output.setText(str(out))
    with qtbot.waitSignal(window.jobs.status, timeout=WAIT) as got:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert got.args[0].startswith("Exported 1 records")
    with open_catalogue(path) as cat:
        (row,) = browse.rows_for_ids(cat, [selected])
    assert f'"{row.identifier}"' in out.read_text(encoding="utf-8")


def test_cancelling_the_export_job_writes_nothing(qtbot, window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with open_catalogue(path) as cat:
        synthetic.generate(cat, 3000, seed=2)
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT):
        window.open_path(path)
    out = tmp_path / "exports" / "all.xml"
    out.parent.mkdir()
    with qtbot.waitSignal(window.message, timeout=WAIT, check_params_cb=lambda t: "Cancelled" in t) as got:
        job = window.jobs.start_export(ExportRequest("dc-xml", out))
        assert job is not None
        job.cancel()  # the Jobs panel's Cancel
    assert got.args[0].startswith("Export: Cancelled")
    qtbot.waitUntil(lambda: not job.active, timeout=WAIT)
    assert list(out.parent.iterdir()) == []
