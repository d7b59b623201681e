"""The ``field_edits`` log: record a change of a record's metadata field, read a record's or a group's edits."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from heritage_tagger.db import tables
from heritage_tagger.domain.records import FieldEdit, FieldEditAction

E = tables.FieldEdit


def new_group() -> str:
    """A fresh group key (one batch, or one single edit)."""
    return uuid.uuid4().hex


def _plain(row: tables.FieldEdit) -> FieldEdit:
    return FieldEdit(
        record_id=row.record_id,
        field=row.field_name,
        before=row.value_before,
        after=row.value_after,
        action=FieldEditAction(row.action),
        group=row.group_key,
        reviewer=row.reviewer,
        created_at=row.created_at,
        id=row.id,
    )


def record_edit(
    session: Session,
    record_id: int,
    field: str,
    before: str | None,
    after: str | None,
    reviewer: str,
    *,
    action: FieldEditAction = FieldEditAction.EDIT,
    group: str = "",
) -> FieldEdit:
    """Log one field change inside the caller's transaction (``group`` empty: a group of its own)."""
    row = E(
        record_id=record_id,
        field_name=field,
        value_before=before,
        value_after=after,
        action=FieldEditAction(action).value,
        group_key=group or new_group(),
        reviewer=reviewer,
    )
    session.add(row)
    session.flush()
    return _plain(row)


def edits_of_record(session: Session, record_id: int) -> list[FieldEdit]:
    """A record's field edits, oldest first."""
    return [_plain(r) for r in session.scalars(select(E).where(E.record_id == record_id).order_by(E.id))]


def edits_of_group(session: Session, group: str) -> list[FieldEdit]:
    """One group's edits (a batch, then its undo and redo entries), oldest first."""
    return [_plain(r) for r in session.scalars(select(E).where(E.group_key == group).order_by(E.id))]
