"""A ``RecordScope`` (whole catalogue, a browser filter, chosen ids, an import batch) as a query restriction."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from heritage_tagger.db import browse, tables
from heritage_tagger.domain.scope import RecordScope, ScopeKind

#: ids per ``IN (...)`` list: far below SQLite's and PostgreSQL's bound-parameter limits
ID_CHUNK = 500


def restricted(stmt: Select, scope: RecordScope | None) -> Select:
    """``stmt`` (a select from ``records``) limited to ``scope``; a selection is limited by the caller
    in chunks of ids (``id_chunks``), never as one huge ``IN`` list."""
    if scope is None or scope.kind is ScopeKind.ALL or scope.kind is ScopeKind.SELECTION:
        return stmt
    if scope.kind is ScopeKind.FILTER:
        flt = scope.browse_filter
        if flt is None:
            return stmt
        if flt.batch_id is not None:
            stmt = _in_batch(stmt, flt.batch_id)
            flt = replace(flt, batch_id=None)
        return browse.filtered(stmt, flt)
    return _in_batch(stmt, scope.batch_id)


def _in_batch(stmt: Select, batch_id: int | None) -> Select:
    """The batch as a condition that no index answers (``batch_id + 0``): the chunks then walk the
    primary key (``id > :last ORDER BY id LIMIT n``) instead of reading the whole rest of the batch
    through its index and sorting it by id for every chunk (quadratic in the batch's size)."""
    return stmt.where(tables.Record.batch_id + 0 == batch_id)


def id_chunks(scope: RecordScope, size: int = ID_CHUNK) -> Iterator[list[int]]:
    """A selection's record ids in ascending chunks of ``size``."""
    ids = sorted(set(scope.record_ids))
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def count_in_scope(session: Session, scope: RecordScope | None) -> int:
    """How many records ``scope`` holds (chosen ids no longer in the catalogue are not counted)."""
    stmt = select(func.count()).select_from(tables.Record)
    if scope is not None and scope.kind is ScopeKind.SELECTION:
        return sum(
            int(session.scalar(stmt.where(tables.Record.id.in_(chunk))) or 0) for chunk in id_chunks(scope)
        )
    return int(session.scalar(restricted(stmt, scope)) or 0)
