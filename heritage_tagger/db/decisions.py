"""The append-only decisions log: its one writer, reads as domain ``Decision`` objects, and counts."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from heritage_tagger.db import tables
from heritage_tagger.domain.records import Decision, DecisionAction, TagState


def to_decision(row: tables.Decision) -> Decision:
    return Decision(
        record_id=row.record_id,
        label=row.tag_label,
        action=DecisionAction(row.action),
        reviewer=row.reviewer,
        previous_state=TagState(row.previous_state) if row.previous_state else None,
        new_state=TagState(row.new_state) if row.new_state else None,
        score=row.score,
        model_version=row.model_version,
        created_at=row.created_at,
        id=row.id,
        reverts_id=row.reverts_id,
        merge_label=row.merge_label,
    )


def log_decision(
    session: Session,
    record_id: int,
    label: str,
    action: DecisionAction,
    reviewer: str,
    previous: TagState | None,
    new: TagState | None,
    score: float | None,
    version: str | None,
    reverts_id: int | None = None,
    merge_label: str | None = None,
) -> Decision:
    """Append one entry to the decisions log inside the caller's transaction (the only writer of it).

    ``merge_label`` marks an entry of a variant merge (``services.tag_merge``): on the kept tag's
    entry the variant it absorbed, on the variant's entry the tag it went into.
    """
    row = tables.Decision(
        record_id=record_id,
        tag_label=label,
        action=action.value,
        previous_state=previous.value if previous else None,
        new_state=new.value if new else None,
        reviewer=reviewer,
        score=score,
        model_version=version,
        reverts_id=reverts_id,
        merge_label=merge_label,
    )
    session.add(row)
    session.flush()
    return to_decision(row)


def decision_row(session: Session, decision_id: int) -> tables.Decision | None:
    return session.get(tables.Decision, decision_id)


def decisions(session: Session, record_id: int | None = None) -> list[Decision]:
    """The log (for one record, or all of it) oldest first."""
    stmt = select(tables.Decision).order_by(tables.Decision.id)
    if record_id is not None:
        stmt = stmt.where(tables.Decision.record_id == record_id)
    return [to_decision(r) for r in session.scalars(stmt)]


def decisions_of_records(session: Session, record_ids: Collection[int]) -> list[Decision]:
    """The log entries of ``record_ids`` oldest first (one query)."""
    if not record_ids:
        return []
    stmt = (
        select(tables.Decision)
        .where(tables.Decision.record_id.in_(list(record_ids)))
        .order_by(tables.Decision.id)
    )
    return [to_decision(r) for r in session.scalars(stmt)]


def count(session: Session, since: datetime | None = None) -> int:
    """How many decisions were logged (after ``since`` when given)."""
    stmt = select(func.count(tables.Decision.id))
    if since is not None:
        stmt = stmt.where(tables.Decision.created_at > since)
    return int(session.scalar(stmt) or 0)


def latest_id(session: Session) -> int:
    """The id of the newest entry of the log (0 when it is empty)."""
    return int(session.scalar(select(func.max(tables.Decision.id))) or 0)


def since(session: Session, after_id: int, limit: int = 500) -> list[tuple[Decision, str]]:
    """Entries newer than ``after_id`` (oldest first, at most ``limit``), each with its record's identifier."""
    stmt = (
        select(tables.Decision, tables.Record.identifier)
        .outerjoin(tables.Record, tables.Record.id == tables.Decision.record_id)
        .where(tables.Decision.id > after_id)
        .order_by(tables.Decision.id)
        .limit(limit)
    )
    return [
        (to_decision(row), identifier or f"#{row.record_id}") for row, identifier in session.execute(stmt)
    ]
