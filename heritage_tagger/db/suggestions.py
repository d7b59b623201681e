"""Queries on stored model suggestions: tags already decided, pending ones replaced, best pending scores,
the model's last answer per record (``suggestion_outcomes``), and what the model reads besides the photo."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from heritage_tagger.db import review_state
from heritage_tagger.db.tables import (
    Concept,
    ImportBatch,
    ModelVersion,
    Record,
    RecordTag,
    SuggestionOutcome,
    Tag,
)
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
        (RecordTag.model_version_id.is_(None)) & (RecordTag.source.startswith(source)),
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


class OutcomeRow(NamedTuple):
    """What the model answered for one record (``suggestion_outcomes``)."""

    record_id: int
    outcome: str  # "proposed", "nothing_new" or "no_confident_suggestion"
    n_proposed: int
    best_score: float | None
    threshold: float | None
    read_text: bool


def record_outcomes(session: Session, rows: Sequence[OutcomeRow], version_id: int | None) -> None:
    """Replace the records' stored outcomes with ``rows`` (inside the caller's transaction)."""
    if not rows:
        return
    session.execute(
        delete(SuggestionOutcome).where(SuggestionOutcome.record_id.in_([r.record_id for r in rows]))
    )
    session.add_all(
        SuggestionOutcome(
            record_id=r.record_id,
            outcome=r.outcome,
            n_proposed=r.n_proposed,
            best_score=r.best_score,
            threshold=r.threshold,
            read_text=r.read_text,
            model_version_id=version_id,
        )
        for r in rows
    )
    session.flush()


def records_with_outcome(session: Session, outcome: str, batch_ids: Sequence[int] | None = None) -> list[int]:
    """Record ids whose last answer was ``outcome`` (e.g. "no_confident_suggestion"), optionally of some batches."""
    query = select(SuggestionOutcome.record_id).where(SuggestionOutcome.outcome == outcome)
    if batch_ids is not None:
        query = query.join(Record, Record.id == SuggestionOutcome.record_id).where(
            Record.batch_id.in_(list(batch_ids))
        )
    return [int(r) for r in session.scalars(query.order_by(SuggestionOutcome.record_id))]


def outcome_counts(session: Session, batch_ids: Sequence[int] | None = None) -> dict[str, int]:
    """How many records got each outcome (of some batches, or all)."""
    query = select(SuggestionOutcome.outcome, func.count()).group_by(SuggestionOutcome.outcome)
    if batch_ids is not None:
        query = query.join(Record, Record.id == SuggestionOutcome.record_id).where(
            Record.batch_id.in_(list(batch_ids))
        )
    return {str(o): int(n) for o, n in session.execute(query)}


class RecordTextRow(NamedTuple):
    id: int
    title: str
    description: str
    location: str


def record_texts(session: Session, record_ids: Sequence[int]) -> dict[int, RecordTextRow]:
    """The records' title, description and location, by id (what the model reads besides the photo)."""
    rows = session.execute(
        select(Record.id, Record.title, Record.description, Record.location).where(
            Record.id.in_(list(record_ids))
        )
    )
    return {int(i): RecordTextRow(int(i), t or "", d or "", loc or "") for i, t, d, loc in rows}


def catalogue_labels(session: Session) -> list[tuple[str, str | None]]:
    """(label, concept URI or None) of every tag some record carries as catalogued or accepted: the
    candidates of the lexical pathway (tags named in a caption)."""
    carried = select(RecordTag.tag_id).where(
        RecordTag.state.in_((TagState.CATALOGUED.value, TagState.ACCEPTED.value))
    )
    rows = session.execute(
        select(Tag.label, Concept.uri)
        .outerjoin(Concept, Concept.id == Tag.concept_id)
        .where(Tag.id.in_(carried))
        .order_by(Tag.id)
    )
    return [(str(label), None if uri is None else str(uri)) for label, uri in rows]


def tag_count_key(session: Session) -> tuple[int, int]:
    """(number of tags, highest tag id): changes when a tag is added or removed (caches of the labels)."""
    count, top = session.execute(select(func.count(Tag.id), func.max(Tag.id))).one()
    return int(count or 0), int(top or 0)


def batch_catalogued_tags(session: Session, batch_ids: Sequence[int]) -> list[tuple[int, str]]:
    """(record id, tag label) of every tag the batches' records came with (catalogued)."""
    rows = session.execute(
        select(RecordTag.record_id, Tag.label)
        .join(Tag, Tag.id == RecordTag.tag_id)
        .join(Record, Record.id == RecordTag.record_id)
        .where(Record.batch_id.in_(list(batch_ids)), RecordTag.state == TagState.CATALOGUED.value)
        .order_by(RecordTag.record_id, Tag.label)
    )
    return [(int(r), str(label)) for r, label in rows]


def _named(keys: Sequence[str]) -> ColumnElement[bool]:
    """A tag whose label or lemma, in any case, is among ``keys``."""
    lowered = sorted({k.lower() for k in keys})
    return or_(func.lower(Tag.label).in_(lowered), func.lower(Tag.lemma).in_(lowered))


def _without_tag(keys: Sequence[str], batch_id: int | None) -> Select[Any]:
    decided = (
        select(RecordTag.record_id)
        .join(Tag, Tag.id == RecordTag.tag_id)
        .where(RecordTag.record_id == Record.id, RecordTag.state.in_(DECIDED), _named(keys))
    )
    stmt = select(Record.id).where(~exists(decided))
    return stmt if batch_id is None else stmt.where(Record.batch_id == batch_id)


def records_without_tag(
    session: Session, keys: Sequence[str], *, batch_id: int | None = None, after: int = 0, limit: int = 500
) -> list[int]:
    """Ids above ``after`` (in id order, at most ``limit``) of the records that neither carry nor had
    rejected a tag whose lower-cased label or lemma is among ``keys`` (pending suggestions of it count
    as not carried); only batch ``batch_id``'s records when given."""
    stmt = _without_tag(keys, batch_id).where(Record.id > after).order_by(Record.id).limit(limit)
    return [int(i) for i in session.scalars(stmt)]


def count_without_tag(session: Session, keys: Sequence[str], *, batch_id: int | None = None) -> int:
    """How many records ``records_without_tag`` goes through."""
    return int(session.scalar(select(func.count()).select_from(_without_tag(keys, batch_id).subquery())) or 0)


def pending_with_tag(session: Session, record_ids: Sequence[int], keys: Sequence[str]) -> set[int]:
    """The records among ``record_ids`` with a pending suggestion of a tag named by ``keys``."""
    rows = session.scalars(
        select(RecordTag.record_id)
        .join(Tag, Tag.id == RecordTag.tag_id)
        .where(RecordTag.record_id.in_(list(record_ids)), RecordTag.state == SUGGESTED, _named(keys))
    )
    return {int(r) for r in rows}


def titles(session: Session, record_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """(identifier, title) of the records, by id."""
    rows = session.execute(
        select(Record.id, Record.identifier, Record.title).where(Record.id.in_(list(record_ids)))
    )
    return {int(i): (ident or "", title or "") for i, ident, title in rows}
