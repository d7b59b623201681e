"""The main window's suggestion loading: cached per record and model version, computed in the heavy worker,
the next photo prefetched, stale requests skipped."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QPixmap

from heritage_tagger.domain.errors import ModelNotTrainedError
from heritage_tagger.gui.suggestions import PanelCache, PanelData, compute_panel
from heritage_tagger.gui.workers import describe_error
from heritage_tagger.services import browse

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from heritage_tagger.gui.browser_model import RecordTableModel
    from heritage_tagger.gui.images import ThumbnailCache
    from heritage_tagger.gui.preferences import Preferences
    from heritage_tagger.gui.suggestion_panel import SuggestionPanel
    from heritage_tagger.gui.workers import TaskRunner
    from heritage_tagger.services.browse import ModelInfo, RecordDetails
    from heritage_tagger.services.catalogue import Catalogue


class SuggestionLoaderMixin:
    """Mixed into MainWindow; fills its suggestion panel for the current record."""

    catalogue: Catalogue | None
    model_info: ModelInfo | None
    current_id: int | None
    details: RecordDetails | None
    panel: SuggestionPanel
    panel_cache: PanelCache
    model: RecordTableModel
    thumbnails: ThumbnailCache
    runner: TaskRunner
    prefs: Preferences
    suggestions_shown: SignalInstance
    _prefetching: bool
    _suggest_for: int | None
    show_error: Callable[[str], None]

    def load_suggestions(self, record_id: int) -> None:
        cat, info = self.catalogue, self.model_info
        if cat is None:
            return
        if info is None:
            self.panel.show_message(
                "No trained model yet for this catalogue. Train one on the tags it already carries "
                "to see suggestions here.",
                offer_training=True,
            )
            self.suggestions_shown.emit(record_id)
            return
        cached = self.panel_cache.get(record_id, info.version)
        if cached is not None:
            self._show_panel(cached)
            return
        self.panel.show_message(f"Computing suggestions with model {info.version}…")
        count = self.prefs.suggestions

        def done(data: PanelData | None) -> None:
            if data is None:
                return
            self.panel_cache.put(data)
            if data.record_id == self.current_id:
                self._show_panel(data)

        def failed(exc: BaseException) -> None:
            if record_id != self.current_id:
                return
            self.panel.show_message(describe_error(exc), offer_training=isinstance(exc, ModelNotTrainedError))
            self.suggestions_shown.emit(record_id)

        self._suggest_for = record_id

        def work() -> PanelData | None:
            if self._suggest_for != record_id:  # the librarian has moved on (J pressed again): skip it
                return None
            return compute_panel(cat, record_id, count)

        self.runner.run(work, done, failed, pool="heavy")

    def _show_panel(self, data: PanelData) -> None:
        states = (
            self.details.tags_by_label if self.details and self.details.record.id == data.record_id else {}
        )
        thumbs = {}
        if self.catalogue is not None:
            for n in data.neighbours:
                pixmap = self.thumbnails.get(
                    n.sha256, browse.image_paths(self.catalogue, n.sha256, n.source_path)
                )
                if pixmap is not None:
                    thumbs[n.record_id] = pixmap
        self.panel.show_data(data, states, thumbs)
        self.suggestions_shown.emit(data.record_id)
        self._prefetch_next(data)

    def _prefetch_next(self, data: PanelData) -> None:
        """Compute the next photo's suggestions in the background, so that J then A never waits."""
        row = self.model.row_for_record(data.record_id)
        following = self.model.record_at(row + 1) if row is not None else None
        cat = self.catalogue
        if following is None or cat is None or self._prefetching:
            return
        if self.panel_cache.get(following.id, data.model_version) is not None:
            return
        self._prefetching = True
        count, rid = self.prefs.suggestions, following.id

        def done(result: PanelData) -> None:
            self._prefetching = False
            self.panel_cache.put(result)

        def failed(_: BaseException) -> None:
            self._prefetching = False

        self.runner.run(lambda: compute_panel(cat, rid, count), done, failed, pool="heavy")

    def _thumbnail_ready(self, key: str) -> None:
        data = self.panel.data
        if data is None:
            return
        for n in data.neighbours:
            if n.sha256 == key and self.catalogue is not None:
                pixmap = self.thumbnails.get(key, [])
                if isinstance(pixmap, QPixmap):
                    self.panel.set_thumbnail(n.record_id, pixmap)
