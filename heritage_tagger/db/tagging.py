"""Tags and their state on records: the vocabulary (get or create), one tag's state row, setting a state."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from heritage_tagger.db import vocabularies
from heritage_tagger.db.tables import ModelVersion, Record, RecordTag, Tag, utcnow
from heritage_tagger.domain.records import TagState
from heritage_tagger.domain.text import sanitise
from heritage_tagger.text.lemmatise import lemmatise_tag
from heritage_tagger.vocab.variants import TagUsage

CARRIED = (TagState.CATALOGUED.value, TagState.ACCEPTED.value)


def clean_label(label: str) -> str:
    """A tag label as stored: control characters removed (``domain.text.sanitise``), surrounding and
    repeated whitespace removed, case kept."""
    return " ".join(sanitise(label)[0].split())


def get_or_create_tags(session: Session, labels: Iterable[str], *, link: bool = False) -> dict[str, Tag]:
    """Tags by cleaned label, creating missing ones (with their lemma) in ``session``; with ``link``, a
    new tag is linked to the concept its label names in the catalogue's vocabularies (when one does)."""
    wanted = {clean_label(label) for label in labels}
    wanted.discard("")
    if not wanted:
        return {}
    found = {tag.label: tag for tag in session.scalars(select(Tag).where(Tag.label.in_(wanted)))}
    missing = sorted(wanted - found.keys())
    link = link and bool(missing) and vocabularies.has_usable(session)
    for label in missing:
        tag = Tag(label=label, lemma=lemmatise_tag(label))
        if link:
            tag.concept_id = vocabularies.concept_named(session, label)
        session.add(tag)
        found[label] = tag
    session.flush()
    return found


def set_record_tag(
    session: Session,
    record_id: int,
    tag: Tag,
    state: TagState,
    *,
    score: float | None = None,
    source: str = "",
    model_version_id: int | None = None,
) -> RecordTag:
    """Create or update the state of ``tag`` on a record and return the row."""
    row = session.scalar(
        select(RecordTag).where(RecordTag.record_id == record_id, RecordTag.tag_id == tag.id)
    )
    if row is None:
        row = RecordTag(record_id=record_id, tag_id=tag.id, state=state.value)
        session.add(row)
    row.state = state.value
    row.score = score
    row.source = source
    row.model_version_id = model_version_id
    row.updated_at = utcnow()
    session.flush()
    return row


def tag_state_row(session: Session, record_id: int, label: str) -> RecordTag | None:
    """The state row of the tag ``label`` on a record, or None when the record has no such tag."""
    return session.scalar(
        select(RecordTag)
        .join(Tag, Tag.id == RecordTag.tag_id)
        .where(RecordTag.record_id == record_id, Tag.label == label)
    )


def record_exists(session: Session, record_id: int) -> bool:
    return session.get(Record, record_id) is not None


def set_tag_state(
    session: Session,
    record_id: int,
    label: str,
    state: TagState | None,
    *,
    score: float | None,
    source: str,
    version: str | None,
) -> None:
    """Put ``label`` on a record in ``state`` (None: take it off), with the score, source and model version."""
    row = tag_state_row(session, record_id, label)
    if state is None:
        if row is not None:
            session.delete(row)
            session.flush()
        return
    if row is None:
        tag = get_or_create_tags(session, [label], link=True)[label]  # an accepted or added tag: its concept
        row = RecordTag(record_id=record_id, tag_id=tag.id, state=state.value)
        session.add(row)
    row.state = state.value
    row.score = score
    row.source = source
    row.model_version_id = (
        session.scalar(select(ModelVersion.id).where(ModelVersion.version == version)) if version else None
    )
    row.updated_at = utcnow()
    session.flush()


def tag_by_label(session: Session, label: str) -> Tag | None:
    """The tag with exactly this (cleaned) label."""
    return session.scalar(select(Tag).where(Tag.label == label))


def tag_usage(session: Session) -> list[TagUsage]:
    """Every tag with the records carrying it (catalogued or accepted), those catalogued, and its concept."""
    carried = func.sum(case((RecordTag.state.in_(CARRIED), 1), else_=0))
    catalogued = func.sum(case((RecordTag.state == TagState.CATALOGUED.value, 1), else_=0))
    rows = session.execute(
        select(Tag.id, Tag.label, func.coalesce(carried, 0), func.coalesce(catalogued, 0), Tag.concept_id)
        .outerjoin(RecordTag, RecordTag.tag_id == Tag.id)
        .group_by(Tag.id, Tag.label, Tag.concept_id)
        .order_by(Tag.id)
    ).all()
    return [TagUsage(i, label, int(n), int(c), concept) for i, label, n, c, concept in rows]


def rows_of_tag(session: Session, tag_id: int) -> list[RecordTag]:
    """Every record's state row of one tag."""
    return list(session.scalars(select(RecordTag).where(RecordTag.tag_id == tag_id)))


def rows_beside(session: Session, tag_id: int, other_tag_id: int) -> dict[int, RecordTag]:
    """The state rows of ``tag_id`` on the records that also carry ``other_tag_id``, by record id."""
    shared = select(RecordTag.record_id).where(RecordTag.tag_id == other_tag_id)
    rows = session.scalars(
        select(RecordTag).where(RecordTag.tag_id == tag_id, RecordTag.record_id.in_(shared))
    )
    return {r.record_id: r for r in rows}


def delete_tag_if_unused(session: Session, tag_id: int) -> bool:
    """Delete the tag when no record has it in any state; whether it was deleted."""
    used = session.scalar(select(func.count()).select_from(RecordTag).where(RecordTag.tag_id == tag_id))
    if used:
        return False
    session.execute(delete(Tag).where(Tag.id == tag_id))
    return True
