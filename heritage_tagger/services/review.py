"""Review decisions: accept, reject (one or all proposed), add, remove, mark a photo reviewed, undo and redo,
each logged append-only in ``decisions``.

``seen`` is the version of the tag's state the reviewer decided on (``RecordTag.version``; 0: the
tag was not on the record): a decision on a state another reviewer has changed since is refused
with ``StaleStateError`` naming that reviewer's decision (``db.tagging.check_version``), and every
write is a compare-and-set on the version (``db.tagging.set_tag_state``), so no update is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from heritage_tagger.db import decisions as decision_log
from heritage_tagger.db import review_marks as marks
from heritage_tagger.db import tagging
from heritage_tagger.db.decisions import log_decision
from heritage_tagger.db.engine import Session
from heritage_tagger.db.tables import Decision as DecisionRow
from heritage_tagger.db.tables import RecordTag as RecordTagRow
from heritage_tagger.db.tagging import clean_label
from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.domain.records import Decision, DecisionAction, TagState
from heritage_tagger.services.catalogue import Catalogue


class ReviewError(HeritageTaggerError):
    """A review action that does not apply (the tag is not suggested, already carried, ...)."""


@dataclass(frozen=True)
class Offered:
    """A suggestion shown to the reviewer but not stored yet (computed live by the model)."""

    label: str
    score: float | None = None
    model_version: str | None = None
    source: str = "model"


def _check_record(session: Session, record_id: int, label: str = "", seen: int | None = None) -> None:
    if not tagging.record_exists(session, record_id):
        raise ReviewError(f"Record {record_id} is no longer in the catalogue.")
    tagging.check_version(session, record_id, clean_label(label), seen)


def _load(session: Session, decision_id: int) -> DecisionRow:
    row = decision_log.decision_row(session, decision_id)
    if row is None:
        raise ReviewError(f"Decision {decision_id} is not in the log.")
    return row


def _state_of(row: RecordTagRow | None) -> TagState | None:
    return TagState(row.state) if row is not None else None


def _accept(session: Session, record_id: int, label: str, reviewer: str, offered: Offered | None) -> Decision:
    label = clean_label(label)
    row = tagging.tag_state_row(session, record_id, label)
    state = _state_of(row)
    if state is None and offered is not None:
        # a live suggestion: store it as suggested first, so that undo restores exactly that
        tagging.set_tag_state(
            session, record_id, label, TagState.SUGGESTED,
            score=offered.score, source=offered.source, version=offered.model_version,
        )  # fmt: skip
        row = tagging.tag_state_row(session, record_id, label)
        state = TagState.SUGGESTED
    if state is not TagState.SUGGESTED or row is None:
        what = f"is {state.value}" if state else "is not on this record"
        raise ReviewError(f"Cannot accept {label!r}: it is not a pending suggestion (it {what}).")
    score, version = row.score, row.model_version.version if row.model_version else None
    tagging.set_tag_state(
        session, record_id, label, TagState.ACCEPTED, score=score, source=row.source, version=version
    )
    return log_decision(
        session, record_id, label, DecisionAction.ACCEPT, reviewer, state, TagState.ACCEPTED, score, version
    )


def accept(
    catalogue: Catalogue,
    record_id: int,
    label: str,
    reviewer: str,
    offered: Offered | None = None,
    *,
    seen: int | None = None,
) -> Decision:
    """Accept a pending suggestion (or a live one passed as ``offered``); refused for anything else."""
    with catalogue.session() as session:
        _check_record(session, record_id, label, seen)
        return _accept(session, record_id, label, reviewer, offered)


def _decide_all(
    catalogue: Catalogue,
    record_id: int,
    offered: Sequence[Offered],
    reviewer: str,
    seen: Mapping[str, int] | None,
    decide: Callable[[Session, int, str, str, Offered | None], Decision],
) -> list[Decision]:
    """``decide`` (accept or reject) every offered suggestion still pending, in one transaction."""
    with catalogue.session() as session:
        _check_record(session, record_id)
        for label, version in (seen or {}).items():
            _check_record(session, record_id, label, version)
        out = []
        for item in offered:
            state = _state_of(tagging.tag_state_row(session, record_id, clean_label(item.label)))
            if state in (None, TagState.SUGGESTED):
                out.append(decide(session, record_id, item.label, reviewer, item))
        return out


def accept_all(
    catalogue: Catalogue,
    record_id: int,
    offered: Sequence[Offered],
    reviewer: str,
    *,
    seen: Mapping[str, int] | None = None,
) -> list[Decision]:
    """Accept every proposed suggestion not yet decided, in one transaction; decided ones are skipped
    (``seen``: the versions the reviewer saw, by label: any changed since refuses them all)."""
    return _decide_all(catalogue, record_id, offered, reviewer, seen, _accept)


def _reject(session: Session, record_id: int, label: str, reviewer: str, offered: Offered | None) -> Decision:
    label = clean_label(label)
    row = tagging.tag_state_row(session, record_id, label)
    state = _state_of(row)
    score = row.score if row is not None else (offered.score if offered else None)
    version = (
        row.model_version.version
        if row is not None and row.model_version
        else (offered.model_version if offered else None)
    )
    source = row.source if row is not None else (offered.source if offered else "")
    if state is None and offered is not None:
        tagging.set_tag_state(
            session, record_id, label, TagState.SUGGESTED, score=score, source=source, version=version
        )
        state = TagState.SUGGESTED
    if state is not TagState.SUGGESTED:
        what = f"is {state.value}" if state else "is not on this record"
        raise ReviewError(f"Cannot reject {label!r}: it is not a pending suggestion (it {what}).")
    tagging.set_tag_state(
        session, record_id, label, TagState.REJECTED, score=score, source=source, version=version
    )
    return log_decision(
        session, record_id, label, DecisionAction.REJECT, reviewer, state, TagState.REJECTED, score, version
    )


def reject(
    catalogue: Catalogue,
    record_id: int,
    label: str,
    reviewer: str,
    offered: Offered | None = None,
    *,
    seen: int | None = None,
) -> Decision:
    """Reject a pending suggestion: it stays rejected (never re-proposed, never a training positive)."""
    with catalogue.session() as session:
        _check_record(session, record_id, label, seen)
        return _reject(session, record_id, label, reviewer, offered)


def reject_all(
    catalogue: Catalogue,
    record_id: int,
    offered: Sequence[Offered],
    reviewer: str,
    *,
    seen: Mapping[str, int] | None = None,
) -> list[Decision]:
    """ "Reject all proposed": reject every offered suggestion still pending, in one transaction (one undo)
    (``seen``: the versions the reviewer saw, by label: any changed since refuses them all)."""
    return _decide_all(catalogue, record_id, offered, reviewer, seen, _reject)


def mark_reviewed(catalogue: Catalogue, record_id: int, reviewer: str) -> Decision:
    """ "Mark photo reviewed": a person is done with this photo (it leaves the review queue).

    Logged as a record-level ``review`` decision (empty label) and undone like any other decision;
    pending suggestions stay as they are. Refused when the photo is already marked.
    """
    with catalogue.session() as session:
        _check_record(session, record_id)
        mark = marks.review_mark(session, record_id)
        if mark is not None:
            raise ReviewError(
                f"This photo was already marked reviewed by {mark.reviewer} ({mark.at:%Y-%m-%d})."
            )
        marks.set_review_mark(session, record_id, reviewer)
        return log_decision(session, record_id, "", DecisionAction.REVIEW, reviewer, None, None, None, None)


def add(
    catalogue: Catalogue, record_id: int, label: str, reviewer: str, *, seen: int | None = None
) -> Decision:
    """Add a tag by hand (created in the vocabulary when new); refused when the record already carries it."""
    label = clean_label(label)
    if not label:
        raise ReviewError("A tag needs at least one letter.")
    with catalogue.session() as session:
        _check_record(session, record_id, label, seen)
        return add_in(session, record_id, label, reviewer)


def add_in(session: Session, record_id: int, label: str, reviewer: str) -> Decision:
    """:func:`add` inside the caller's transaction (the record checked, the label cleaned)."""
    row = tagging.tag_state_row(session, record_id, label)
    state = _state_of(row)
    if state in (TagState.CATALOGUED, TagState.ACCEPTED):
        raise ReviewError(f"The record already carries {label!r}.")
    score = row.score if row is not None else None
    tagging.set_tag_state(
        session, record_id, label, TagState.ACCEPTED, score=score, source="reviewer", version=None
    )
    return log_decision(
        session, record_id, label, DecisionAction.ADD, reviewer, state, TagState.ACCEPTED, score, None
    )


