"""What training reads from the catalogue: every record's image and text, and its trusted tags."""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from heritage_tagger.db.tables import Record, RecordTag, Tag


class TrainingRow(NamedTuple):
    id: int
    identifier: str
    sha256: str
    source_path: str
    title: str
    description: str
    location: str


def training_rows(session: Session) -> list[TrainingRow]:
    """Every record in id order (tagged or not)."""
    rows = session.execute(
        select(
            Record.id,
            Record.identifier,
            Record.sha256,
            Record.source_path,
            Record.title,
            Record.description,
            Record.location,
        ).order_by(Record.id)
    )
    return [
        TrainingRow(int(i), ident, sha or "", path or "", title or "", desc or "", loc or "")
        for i, ident, sha, path, title, desc, loc in rows
    ]


def tags_in_states(session: Session, states: Collection[str]) -> dict[int, list[tuple[str, str]]]:
    """Record id -> (label, lemma) of its tags in ``states``, by label."""
    out: dict[int, list[tuple[str, str]]] = {}
    rows = session.execute(
        select(RecordTag.record_id, Tag.label, Tag.lemma)
        .join(Tag, Tag.id == RecordTag.tag_id)
        .where(RecordTag.state.in_(list(states)))
        .order_by(RecordTag.record_id, Tag.label)
    )
    for record_id, label, lemma in rows:
        out.setdefault(int(record_id), []).append((label, lemma or ""))
    return out
