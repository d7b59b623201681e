"""Bulk inserts of records and record tags for generated catalogues (``synth``): fast on large N."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from heritage_tagger.db import tables

RECORD_COLUMNS = (
    "id", "identifier", "title", "description", "location", "date_text", "date_sort", "creator", "rights",
    "source_path", "sha256", "mime_type", "width", "height", "batch_id", "created_at", "updated_at",
)  # fmt: skip
TAG_COLUMNS = ("record_id", "tag_id", "state", "score", "source", "updated_at")


def new_batch(session: Session, folder: str, report_json: str) -> tuple[int, int]:
    """A finished import batch for generated records: (its id, the first free record id)."""
    batch = tables.ImportBatch(folder=folder, status="done", report_json=report_json)
    session.add(batch)
    session.flush()
    first = int(session.scalar(select(func.max(tables.Record.id))) or 0) + 1
    return batch.id, first


def insert_rows(
    engine: Engine, records: Sequence[tuple[Any, ...]], record_tags: Sequence[tuple[Any, ...]]
) -> None:
    """Insert records (``RECORD_COLUMNS`` tuples) and their tags (``TAG_COLUMNS``) in one transaction.

    On SQLite the driver's executemany is used directly (several times faster for a million rows);
    elsewhere SQLAlchemy's batched insert.
    """
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            marks = lambda n: ", ".join("?" * n)  # noqa: E731
            conn.exec_driver_sql(
                f"INSERT INTO records ({', '.join(RECORD_COLUMNS)}) VALUES ({marks(len(RECORD_COLUMNS))})",
                list(records),
            )
            if record_tags:
                conn.exec_driver_sql(
                    f"INSERT INTO record_tags ({', '.join(TAG_COLUMNS)}) VALUES ({marks(len(TAG_COLUMNS))})",
                    list(record_tags),
                )
            return
        conn.execute(insert(tables.Record), [dict(zip(RECORD_COLUMNS, r, strict=True)) for r in records])
        if record_tags:
            conn.execute(
                insert(tables.RecordTag), [dict(zip(TAG_COLUMNS, t, strict=True)) for t in record_tags]
            )


def finish_batch(session: Session, batch_id: int, n_imported: int) -> None:
    row = session.get(tables.ImportBatch, batch_id)
    if row is not None:
        row.n_imported = n_imported
        row.finished_at = tables.utcnow()
