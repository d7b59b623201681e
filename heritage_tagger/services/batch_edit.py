"""Batch edit: one operation (set or append a field, add, remove or accept a tag) on many records, in one
transaction, undone and redone as one group.

Tag operations are review decisions (``services.review``: ``add``, ``remove``, ``accept``), logged in
``decisions`` like single ones, with the same compare-and-set on each tag's version (a teammate's
change in between refuses the whole batch with ``StaleStateError``). Field operations are logged in
``field_edits`` (``db.field_edits``), one row per changed record under one group key for the batch;
they are also returned as :class:`FieldChange` values (before and after, with that group), which the
caller keeps to undo them: undo puts ``before`` back where the field still holds ``after`` (logging
``undo`` rows under the same group), and refuses the whole group otherwise (someone changed the field
since); redo logs ``redo`` rows.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from heritage_tagger.db import field_edits, tagging
from heritage_tagger.db import records as record_rows
from heritage_tagger.db.engine import Session
from heritage_tagger.db.tagging import clean_label
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.domain.records import Decision, FieldEditAction, TagState
from heritage_tagger.domain.text import sanitise
from heritage_tagger.ingest.dates import parse_date_sort
from heritage_tagger.services import review
from heritage_tagger.services.browse import EDITABLE_FIELDS
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.review import ReviewError

log = logging.getLogger(__name__)

DEFAULT_SEPARATOR = "; "
REPORT_EVERY = 50  # records between progress reports (and cancel checks)


class BatchOperation(enum.StrEnum):
    SET_FIELD = "set_field"
    APPEND_FIELD = "append_field"
    ADD_TAG = "add_tag"
    REMOVE_TAG = "remove_tag"
    ACCEPT_TAG = "accept_tag"

    @property
    def on_field(self) -> bool:
        return self in (BatchOperation.SET_FIELD, BatchOperation.APPEND_FIELD)


@dataclass(frozen=True)
class FieldChange:
    """One record's field as it was and as the batch left it (``name``: a key of ``EDITABLE_FIELDS``;
    ``group``: the batch's key in ``field_edits``)."""

    record_id: int
    name: str
    before: str
    after: str
    group: str = ""

    def reversed(self) -> FieldChange:
        return FieldChange(self.record_id, self.name, self.after, self.before, self.group)


@dataclass
class BatchResult:
    """What a batch changed: its decisions (tag operations), its field changes, and the records it left
    as they were (already so: the tag carried, not suggested, the text already there)."""

    operation: BatchOperation
    decisions: list[Decision] = field(default_factory=list)
    fields: list[FieldChange] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    group: str = ""  # the field edits' group key in ``field_edits`` (field operations)

    @property
    def record_ids(self) -> list[int]:
        """The records changed, in id order."""
        return sorted({d.record_id for d in self.decisions} | {f.record_id for f in self.fields})

    @property
    def changed(self) -> int:
        return len(self.record_ids)


def _clean_text(value: str) -> str:
    return sanitise(value)[0].strip()  # typed or pasted text: no NUL, controls or lone surrogates


def _read_field(session: Session, record_id: int, name: str) -> str:
    value = record_rows.column_value(session, record_id, EDITABLE_FIELDS[name])
    if value is None:
        raise ReviewError(f"Record {record_id} is no longer in the catalogue.")
    return value


def _write_field(session: Session, record_id: int, name: str, value: str) -> None:
    changes: dict[str, object] = {EDITABLE_FIELDS[name]: value}
    if name == "date":
        changes["date_sort"] = parse_date_sort(value)
    if not record_rows.update_record(session, record_id, changes):
        raise ReviewError(f"Record {record_id} is no longer in the catalogue.")


def appended(current: str, value: str, separator: str) -> str:
    """``value`` after ``current`` with ``separator`` between them; ``current`` as it is when it already has
    ``value`` as one of its parts (appending twice changes nothing)."""
    if not current:
        return value
    parts = [p.strip() for p in current.split(separator.strip() or separator)]
    if value in parts:
        return current
    return f"{current}{separator}{value}"


