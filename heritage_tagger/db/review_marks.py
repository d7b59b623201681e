"""Record-level review marks ("Mark photo reviewed"): read, set and clear the mark on ``records``."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from heritage_tagger.db import tables
from heritage_tagger.db.tables import utcnow


class ReviewMark(NamedTuple):
    """Who marked a photo reviewed, and when."""

    reviewer: str
    at: datetime


def review_mark(session: Session, record_id: int) -> ReviewMark | None:
    """The record's mark, or None when it is not marked (or is gone)."""
    row = session.execute(
        select(tables.Record.reviewed_by, tables.Record.reviewed_at).where(tables.Record.id == record_id)
    ).first()
    if row is None or row.reviewed_at is None:
        return None
    return ReviewMark(row.reviewed_by or "", row.reviewed_at)


def review_marks(session: Session, record_ids: Collection[int]) -> dict[int, ReviewMark]:
    """The marks of those of ``record_ids`` that are marked."""
    if not record_ids:
        return {}
    rows = session.execute(
        select(tables.Record.id, tables.Record.reviewed_by, tables.Record.reviewed_at).where(
            tables.Record.id.in_(list(record_ids)), tables.Record.reviewed_at.is_not(None)
        )
    )
    return {int(rid): ReviewMark(who or "", at) for rid, who, at in rows if at is not None}


def set_review_mark(session: Session, record_id: int, reviewer: str | None) -> None:
    """Mark the record reviewed by ``reviewer`` now, or clear the mark (``None``)."""
    at = utcnow() if reviewer is not None else None
    session.execute(
        update(tables.Record)
        .where(tables.Record.id == record_id)
        .values(reviewed_at=at, reviewed_by=reviewer)
        .execution_options(synchronize_session=False)
    )
