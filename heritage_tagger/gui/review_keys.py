"""The main window's review keys: which suggestion or tag A, R, Enter and Delete act on, and acting on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from heritage_tagger.domain.records import TagState
from heritage_tagger.services.review import Offered

if TYPE_CHECKING:
    from heritage_tagger.gui.detail_pane import DetailPane
    from heritage_tagger.gui.review_controller import ReviewController
    from heritage_tagger.gui.suggestion_panel import SuggestionPanel
    from heritage_tagger.services.browse import RecordDetails


class ReviewKeysMixin:
    """Mixed into MainWindow; reads its panel, detail pane and current record, writes via its controller."""

    panel: SuggestionPanel
    detail: DetailPane
    review: ReviewController
    current_id: int | None
    details: RecordDetails | None
    show_error: Callable[[str], None]

    def _review_key(self, slot: Callable[[], object]) -> None:
        """Single-key review actions never fire while a dialog of this window is open."""
        if QApplication.activeModalWidget() is None:
            slot()

    def _offered(self, label: str, score: float | None, source: str) -> Offered | None:
        data = self.panel.data
        if data is None or data.record_id != self.current_id:
            return None
        return Offered(label=label, score=score, model_version=data.model_version, source=source)

    def _target(self) -> tuple[str, Offered | None] | None:
        """The suggestion A/R act on: the tag list's when it has focus, else the panel's focused one."""
        tag = self.detail.tags.current_tag()
        if self.detail.tags.hasFocus() and tag is not None:
            return tag[0], None
        focused = self.panel.focused_suggestion()
        if focused is not None:
            return focused[0], self._offered(*focused)
        if tag is not None and tag[1] is TagState.SUGGESTED:
            return tag[0], None
        pending = [t.label for t in getattr(self.detail.tags, "tags", []) if t.state is TagState.SUGGESTED]
        return (pending[0], None) if pending else None

    def accept_focused(self) -> None:
        target = self._target()
        if self.current_id is None or target is None:
            self.show_error("No suggestion is focused.")
            return
        self.review.accept(self.current_id, *target)

    def reject_focused(self) -> None:
        target = self._target()
        if self.current_id is None or target is None:
            self.show_error("No suggestion is focused.")
            return
        self.review.reject(self.current_id, *target)

    def accept_all(self) -> None:
        if self.current_id is None:
            return
        offered = [self._offered(label, score, "model") for label, score in self.panel.proposed()]
        items = [o for o in offered if o is not None]
        if not items and self.details is not None:  # no live model: the stored suggestions are the proposals
            items = [
                Offered(t.label, t.score, t.model_version)
                for t in self.details.record.tags
                if t.state is TagState.SUGGESTED
            ]
        self.review.accept_all(self.current_id, items)

    def remove_focused(self) -> None:
        label = self.panel.focused_existing() or self.detail.tags.current_label()
        if self.current_id is None or label is None:
            self.show_error("No tag is focused.")
            return
        self.review.remove(self.current_id, label)