def remove(
    catalogue: Catalogue, record_id: int, label: str, reviewer: str, *, seen: int | None = None
) -> Decision:
    """Remove a carried tag: it becomes rejected, so that no model proposes it again for this record."""
    label = clean_label(label)
    with catalogue.session() as session:
        _check_record(session, record_id, label, seen)
        return remove_in(session, record_id, label, reviewer)


def remove_in(session: Session, record_id: int, label: str, reviewer: str) -> Decision:
    """:func:`remove` inside the caller's transaction (the record checked, the label cleaned)."""
    row = tagging.tag_state_row(session, record_id, label)
    state = _state_of(row)
    if row is None or state not in (TagState.CATALOGUED, TagState.ACCEPTED):
        raise ReviewError(f"Cannot remove {label!r}: the record does not carry it.")
    score, source = row.score, row.source
    version = row.model_version.version if row.model_version else None
    tagging.set_tag_state(
        session, record_id, label, TagState.REJECTED, score=score, source=source, version=version
    )
    return log_decision(
        session, record_id, label, DecisionAction.REMOVE, reviewer, state, TagState.REJECTED, score, version
    )


def undo(catalogue: Catalogue, decision_id: int, reviewer: str) -> Decision:
    """Write a compensating ``undo`` entry and restore the state before ``decision_id``; history stays."""
    with catalogue.session() as session:
        return _undo(session, decision_id, reviewer)


