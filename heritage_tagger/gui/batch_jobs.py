"""File > Import folder: import (and annotate) a folder in a worker, then open the new batch as a review queue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from heritage_tagger.gui.dialogs.import_dialog import ImportDialog, ImportOptions
from heritage_tagger.gui.dialogs.job_dialog import JobDialog
from heritage_tagger.gui.preferences import QUEUE_ORDERS

if TYPE_CHECKING:
    from heritage_tagger.gui.main_window import MainWindow


def import_dialog(w: MainWindow, folder: str = "") -> ImportDialog | None:
    """Ask for the folder, manifest and annotation options; start the job when accepted."""
    if w.catalogue is None:
        w.show_error("Open a catalogue first (File > Open catalogue…).")
        return None
    dialog = ImportDialog(w.model_info is not None, folder, w)
    dialog.accepted.connect(lambda: start_import(w, dialog.options()))
    dialog.open()
    w.import_dialog = dialog  # type: ignore[attr-defined]
    return dialog


def summary_text(imported: Any, report: Any | None) -> str:
    """The import's (and annotation's) outcome in a sentence or two."""
    skipped = len(getattr(imported, "skipped", []) or [])
    text = f"Imported {imported.imported} photos ({imported.duplicates} already there, {skipped} skipped)."
    if report is None:
        return text
    if report.no_model:
        return text + " No model is active, so no tags were suggested: Model > Train… first."
    done = report.annotated + report.done_before
    text += f" Suggested {report.suggestions} tags for {done} photos"
    if report.auto_accepted:
        text += f", {report.auto_accepted} accepted automatically"
    if report.failed:
        text += f"; {len(report.failed)} photos could not be read"
    return text + "."


def start_import(w: MainWindow, opts: ImportOptions) -> JobDialog | None:
    """Run services.annotating.import_and_annotate (or importing.import_folder) with progress and Cancel."""
    cat = w.catalogue
    if cat is None:
        return None

    def work(progress: Any, cancel: Any) -> tuple[Any, Any]:
        if opts.annotate:
            from heritage_tagger.services.annotating import import_and_annotate

            return import_and_annotate(
                cat,
                opts.folder,
                opts.manifest,
                auto_accept=opts.auto_accept,
                progress=progress,
                cancel=cancel,
            )
        from heritage_tagger.services.importing import import_folder

        return import_folder(cat, opts.folder, opts.manifest, progress=progress, cancel=cancel), None

    def done(result: tuple[Any, Any]) -> None:
        imported, report = result
        text = summary_text(imported, report)
        w.show_status(text)
        batch_id = imported.batch_id
        if batch_id is None and report is not None and report.batch_ids:
            batch_id = report.batch_ids[-1]
        w.panel_cache.clear()
        box = QMessageBox(QMessageBox.Icon.Information, "Import finished", text, parent=w)
        if batch_id is not None:
            order = QUEUE_ORDERS.get(w.prefs.queue_order, "").lower()
            box.setInformativeText(f"The new photos are shown as a review queue, {order}.")
        box.open()
        w.import_summary = box  # type: ignore[attr-defined]
        if batch_id is not None:
            open_queue(w, batch_id)
        else:
            w.model.reload()
            w.refresh_lists()

    def failed(text: str) -> None:
        if text == "Cancelled.":
            text = "Cancelled. What was done is saved; import the same folder again to finish."
        w.show_error(f"Import: {text}")
        w.model.reload()  # what was saved before the cancel or the error
        w.refresh_lists()

    title = "Importing and suggesting tags" if opts.annotate else "Importing"
    dialog = JobDialog(w, w.runner, title, work, done, failed)
    w.job_dialog = dialog  # type: ignore[attr-defined]
    return dialog


def open_queue(w: MainWindow, batch_id: int) -> None:
    """Refresh the lists, then show the batch least-confident first (services.annotating.review_queue)."""
    cat = w.catalogue
    if cat is None:
        return
    from heritage_tagger.services import browse

    def done(result: tuple[list[str], list[str], list[tuple[int, str]]]) -> None:
        w.vocabulary, locations, batches = result
        w.filter_bar.set_vocabulary(w.vocabulary)
        w.filter_bar.set_locations(locations)
        w.filter_bar.set_batches(batches)
        w.current_id = None  # the queue opens on its first photo
        if not w.filter_bar.show_queue(batch_id, w.prefs.queue_order):
            w.model.reload()

    w.runner.run(lambda: (browse.tag_vocabulary(cat), browse.locations(cat), browse.batches(cat)), done)
