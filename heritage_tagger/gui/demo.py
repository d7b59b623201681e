"""The demo collection in the window (welcome's "Try the demo collection", Help > Open the demo collection).

``DemoController.open_demo()`` opens the demo catalogue (``services.demo``), fills it from the sample
shipped with the app as a background job (copying and importing 40 photos: a few seconds), then,
when it has no model yet, starts the Model menu's own training job on the demo's backbone and epochs
(``ModelJobsController.train``): progress in plain words and Cancel in the Jobs panel; when it
finishes, the model becomes active and the suggestion panel of the photo shown refreshes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.gui.background import BackgroundJobs, Job, JobSpec
from heritage_tagger.gui.controller import CatalogueHolder, Controller
from heritage_tagger.gui.model_jobs import ModelJobsController
from heritage_tagger.gui.workers import TaskRunner
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.demo import DEMO_BACKBONE, DEMO_EPOCHS, DemoStatus, demo_catalogue_path


class DemoController(Controller):
    """Opens the demo catalogue, imports the sample into it and trains its first model, all in the background."""

    records_added = Signal()  # the sample was imported: reload the browser
    ready = Signal(object)  # DemoStatus, once the sample is in the catalogue
    show_record = Signal(int)  # a photo shipped without tags: the one to show first

    def __init__(
        self,
        runner: TaskRunner,
        holder: CatalogueHolder,
        background: BackgroundJobs,
        model_jobs: ModelJobsController,
        open_path: Callable[[Path], None],
        parent: QWidget,
    ) -> None:
        super().__init__(runner, holder, parent)
        self.background, self.model_jobs, self.open_path = background, model_jobs, open_path
        self.path: Path | None = None  # the demo catalogue being opened (None: not asked for)
        self.job: Job | None = None  # the import of the sample
        self.training: Job | None = None  # the demo's first training

    def open_demo(self, path: Path | None = None) -> None:
        """Open the demo catalogue (created when missing); ``catalogue_opened`` carries on."""
        try:
            self.path = (path or demo_catalogue_path()).resolve()
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.path = None
            self.error.emit(self.tr("The demo collection cannot be created: {error}").format(error=exc))
            return
        self.status.emit(self.tr("Opening the demo collection…"))
        self.open_path(self.path)

    def catalogue_opened(self, catalogue: Catalogue) -> None:
        """The window opened a catalogue: when it is the demo asked for, import the sample into it."""
        if self.path is None or catalogue.path != self.path:
            return
        self.path = None
        title = self.tr("Preparing the demo collection")

        def work(progress: ProgressCallback, cancel: CancelToken) -> DemoStatus:
            from heritage_tagger.services.demo import import_demo

            return import_demo(catalogue, progress=progress, cancel=cancel)

        def failed(text: str) -> None:
            self.error.emit(self.tr("{title}: {text}").format(title=title, text=text))
            self.records_added.emit()

        spec: JobSpec[DemoStatus] = JobSpec(
            title,
            work,
            lambda status: self._imported(catalogue, status),
            failed,
            kept_on_cancel=self.tr("What was imported is kept; open the demo again to finish."),
            done_text=lambda s: self.tr("Finished: the demo collection has {n} photos.").format(n=s.records),
        )
        self.job = self.background.submit(spec)
        if self.job is None:
            self.error.emit(self.tr("{title}: another job is running; try again.").format(title=title))

    def _imported(self, catalogue: Catalogue, status: DemoStatus) -> None:
        if status.first_untagged is not None:  # before the listing: it keeps this photo selected
            self.show_record.emit(status.first_untagged)
        self.records_added.emit()
        self.ready.emit(status)
        if status.has_model or self.holder.catalogue is not catalogue:
            self.status.emit(self.tr("The demo collection is open: select a photo to see its suggestions."))
            return
        self.status.emit(
            self.tr(
                "The demo collection is open. Its model is learning from the tagged photos (see Jobs): "
                "suggestions appear in the panel on the right when it finishes, usually within a minute."
            )
        )
        self.training = self.model_jobs.train(backbone=DEMO_BACKBONE, epochs=DEMO_EPOCHS)
