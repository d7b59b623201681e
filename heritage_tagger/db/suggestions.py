"""Queries on stored model suggestions: tags already decided, pending ones replaced, best pending scores."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.orm import Session

from heritage_tagger.db import review_state
from heritage_tagger.db.tables import ImportBatch, ModelVersion, Record, RecordTag, Tag
from heritage_tagger.domain.records import TagState

DECIDED = (TagState.CATALOGUED.value, TagState.ACCEPTED.value, TagState.REJECTED.value)
SUGGESTED = TagState.SUGGESTED.value


class ImageRow(NamedTuple):
    """A record's id and its image (content hash and file)."""

    id: int
    sha256: str
    source_path: str


class PendingScore(NamedTuple):
    """A record of a batch with the highest score among its pending suggestions (None: nothing pending)."""

    id: int
    identifier: str
    best: float | None


def image_rows(session: Session, record_ids: Sequence[int]) -> list[ImageRow]:
    """(id, sha256, source_path) of the records, by id."""
    rows = session.execute(
        select(Record.id, Record.sha256, Record.source_path)
        .where(Record.id.in_(list(record_ids)))
        .order_by(Record.id)
    )
    return [ImageRow(int(i), sha or "", path or "") for i, sha, path in rows]


def decided_keys(session: Session, record_ids: Sequence[int]) -> dict[int, set[str]]:
    """Per record, the lower-cased labels and lemmas of tags it carries or had rejected."""
    out: dict[int, set[str]] = {}
    rows = session.execute(
        select(RecordTag.record_id, Tag.label, Tag.lemma)
        .join(Tag, Tag.id == RecordTag.tag_id)
        .where(RecordTag.record_id.in_(list(record_ids)), RecordTag.state.in_(DECIDED))
    )
    for rid, label, lemma in rows:
        out.setdefault(int(rid), set()).update({(lemma or label).lower(), label.lower()})
    return out


def delete_pending(session: Session, record_ids: Sequence[int]) -> None:
    """Remove the records' pending (suggested) tags; decided ones stay."""
    session.execute(
        delete(RecordTag).where(RecordTag.record_id.in_(list(record_ids)), RecordTag.state == SUGGESTED)
    )


def batch_records_after(session: Session, batch_ids: Sequence[int], after: int) -> list[int]:
    """Record ids of the batches above ``after``, in id order (a resumable job's remaining work)."""
    return list(
        session.scalars(
            select(Record.id)
            .where(Record.batch_id.in_(list(batch_ids)), Record.id > after)
            .order_by(Record.id)
        )
    )


def stale_records_after(session: Session, version_id: int, source: str, after: int) -> list[int]:
    """Records above ``after`` holding a pending suggestion from another model version (or none)."""
    stale = or_(
        RecordTag.model_version_id != version_id,
        (RecordTag.model_version_id.is_(None)) & (RecordTag.source == source),
    )
    return list(
        session.scalars(
            select(RecordTag.record_id)
            .where(RecordTag.state == SUGGESTED, stale, RecordTag.record_id > after)
            .group_by(RecordTag.record_id)
            .order_by(RecordTag.record_id)
        )
    )


def unreviewed_records_after(session: Session, version_id: int, after: int) -> list[int]:
    """Records above ``after`` that want the model version's proposals, in id order: those not reviewed
    yet (``review_state.needs_review``) or holding pending suggestions of another version, less those
    whose pending suggestions all come from this version already."""
    R, RT = Record, RecordTag
    pending = RT.record_id == R.id, RT.state == SUGGESTED
    other = or_(RT.model_version_id != version_id, RT.model_version_id.is_(None))
    stale = exists().where(*pending, other)
    current = exists().where(*pending, RT.model_version_id == version_id)
    return list(
        session.scalars(
            select(R.id)
            .where(R.id > after, or_(review_state.needs_review(), stale), ~(current & ~stale))
            .order_by(R.id)
        )
    )


def batch_exists(session: Session, batch_id: int) -> bool:
    return session.get(ImportBatch, batch_id) is not None


def best_pending_scores(session: Session, batch_id: int) -> list[PendingScore]:
    """Every record of a batch with its best pending suggestion score."""
    best = (
        select(RecordTag.record_id, func.max(RecordTag.score).label("best"))
        .where(RecordTag.state == SUGGESTED)
        .group_by(RecordTag.record_id)
        .subquery()
    )
    rows = session.execute(
        select(Record.id, Record.identifier, best.c.best)
        .outerjoin(best, best.c.record_id == Record.id)
        .where(Record.batch_id == batch_id)
    )
    return [PendingScore(int(i), ident, b) for i, ident, b in rows]


def pending_at_least(
    session: Session, batch_id: int, threshold: float
) -> list[tuple[RecordTag, str, str | None]]:
    """The batch's pending suggestions scored at or above ``threshold``: (row, tag label, model version)."""
    rows = session.execute(
        select(RecordTag, Tag.label, ModelVersion.version)
        .join(Tag, Tag.id == RecordTag.tag_id)
        .join(Record, Record.id == RecordTag.record_id)
        .outerjoin(ModelVersion, ModelVersion.id == RecordTag.model_version_id)
        .where(Record.batch_id == batch_id, RecordTag.state == SUGGESTED, RecordTag.score >= threshold)
    ).all()
    return [(r, label, version) for r, label, version in rows]
