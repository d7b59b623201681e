"""Counts of a catalogue: records, tags, tag states, decisions, batches and model versions (aggregate queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from heritage_tagger.db import tables
from heritage_tagger.domain.records import DecisionAction, TagState


@dataclass(frozen=True)
class ActiveModel:
    """The active model version, as named in the catalogue."""

    version: str
    backbone: str
    created_at: str


@dataclass(frozen=True)
class CatalogueStats:
    """Counts describing one catalogue (every state and action listed, zeros included)."""

    catalogue: str
    records: int
    records_without_tags: int  # no catalogued or accepted tag
    tags: int  # distinct labels in the vocabulary
    tags_in_use: int  # labels catalogued or accepted on at least one record
    record_tags: dict[str, int] = field(default_factory=dict)
    decisions: int = 0
    decisions_by_action: dict[str, int] = field(default_factory=dict)
    import_batches: int = 0
    import_batches_by_status: dict[str, int] = field(default_factory=dict)
    model_versions: int = 0
    active_model: ActiveModel | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "catalogue": self.catalogue,
            "records": self.records,
            "records_without_tags": self.records_without_tags,
            "tags": self.tags,
            "tags_in_use": self.tags_in_use,
            "record_tags": dict(self.record_tags),
            "decisions": self.decisions,
            "decisions_by_action": dict(self.decisions_by_action),
            "import_batches": self.import_batches,
            "import_batches_by_status": dict(self.import_batches_by_status),
            "model_versions": self.model_versions,
            "active_model": None
            if self.active_model is None
            else {
                "version": self.active_model.version,
                "backbone": self.active_model.backbone,
                "created_at": self.active_model.created_at,
            },
        }


def _count(session: Session, column: Any) -> int:
    return session.scalar(select(func.count()).select_from(column)) or 0


def count_all(session: Session, name: str) -> CatalogueStats:
    """Count what the catalogue holds (a handful of aggregate queries; fast on large catalogues)."""
    positive = [TagState.CATALOGUED.value, TagState.ACCEPTED.value]
    records = _count(session, tables.Record)
    tagged = (
        session.scalar(
            select(func.count(func.distinct(tables.RecordTag.record_id))).where(
                tables.RecordTag.state.in_(positive)
            )
        )
        or 0
    )
    tags_in_use = (
        session.scalar(
            select(func.count(func.distinct(tables.RecordTag.tag_id))).where(
                tables.RecordTag.state.in_(positive)
            )
        )
        or 0
    )
    by_state = {state.value: 0 for state in TagState}
    for state, n in session.execute(
        select(tables.RecordTag.state, func.count()).group_by(tables.RecordTag.state)
    ):
        by_state[state] = n
    by_action = {action.value: 0 for action in DecisionAction}
    for action, n in session.execute(
        select(tables.Decision.action, func.count()).group_by(tables.Decision.action)
    ):
        by_action[action] = n
    by_status: dict[str, int] = {}
    for status, n in session.execute(
        select(tables.ImportBatch.status, func.count())
        .group_by(tables.ImportBatch.status)
        .order_by(tables.ImportBatch.status)
    ):
        by_status[status] = n
    active = session.scalars(
        select(tables.ModelVersion).where(tables.ModelVersion.is_active.is_(True))
    ).first()
    return CatalogueStats(
        catalogue=name,
        records=records,
        records_without_tags=records - tagged,
        tags=_count(session, tables.Tag),
        tags_in_use=tags_in_use,
        record_tags=by_state,
        decisions=sum(by_action.values()),
        decisions_by_action=by_action,
        import_batches=sum(by_status.values()),
        import_batches_by_status=by_status,
        model_versions=_count(session, tables.ModelVersion),
        active_model=None
        if active is None
        else ActiveModel(
            version=active.version,
            backbone=active.backbone,
            created_at=active.created_at.isoformat(timespec="seconds"),
        ),
    )