def redo(catalogue: Catalogue, undo_id: int, reviewer: str) -> Decision:
    """Re-apply the decision that the ``undo`` entry ``undo_id`` reverted, as a new log entry."""
    with catalogue.session() as session:
        return _redo(session, undo_id, reviewer)


def undo_group(catalogue: Catalogue, decision_ids: Sequence[int], reviewer: str) -> list[Decision]:
    """Undo several decisions (newest first) in one transaction: all or none."""
    with catalogue.session() as session:
        return [_undo(session, i, reviewer) for i in decision_ids]


def redo_group(catalogue: Catalogue, undo_ids: Sequence[int], reviewer: str) -> list[Decision]:
    with catalogue.session() as session:
        return [_redo(session, i, reviewer) for i in undo_ids]


def _undo(session: Session, decision_id: int, reviewer: str) -> Decision:
    original = _load(session, decision_id)
    if original.action == DecisionAction.UNDO.value:
        raise ReviewError("An undo entry is redone, not undone.")
    if original.action == DecisionAction.REVIEW.value:
        if marks.review_mark(session, original.record_id) is None:
            raise ReviewError("Cannot undo: the photo is no longer marked reviewed.")
        marks.set_review_mark(session, original.record_id, None)
        return log_decision(
            session, original.record_id, "", DecisionAction.UNDO, reviewer, None, None, None, None,
            reverts_id=original.id,
        )  # fmt: skip
    row = tagging.tag_state_row(session, original.record_id, original.tag_label)
    now = _state_of(row)
    expected = TagState(original.new_state) if original.new_state else None
    if now is not expected:
        raise ReviewError(
            f"Cannot undo: {original.tag_label!r} has changed since (it is now {now or 'absent'})."
        )
    before = TagState(original.previous_state) if original.previous_state else None
    source = row.source if row is not None else ""
    if original.action == DecisionAction.ADD.value and before is None:
        source = ""
    tagging.set_tag_state(
        session, original.record_id, original.tag_label, before,
        score=original.score, source=source, version=original.model_version,
    )  # fmt: skip
    return log_decision(
        session, original.record_id, original.tag_label, DecisionAction.UNDO, reviewer,
        now, before, original.score, original.model_version, reverts_id=original.id,
    )  # fmt: skip


