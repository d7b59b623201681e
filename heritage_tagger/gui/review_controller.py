"""Review decisions from the GUI: services/review calls on the serial write worker, undo/redo stacks here."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from heritage_tagger.domain.records import Decision
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


class ReviewController(QObject):
    """Writes decisions in order, one at a time, and tells the window which records changed."""

    decided = Signal(list, str)  # record ids whose tags changed, a status message
    failed = Signal(str)
    history_changed = Signal(bool, bool)  # can undo, can redo

    def __init__(self, runner: TaskRunner, reviewer: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.reviewer = reviewer
        self.catalogue: Catalogue | None = None
        self._undo: list[list[Decision]] = []
        self._redo: list[list[Decision]] = []
        self.in_flight = 0

    def set_catalogue(self, catalogue: Catalogue | None) -> None:
        self.catalogue = catalogue
        self._undo.clear()
        self._redo.clear()
        self._emit_history()

    def _emit_history(self) -> None:
        self.history_changed.emit(bool(self._undo), bool(self._redo))

    def _run(self, fn: Callable[[Catalogue], list[Decision]], on_ok: Callable[[list[Decision]], str],
             on_fail: Callable[[], None] | None = None) -> None:  # fmt: skip
        if self.catalogue is None:
            self.failed.emit("No catalogue is open.")
            return
        cat = self.catalogue
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
            self.failed.emit(describe_error(exc))

        self.runner.run(lambda: fn(cat), done, error, pool="write")

    def _record(self, decisions: list[Decision], verb: str | None = None) -> str:
        if decisions:
            self._undo.append(decisions)
            self._redo.clear()
        return _describe(decisions, verb) + ("  (Ctrl+Z undoes)" if decisions else "")

    # --- decisions -----------------------------------------------------------------------
    def accept(self, record_id: int, label: str, offered: Offered | None = None) -> None:
        who = self.reviewer
        self._run(lambda c: [review.accept(c, record_id, label, who, offered)], self._record)

    def reject(self, record_id: int, label: str, offered: Offered | None = None) -> None:
        who = self.reviewer
        self._run(lambda c: [review.reject(c, record_id, label, who, offered)], self._record)

    def accept_all(self, record_id: int, offered: list[Offered]) -> None:
        who = self.reviewer
        self._run(lambda c: review.accept_all(c, record_id, offered, who), self._record)

    def add(self, record_id: int, label: str) -> None:
        who = self.reviewer
        self._run(lambda c: [review.add(c, record_id, label, who)], self._record)

    def remove(self, record_id: int, label: str) -> None:
        who = self.reviewer
        self._run(lambda c: [review.remove(c, record_id, label, who)], self._record)

    # --- undo / redo ---------------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> None:
        if not self._undo:
            self.failed.emit("Nothing to undo.")
            return
        group = self._undo.pop()
        ids, who = [d.id or 0 for d in reversed(group)], self.reviewer

        def ok(entries: list[Decision]) -> str:
            self._redo.append(entries)
            return _describe(group, "Undid") + " (logged as a compensating entry)"

        self._run(lambda c: review.undo_group(c, ids, who), ok, self._undo.clear)

    def redo(self) -> None:
        if not self._redo:
            self.failed.emit("Nothing to redo.")
            return
        group = self._redo.pop()
        ids, who = [d.id or 0 for d in reversed(group)], self.reviewer

        def ok(entries: list[Decision]) -> str:
            self._undo.append(entries)
            return _describe(entries, "Redid")

        self._run(lambda c: review.redo_group(c, ids, who), ok, self._redo.clear)
