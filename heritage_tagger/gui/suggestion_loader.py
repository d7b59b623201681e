"""Fills the suggestion panel for the selected record: cached per record and model version, computed in
the heavy worker, the next photo prefetched, stale requests skipped."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPixmap

from heritage_tagger.domain.errors import ModelNotTrainedError
from heritage_tagger.domain.location import is_server_url
from heritage_tagger.gui.browse_controller import BrowseController
from heritage_tagger.gui.browser_model import RecordTableModel
from heritage_tagger.gui.controller import CatalogueHolder
from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP
from heritage_tagger.gui.images import ThumbnailCache
from heritage_tagger.gui.suggestion_panel import SuggestionPanel
from heritage_tagger.gui.suggestions import PanelCache, PanelData, compute_panel, compute_vocabulary_panel
from heritage_tagger.gui.workers import TaskRunner, describe_error
from heritage_tagger.services import browse
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.predictor_process import SuggestionProcess

if TYPE_CHECKING:
    from heritage_tagger.services.suggesting import Prediction

NO_MODEL = QT_TRANSLATE_NOOP(
    "SuggestionLoader",
    "No trained model yet for this catalogue. Train one on the tags it already carries "
    "to see suggestions here.",
)


class SuggestionLoader(QObject):
    """Shows the selected record's suggestions in ``panel``; ``shown`` once the panel says something."""

    shown = Signal(int)  # record id (panel filled, or says why not)

    def __init__(
        self,
        runner: TaskRunner,
        holder: CatalogueHolder,
        selection: BrowseController,
        panel: SuggestionPanel,
        table: RecordTableModel,
        thumbnails: ThumbnailCache,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.holder, self.selection, self.panel = runner, holder, selection, panel
        self.table, self.thumbnails = table, thumbnails
        self.cache = PanelCache()
        self._prefetching = False
        self._suggest_for: int | None = None
        self.process: SuggestionProcess | None = None  # the model runs there, never in this process
        selection.record_changed.connect(self.load)
        holder.model_refreshed.connect(self._model_refreshed)
        thumbnails.ready.connect(self._thumbnail_ready)

    def reset(self, text: str) -> None:
        """Forget every panel (another catalogue) and show ``text`` instead; the suggestion process
        of the catalogue now open starts loading its model at once."""
        self.cache.clear()
        self.panel.show_message(text)
        cat, current = self.holder.catalogue, self.process
        if cat is None:
            self._switch(None)
        elif current is None or not current.serves(cat):
            self._switch(SuggestionProcess.of(cat))

    def prepare(self, path: Path | str) -> None:
        """Start the suggestion process of a catalogue about to open, so that its model loads while the
        window opens the catalogue and shows the first page (``reset`` then keeps it). A team catalogue's
        process starts once it is open (``reset``), when its media root is known."""
        if is_server_url(str(path)):
            return
        target = Path(path).expanduser()
        if not target.is_file():
            return
        if self.process is None or self.process.location != target.resolve():
            self._switch(SuggestionProcess(target.resolve()))

    def _switch(self, new: SuggestionProcess | None) -> None:
        old, self.process = self.process, new

        def switch() -> None:  # on the heavy worker, before any suggestion is asked of the new one
            if old is not None:
                old.close()
            if new is not None:
                new.start()

        self.runner.run(switch, pool="heavy")

    def close(self) -> None:
        """Stop the suggestion process (the window is closing)."""
        if self.process is not None:
            self.process.close()
            self.process = None

    def _suggest(self) -> Callable[[int], Prediction] | None:
        """The process's suggestions at the open catalogue's target precision as it is when asked
        (Preferences change it without a new process)."""
        process, cat = self.process, self.holder.catalogue
        if process is None or cat is None:
            return None

        def suggest(record_id: int) -> Prediction:
            return process.suggest_for_record(  # type: ignore[no-any-return]
                record_id, target_precision=cat.settings.model.target_precision
            )

        return suggest

    def clear_cache(self) -> None:
        """Stored tags or the model changed: panels are computed again when next shown."""
        self.cache.clear()

    def _model_refreshed(self, changed: bool) -> None:
        if changed:
            self.cache.clear()
        if self.selection.current_id is not None:
            self.load(self.selection.current_id)

    def load(self, record_id: int) -> None:
        cat, info = self.holder.catalogue, self.holder.model_info
        if cat is None:
            return
        if info is None:
            self._load_vocabulary(cat, record_id)
            return
        cached = self.cache.get(record_id, info.version)
        if cached is not None:
            self._show(cached)
            return
        self.panel.show_message(
            self.tr("Computing suggestions with model {version}…").format(version=info.version)
        )

        def done(data: PanelData | None) -> None:
            if data is None:
                return
            self.cache.put(data)
            if data.record_id == self.selection.current_id:
                self._show(data)

        def failed(exc: BaseException) -> None:
            if record_id != self.selection.current_id:
                return
            self.panel.show_message(describe_error(exc), offer_training=isinstance(exc, ModelNotTrainedError))
            self.shown.emit(record_id)

        self._suggest_for = record_id
        suggest = self._suggest()

        def work() -> PanelData | None:
            if self._suggest_for != record_id:  # the librarian has moved on (J pressed again): skip it
                return None
            return compute_panel(cat, record_id, suggest)

        self.runner.run(work, done, failed, pool="heavy")

    def _load_vocabulary(self, cat: Catalogue, record_id: int) -> None:
        """No model yet: the vocabulary's concepts the photo's own text names, else the offer to train."""
        cached = self.cache.get(record_id, "")
        if cached is not None:
            self._show(cached)
            return

        def done(data: PanelData | None) -> None:
            if record_id != self.selection.current_id or self.holder.model_info is not None:
                return
            if data is None:
                self.panel.show_message(self.tr(NO_MODEL), offer_training=True)
                self.shown.emit(record_id)
                return
            self.cache.put(data)
            self._show(data)

        def failed(exc: BaseException) -> None:
            if record_id == self.selection.current_id:
                self.panel.show_message(describe_error(exc), offer_training=True)
                self.shown.emit(record_id)

        self.runner.run(lambda: compute_vocabulary_panel(cat, record_id), done, failed)

    def _show(self, data: PanelData) -> None:
        details = self.selection.details
        states = details.tags_by_label if details and details.record.id == data.record_id else {}
        thumbs = {}
        cat = self.holder.catalogue
        if cat is not None:
            for n in data.neighbours:
                pixmap = self.thumbnails.get(n.sha256, browse.image_paths(cat, n.sha256, n.source_path))
                if pixmap is not None:
                    thumbs[n.record_id] = pixmap
        self.panel.show_data(data, states, thumbs)
        self.shown.emit(data.record_id)
        self._prefetch_next(data)

    def _prefetch_next(self, data: PanelData) -> None:
        """Compute the next photo's suggestions in the background, so that J then A never waits."""
        if data.source != "model":
            return  # caption look-ups take milliseconds
        row = self.table.row_for_record(data.record_id)
        following = self.table.record_at(row + 1) if row is not None else None
        cat = self.holder.catalogue
        if following is None or cat is None or self._prefetching:
            return
        if self.cache.get(following.id, data.model_version) is not None:
            return
        self._prefetching = True
        rid = following.id

        def done(result: PanelData) -> None:
            self._prefetching = False
            self.cache.put(result)

        def failed(_: BaseException) -> None:
            self._prefetching = False

        suggest = self._suggest()
        self.runner.run(lambda: compute_panel(cat, rid, suggest), done, failed, pool="heavy")

    def _thumbnail_ready(self, key: str) -> None:
        data = self.panel.data
        if data is None:
            return
        for n in data.neighbours:
            if n.sha256 == key and self.holder.catalogue is not None:
                pixmap = self.thumbnails.get(key, [])
                if isinstance(pixmap, QPixmap):
                    self.panel.set_thumbnail(n.record_id, pixmap)