def apply(
    catalogue: Catalogue,
    record_ids: Sequence[int],
    operation: BatchOperation,
    value: str,
    reviewer: str,
    *,
    field_name: str = "",
    separator: str = DEFAULT_SEPARATOR,
    seen: Mapping[tuple[int, str], int] | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> BatchResult:
    """Apply ``operation`` with ``value`` (the text, or the tag's label) to ``record_ids``, all or none.

    ``seen``: the versions of tags the reviewer saw, by (record id, label) (the photo on screen): one
    changed since refuses the batch (``StaleStateError``), as a single decision would be.
    ``cancel`` is checked every ``REPORT_EVERY`` records: a Cancel rolls the whole batch back.
    Raises ReviewError for a field that cannot be edited, an empty tag, or a record gone.
    """
    operation = BatchOperation(operation)
    ids = list(dict.fromkeys(record_ids))  # once each, in the order given
    if not ids:
        raise ReviewError("Select at least one photo.")
    result = BatchResult(operation, group=field_edits.new_group() if operation.on_field else "")
    if operation.on_field:
        if field_name not in EDITABLE_FIELDS:
            raise ReviewError(f"The field {field_name!r} cannot be edited.")
        text = _clean_text(value)
        if operation is BatchOperation.APPEND_FIELD and not text:
            raise ReviewError("Type the text to append.")
    else:
        text = clean_label(value)
        if not text:
            raise ReviewError("A tag needs at least one letter.")
    with catalogue.session() as session:
        for (record_id, label), version in (seen or {}).items():
            if record_id in ids and not operation.on_field and clean_label(label) == text:
                review.check_record_in(session, record_id, label, version)
        for done, record_id in enumerate(ids):
            if done % REPORT_EVERY == 0:
                progress(Progress("batch", done, len(ids), f"Changing photo {done + 1:,} of {len(ids):,}"))
                if cancel is not None:
                    cancel.check()
            review.check_record_in(session, record_id)
            if operation.on_field:
                change = _field_edit(session, record_id, operation, field_name, text, separator, result.group)
                if change is not None:
                    _log(session, change, FieldEditAction.EDIT, reviewer)
                if change is None:
                    result.unchanged.append(record_id)
                else:
                    result.fields.append(change)
                continue
            decision = _tag_edit(session, record_id, operation, text, reviewer)
            if decision is None:
                result.unchanged.append(record_id)
            else:
                result.decisions.append(decision)
    log.info(
        "batch %s %r on %d records by %s: %d changed",
        operation.value, field_name or text, len(ids), reviewer, result.changed,
    )  # fmt: skip
    return result


def _field_edit(
    session: Session,
    record_id: int,
    operation: BatchOperation,
    name: str,
    text: str,
    separator: str,
    group: str,
) -> FieldChange | None:
    before = _read_field(session, record_id, name)
    after = text if operation is BatchOperation.SET_FIELD else appended(before, text, separator)
    if after == before:
        return None
    _write_field(session, record_id, name, after)
    return FieldChange(record_id, name, before, after, group)


def _tag_edit(
    session: Session, record_id: int, operation: BatchOperation, label: str, reviewer: str
) -> Decision | None:
    row = tagging.tag_state_row(session, record_id, label)
    state = TagState(row.state) if row is not None else None
    carried = state in (TagState.CATALOGUED, TagState.ACCEPTED)
    if operation is BatchOperation.ADD_TAG:
        return None if carried else review.add_in(session, record_id, label, reviewer)
    if operation is BatchOperation.REMOVE_TAG:
        return review.remove_in(session, record_id, label, reviewer) if carried else None
    if operation is BatchOperation.ACCEPT_TAG:
        suggested = state is TagState.SUGGESTED
        return review.accept_in(session, record_id, label, reviewer) if suggested else None
    raise ReviewError(f"Not a tag operation: {operation.value}.")


def _log(session: Session, change: FieldChange, action: FieldEditAction, reviewer: str) -> None:
    field_edits.record_edit(
        session, change.record_id, change.name, change.before, change.after, reviewer,
        action=action, group=change.group,
    )  # fmt: skip


def _put_fields(
    session: Session, changes: Sequence[FieldChange], action: FieldEditAction, reviewer: str
) -> None:
    """Write each change's ``after`` where the field still holds its ``before`` and log it as ``action``;
    else refuse them all."""
    verb = action.value
    group = next((c.group for c in changes if c.group), "") or field_edits.new_group()
    for change in changes:
        now = _read_field(session, change.record_id, change.name)
        if now != change.before:
            identifier = record_rows.identifiers(session, [change.record_id]).get(
                change.record_id, f"#{change.record_id}"
            )
            raise ReviewError(
                f"Cannot {verb}: the {change.name} of {identifier} has changed since (it is now {now!r})."
            )
        _write_field(session, change.record_id, change.name, change.after)
        _log(session, dataclasses.replace(change, group=change.group or group), action, reviewer)


def undo(
    catalogue: Catalogue, decision_ids: Sequence[int], fields: Sequence[FieldChange], reviewer: str
) -> list[Decision]:
    """Undo a batch in one transaction: its decisions (newest first, as compensating ``undo`` entries) and
    its field changes (each field back to ``before``, logged as ``undo`` edits); all or none."""
    with catalogue.session() as session:
        entries = [review.undo_in(session, i, reviewer) for i in decision_ids]
        _put_fields(session, [f.reversed() for f in reversed(fields)], FieldEditAction.UNDO, reviewer)
        return entries


def redo(
    catalogue: Catalogue, undo_ids: Sequence[int], fields: Sequence[FieldChange], reviewer: str
) -> list[Decision]:
    """Redo an undone batch in one transaction: the decisions its ``undo`` entries reverted, and its field
    changes again (logged as ``redo`` edits); all or none."""
    with catalogue.session() as session:
        entries = [review.redo_in(session, i, reviewer) for i in undo_ids]
        _put_fields(session, fields, FieldEditAction.REDO, reviewer)
        return entries
