"""Batch edit of the selected photos: the dialog, then one write on the review controller's undo stack."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QWidget

from heritage_tagger.domain.progress import CancelToken, ProgressCallback, null_progress
from heritage_tagger.gui.background import BackgroundJobs, JobSpec
from heritage_tagger.gui.browse_controller import BrowseController
from heritage_tagger.gui.controller import CatalogueHolder, Controller
from heritage_tagger.gui.dialogs.batch_edit_dialog import FIELDS, BatchEditDialog
from heritage_tagger.gui.review_controller import ReviewController
from heritage_tagger.gui.workers import TaskRunner
from heritage_tagger.services import batch_edit
from heritage_tagger.services.batch_edit import BatchOperation, BatchResult

CONTEXT = "BatchEdit"
IN_BACKGROUND = 200  # photos: a larger batch runs as a job with progress and Cancel


def _t(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def describe(result: BatchResult, value: str, field_name: str = "") -> str:
    """What a batch did, in one line: "Added “barn” on 3 photos (1 already so)"."""
    op = result.operation
    shown_field = next(
        (QCoreApplication.translate("BatchEditDialog", t) for n, t in FIELDS if n == field_name), ""
    )
    if op is BatchOperation.ADD_TAG:
        head = _t("Added “{tag}” on photos: {n}")
    elif op is BatchOperation.REMOVE_TAG:
        head = _t("Removed “{tag}” from photos: {n}")
    elif op is BatchOperation.ACCEPT_TAG:
        head = _t("Accepted the suggestion “{tag}” on photos: {n}")
    elif op is BatchOperation.SET_FIELD:
        head = _t("Set {field} on photos: {n}")
    else:
        head = _t("Appended to {field} on photos: {n}")
    text = head.format(tag=value, field=shown_field, n=result.changed)
    if result.unchanged:
        text += " " + _t("(left as they were: {m})").format(m=len(result.unchanged))
    return text


class BatchEditController(Controller):
    """Edit > Batch edit selected photos…: asks what to do (``BatchEditDialog``) and writes it as one undoable step."""

    dialog_opened = Signal(object)  # BatchEditDialog: concept completion is attached to it (vocabulary)

    def __init__(
        self,
        runner: TaskRunner,
        holder: CatalogueHolder,
        background: BackgroundJobs,
        browse: BrowseController,
        review: ReviewController,
        parent: QWidget,
    ) -> None:
        super().__init__(runner, holder, parent)
        self.background, self.browse, self.review = background, browse, review
        self.dialog_parent = parent
        self.dialog: BatchEditDialog | None = None

    def open_dialog(self) -> BatchEditDialog | None:
        """The dialog for the photos selected now (none selected: says so)."""
        if self.catalogue_or_say() is None:
            return None
        ids = self.browse.selected_ids()
        if not ids:
            self.error.emit(_t("Select one or more photos first."))
            return None
        dialog = BatchEditDialog(len(ids), self.browse.vocabulary, self.dialog_parent)
        dialog.accepted.connect(lambda: self.apply(ids, dialog))
        dialog.finished.connect(self._back_to_photos)
        self.dialog_opened.emit(dialog)
        dialog.open()
        self.dialog = dialog
        return dialog

    def _back_to_photos(self) -> None:
        """The keyboard goes back to the photos (Ctrl+Z, J, K at once; without a window manager, as under
        Xvfb, the window was not activated again and took no shortcut)."""
        self.dialog_parent.activateWindow()
        self.browse.browser.view.setFocus()

    def apply(self, ids: list[int], dialog: BatchEditDialog) -> None:
        """Write what ``dialog`` says on the photos ``ids`` as one undo step: a few photos on the serial write
        worker, more than ``IN_BACKGROUND`` as a job of the jobs panel (progress, Cancel rolls it all back),
        on that worker too: a batch holds the catalogue's write lock until it commits (SQLite), so the
        decisions taken meanwhile queue behind it instead of waiting for the lock and failing."""
        op, value, field_name, separator = (
            dialog.operation_value(),
            dialog.value(),
            dialog.field_name() if dialog.operation_value().on_field else "",
            dialog.separator_text(),
        )
        cat = self.catalogue_or_say()
        if cat is None:
            return
        seen = self.review.batch_started(ids, "" if op.on_field else value)
        who = self.review.reviewer

        def work(
            *, progress: ProgressCallback = null_progress, cancel: CancelToken | None = None
        ) -> BatchResult:
            return batch_edit.apply(
                cat, ids, op, value, who, field_name=field_name, separator=separator, seen=seen,
                progress=progress, cancel=cancel,
            )  # fmt: skip

        def done(result: BatchResult) -> None:
            self.review.batch_written(result, describe(result, value, field_name))
            if not op.on_field and value not in self.browse.vocabulary:
                self.browse.refresh_lists()

        if len(ids) <= IN_BACKGROUND:
            self.status.emit(_t("Batch edit of {n} photos…").format(n=len(ids)))
            self.runner.run(lambda: work(), done, self.review.batch_failed, pool="write")
            return
        title = _t("Batch edit of {n} photos").format(n=len(ids))
        spec: JobSpec[BatchResult] = JobSpec(
            title, work, done, self.review.batch_failed,
            kept_on_cancel=_t("Nothing was changed."),
            done_text=lambda result: describe(result, value, field_name),
            pool="write",  # one write at a time: decisions taken meanwhile wait for it, never for a lock
        )  # fmt: skip
        if self.background.submit(spec) is None:
            self.review.batch_failed(_t("Open a catalogue first."))
