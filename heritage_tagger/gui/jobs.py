"""The main window's menus and the jobs they start: open/new, import, export, train, retrain, versions, preferences."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from heritage_tagger import __version__
from heritage_tagger.gui import batch_jobs, model_jobs
from heritage_tagger.gui.dialogs.add_tag_dialog import AddTagDialog
from heritage_tagger.gui.dialogs.job_dialog import JobDialog
from heritage_tagger.gui.dialogs.preferences_dialog import PreferencesDialog
from heritage_tagger.gui.dialogs.shortcuts_dialog import ShortcutsDialog

if TYPE_CHECKING:
    from heritage_tagger.gui.main_window import MainWindow


def build_menus(w: MainWindow) -> None:
    a = w.commands
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(a["open"])
    file_menu.addAction(a["new"])
    file_menu.addSeparator()
    file_menu.addAction(a["import"])
    w.export_csv = QAction("Export &CSV…", w)
    w.export_dc = QAction("Export &Dublin Core…", w)
    file_menu.addAction(w.export_csv)
    file_menu.addAction(w.export_dc)
    file_menu.addSeparator()
    file_menu.addAction(a["quit"])
    edit = bar.addMenu("&Edit")
    edit.addAction(a["undo"])
    edit.addAction(a["redo"])
    edit.addSeparator()
    edit.addAction(a["find"])
    edit.addAction(a["preferences"])
    review = bar.addMenu("&Review")
    for name in ("accept", "reject", "accept_all", "add_tag", "remove_tag", "next", "previous"):
        review.addAction(a[name])
    model = bar.addMenu("&Model")
    w.train_action = QAction("&Train…", w)
    w.retrain_action = QAction("&Retrain…", w)
    w.versions_action = QAction("&Versions…", w)
    model.addAction(w.train_action)
    model.addAction(w.retrain_action)
    model.addAction(w.versions_action)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(a["shortcuts"])
    w.about_action = QAction("&About Heritage Tagger", w)
    help_menu.addAction(w.about_action)

    a["open"].triggered.connect(lambda: open_catalogue(w, create=False))
    a["new"].triggered.connect(lambda: open_catalogue(w, create=True))
    a["import"].triggered.connect(lambda: import_folder(w))
    a["preferences"].triggered.connect(lambda: preferences(w))
    a["shortcuts"].triggered.connect(lambda: ShortcutsDialog(w).open())
    w.export_csv.triggered.connect(lambda: export(w, "csv"))
    w.export_dc.triggered.connect(lambda: export(w, "dc-xml"))
    w.train_action.triggered.connect(lambda: train(w))
    w.retrain_action.triggered.connect(lambda: model_jobs.retrain(w))
    w.versions_action.triggered.connect(lambda: versions(w))
    w.about_action.triggered.connect(
        lambda: QMessageBox.about(
            w,
            "About Heritage Tagger",
            f"<b>Heritage Tagger {__version__}</b><p>Suggests subject tags for heritage photograph "
            "collections from the photos' visual neighbours (collective knowledge), and records every "
            "review decision.</p>",
        )
    )


def _needs_catalogue(w: MainWindow) -> bool:
    if w.catalogue is None:
        w.show_error("Open a catalogue first (File > Open catalogue…).")
        return False
    return True


def open_catalogue(w: MainWindow, *, create: bool) -> None:
    start = str(w.catalogue.path.parent) if w.catalogue else ""
    if create:
        path, _ = QFileDialog.getSaveFileName(w, "New catalogue", start, "Catalogues (*.sqlite)")
        if path and not path.endswith(".sqlite"):
            path += ".sqlite"
    else:
        path, _ = QFileDialog.getOpenFileName(
            w, "Open catalogue", start, "Catalogues (*.sqlite);;All files (*)"
        )
    if path:
        w.open_path(path, create=create)


def add_tag(w: MainWindow) -> AddTagDialog | None:
    if w.current_id is None or w.details is None:
        w.show_error("Select a photo first.")
        return None
    record_id = w.current_id
    dialog = AddTagDialog(w.vocabulary, w.details.record.identifier, w)

    def accepted() -> None:
        label = dialog.label()
        if label:
            w.review.add(record_id, label)
            if label not in w.vocabulary:
                w.refresh_lists()

    dialog.accepted.connect(accepted)
    dialog.open()
    w.add_tag_dialog = dialog  # type: ignore[attr-defined]
    return dialog


def preferences(w: MainWindow) -> PreferencesDialog:
    dialog = PreferencesDialog(w.prefs, w)
    dialog.accepted.connect(lambda: w.apply_preferences(dialog.result_preferences()))
    dialog.open()
    return dialog


def _call(fn: Any, **kwargs: Any) -> Any:
    """Call a service with only the keyword arguments it declares (their signatures are still settling)."""
    accepted = inspect.signature(fn).parameters
    return fn(**{k: v for k, v in kwargs.items() if k in accepted})


def run_job(w: MainWindow, title: str, fn: Any, on_done: Any) -> JobDialog:
    dialog = JobDialog(w, w.runner, title, fn, on_done, lambda text: w.show_error(f"{title}: {text}"))
    w.job_dialog = dialog  # type: ignore[attr-defined]
    return dialog


def import_folder(w: MainWindow, folder: str | None = None) -> Any:
    """With no folder, File > Import folder's dialog (gui/batch_jobs.py); with one, a plain import."""
    if not _needs_catalogue(w):
        return None
    if not folder:
        return batch_jobs.import_dialog(w)
    from heritage_tagger.services.importing import import_folder as service

    cat = w.catalogue
    assert cat is not None

    def done(report: Any) -> None:
        skipped = len(getattr(report, "skipped", []) or [])
        w.show_status(
            f"Imported {report.imported} photos ({report.duplicates} already there, {skipped} skipped)."
        )
        w.model.reload()
        w.refresh_lists()

    return run_job(
        w,
        "Importing",
        lambda progress, cancel: service(cat, Path(folder), progress=progress, cancel=cancel),
        done,
    )


def export(w: MainWindow, fmt: str, output: str | None = None) -> JobDialog | None:
    if not _needs_catalogue(w):
        return None
    suffix = ".csv" if fmt == "csv" else ".xml"
    if output is None:
        output, _ = QFileDialog.getSaveFileName(w, "Export", f"catalogue{suffix}", f"*{suffix}")
    if not output:
        return None
    from heritage_tagger.services.exporting import export_catalogue

    cat = w.catalogue
    assert cat is not None

    def work(progress: Any, cancel: Any) -> Any:
        return export_catalogue(cat, fmt, Path(output), progress=progress, cancel=cancel)

    return run_job(
        w, "Exporting", work, lambda s: w.show_status(f"Exported {s.records} records to {s.output}.")
    )


def train(w: MainWindow) -> JobDialog | None:
    if not _needs_catalogue(w):
        return None
    try:
        from heritage_tagger.services import training
    except ImportError:
        w.show_error("Training is not available in this installation yet.")
        return None
    cat, prefs = w.catalogue, w.prefs

    def work(progress: Any, cancel: Any) -> Any:
        return _call(training.train_catalogue, catalogue=cat, backbone=prefs.backbone, device=prefs.device,
                     progress=progress, cancel=cancel)  # fmt: skip

    def done(_: Any) -> None:
        w.show_status("Training finished: the new model is active.")
        w.panel_cache.clear()
        w.refresh_model_info()

    return run_job(w, "Training the model", work, done)


def versions(w: MainWindow) -> None:
    model_jobs.versions(w)
