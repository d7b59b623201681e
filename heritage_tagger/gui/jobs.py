"""File > Import folder (with or without suggestions, then the review queue) and File > Export, as background jobs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, QSettings, Signal
from PySide6.QtWidgets import QWidget

from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.gui.background import BackgroundJobs, Job, JobSpec
from heritage_tagger.gui.controller import CatalogueHolder, Controller
from heritage_tagger.gui.dialogs.export_dialog import ExportContext, ExportDialog, format_name
from heritage_tagger.gui.dialogs.import_dialog import ImportDialog, ImportOptions
from heritage_tagger.gui.dialogs.xmp_destination import BESIDE
from heritage_tagger.gui.preferences import QUEUE_ORDERS, Preferences
from heritage_tagger.gui.workers import JobFunction, TaskRunner, describe_error
from heritage_tagger.services.export_request import BrowseFilter, ExportRequest, RecordScope, ScopeKind
from heritage_tagger.services.job_progress import PlainProgress, Segment

if TYPE_CHECKING:
    from heritage_tagger.services.annotating import AnnotateReport
    from heritage_tagger.services.exporting import ExportSummary
    from heritage_tagger.services.importing import ImportReport

T = TypeVar("T")
Imported = tuple["ImportReport", "AnnotateReport | None"]


def summary_text(imported: ImportReport, report: AnnotateReport | None) -> str:
    """The import's (and annotation's) outcome in a sentence or two."""
    text = QCoreApplication.translate(
        "JobsController", "Imported {n} photos ({duplicates} already there, {skipped} skipped)."
    ).format(n=imported.imported, duplicates=imported.duplicates, skipped=len(imported.skipped))
    if report is None:
        return text
    if report.no_model:
        return text + QCoreApplication.translate(
            "JobsController", " No model is active, so no tags were suggested: Model > Train… first."
        )
    done = report.annotated + report.done_before
    text += QCoreApplication.translate("JobsController", " Suggested {tags} tags for {n} photos").format(
        tags=report.suggestions, n=done
    )
    if report.auto_accepted:
        text += QCoreApplication.translate("JobsController", ", {n} accepted automatically").format(
            n=report.auto_accepted
        )
    if report.failed:
        text += QCoreApplication.translate("JobsController", "; {n} photos could not be read").format(
            n=len(report.failed)
        )
    return text + "."


def scope_words(scope: RecordScope) -> str:
    """Which records an export reads, for its job title."""

    if scope.kind is ScopeKind.FILTER:
        return QCoreApplication.translate("JobsController", "the filtered photos")
    if scope.kind is ScopeKind.SELECTION:
        return QCoreApplication.translate("JobsController", "{n} selected photos").format(
            n=len(scope.record_ids)
        )
    if scope.kind is ScopeKind.BATCH:
        return QCoreApplication.translate("JobsController", "batch #{id}").format(id=scope.batch_id)
    return QCoreApplication.translate("JobsController", "the whole catalogue")


class JobsController(Controller):
    """Starts imports and exports as background jobs (``BackgroundJobs``); the import dialog stays reachable."""

    records_added = Signal()  # reload the browser and its lists
    queue_ready = Signal(int)  # an imported batch to show as a review queue
    suggestions_stale = Signal()  # stored suggestions changed: computed panels are out of date

    def __init__(
        self,
        runner: TaskRunner,
        holder: CatalogueHolder,
        background: BackgroundJobs,
        prefs: Preferences,
        parent: QWidget,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(runner, holder, parent)
        self.background = background
        self.prefs = prefs
        self.dialog_parent = parent
        self.job: Job | None = None  # the last job started here
        self.import_dialog: ImportDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self.settings = settings  # the export dialog's last choices
        self.import_summary = ""  # the last import's outcome, as the jobs panel and the status bar say it

    # --- import --------------------------------------------------------------------------
    def import_folder(self, folder: str | None = None) -> ImportDialog | Job | None:
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
            self.import_summary = summary_text(imported, None)
            self.status.emit(self.import_summary)
            self.records_added.emit()

        return self._submit(
            self.tr("Importing {name}").format(name=path.name), work, done, lambda r: summary_text(r, None)
        )

    def ask_import(self, folder: str = "") -> ImportDialog | None:
        """Ask for the folder, manifest and annotation options; start the job when accepted."""
        if self.catalogue_or_say() is None:
            return None
        dialog = ImportDialog(self.holder.model_info is not None, folder, self.dialog_parent)
        dialog.accepted.connect(lambda: self.start_import(dialog.options()))
        dialog.open()
        self.import_dialog = dialog
        return dialog

    def _queue_words(self) -> str:
        order = QCoreApplication.translate(
            "Preferences", QUEUE_ORDERS.get(self.prefs.queue_order, "")
        ).lower()
        return self.tr(" The new photos are shown as a review queue, {order}.").format(order=order)

    def start_import(self, opts: ImportOptions) -> Job | None:
        """Run services.annotating.import_and_annotate (or importing.import_folder) in the background."""
        cat = self.holder.catalogue
        if cat is None:
            return None
        plan = [
            Segment(self.tr("Importing"), self.tr("copying and checking the photos"), 1.0),
            Segment(self.tr("annotating"), self.tr("suggesting tags for the new photos"), 0.5),
        ]

        def work(progress: ProgressCallback, cancel: CancelToken) -> Imported:
            if opts.annotate:
                from heritage_tagger.services.annotating import import_and_annotate

                tracker = PlainProgress(
                    self.tr("Importing {name}").format(name=opts.folder.name), plan, progress
                )
                imported: ImportReport
                imported, report = import_and_annotate(
                    cat, opts.folder, opts.manifest, auto_accept=opts.auto_accept, progress=tracker,
                    cancel=cancel,
                )  # fmt: skip
                tracker.finish()
                return imported, report
            from heritage_tagger.services.importing import import_folder

            tracker = PlainProgress(
                self.tr("Importing {name}").format(name=opts.folder.name), plan[:1], progress
            )
            result = import_folder(cat, opts.folder, opts.manifest, progress=tracker, cancel=cancel), None
            tracker.finish()
            return result

        def batch_of(result: Imported) -> int | None:
            imported, report = result
            if imported.batch_id is None and report is not None and report.batch_ids:
                return report.batch_ids[-1]
            return imported.batch_id

        def words(result: Imported) -> str:
            return summary_text(*result) + (self._queue_words() if batch_of(result) is not None else "")

        def done(result: Imported) -> None:
            self.import_summary = words(result)
            self.status.emit(summary_text(*result))
            self.suggestions_stale.emit()
            batch_id = batch_of(result)
            if batch_id is not None:
                self.queue_ready.emit(batch_id)
            else:
                self.records_added.emit()

        def failed(text: str) -> None:
            if text == QCoreApplication.translate("BackgroundJobs", "Cancelled."):
                text = self.tr("Cancelled. What was done is saved; import the same folder again to finish.")
            self.error.emit(self.tr("Import: {text}").format(text=text))
            self.records_added.emit()  # what was saved before the cancel or the error

        title = self.tr("Importing and suggesting tags") if opts.annotate else self.tr("Importing")
        spec: JobSpec[Imported] = JobSpec(
            title, work, done, failed, plain_progress=True, done_text=words,
            kept_on_cancel=self.tr("What was imported is kept; import the same folder again to finish."),
        )  # fmt: skip
        return self._start(spec)

    # --- export --------------------------------------------------------------------------
    def export(self, fmt: str, output: str | None = None) -> Job | ExportDialog | None:
        """Export the whole catalogue as ``fmt`` ("csv", "dc-xml", "dc-jsonld", "xmp") to ``output``
        (for "xmp" a folder, or ``BESIDE`` to write beside the images); with no output, the dialog."""
        if self.catalogue_or_say() is None:
            return None
        if output is None:
            return self.ask_export(fmt=fmt)
        path = None if output == BESIDE else Path(output)
        return self.start_export(ExportRequest(format=fmt, output=path))

    def ask_export(
        self,
        browse_filter: BrowseFilter | None = None,
        selected_ids: Sequence[int] = (),
        fmt: str | None = None,
    ) -> ExportDialog | None:
        """File > Export…: the dialog, told the window's filter and selection; the filter's count and the
        import batches are read in a worker and shown when they arrive. The job starts when accepted."""
        cat = self.catalogue_or_say()
        if cat is None:
            return None
        flt = browse_filter or BrowseFilter()
        context = ExportContext(browse_filter=flt, selected_ids=tuple(selected_ids))
        dialog = ExportDialog(context, self.settings, fmt, self.dialog_parent)
        dialog.accepted.connect(lambda: self._start_from(dialog))
        self.export_dialog = dialog

        def counts() -> tuple[int, int, list[tuple[int, str]]]:
            from heritage_tagger.services import browse

            return browse.count(cat, flt), browse.count(cat, BrowseFilter()), browse.batches(cat)

        def show(found: tuple[int, int, list[tuple[int, str]]]) -> None:
            if self.export_dialog is dialog:
                dialog.set_counts(found[0], found[2], found[1])

        self.runner.run(counts, show, lambda exc: self.error.emit(describe_error(exc)), pool="count")
        dialog.open()
        return dialog

    def _start_from(self, dialog: ExportDialog) -> None:
        request = dialog.request()
        if request is not None:
            self.start_export(request)

    def start_export(self, request: ExportRequest) -> Job | None:
        """Run ``request`` (services.exporting.run_export) as a background job with progress and Cancel."""
        cat = self.holder.catalogue
        if cat is None:
            return None
        fmt = request.format

        def work(progress: ProgressCallback, cancel: CancelToken) -> ExportSummary:
            from heritage_tagger.services.exporting import run_export

            return run_export(cat, request, progress=progress, cancel=cancel)

        def words(summary: ExportSummary) -> str:
            if fmt == "xmp" and request.output is None:
                text = self.tr("Exported {n} XMP sidecars beside the images.").format(n=summary.records)
            elif fmt == "xmp":
                text = self.tr("Exported {n} XMP sidecars to {where}.").format(
                    n=summary.records, where=summary.output
                )
            else:
                where = summary.output
                text = self.tr("Exported {n} records to {where}.").format(n=summary.records, where=where)
            if summary.skipped:
                text += " " + self.tr("{n} left out: not ours or no image.").format(n=len(summary.skipped))
            return text

        title = self.tr("Exporting {what} as {format}").format(
            what=scope_words(request.scope), format=format_name(fmt)
        )
        spec: JobSpec[ExportSummary] = JobSpec(
            title, work, lambda s: self.status.emit(words(s)),
            lambda text: self.error.emit(self.tr("Export: {text}").format(text=text)), done_text=words,
            kept_on_cancel=self.tr("Nothing was written: an export is saved only when complete."),
        )  # fmt: skip
        return self._start(spec)

    def _submit(
        self, title: str, work: JobFunction[T], done: Callable[[T], object], words: Callable[[T], str]
    ) -> Job | None:
        spec: JobSpec[T] = JobSpec(
            title,
            work,
            done,
            lambda text: self.error.emit(self.tr("{title}: {text}").format(title=title, text=text)),
            done_text=words,
        )
        return self._start(spec)

    def _start(self, spec: JobSpec[T]) -> Job | None:
        self.job = self.background.submit(spec)
        if self.job is None:
            self.error.emit(
                self.tr("{title}: open a catalogue first, or wait for the same job to finish.").format(
                    title=spec.title
                )
            )
        return self.job
