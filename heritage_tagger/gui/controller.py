"""What the main window's controllers share: the open catalogue with its active model, and their base class."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal

from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP
from heritage_tagger.gui.workers import TaskRunner
from heritage_tagger.services import browse
from heritage_tagger.services.browse import ModelInfo
from heritage_tagger.services.catalogue import Catalogue

NO_CATALOGUE = QT_TRANSLATE_NOOP("Controller", "Open a catalogue first (File > Open catalogue…).")


class CatalogueHolder(QObject):
    """The catalogue the window shows and its active model; the main window replaces it, controllers read it."""

    model_refreshed = Signal(bool)  # after refresh_model(): True when the active model changed

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.catalogue: Catalogue | None = None
        self.model_info: ModelInfo | None = None

    def replace(self, catalogue: Catalogue) -> Catalogue | None:
        """Hold ``catalogue``; returns the one held before (the caller closes it once nothing uses it)."""
        old, self.catalogue = self.catalogue, catalogue
        return old

    def refresh_model(self) -> None:
        """Ask (in a worker) which model is active now; ``model_refreshed`` says when it is known."""
        cat = self.catalogue
        if cat is not None:
            self.runner.run(lambda: browse.active_model(cat), self._model_info)

    def _model_info(self, info: ModelInfo | None) -> None:
        changed = info != self.model_info
        self.model_info = info
        self.model_refreshed.emit(changed)

    def close(self) -> None:
        if self.catalogue is not None:
            self.catalogue.close()


class Controller(QObject):
    """A part of the main window's behaviour: gets what it uses in its constructor, talks back by signals."""

    status = Signal(str)  # a status message for the window
    error = Signal(str)  # an error message for the window

    def __init__(self, runner: TaskRunner, holder: CatalogueHolder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.holder = holder

    def catalogue_or_say(self) -> Catalogue | None:
        """The open catalogue; when there is none, says so (``error``) and returns None."""
        if self.holder.catalogue is None:
            self.error.emit(QCoreApplication.translate("Controller", NO_CATALOGUE))
        return self.holder.catalogue
