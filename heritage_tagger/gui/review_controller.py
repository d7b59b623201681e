"""Reviewing: which suggestion or tag A, R, Enter, T and Delete act on, the decisions (services/review on
the serial write worker) and their undo/redo stacks.

Each decision names the version of the tag's state the reviewer saw (the shown details), so a
decision on a state a teammate changed since is refused (``stale``) instead of overwriting it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from heritage_tagger.domain.errors import StaleStateError
from heritage_tagger.domain.records import Decision, TagState
from heritage_tagger.gui.browse_controller import BrowseController
from heritage_tagger.gui.controller import CatalogueHolder, Controller
from heritage_tagger.gui.detail_pane import DetailPane
from heritage_tagger.gui.dialogs.add_tag_dialog import AddTagDialog
from heritage_tagger.gui.preferences import Preferences
from heritage_tagger.gui.suggestion_panel import SuggestionPanel
from heritage_tagger.gui.workers import TaskRunner, describe_error
from heritage_tagger.services import review
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.review import Offered

VERBS = {"accept": "Accepted", "reject": "Rejected", "add": "Added", "remove": "Removed"}


def _describe(decisions: Sequence[Decision], verb: str | None = None) -> str:
    if not decisions:
        return "Nothing to do: every proposed tag is already decided."
    labels = ", ".join(f"“{d.label}”" for d in decisions[:4]) + (" …" if len(decisions) > 4 else "")
    return f"{verb or VERBS.get(decisions[0].action.value, 'Done')} {labels}"


class ReviewController(Controller):
    """Writes decisions in order, one at a time, and says which records changed (``decided``)."""

    decided = Signal(list, str)  # record ids whose tags changed, a status message (errors: ``error``)
    history_changed = Signal(bool, bool)  # can undo, can redo
    add_tag_opened = Signal(object)  # AddTagDialog: concept completion is attached to it (vocabulary)
    stale = Signal(int, str)  # a decision refused because a teammate changed the tag: record id, message

    def __init__(
        self,
        runner: TaskRunner,
        holder: CatalogueHolder,
        selection: BrowseController,
        panel: SuggestionPanel,
        detail: DetailPane,
        prefs: Preferences,
        parent: QWidget,
    ) -> None:
        super().__init__(runner, holder, parent)
        self.selection, self.panel, self.detail, self.prefs = selection, panel, detail, prefs
        self.dialog_parent = parent
        self.add_tag_dialog: AddTagDialog | None = None
        self._undo: list[list[Decision]] = []
        self._redo: list[list[Decision]] = []
        self.in_flight = 0
        # tags decided here since their record's details were shown: their shown version is ours, not stale
        self._touched: set[tuple[int, str]] = set()
        selection.details_shown.connect(self._details_fresh)

    @property
    def reviewer(self) -> str:
        """Who the decisions are logged for (Preferences)."""
        return self.prefs.reviewer

    def reset(self) -> None:
        """Another catalogue: nothing to undo or redo."""
        self._undo.clear()
        self._redo.clear()
        self._emit_history()

    # --- which state a decision is taken on --------------------------------------------------
    def _details_fresh(self, record_id: int) -> None:
        self._touched = {t for t in self._touched if t[0] != record_id}

    def seen(self, record_id: int, label: str) -> int | None:
        """The version of the tag's state the reviewer sees (0: not on the record; None: not known)."""
        details = self.selection.details
        if details is None or details.record.id != record_id or (record_id, label) in self._touched:
            return None
        return next((t.version for t in details.record.tags if t.label == label), 0)

    def _deciding(self, record_id: int, labels: Sequence[str]) -> None:
        self._touched.update((record_id, label) for label in labels)

    # --- what the keys act on ------------------------------------------------------------
    def _offered(self, label: str, score: float | None, source: str) -> Offered | None:
        data = self.panel.data
        if data is None or data.record_id != self.selection.current_id:
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
        pending = [t.label for t in self.detail.tags.tags if t.state is TagState.SUGGESTED]
        return (pending[0], None) if pending else None

    def accept_focused(self) -> None:
        target, record_id = self._target(), self.selection.current_id
        if record_id is None or target is None:
            self.error.emit("No suggestion is focused.")
            return
        self.accept(record_id, *target)

    def reject_focused(self) -> None:
        target, record_id = self._target(), self.selection.current_id
        if record_id is None or target is None:
            self.error.emit("No suggestion is focused.")
            return
        self.reject(record_id, *target)

    def accept_proposed(self) -> None:
        """Enter: every proposed tag still open (the stored suggestions when no model is live)."""
        record_id, details = self.selection.current_id, self.selection.details
        if record_id is None:
            return
        offered = [self._offered(label, score, "model") for label, score in self.panel.proposed()]
        items = [o for o in offered if o is not None]
        if not items and details is not None:
            items = [
                Offered(t.label, t.score, t.model_version)
                for t in details.record.tags
                if t.state is TagState.SUGGESTED
            ]
        self.accept_all(record_id, items)

    def remove_focused(self) -> None:
        label = self.panel.focused_existing() or self.detail.tags.current_label()
        record_id = self.selection.current_id
        if record_id is None or label is None:
            self.error.emit("No tag is focused.")
            return
        self.remove(record_id, label)

    def add_tag(self) -> AddTagDialog | None:
        """T: ask for a tag (completing from the vocabulary) and add it to the selected photo."""
        record_id, details = self.selection.current_id, self.selection.details
        if record_id is None or details is None:
            self.error.emit("Select a photo first.")
            return None
        dialog = AddTagDialog(self.selection.vocabulary, details.record.identifier, self.dialog_parent)

        def accepted() -> None:
            label = dialog.label()
            if label:
                self.add(record_id, label)
                if label not in self.selection.vocabulary:
                    self.selection.refresh_lists()

        dialog.accepted.connect(accepted)
        self.add_tag_opened.emit(dialog)
        dialog.open()
        self.add_tag_dialog = dialog
        return dialog

    # --- decisions -----------------------------------------------------------------------
    def _emit_history(self) -> None:
        self.history_changed.emit(bool(self._undo), bool(self._redo))

    def _run(self, fn: Callable[[Catalogue], list[Decision]], on_ok: Callable[[list[Decision]], str],
             on_fail: Callable[[], None] | None = None) -> None:  # fmt: skip
        cat = self.holder.catalogue
        if cat is None:
            self.error.emit("No catalogue is open.")
            return
        self.in_flight += 1

        def done(decisions: list[Decision]) -> None:
            self.in_flight -= 1
            message = on_ok(decisions)
            self._emit_history()
            self.decided.emit(sorted({d.record_id for d in decisions}), message)

        def error(exc: BaseException) -> None:
            self.in_flight -= 1
            if on_fail is not None:
                on_fail()
            self._emit_history()
            if isinstance(exc, StaleStateError):
                self.stale.emit(exc.record_id, str(exc))
            else:
                self.error.emit(describe_error(exc))

        self.runner.run(lambda: fn(cat), done, error, pool="write")

    def _record(self, decisions: list[Decision], verb: str | None = None) -> str:
        if decisions:
            self._undo.append(decisions)
            self._redo.clear()
        return _describe(decisions, verb) + ("  (Ctrl+Z undoes)" if decisions else "")

    def accept(self, record_id: int, label: str, offered: Offered | None = None) -> None:
        who, seen = self.reviewer, self.seen(record_id, label)
        self._deciding(record_id, [label])
        self._run(lambda c: [review.accept(c, record_id, label, who, offered, seen=seen)], self._record)

    def reject(self, record_id: int, label: str, offered: Offered | None = None) -> None:
        who, seen = self.reviewer, self.seen(record_id, label)
        self._deciding(record_id, [label])
        self._run(lambda c: [review.reject(c, record_id, label, who, offered, seen=seen)], self._record)

    def accept_all(self, record_id: int, offered: list[Offered]) -> None:
        who = self.reviewer
        seen = {o.label: v for o in offered if (v := self.seen(record_id, o.label)) is not None}
        self._deciding(record_id, [o.label for o in offered])
        self._run(lambda c: review.accept_all(c, record_id, offered, who, seen=seen), self._record)

    def add(self, record_id: int, label: str) -> None:
        who, seen = self.reviewer, self.seen(record_id, label)
        self._deciding(record_id, [label])
        self._run(lambda c: [review.add(c, record_id, label, who, seen=seen)], self._record)

    def remove(self, record_id: int, label: str) -> None:
        who, seen = self.reviewer, self.seen(record_id, label)
        self._deciding(record_id, [label])
        self._run(lambda c: [review.remove(c, record_id, label, who, seen=seen)], self._record)

    # --- undo / redo ---------------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> None:
        if not self._undo:
            self.error.emit("Nothing to undo.")
            return
        group = self._undo.pop()
        ids, who = [d.id or 0 for d in reversed(group)], self.reviewer
        for d in group:
            self._deciding(d.record_id, [d.label])

        def ok(entries: list[Decision]) -> str:
            self._redo.append(entries)
            return _describe(group, "Undid") + " (logged as a compensating entry)"

        self._run(lambda c: review.undo_group(c, ids, who), ok, self._undo.clear)

    def redo(self) -> None:
        if not self._redo:
            self.error.emit("Nothing to redo.")
            return
        group = self._redo.pop()
        ids, who = [d.id or 0 for d in reversed(group)], self.reviewer
        for d in group:
            self._deciding(d.record_id, [d.label])

        def ok(entries: list[Decision]) -> str:
            self._undo.append(entries)
            return _describe(entries, "Redid")

        self._run(lambda c: review.redo_group(c, ids, who), ok, self._redo.clear)
