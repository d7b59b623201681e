"""The Model menu: train, retrain (candidate compared fairly with the active model), versions, activation and
the review queue's suggestions, all as background jobs; and the start-up offer of periodic retraining.

Training and retraining run in a worker process (``services.model_jobs`` through
``gui.background.ProcessJob``): the window stays usable and browse and review keep working on
the active model meanwhile. After a training and after each activation the active model's
proposals are stored for every photo not reviewed yet (``fill_queue``), so the review queue
(Review > Review queue) covers the whole catalogue.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QWidget

from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.gui.background import BackgroundJobs, Job, JobSpec, ProcessJob
from heritage_tagger.gui.controller import CatalogueHolder, Controller
from heritage_tagger.gui.dialogs.retrain_dialog import RetrainDialog
from heritage_tagger.gui.dialogs.versions_dialog import VersionsDialog
from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP
from heritage_tagger.gui.preferences import Preferences
from heritage_tagger.gui.workers import TaskRunner, describe_error
from heritage_tagger.services import model_jobs
from heritage_tagger.services.model_versions import ModelVersionInfo

if TYPE_CHECKING:
    from heritage_tagger.services.annotating import AnnotateReport
    from heritage_tagger.services.model_jobs import Retrained
    from heritage_tagger.services.retraining import DueStatus
    from heritage_tagger.services.training import TrainingOutcome

TRAINING_KIND = "train"  # one training or retraining at a time (the catalogue's training lock agrees)
QUEUE_KIND = "suggest-queue"
UNCHANGED = QT_TRANSLATE_NOOP("ModelJobsController", "The active model is unchanged.")


class ModelJobsController(Controller):
    """Trains and switches model versions; the dialogs it opens stay reachable as attributes."""

    model_changed = Signal()  # another model is active: computed panels are out of date
    suggestions_rewritten = Signal()  # stored suggestions were refreshed (browser rows changed)
    retrain_offered = Signal(str)  # periodic retraining is due: offer it (the text says why)

    def __init__(
        self,
        runner: TaskRunner,
        holder: CatalogueHolder,
        background: BackgroundJobs,
        prefs: Preferences,
        parent: QWidget,
    ) -> None:
        super().__init__(runner, holder, parent)
        self.background = background
        self.prefs = prefs
        self.dialog_parent = parent
        self.job: Job | None = None  # the last training, retraining or activation started here
        self.queue_job: Job | None = None
        self.retrain_dialog: RetrainDialog | None = None
        self.versions_dialog: VersionsDialog | None = None
        self._queue_again = False

    def _model_switched(self) -> None:
        self.model_changed.emit()
        self.holder.refresh_model()

    def _refused(self, title: str) -> None:
        self.error.emit(
            self.tr("{title}: a training or retraining is already running (see the Jobs panel).").format(
                title=title
            )
        )

    # --- Model > Train -------------------------------------------------------------------
    def train(self, *, backbone: str | None = None, epochs: int | None = None) -> Job | None:
        """Train a first (or new) model with the Preferences' backbone (or ``backbone`` and ``epochs``: the
        demo's) and device, in a worker process; it becomes active, then the review queue is filled."""
        if self.catalogue_or_say() is None:
            return None
        title = self.tr("Training the model")

        def done(outcome: TrainingOutcome) -> None:
            self.status.emit(
                self.tr("Training finished: {version} is the active model.").format(version=outcome.version)
            )
            self._model_switched()
            self.fill_queue()

        spec: JobSpec[TrainingOutcome] = JobSpec(
            title,
            ProcessJob(
                model_jobs.TRAIN,
                {"backbone": backbone or self.prefs.backbone, "device": self.prefs.device, "epochs": epochs},
            ),
            done,
            lambda text: self.error.emit(self.tr("{title}: {text}").format(title=title, text=text)),
            kind=TRAINING_KIND,
            kept_on_cancel=self.tr(UNCHANGED),
            done_text=lambda o: self.tr(
                "Finished: {version} learned from {n_training_rows} photos and is active."
            ).format(version=o.version, n_training_rows=o.n_training_rows),
        )
        self.job = self.background.submit(spec)
        if self.job is None:
            self._refused(title)
        return self.job

    # --- the review queue ------------------------------------------------------------------
    def fill_queue(self) -> Job | None:
        """Store the active model's proposals for every photo not reviewed yet (a job in a worker process).

        A run for an older model is cancelled and this one starts when it has stopped.
        """
        running = self.background.running(QUEUE_KIND)
        if running:
            self._queue_again = True
            for job in running:
                job.cancel()
            return None
        title = self.tr("Filling the review queue")

        def done(report: AnnotateReport) -> None:
            self.suggestions_rewritten.emit()
            self.status.emit(
                self.tr(
                    "The review queue is ready: suggestions stored for {n} "
                    "photos not reviewed yet (Review > Review queue, needs attention first)."
                ).format(n=report.annotated + report.done_before)
            )

        def ended(_: bool) -> None:
            if self._queue_again:
                self._queue_again = False
                self.fill_queue()

        spec: JobSpec[AnnotateReport] = JobSpec(
            title,
            ProcessJob(model_jobs.SUGGEST),
            done,
            lambda text: (
                None
                if text == QCoreApplication.translate("BackgroundJobs", "Cancelled.")
                else self.error.emit(self.tr("{title}: {text}").format(title=title, text=text))
            ),
            kind=QUEUE_KIND,
            kept_on_cancel=self.tr("The suggestions stored so far are kept; the next run carries on."),
            done_text=lambda r: self.tr("Finished: suggestions stored for {n} photos.").format(
                n=r.annotated + r.done_before
            ),
        )
        self.queue_job = self.background.submit(spec)
        if self.queue_job is not None:
            self.queue_job.finished.connect(ended)
        return self.queue_job

    # --- activation (from Retrain and from Versions) -----------------------------------------
    def activate_version(
        self, version: str, on_done: Callable[[str], None], on_error: Callable[[str], None]
    ) -> Job | None:
        """Activate ``version`` (atomic, in a worker thread), then fill the review queue with its proposals."""
        cat = self.catalogue_or_say()
        if cat is None:
            return None

        def work(progress: ProgressCallback, cancel: CancelToken) -> ModelVersionInfo:
            from heritage_tagger.services.model_versions import activate
            from heritage_tagger.services.suggesting import clear_cache

            info = activate(cat, version)
            clear_cache()
            return info

        def done(info: ModelVersionInfo) -> None:
            text = self.tr(
                "{version} is now the active model; its suggestions are being stored (see Jobs)."
            ).format(version=info.version)
            self.status.emit(text)
            self._model_switched()
            self.fill_queue()
            on_done(text)

        def failed(text: str) -> None:
            self.error.emit(self.tr("Activating {version}: {text}").format(version=version, text=text))
            on_error(text)

        spec: JobSpec[ModelVersionInfo] = JobSpec(
            self.tr("Activating {version}").format(version=version),
            work,
            done,
            failed,
            done_text=lambda i: self.tr("Finished: {version} is active.").format(version=i.version),
        )
        self.job = self.background.submit(spec)
        return self.job

    # --- Model > Retrain -----------------------------------------------------------------
    def retrain(self, *, epochs: int | None = None) -> None:
        """Count the decisions since the active model in a worker, then open the retrain dialog."""
        cat = self.catalogue_or_say()
        if cat is None:
            return
        from heritage_tagger.services.retraining import decisions_since_active

        def done(result: tuple[int, ModelVersionInfo | None]) -> None:
            self.open_retrain_dialog(*result, epochs=epochs)

        self.runner.run(
            lambda: decisions_since_active(cat), done, lambda exc: self.error.emit(describe_error(exc))
        )

    def open_retrain_dialog(
        self, decisions_since: int, active: ModelVersionInfo | None, *, epochs: int | None = None
    ) -> RetrainDialog:
        """The retrain dialog, not modal: the window stays usable while the candidate trains."""
        if self.retrain_dialog is not None and self.retrain_dialog.isVisible() and self.retrain_dialog.busy:
            self.retrain_dialog.raise_()
            return self.retrain_dialog
        dialog = RetrainDialog(decisions_since, active, self.dialog_parent)
        scratch = tempfile.TemporaryDirectory(prefix="heritage-retrain-")
        dialog.destroyed.connect(lambda _=None: scratch.cleanup())
        dialog.start_requested.connect(lambda: self._start_retrain(dialog, Path(scratch.name), epochs))
        dialog.cancel_requested.connect(lambda: self.job.cancel() if self.job is not None else None)
        dialog.activate_requested.connect(
            lambda version: self.activate_version(version, dialog.decision_done, dialog.decision_failed)
        )
        dialog.discard_requested.connect(lambda version: self._discard(dialog, version))
        dialog.setModal(False)
        dialog.show()
        self.retrain_dialog = dialog
        return dialog

    def _start_retrain(self, dialog: RetrainDialog, scratch: Path, epochs: int | None) -> None:
        title = self.tr("Retraining")

        def done(result: Retrained) -> None:
            outcome, png = result
            dialog.show_outcome(outcome, png)
            dialog.show()
            dialog.raise_()
            dialog.fit_content()
            verdict = outcome.recommendation.verdict.lower()
            self.status.emit(
                self.tr("Candidate {version} trained and compared: {verdict} is advised.").format(
                    version=outcome.candidate.version, verdict=verdict
                )
            )

        def failed(text: str) -> None:
            dialog.training_failed(text)
            self.error.emit(self.tr("{title}: {text}").format(title=title, text=text))

        kwargs = {"epochs": epochs, "device": self.prefs.device, "plot_path": str(scratch / "comparison.png")}
        spec: JobSpec[Retrained] = JobSpec(
            title, ProcessJob(model_jobs.RETRAIN, kwargs), done, failed, kind=TRAINING_KIND,
            kept_on_cancel=self.tr(UNCHANGED),
            done_text=lambda r: self.tr("Finished: candidate {version} compared with the active model.").format(version=r[0].candidate.version),
        )  # fmt: skip
        self.job = self.background.submit(spec)
        if self.job is None:
            dialog.training_failed(
                self.tr("A training or retraining is already running (see the Jobs panel).")
            )

    def _discard(self, dialog: RetrainDialog, version: str) -> None:
        cat = self.holder.catalogue
        if cat is None:
            return
        from heritage_tagger.services.model_versions import remove

        def done(_: ModelVersionInfo) -> None:
            text = self.tr("Discarded the candidate {version}; the active model is unchanged.").format(
                version=version
            )
            self.status.emit(text)
            dialog.decision_done(text)

        self.runner.run(
            lambda: remove(cat, version), done, lambda exc: dialog.decision_failed(describe_error(exc)),
            pool="write",
        )  # fmt: skip

    # --- Model > Versions ----------------------------------------------------------------
    def versions(self) -> None:
        """List the versions in a worker, then open the versions dialog."""
        cat = self.catalogue_or_say()
        if cat is None:
            return
        from heritage_tagger.services.model_versions import list_versions

        self.runner.run(lambda: list_versions(cat), self.open_versions_dialog)

    def open_versions_dialog(self, versions: list[ModelVersionInfo]) -> VersionsDialog:
        dialog = VersionsDialog(versions, self.dialog_parent)
        dialog.activate_requested.connect(
            lambda version: self.activate_version(
                version, lambda text: self._versions_changed(dialog, text), dialog.show_failure
            )
        )
        dialog.remove_requested.connect(lambda version: self._remove(dialog, version))
        dialog.open()
        self.versions_dialog = dialog
        return dialog

    def _versions_changed(self, dialog: VersionsDialog, text: str) -> None:
        """Say ``text`` and list the versions again."""
        dialog.status.setText(text)
        cat = self.holder.catalogue
        if cat is None:
            return
        from heritage_tagger.services.model_versions import list_versions

        def shown(versions: list[ModelVersionInfo]) -> None:
            dialog.set_versions(versions)
            dialog.set_busy(False)

        self.runner.run(lambda: list_versions(cat), shown)

    def _remove(self, dialog: VersionsDialog, version: str) -> None:
        cat = self.holder.catalogue
        if cat is None:
            return
        from heritage_tagger.services.model_versions import remove

        self.runner.run(
            lambda: remove(cat, version), lambda info: self._versions_changed(dialog, self.tr("Removed {version}.").format(version=info.version)),
            lambda exc: dialog.show_failure(describe_error(exc)), pool="write",
        )  # fmt: skip

    # --- periodic retraining ---------------------------------------------------------------
    def check_retrain_due(self) -> None:
        """When the Preferences ask for periodic retraining and it is due, offer it (``retrain_offered``)."""
        cat = self.holder.catalogue
        after, days = self.prefs.retrain_after_decisions, self.prefs.retrain_every_days
        if cat is None or (after <= 0 and days <= 0):
            return
        from heritage_tagger.services.retraining import retrain_due

        def done(status: DueStatus) -> None:
            if status.due and self.holder.catalogue is cat:
                self.retrain_offered.emit(
                    self.tr("Retraining is due: {reason}.").format(reason=status.reason)
                )

        self.runner.run(
            lambda: retrain_due(cat, after if after > 0 else None, days if days > 0 else None), done
        )
