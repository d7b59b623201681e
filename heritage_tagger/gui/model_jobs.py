"""The Model menu: train, retrain (candidate compared with the active model), versions, activation with
re-suggestion, roll back and remove; and the start-up offer of periodic retraining."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.gui.controller import CatalogueHolder, Controller
from heritage_tagger.gui.dialogs.job_dialog import JobDialog
from heritage_tagger.gui.dialogs.retrain_dialog import RetrainDialog
from heritage_tagger.gui.dialogs.versions_dialog import VersionsDialog
from heritage_tagger.gui.preferences import Preferences
from heritage_tagger.gui.workers import TaskRunner, describe_error
from heritage_tagger.services.model_versions import ModelVersionInfo

if TYPE_CHECKING:
    from heritage_tagger.services.annotating import AnnotateReport
    from heritage_tagger.services.retraining import DueStatus, RetrainOutcome
    from heritage_tagger.services.training import TrainingOutcome

Activated = tuple[ModelVersionInfo, "AnnotateReport"]
Retrained = tuple["RetrainOutcome", str | None]  # the outcome and its comparison plot (PNG), if drawn


class ModelJobsController(Controller):
    """Trains and switches model versions; the dialogs it opens stay reachable as attributes."""

    model_changed = Signal()  # another model is active: computed panels are out of date
    suggestions_rewritten = Signal()  # stored suggestions were refreshed (browser rows changed)
    retrain_offered = Signal(str)  # periodic retraining is due: offer it (the text says why)

    def __init__(
        self, runner: TaskRunner, holder: CatalogueHolder, prefs: Preferences, parent: QWidget
    ) -> None:
        super().__init__(runner, holder, parent)
        self.prefs = prefs
        self.dialog_parent = parent
        self.job_dialog: JobDialog | None = None
        self.retrain_dialog: RetrainDialog | None = None
        self.versions_dialog: VersionsDialog | None = None

    def _model_switched(self) -> None:
        self.model_changed.emit()
        self.holder.refresh_model()

    # --- Model > Train -------------------------------------------------------------------
    def train(self) -> JobDialog | None:
        """Train a first (or new) model with the Preferences' backbone and device; it becomes active."""
        cat = self.catalogue_or_say()
        if cat is None:
            return None
        backbone, device = self.prefs.backbone, self.prefs.device

        def work(progress: ProgressCallback, cancel: CancelToken) -> TrainingOutcome:
            from heritage_tagger.services.training import train_catalogue

            return train_catalogue(cat, backbone=backbone, device=device, progress=progress, cancel=cancel)

        def done(_: TrainingOutcome) -> None:
            self.status.emit("Training finished: the new model is active.")
            self._model_switched()

        title = "Training the model"
        self.job_dialog = JobDialog(
            self.dialog_parent,
            self.runner,
            title,
            work,
            done,
            lambda text: self.error.emit(f"{title}: {text}"),
        )
        return self.job_dialog

    # --- activation (from Retrain and from Versions) -----------------------------------------
    def activate_version(
        self, version: str, on_done: Callable[[str], None], on_error: Callable[[str], None]
    ) -> JobDialog | None:
        """Activate ``version`` (atomic) and re-suggest pending suggestions of older models, in a worker."""
        cat = self.catalogue_or_say()
        if cat is None:
            return None

        def work(progress: ProgressCallback, cancel: CancelToken) -> Activated:
            from heritage_tagger.services.retraining import activate_candidate

            info: ModelVersionInfo
            report: AnnotateReport
            info, report = activate_candidate(cat, version, progress, cancel)
            return info, report

        def done(result: Activated) -> None:
            info, report = result
            text = (
                f"{info.version} is now the active model; {report.suggestions} suggestions refreshed for "
                f"{report.annotated + report.done_before} photos."
            )
            self.status.emit(text)
            self._model_switched()
            self.suggestions_rewritten.emit()
            on_done(text)

        def failed(text: str) -> None:
            self.error.emit(f"Activating {version}: {text}")
            on_error(text)

        self.job_dialog = JobDialog(
            self.dialog_parent, self.runner, f"Activating {version}", work, done, failed
        )
        return self.job_dialog

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
        dialog = RetrainDialog(decisions_since, active, self.dialog_parent)
        scratch = tempfile.TemporaryDirectory(prefix="heritage-retrain-")
        dialog.finished.connect(lambda _: scratch.cleanup())
        dialog.start_requested.connect(lambda: self._start_retrain(dialog, Path(scratch.name), epochs))
        dialog.activate_requested.connect(
            lambda version: self.activate_version(version, dialog.decision_done, dialog.decision_failed)
        )
        dialog.discard_requested.connect(lambda version: self._discard(dialog, version))
        dialog.open()
        self.retrain_dialog = dialog
        return dialog

    def _start_retrain(self, dialog: RetrainDialog, scratch: Path, epochs: int | None) -> None:
        cat = self.holder.catalogue
        if cat is None:
            dialog.training_failed("No catalogue is open.")
            return
        device = self.prefs.device

        def work(progress: ProgressCallback, cancel: CancelToken) -> Retrained:
            from heritage_tagger.services.retraining import retrain, save_plot

            outcome = retrain(cat, epochs=epochs, device=device, progress=progress, cancel=cancel)
            candidate: TrainingOutcome = outcome.candidate
            try:
                png = save_plot(outcome.comparison, candidate.version, scratch / "comparison.png")
            except Exception:  # noqa: BLE001 - the table says it all; the plot is a nicety
                return outcome, None
            return outcome, str(png)

        def done(result: Retrained) -> None:
            outcome, png = result
            candidate: TrainingOutcome = outcome.candidate
            dialog.show_outcome(outcome, png)
            self.status.emit(f"Candidate {candidate.version} trained: compare it with the active model.")

        def failed(text: str) -> None:
            dialog.training_failed(text)
            self.error.emit(f"Retraining: {text}")

        self.job_dialog = JobDialog(dialog, self.runner, "Retraining", work, done, failed)

    def _discard(self, dialog: RetrainDialog, version: str) -> None:
        cat = self.holder.catalogue
        if cat is None:
            return
        from heritage_tagger.services.model_versions import remove

        def done(_: ModelVersionInfo) -> None:
            text = f"Discarded the candidate {version}; the active model is unchanged."
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
            lambda: remove(cat, version), lambda info: self._versions_changed(dialog, f"Removed {info.version}."),
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
                self.retrain_offered.emit(f"Retraining is due: {status.reason}.")

        self.runner.run(
            lambda: retrain_due(cat, after if after > 0 else None, days if days > 0 else None), done
        )