def _redo(session: Session, undo_id: int, reviewer: str) -> Decision:
    entry = _load(session, undo_id)
    if entry.action != DecisionAction.UNDO.value or entry.reverts_id is None:
        raise ReviewError("Only an undone decision can be redone.")
    original = _load(session, entry.reverts_id)
    if original.action == DecisionAction.REVIEW.value:
        if marks.review_mark(session, original.record_id) is not None:
            raise ReviewError("Cannot redo: the photo has been marked reviewed since.")
        marks.set_review_mark(session, original.record_id, reviewer)
        return log_decision(
            session, original.record_id, "", DecisionAction.REVIEW, reviewer, None, None, None, None
        )
    row = tagging.tag_state_row(session, original.record_id, original.tag_label)
    now = _state_of(row)
    expected = TagState(entry.new_state) if entry.new_state else None
    if now is not expected:
        raise ReviewError(
            f"Cannot redo: {original.tag_label!r} has changed since (it is now {now or 'absent'})."
        )
    new = TagState(original.new_state) if original.new_state else None
    source = row.source if row is not None else "reviewer"
    tagging.set_tag_state(
        session, original.record_id, original.tag_label, new,
        score=original.score, source=source, version=original.model_version,
    )  # fmt: skip
    return log_decision(
        session, original.record_id, original.tag_label, DecisionAction(original.action), reviewer,
        now, new, original.score, original.model_version,
    )  # fmt: skip


def check_record_in(session: Session, record_id: int, label: str = "", seen: int | None = None) -> None:
    """The record exists, and the tag is still at the version ``seen`` (None: no check); else refused."""
    _check_record(session, record_id, label, seen)


def accept_in(session: Session, record_id: int, label: str, reviewer: str) -> Decision:
    """Accept a stored pending suggestion inside the caller's transaction."""
    return _accept(session, record_id, label, reviewer, None)


def undo_in(session: Session, decision_id: int, reviewer: str) -> Decision:
    """:func:`undo` inside the caller's transaction."""
    return _undo(session, decision_id, reviewer)


def redo_in(session: Session, undo_id: int, reviewer: str) -> Decision:
    """:func:`redo` inside the caller's transaction."""
    return _redo(session, undo_id, reviewer)


def decisions_for(catalogue: Catalogue, record_id: int | None = None) -> list[Decision]:
    """The log (for one record, or all of it) oldest first."""
    with catalogue.session() as session:
        return decision_log.decisions(session, record_id)


@dataclass
class ReviewHistory:
    """Undo and redo stacks of one reviewing session; each step is a group of decisions (accept all = one)."""

    catalogue: Catalogue
    reviewer: str
    _undo: list[list[Decision]] = field(default_factory=list)
    _redo: list[list[Decision]] = field(default_factory=list)

    def push(self, decisions: Sequence[Decision]) -> None:
        if decisions:
            self._undo.append(list(decisions))
            self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> list[Decision]:
        if not self._undo:
            raise ReviewError("Nothing to undo.")
        group = self._undo.pop()
        try:
            entries = undo_group(self.catalogue, [d.id or 0 for d in reversed(group)], self.reviewer)
        except ReviewError:
            self._undo.clear()  # the catalogue moved on under us: older steps cannot apply either
            raise
        self._redo.append(entries)
        return entries

    def redo(self) -> list[Decision]:
        if not self._redo:
            raise ReviewError("Nothing to redo.")
        group = self._redo.pop()
        try:
            entries = redo_group(self.catalogue, [d.id or 0 for d in reversed(group)], self.reviewer)
        except ReviewError:
            self._redo.clear()
            raise
        self._undo.append(entries)
        return entries
