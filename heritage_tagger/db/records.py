"""Catalogue rows as domain records: ORM -> ``domain.Record`` conversion, look-ups and a chunked record stream."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from datetime import datetime
from typing import Protocol, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from heritage_tagger.db import tables
from heritage_tagger.domain.records import Record, RecordTag, TagState
from heritage_tagger.domain.scope import RecordScope, ScopeKind

_RECORD_COLUMNS = (
    tables.Record.id,
    tables.Record.identifier,
    tables.Record.title,
    tables.Record.description,
    tables.Record.location,
    tables.Record.date_text,
    tables.Record.creator,
    tables.Record.rights,
    tables.Record.source_path,
    tables.Record.sha256,
    tables.Record.mime_type,
    tables.Record.width,
    tables.Record.height,
    tables.Record.batch_id,
)


class RecordColumns(Protocol):
    """What :func:`record_from_row` reads: an ORM ``Record`` or a row of its columns."""

    id: int
    identifier: str
    title: str
    description: str
    location: str
    date_text: str
    creator: str
    rights: str
    source_path: str
    sha256: str
    mime_type: str
    width: int | None
    height: int | None
    batch_id: int | None


def record_from_row(row: RecordColumns, tags: list[RecordTag] | None = None) -> Record:
    """A domain :class:`Record` from an ORM ``Record`` (or a row of its columns); tags as given, not loaded."""
    return Record(
        identifier=row.identifier,
        title=row.title or "",
        description=row.description or "",
        location=row.location or "",
        date=row.date_text or "",
        creator=row.creator or "",
        rights=row.rights or "",
        source_path=row.source_path or "",
        sha256=row.sha256 or "",
        mime_type=row.mime_type or "",
        width=row.width,
        height=row.height,
        id=row.id,
        batch_id=row.batch_id,
        tags=list(tags or []),
    )


def record_tag_from_row(row: tables.RecordTag) -> RecordTag:
    """A domain :class:`RecordTag` from an ORM ``RecordTag`` row (loads its tag and model version)."""
    return RecordTag(
        label=row.tag.label,
        state=TagState(row.state),
        score=row.score,
        source=row.source or "",
        model_version=row.model_version.version if row.model_version is not None else None,
        version=row.version,
    )


def load_record_tags(
    session: Session, record_ids: Collection[int], states: Collection[TagState] | None = None
) -> dict[int, list[RecordTag]]:
    """The tags of ``record_ids`` (optionally only some states) in one query, in the order they were added."""
    if not record_ids:
        return {}
    stmt = (
        select(
            tables.RecordTag.record_id,
            tables.Tag.label,
            tables.RecordTag.state,
            tables.RecordTag.score,
            tables.RecordTag.source,
            tables.ModelVersion.version,
            tables.RecordTag.version,
        )
        .join(tables.Tag, tables.Tag.id == tables.RecordTag.tag_id)
        .outerjoin(tables.ModelVersion, tables.ModelVersion.id == tables.RecordTag.model_version_id)
        .where(tables.RecordTag.record_id.in_(list(record_ids)))
        .order_by(tables.RecordTag.record_id, tables.RecordTag.id)
    )
    # States are filtered here, not in SQL: with a state condition SQLite picks the state index
    # and scans every row in those states instead of this chunk's rows (measured 7x slower).
    wanted = None if states is None else {TagState(s) for s in states}
    tags: dict[int, list[RecordTag]] = defaultdict(list)
    for record_id, label, state, score, source, version, row_version in session.execute(stmt):
        tag_state = TagState(state)
        if wanted is None or tag_state in wanted:
            tags[record_id].append(
                RecordTag(
                    label=label,
                    state=tag_state,
                    score=score,
                    source=source or "",
                    model_version=version,
                    version=int(row_version or 0),
                )
            )
    return dict(tags)


def count_records(session: Session, scope: RecordScope | None = None) -> int:
    """How many records the catalogue holds (within ``scope`` if given)."""
    if scope is not None:
        from heritage_tagger.db.scoped import count_in_scope

        return count_in_scope(session, scope)
    return session.scalar(select(func.count()).select_from(tables.Record)) or 0


def iter_records(
    session: Session,
    *,
    states: Collection[TagState] | None = None,
    chunk_size: int = 500,
    scope: RecordScope | None = None,
) -> Iterator[Record]:
    """Every record in id order with its tags (only ``states`` if given), read in chunks of ``chunk_size``;
    with ``scope``, only the records of that filter, batch or selection of ids.

    Memory stays bounded: each chunk is a keyset query on the id that selects plain columns (no
    ORM objects pile up in the session), and its tags come in one query per chunk. A filter or a
    batch is a condition of that same query; a selection is read in chunks of its sorted ids.
    """
    from heritage_tagger.db.scoped import id_chunks, restricted

    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    if scope is not None and scope.kind is ScopeKind.SELECTION:
        for ids in id_chunks(scope, chunk_size):
            rows = session.execute(
                select(*_RECORD_COLUMNS).where(tables.Record.id.in_(ids)).order_by(tables.Record.id)
            ).all()
            tags = load_record_tags(session, [r.id for r in rows], states)
            yield from [record_from_row(cast(RecordColumns, row), tags.get(row.id)) for row in rows]
        return
    last_id = 0
    while True:
        rows = session.execute(
            restricted(select(*_RECORD_COLUMNS), scope)
            .where(tables.Record.id > last_id)
            .order_by(tables.Record.id)
            .limit(chunk_size)
        ).all()
        if not rows:
            return
        tags = load_record_tags(session, [r.id for r in rows], states)
        last_id = rows[-1].id
        records = [record_from_row(cast(RecordColumns, row), tags.get(row.id)) for row in rows]
        del rows, tags
        yield from records


def find_record(session: Session, key: int | str) -> tables.Record | None:
    """A record by its identifier, else by its numeric id."""
    row = session.scalar(select(tables.Record).where(tables.Record.identifier == str(key)))
    if row is None and str(key).isdigit():
        row = session.get(tables.Record, int(key))
    return row


def carried_labels(session: Session, record_id: int) -> list[str]:
    """Labels of the tags a record carries (catalogued or accepted), alphabetically."""
    return list(
        session.scalars(
            select(tables.Tag.label)
            .join(tables.RecordTag, tables.RecordTag.tag_id == tables.Tag.id)
            .where(
                tables.RecordTag.record_id == record_id,
                tables.RecordTag.state.in_((TagState.CATALOGUED.value, TagState.ACCEPTED.value)),
            )
            .order_by(tables.Tag.label)
        )
    )


def identifiers(session: Session, record_ids: Collection[int]) -> dict[int, str]:
    """Record id -> identifier for the ids that exist."""
    if not record_ids:
        return {}
    rows = session.execute(
        select(tables.Record.id, tables.Record.identifier).where(tables.Record.id.in_(list(record_ids)))
    )
    return {int(r): str(i) for r, i in rows}


def updated_at(session: Session, record_ids: Collection[int]) -> dict[int, datetime]:
    """When each of ``record_ids`` last changed."""
    if not record_ids:
        return {}
    stmt = select(tables.Record.id, tables.Record.updated_at).where(tables.Record.id.in_(list(record_ids)))
    return {rid: at for rid, at in session.execute(stmt)}


def get_record(session: Session, record_id: int) -> Record | None:
    """A record with its tags in every state, or None when it is gone."""
    row = session.get(tables.Record, record_id)
    if row is None:
        return None
    return record_from_row(row, load_record_tags(session, [record_id]).get(record_id, []))


def update_record(session: Session, record_id: int, changes: Mapping[str, object]) -> bool:
    """Set columns of a record (names as in ``tables.Record``); False when the record is gone."""
    row = session.get(tables.Record, record_id)
    if row is None:
        return False
    for column, value in changes.items():
        setattr(row, column, value)
    return True


def column_value(session: Session, record_id: int, column: str) -> str | None:
    """One text column of a record (names as in ``tables.Record``); None when the record is gone."""
    row = session.execute(select(getattr(tables.Record, column)).where(tables.Record.id == record_id)).first()
    return None if row is None else str(row[0] or "")
