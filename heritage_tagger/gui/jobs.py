"""File > Import folder (with or without suggestions, then the review queue) and File > Export, as jobs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.gui.controller import CatalogueHolder, Controller
from heritage_tagger.gui.dialogs.import_dialog import ImportDialog, ImportOptions
from heritage_tagger.gui.dialogs.job_dialog import JobDialog
from heritage_tagger.gui.dialogs.xmp_destination import BESIDE, ask_xmp_destination
from heritage_tagger.gui.preferences import QUEUE_ORDERS, Preferences
from heritage_tagger.gui.workers import JobFunction, TaskRunner

if TYPE_CHECKING:
    from heritage_tagger.services.annotating import AnnotateReport
    from heritage_tagger.services.exporting import ExportSummary
    from heritage_tagger.services.importing import ImportReport

T = TypeVar("T")
SUFFIXES = {"csv": ".csv", "dc-xml": ".xml", "dc-jsonld": ".jsonld"}
Imported = tuple["ImportReport", "AnnotateReport | None"]


def summary_text(imported: ImportReport, report: AnnotateReport | None) -> str:
    """The import's (and annotation's) outcome in a sentence or two."""
    text = (
        f"Imported {imported.imported} photos ({imported.duplicates} already there, "
        f"{len(imported.skipped)} skipped)."
    )
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


class JobsController(Controller):
    """Starts imports and exports in ``JobDialog``s; the dialogs it opens stay reachable as attributes."""

    records_added = Signal()  # reload the browser and its lists
    queue_ready = Signal(int)  # an imported batch to show as a review queue
    suggestions_stale = Signal()  # stored suggestions changed: computed panels are out of date

    def __init__(
        self, runner: TaskRunner, holder: CatalogueHolder, prefs: Preferences, parent: QWidget
    ) -> None:
        super().__init__(runner, holder, parent)
        self.prefs = prefs
        self.dialog_parent = parent
        self.job_dialog: JobDialog | None = None
        self.import_dialog: ImportDialog | None = None
        self.import_summary: QMessageBox | None = None

    # --- import --------------------------------------------------------------------------
    def import_folder(self, folder: str | None = None) -> ImportDialog | JobDialog | None:
        """With no folder, File > Import folder's dialog; with one, a plain import (the welcome's)."""
        cat = self.catalogue_or_say()
        if cat is None:
            return None
        if not folder:
            return self.ask_import()
        path = Path(folder)

        def work(progress: ProgressCallback, cancel: CancelToken) -> ImportReport:
            from heritage_tagger.services.importing import import_folder

            return import_folder(cat, path, progress=progress, cancel=cancel)

        def done(imported: ImportReport) -> None:
            self.status.emit(summary_text(imported, None))
            self.records_added.emit()

        return self._run_job("Importing", work, done)

    def ask_import(self, folder: str = "") -> ImportDialog | None:
        """Ask for the folder, manifest and annotation options; start the job when accepted."""
        if self.catalogue_or_say() is None:
            return None
        dialog = ImportDialog(self.holder.model_info is not None, folder, self.dialog_parent)
        dialog.accepted.connect(lambda: self.start_import(dialog.options()))
        dialog.open()
        self.import_dialog = dialog
        return dialog

    def start_import(self, opts: ImportOptions) -> JobDialog | None:
        """Run services.annotating.import_and_annotate (or importing.import_folder) with progress and Cancel."""
        cat = self.holder.catalogue
        if cat is None:
            return None

        def work(progress: ProgressCallback, cancel: CancelToken) -> Imported:
            if opts.annotate:
                from heritage_tagger.services.annotating import import_and_annotate

                imported: ImportReport
                imported, report = import_and_annotate(
                    cat, opts.folder, opts.manifest, auto_accept=opts.auto_accept, progress=progress,
                    cancel=cancel,
                )  # fmt: skip
                return imported, report
            from heritage_tagger.services.importing import import_folder

            return import_folder(cat, opts.folder, opts.manifest, progress=progress, cancel=cancel), None

        def done(result: Imported) -> None:
            imported, report = result
            text = summary_text(imported, report)
            self.status.emit(text)
            batch_id = imported.batch_id
            if batch_id is None and report is not None and report.batch_ids:
                batch_id = report.batch_ids[-1]
            self.suggestions_stale.emit()
            box = QMessageBox(
                QMessageBox.Icon.Information, "Import finished", text, parent=self.dialog_parent
            )
            if batch_id is not None:
                order = QUEUE_ORDERS.get(self.prefs.queue_order, "").lower()
                box.setInformativeText(f"The new photos are shown as a review queue, {order}.")
            box.open()
            self.import_summary = box
            if batch_id is not None:
                self.queue_ready.emit(batch_id)
            else:
                self.records_added.emit()

        def failed(text: str) -> None:
            if text == "Cancelled.":
                text = "Cancelled. What was done is saved; import the same folder again to finish."
            self.error.emit(f"Import: {text}")
            self.records_added.emit()  # what was saved before the cancel or the error

        title = "Importing and suggesting tags" if opts.annotate else "Importing"
        self.job_dialog = JobDialog(self.dialog_parent, self.runner, title, work, done, failed)
        return self.job_dialog

    # --- export --------------------------------------------------------------------------
    def export(self, fmt: str, output: str | None = None) -> JobDialog | None:
        """Export the catalogue as ``fmt`` ("csv", "dc-xml", "dc-jsonld", "xmp") to ``output`` (asked for
        when not given); for "xmp" ``output`` is a folder, or ``BESIDE`` to write beside the images."""
        cat = self.catalogue_or_say()
        if cat is None:
            return None
        suffix = SUFFIXES.get(fmt, ".xml")
        if output is None and fmt == "xmp":
            output = ask_xmp_destination(self.dialog_parent)
        elif output is None:
            output, _ = QFileDialog.getSaveFileName(
                self.dialog_parent, "Export", f"catalogue{suffix}", f"*{suffix}"
            )
        if not output:
            return None
        path = None if output == BESIDE else Path(output)

        def work(progress: ProgressCallback, cancel: CancelToken) -> ExportSummary:
            from heritage_tagger.services.exporting import export_catalogue

            return export_catalogue(cat, fmt, path, progress=progress, cancel=cancel)

        def done(summary: ExportSummary) -> None:
            what = "XMP sidecars" if fmt == "xmp" else "records"
            skipped = f" ({len(summary.skipped)} left out: not ours or no image)" if summary.skipped else ""
            self.status.emit(f"Exported {summary.records} {what} to {summary.output}{skipped}.")

        return self._run_job("Exporting", work, done)

    def _run_job(self, title: str, work: JobFunction[T], done: Callable[[T], None]) -> JobDialog:
        self.job_dialog = JobDialog(
            self.dialog_parent,
            self.runner,
            title,
            work,
            done,
            lambda text: self.error.emit(f"{title}: {text}"),
        )
        return self.job_dialog
