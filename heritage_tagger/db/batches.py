"""Import batches and the records they add: the resumable batch of a folder, duplicates by content, identifiers."""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from heritage_tagger.db.tables import ImportBatch, Record

__all__ = ["ExistingImage", "ImportBatch", "Record", "existing_image", "identifier_taken", "unfinished_batch"]


class ExistingImage(NamedTuple):
    """A record that already holds an image (found by its SHA-256)."""

    id: int
    batch_id: int | None
    source_path: str


def unfinished_batch(session: Session, folder: str, statuses: Collection[str]) -> ImportBatch | None:
    """The newest batch of ``folder`` whose status is one of ``statuses``."""
    return session.scalar(
        select(ImportBatch)
        .where(ImportBatch.folder == folder, ImportBatch.status.in_(list(statuses)))
        .order_by(ImportBatch.id.desc())
    )


def existing_image(session: Session, sha256: str) -> ExistingImage | None:
    row = session.execute(
        select(Record.id, Record.batch_id, Record.source_path).where(Record.sha256 == sha256)
    ).first()
    return None if row is None else ExistingImage(int(row.id), row.batch_id, row.source_path or "")


def identifier_taken(session: Session, identifier: str) -> bool:
    return session.scalar(select(Record.id).where(Record.identifier == identifier)) is not None


def any_unfinished(session: Session, statuses: Collection[str]) -> bool:
    """Whether some import batch has one of ``statuses`` (an import was interrupted)."""
    return (
        session.scalar(select(ImportBatch.id).where(ImportBatch.status.in_(list(statuses))).limit(1))
        is not None
    )
