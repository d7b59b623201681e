"""The catalogue's own properties (``catalogue_properties``): a team catalogue's media root and identity."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from heritage_tagger.db.tables import CatalogueProperty

MEDIA_ROOT = "media_root"
CATALOGUE_ID = "catalogue_id"


def get(session: Session, name: str) -> str | None:
    return session.scalar(select(CatalogueProperty.value).where(CatalogueProperty.name == name))


def add(session: Session, name: str, value: str) -> None:
    """Set a property that must not exist yet (a duplicate key when another transaction set it first)."""
    session.add(CatalogueProperty(name=name, value=value))
    session.flush()


def put(session: Session, name: str, value: str) -> None:
    """Set a property inside the caller's transaction, whether it exists or not."""
    row = session.get(CatalogueProperty, name)
    if row is None:
        session.add(CatalogueProperty(name=name, value=value))
    else:
        row.value = value
    session.flush()


def all_properties(session: Session) -> dict[str, str]:
    return {row.name: row.value for row in session.scalars(select(CatalogueProperty))}
