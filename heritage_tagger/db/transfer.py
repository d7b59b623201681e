"""Copy every row of one catalogue database into another (SQLite to PostgreSQL and back): ids kept, in one
transaction, row counts and the decisions log verified before it commits."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, insert, select, text

from heritage_tagger.db.tables import Base
from heritage_tagger.domain.errors import CatalogueError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress

#: what belongs to one database and is never copied: its own media root and identity, its locks
NOT_COPIED = frozenset({"catalogue_properties", "team_locks"})
#: a destination holding rows in any of these already has a catalogue in it
CONTENT = ("records", "tags", "decisions", "model_versions", "import_batches", "jobs", "vocabularies")
CHUNK = 2000

Rewrite = Callable[[dict[str, Any]], dict[str, Any]]


def copied_tables() -> list[Table]:
    """The catalogue's tables in an order that inserts every row after the rows it refers to."""
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_COPIED]


def counts(connection: Connection) -> dict[str, int]:
    """Rows per copied table."""
    return {t.name: int(connection.scalar(select(func.count()).select_from(t)) or 0) for t in copied_tables()}


def _plain(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return repr(value)


def decisions_digest(connection: Connection) -> str:
    """SHA-256 of the whole decisions log, entry by entry in id order (every column)."""
    table = Base.metadata.tables["decisions"]
    digest = hashlib.sha256()
    result = connection.execution_options(yield_per=CHUNK).execute(select(table).order_by(table.c.id))
    for row in result:
        digest.update("\x1f".join(_plain(v) for v in row).encode("utf-8", "surrogatepass"))
        digest.update(b"\x1e")
    return digest.hexdigest()


def content_rows(engine: Engine) -> int:
    """How many rows the destination already holds in the tables that make a catalogue."""
    with engine.connect() as connection:
        found = counts(connection)
    return sum(found[name] for name in CONTENT)


def _reset_sequences(connection: Connection) -> None:
    """After rows were inserted with their ids, PostgreSQL's id sequences continue after the largest."""
    for table in copied_tables():
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
            )
        )


def copy_catalogue(
    source: Engine,
    dest: Engine,
    rewrites: Mapping[str, Rewrite] | None = None,
    *,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> tuple[dict[str, int], str]:
    """Copy every row of ``source`` into the empty catalogue ``dest``; returns (rows per table, log digest).

    ``rewrites`` change rows of a table on the way (file paths relative to another folder). Nothing
    is committed unless every table's count and the decisions log's digest match the source's.
    """
    rewrites = rewrites or {}
    tables = copied_tables()
    with source.connect() as read:
        wanted = counts(read)
        digest = decisions_digest(read)
        total = sum(wanted.values())
        done = 0
        with dest.begin() as write:
            for table in tables:
                if cancel is not None:
                    cancel.check()
                rewrite = rewrites.get(table.name)
                order = list(table.primary_key.columns)
                result = read.execution_options(yield_per=CHUNK).execute(select(table).order_by(*order))
                for chunk in result.partitions():
                    rows = [dict(row._mapping) for row in chunk]
                    if rewrite is not None:
                        rows = [rewrite(row) for row in rows]
                    write.execute(insert(table), rows)
                    done += len(rows)
                    progress(Progress("copying rows", done, total, table.name))
                    if cancel is not None:
                        cancel.check()
            if write.dialect.name == "postgresql":
                _reset_sequences(write)
            got = counts(write)
            copied_digest = decisions_digest(write)
            wrong = {name: (wanted[name], got[name]) for name in wanted if wanted[name] != got[name]}
            if wrong or copied_digest != digest:
                what = ", ".join(f"{n}: {a} rows in the source, {b} copied" for n, (a, b) in wrong.items())
                raise CatalogueError(
                    "The copy does not match the source ("
                    + (what or "the decisions log differs")
                    + "), so nothing was saved in the destination."
                )
        read.rollback()
    return got, digest
