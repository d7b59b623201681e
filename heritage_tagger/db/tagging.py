"""Tag vocabulary and per-record tag state, shared by import, review and annotation."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from heritage_tagger.db.tables import RecordTag, Tag, utcnow
from heritage_tagger.domain.records import TagState
from heritage_tagger.domain.text import sanitise
from heritage_tagger.text.lemmatise import lemmatise_tag


def clean_label(label: str) -> str:
    """A tag label as stored: control characters removed (``domain.text.sanitise``), surrounding and
    repeated whitespace removed, case kept."""
    return " ".join(sanitise(label)[0].split())


def get_or_create_tags(session: Session, labels: Iterable[str]) -> dict[str, Tag]:
    """Tags by cleaned label, creating missing ones (with their lemma) in ``session``."""
    wanted = {clean_label(label) for label in labels}
    wanted.discard("")
    if not wanted:
        return {}
    found = {tag.label: tag for tag in session.scalars(select(Tag).where(Tag.label.in_(wanted)))}
    for label in sorted(wanted - found.keys()):
        tag = Tag(label=label, lemma=lemmatise_tag(label))
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
