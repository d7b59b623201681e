"""The ``saved_searches`` table: list, save (insert or replace by name), rename, delete."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from heritage_tagger.db import tables
from heritage_tagger.domain.saved_search import SavedSearch, SearchNameTaken

S = tables.SavedSearch


def _plain(row: tables.SavedSearch) -> SavedSearch:
    return SavedSearch(
        id=row.id,
        name=row.name,
        filter_json=row.filter_json,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def list_searches(session: Session) -> list[SavedSearch]:
    """Every saved search, by name."""
    return [_plain(row) for row in session.scalars(select(S).order_by(S.name))]


def by_name(session: Session, name: str) -> SavedSearch | None:
    row = session.scalar(select(S).where(S.name == name))
    return _plain(row) if row is not None else None


def get(session: Session, search_id: int) -> SavedSearch | None:
    row = session.get(S, search_id)
    return _plain(row) if row is not None else None


def _flush(session: Session, name: str) -> None:
    """Write now; the unique key refusing ``name`` (another writer took it meanwhile) is ``SearchNameTaken``."""
    try:
        session.flush()
    except IntegrityError as exc:
        raise SearchNameTaken(name) from exc


def save(
    session: Session, name: str, filter_json: str, created_by: str, *, replace: bool
) -> tuple[SavedSearch, bool]:
    """Insert the search, or (``replace``) give the one with that name this filter (its creator stays);
    returns it and whether one was replaced. ``SearchNameTaken`` when the name is taken and not ``replace``."""
    row = session.scalar(select(S).where(S.name == name))
    replaced = row is not None
    if row is None:
        row = S(name=name, filter_json=filter_json, created_by=created_by)
        session.add(row)
    elif not replace:
        raise SearchNameTaken(name)
    else:
        row.filter_json = filter_json
    _flush(session, name)
    return _plain(row), replaced


def rename(session: Session, search_id: int, name: str) -> SavedSearch | None:
    """Give the search another name (None: it is gone); a name already taken fails on the unique key."""
    row = session.get(S, search_id)
    if row is None:
        return None
    if row.name != name and session.scalar(select(S.id).where(S.name == name)) is not None:
        raise SearchNameTaken(name)
    row.name = name
    _flush(session, name)
    return _plain(row)


def delete_search(session: Session, search_id: int) -> bool:
    """Delete the search; False when it was gone already."""
    result = session.execute(delete(S).where(S.id == search_id))
    return bool(getattr(result, "rowcount", 0))  # a CursorResult
