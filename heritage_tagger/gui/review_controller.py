"""Reviewing: the review cursor (the one tag A, R and Delete act on), the decisions (services/review on the serial
write worker) and their undo/redo stacks, which put the cursor back on the tag they changed.

Each decision names the version of the tag's state the reviewer saw (the shown details), so a
decision on a state a teammate changed since is refused (``stale``) instead of overwriting it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QWidget

from heritage_tagger.domain.errors import StaleStateError
from heritage_tagger.domain.records import Decision, DecisionAction, TagState
from heritage_tagger.gui.browse_controller import BrowseController
from heritage_tagger.gui.controller import CatalogueHolder, Controller
from heritage_tagger.gui.detail_pane import DetailPane
from heritage_tagger.gui.dialogs.add_tag_dialog import AddTagDialog
from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP
from heritage_tagger.gui.preferences import Preferences
from heritage_tagger.gui.review_cursor import CARRIED, MODEL, NEIGHBOURS, Entry, ReviewCursor, Spot
from heritage_tagger.gui.review_lists import CARRIED_STATES, lists_from_details, lists_from_panel
from heritage_tagger.gui.suggestion_loader import SuggestionLoader
from heritage_tagger.gui.suggestion_panel import SuggestionPanel
from heritage_tagger.gui.workers import TaskRunner, describe_error
from heritage_tagger.services import batch_edit, review
from heritage_tagger.services.batch_edit import BatchResult, FieldChange
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.review import Offered

VERBS = {"accept": QT_TRANSLATE_NOOP("ReviewController", "Accepted"), "reject": QT_TRANSLATE_NOOP("ReviewController", "Rejected"),
         "add": QT_TRANSLATE_NOOP("ReviewController", "Added"), "remove": QT_TRANSLATE_NOOP("ReviewController", "Removed"),
         "review": QT_TRANSLATE_NOOP("ReviewController", "Marked")}  # fmt: skip


def _describe(decisions: Sequence[Decision], verb: str | None = None) -> str:
    if not decisions:
        return QCoreApplication.translate(
            "ReviewController", "Nothing to do: every proposed tag is already decided."
        )
    if decisions[0].action is DecisionAction.REVIEW:
        if not verb:
            return QCoreApplication.translate("ReviewController", "Marked the photo reviewed")
        return QCoreApplication.translate("ReviewController", "{verb} the photo reviewed").format(
            verb=QCoreApplication.translate("ReviewController", verb)
        )
    labels = ", ".join(f"“{d.label}”" for d in decisions[:4]) + (" …" if len(decisions) > 4 else "")
    verb = verb or VERBS.get(decisions[0].action.value, QT_TRANSLATE_NOOP("ReviewController", "Done"))
    return QCoreApplication.translate("ReviewController", "{verb} {labels}").format(
        verb=QCoreApplication.translate("ReviewController", verb), labels=labels
    )


@dataclass
class Step:
    """One undoable step: its decisions and the list the cursor was in when it was taken."""

    decisions: list[Decision]
    list_name: str | None
    fields: list[FieldChange] = field(default_factory=list)  # a batch's field changes (in field_edits)
    summary: str = ""  # a batch edit: what it did, for the undo and redo messages


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
        loader: SuggestionLoader,
        panel: SuggestionPanel,
        detail: DetailPane,
        prefs: Preferences,
        parent: QWidget,
    ) -> None:
        super().__init__(runner, holder, parent)
        self.selection, self.loader, self.panel, self.detail, self.prefs = (
            selection,
            loader,
            panel,
            detail,
            prefs,
        )
        self.dialog_parent = parent
        self.add_tag_dialog: AddTagDialog | None = None
        self.cursor = ReviewCursor(self)
        panel.set_cursor_model(self.cursor)
        self._undo: list[Step] = []
        self._redo: list[Step] = []
        self._stored_for: int | None = None  # the photo whose panel has no live model
        self._deferred: tuple[Callable[[], None], int] | None = (
            None  # a key pressed before the cursor was ready
        )
        self.in_flight = 0
        # tags decided here since their record's details were shown: their shown version is ours, not stale
        self._touched: set[tuple[int, str]] = set()
        self._written_before = 0  # ``selection.details_requested`` when the last decision was written
        selection.details_shown.connect(self._details_fresh)
        selection.record_changed.connect(self._record_changed)
        selection.details_shown.connect(self._details_shown)
        loader.shown.connect(self._panel_shown)
        detail.tags.picked.connect(self.cursor.place_label)
        self.cursor.moved.connect(self._cursor_moved)

    @property
    def reviewer(self) -> str:
        """Who the decisions are logged for (Preferences)."""
        return self.prefs.reviewer

    def reset(self) -> None:
        """Another catalogue: nothing to undo or redo, no cursor."""
        self._undo.clear()
        self._redo.clear()
        self._deferred = None
        self.cursor.set_record(None)
        self._emit_history()

    # --- which state a decision is taken on --------------------------------------------------
    def _details_fresh(self, record_id: int) -> None:
        """Details read after every decision of ours was written show our versions: check against them again
        (details requested earlier, e.g. between a decision and its undo, would make our own undo "stale")."""
        if self.in_flight == 0 and self.selection.details_request_shown > self._written_before:
            self._touched = {t for t in self._touched if t[0] != record_id}

    def seen(self, record_id: int, label: str) -> int | None:
        """The version of the tag's state the reviewer sees (0: not on the record; None: not known)."""
        details = self.selection.details
        if details is None or details.record.id != record_id or (record_id, label) in self._touched:
            return None
        return next((t.version for t in details.record.tags if t.label == label), 0)

    def _deciding(self, record_id: int, labels: Sequence[str]) -> None:
        self._touched.update((record_id, label) for label in labels)

    # --- feeding the cursor ----------------------------------------------------------------
    def _record_changed(self, record_id: int) -> None:
        """Another photo (whichever of the selection's listeners runs first, the cursor follows it first)."""
        if record_id == self.cursor.record_id:
            return
        self._deferred = None if self._deferred is None or self._deferred[1] != record_id else self._deferred
        self._stored_for = None
        self.cursor.set_record(record_id)

    def _panel_shown(self, record_id: int) -> None:
        if record_id != self.selection.current_id:
            return
        self._record_changed(record_id)
        data = self.panel.data
        if data is not None and data.record_id == record_id:
            self._stored_for = None
            self.cursor.set_lists(lists_from_panel(data))
            return
        self._stored_for = record_id  # no live model: the stored suggestions, once the details are here
        self._show_stored()

    def _details_shown(self, record_id: int) -> None:
        details = self.selection.details
        if details is None or details.record.id != record_id or record_id != self.selection.current_id:
            return
        self._record_changed(record_id)
        self.cursor.set_states(record_id, details.tags_by_label)
        if self._stored_for == record_id:
            self._show_stored()

    def _show_stored(self) -> None:
        details = self.selection.details
        if details is None or details.record.id != self._stored_for:
            return
        lists = lists_from_details(details)
        self.panel.show_stored(lists, details.tags_by_label)
        self.cursor.set_lists(lists)

    def _cursor_moved(self, spot: Spot | None) -> None:
        self.detail.tags.select_label(spot.label if spot is not None else None)
        deferred = self._deferred
        if deferred is not None and self.cursor.ready and self.cursor.record_id == deferred[1]:
            self._deferred = None
            deferred[0]()

    def _when_ready(self, action: Callable[[], None]) -> bool:
        """True when the cursor is ready; else ``action`` runs as soon as it is (J then A before the photo's
        tags arrived acts on the new photo's first proposal, never on a tag of a list not yet updated)."""
        record_id = self.selection.current_id
        if record_id is None:
            self.error.emit(self.tr("Select a photo first."))
            return False
        if self.cursor.ready and self.cursor.record_id == record_id:
            return True
        self._deferred = (action, record_id)
        self.status.emit(
            self.tr("This photo's suggestions are still loading: the key acts as soon as they are shown.")
        )
        return False

    # --- what the keys act on ------------------------------------------------------------
    def _offered(self, spot: Spot, entry: Entry) -> Offered | None:
        lists = self.cursor.lists
        if lists is None or not lists.live or spot.list == CARRIED:
            return None
        source = "neighbours" if spot.list == NEIGHBOURS else lists.source
        return Offered(label=entry.label, score=entry.score, model_version=lists.model_version, source=source)

    def _decide_current(self, verb: str) -> None:
        if not self._when_ready(lambda: self._decide_current(verb)):
            return
        spot, entry = self.cursor.spot, self.cursor.entry()
        if spot is None or entry is None:
            self.error.emit(self.tr("No suggestion to review on this photo."))
            return
        offered = self._offered(spot, entry)
        who, record_id, label = self.reviewer, spot.record_id, spot.label
        seen = self.seen(record_id, label)
        self._deciding(record_id, [label])
        if self.cursor.is_open(label) and spot.list != CARRIED:  # at once, so that A A A never repeats itself
            new = TagState.ACCEPTED if verb == "accept" else TagState.REJECTED
            self.cursor.mark(label, new)
            self.cursor.advance()
        fn = review.accept if verb == "accept" else review.reject
        self._run(lambda c: [fn(c, record_id, label, who, offered, seen=seen)], spot.list)

    def accept_current(self) -> None:
        """A: accept the suggestion under the cursor."""
        self._decide_current("accept")

    def reject_current(self) -> None:
        """R: reject the suggestion under the cursor."""
        self._decide_current("reject")

    def _proposed(self) -> tuple[int, list[Offered]] | None:
        spot_record = self.cursor.record_id
        lists = self.cursor.lists
        if spot_record is None or lists is None:
            return None
        version = lists.model_version if lists.live else None
        return spot_record, [
            Offered(e.label, e.score, version, lists.source) for e in self.cursor.proposed_open()
        ]

    def accept_proposed(self) -> None:
        """Enter: every proposed tag of the cursor's photo still open."""
        self._decide_proposed(self.accept_proposed, TagState.ACCEPTED, review.accept_all, None)

    def reject_proposed(self) -> None:
        """Shift+R, "Reject all proposed": every proposed tag of the cursor's photo still open, as one step."""
        self._decide_proposed(
            self.reject_proposed,
            TagState.REJECTED,
            review.reject_all,
            QT_TRANSLATE_NOOP("ReviewController", "Rejected"),
        )

    def _decide_proposed(
        self,
        again: Callable[[], None],
        state: TagState,
        decide: Callable[..., list[Decision]],
        verb: str | None,
    ) -> None:
        """Accept or reject every open proposal of the cursor's photo as one step (``again`` when the
        photo's tags are not read yet)."""
        if not self._when_ready(again):
            return
        found = self._proposed()
        if found is None:
            return
        record_id, items = found
        for item in items:
            self.cursor.mark(item.label, state)
        who, seen = self.reviewer, self._seen_all(record_id, items)
        self._run(lambda c: decide(c, record_id, items, who, seen=seen), MODEL, verb)

    def _seen_all(self, record_id: int, items: Sequence[Offered]) -> dict[str, int]:
        """The versions seen of the tags a step decides together (those known), marked as being decided."""
        seen = {o.label: v for o in items if (v := self.seen(record_id, o.label)) is not None}
        self._deciding(record_id, [o.label for o in items])
        return seen

    def mark_reviewed(self) -> None:
        """M, "Mark photo reviewed": a person is done with this photo; it leaves the review queue."""
        record_id, who = self.selection.current_id, self.reviewer
        if record_id is None:
            self.error.emit(self.tr("Select a photo first."))
            return
        self._run(lambda c: [review.mark_reviewed(c, record_id, who)], None)

    def remove_current(self) -> None:
        """Delete: remove the tag under the cursor from the photo (it must be one the photo carries)."""
        if not self._when_ready(self.remove_current):
            return
        spot = self.cursor.spot
        if spot is None:
            self.error.emit(self.tr("No tag is current."))
            return
        if self.cursor.state(spot.label) not in CARRIED_STATES:
            self.error.emit(
                self.tr("“{label}” is not on the photo: Delete removes a tag it carries (R rejects).").format(
                    label=spot.label
                )
            )
            return
        record_id, label, who = spot.record_id, spot.label, self.reviewer
        seen = self.seen(record_id, label)
        self._deciding(record_id, [label])
        self._run(lambda c: [review.remove(c, record_id, label, who, seen=seen)], spot.list)

    def add_tag(self) -> AddTagDialog | None:
        """T: ask for a tag (completing from the vocabulary) and add it to the selected photo."""
        record_id, details = self.selection.current_id, self.selection.details
        if record_id is None or details is None:
            self.error.emit(self.tr("Select a photo first."))
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

    def _run(
        self,
        fn: Callable[[Catalogue], list[Decision]],
        list_name: str | None,
        verb: str | None = None,
        *,
        on_ok: Callable[[list[Decision]], str] | None = None,
        on_fail: Callable[[], None] | None = None,
    ) -> None:
        cat = self.holder.catalogue
        if cat is None:
            self.error.emit(self.tr("No catalogue is open."))
            return
        self.in_flight += 1

        def done(decisions: list[Decision]) -> None:
            self.in_flight -= 1
            self._written_before = self.selection.details_requested
            message = on_ok(decisions) if on_ok is not None else self._record(decisions, list_name, verb)
            self.cursor.apply(decisions)
            self._emit_history()
            self.decided.emit(sorted({d.record_id for d in decisions}), message)

        def error(exc: BaseException) -> None:
            self.in_flight -= 1
            self._written_before = self.selection.details_requested
            if on_fail is not None:
                on_fail()
            self._emit_history()
            self._resync()
            if isinstance(exc, StaleStateError):
                self.stale.emit(exc.record_id, str(exc))
            else:
                self.error.emit(describe_error(exc))

        self.runner.run(lambda: fn(cat), done, error, pool="write")

    def _resync(self) -> None:
        """A decision failed: the photo's states are read again (what the cursor assumed is dropped)."""
        if self.selection.current_id is not None:
            self.selection.load_details(self.selection.current_id, with_image=False)

    def _record(self, decisions: list[Decision], list_name: str | None, verb: str | None = None) -> str:
        if decisions:
            self._undo.append(Step(decisions, list_name))
            self._redo.clear()
        return _describe(decisions, verb) + (self.tr("  (Ctrl+Z undoes)") if decisions else "")

    def accept(self, record_id: int, label: str, offered: Offered | None = None) -> None:
        who, seen = self.reviewer, self.seen(record_id, label)
        self._deciding(record_id, [label])
        self._run(lambda c: [review.accept(c, record_id, label, who, offered, seen=seen)], MODEL)

    def reject(self, record_id: int, label: str, offered: Offered | None = None) -> None:
        who, seen = self.reviewer, self.seen(record_id, label)
        self._deciding(record_id, [label])
        self._run(lambda c: [review.reject(c, record_id, label, who, offered, seen=seen)], MODEL)

    def accept_all(self, record_id: int, offered: list[Offered]) -> None:
        who, seen = self.reviewer, self._seen_all(record_id, offered)
        self._run(lambda c: review.accept_all(c, record_id, offered, who, seen=seen), MODEL)

    def add(self, record_id: int, label: str) -> None:
        who, seen = self.reviewer, self.seen(record_id, label)
        self._deciding(record_id, [label])
        self._run(lambda c: [review.add(c, record_id, label, who, seen=seen)], CARRIED)

    def remove(self, record_id: int, label: str) -> None:
        who, seen = self.reviewer, self.seen(record_id, label)
        self._deciding(record_id, [label])
        self._run(lambda c: [review.remove(c, record_id, label, who, seen=seen)], CARRIED)

    # --- undo / redo ---------------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def _restore_cursor(self, decisions: Sequence[Decision], list_name: str | None) -> None:
        """Put the cursor back on the tag a step changed, on its photo (opened again when another is shown)."""
        first = next((d for d in decisions if d.label), None)
        if first is None:
            return
        self.cursor.want(Spot(first.record_id, list_name or MODEL, first.label))
        if first.record_id != self.selection.current_id:
            self.selection.open_record(first.record_id)

    def undo(self) -> None:
        self._replay(undoing=True)

    def redo(self) -> None:
        self._replay(undoing=False)

    def _replay(self, *, undoing: bool) -> None:
        """Undo the last step (logged as compensating entries) or redo the step just undone; the entries
        written go on the other stack, and the cursor goes back to the tag they changed."""
        stack, other = (self._undo, self._redo) if undoing else (self._redo, self._undo)
        if not stack:
            self.error.emit(self.tr("Nothing to undo.") if undoing else self.tr("Nothing to redo."))
            return
        step = stack.pop()
        group = step.decisions
        ids, who = [d.id or 0 for d in reversed(group)], self.reviewer
        for d in group:
            self._deciding(d.record_id, [d.label])

        def ok(entries: list[Decision]) -> str:
            other.append(Step(entries, step.list_name, step.fields, step.summary))
            if step.summary:
                done = self.tr("Undid: {what}") if undoing else self.tr("Redid: {what}")
                return self._batch_done(step.fields, done.format(what=step.summary))
            if undoing:
                self._restore_cursor(group, step.list_name)
                return _describe(group, QT_TRANSLATE_NOOP("ReviewController", "Undid")) + self.tr(
                    " (logged as a compensating entry)"
                )
            self._restore_cursor(entries, step.list_name)
            return _describe(entries, QT_TRANSLATE_NOOP("ReviewController", "Redid"))

        fields = step.fields
        fn: Callable[[Catalogue], list[Decision]]
        if step.summary:  # a batch edit: its field changes come back too
            fn = (
                (lambda c: batch_edit.undo(c, ids, fields, who))
                if undoing
                else (lambda c: batch_edit.redo(c, ids, fields, who))
            )
        else:
            fn = (
                (lambda c: review.undo_group(c, ids, who))
                if undoing
                else (lambda c: review.redo_group(c, ids, who))
            )
        self._run(fn, step.list_name, on_ok=ok, on_fail=stack.clear)

    # --- batch edit (gui/batch_edit.py) ----------------------------------------------------
    def batch_started(self, record_ids: Sequence[int], tag: str = "") -> dict[tuple[int, str], int]:
        """A batch edit is about to be written: the version of ``tag`` the reviewer sees on the photo shown
        (a teammate's change since refuses the batch), by (record id, label). ``batch_written`` or
        ``batch_failed`` must follow."""
        self.in_flight += 1
        current = self.selection.current_id
        seen: dict[tuple[int, str], int] = {}
        if tag and current is not None and current in record_ids:
            version = self.seen(current, tag)
            if version is not None:
                seen[(current, tag)] = version
            self._deciding(current, [tag])
        return seen

    def batch_written(self, result: BatchResult, summary: str) -> None:
        """A batch edit was written: ONE step on the undo stack (Ctrl+Z undoes all of it, Ctrl+Shift+Z redoes
        it); its photos are refreshed."""
        self.in_flight -= 1
        self._written_before = self.selection.details_requested
        if result.changed:
            self._undo.append(Step(result.decisions, CARRIED, result.fields, summary))
            self._redo.clear()
        message = summary + (self.tr("  (Ctrl+Z undoes)") if result.changed else "")
        self._batch_done(result.fields, message)
        self.cursor.apply(result.decisions)
        self._emit_history()
        self.decided.emit(sorted({d.record_id for d in result.decisions}), message)

    def batch_failed(self, problem: BaseException | str) -> None:
        """A batch edit was refused, failed or was cancelled: nothing of it was saved; the photo shown is read
        again."""
        self.in_flight -= 1
        self._written_before = self.selection.details_requested
        self._emit_history()
        self._resync()
        if isinstance(problem, StaleStateError):
            self.stale.emit(problem.record_id, str(problem))
        else:
            self.error.emit(problem if isinstance(problem, str) else describe_error(problem))

    def _batch_done(self, fields: Sequence[FieldChange], message: str) -> str:
        """A batch step was written: the rows whose fields changed again (those of its decisions follow
        ``decided``), and its message."""
        if fields:
            self.selection.refresh_records(sorted({f.record_id for f in fields}))
        return message
