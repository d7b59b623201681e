"""Engine and sessions for a catalogue file: SQLite pragmas (WAL, foreign keys) and auto-upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError as DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from heritage_tagger.db.migrate import upgrade_to_head
from heritage_tagger.domain.errors import CatalogueError

#: the database types the layers above use without importing SQLAlchemy themselves
SessionFactory = sessionmaker[Session]
__all__ = [
    "DatabaseError",
    "Engine",
    "Session",
    "SessionFactory",
    "make_engine",
    "open_engine",
    "session_factory",
]


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(path: Path) -> Engine:
    """An engine on ``path`` with WAL journalling and foreign keys on every connection."""
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _set_pragmas)
    return engine


def open_engine(path: Path, *, create: bool = True) -> Engine:
    """Open (and if needed create) the catalogue at ``path`` and upgrade it to the newest schema."""
    path = Path(path).expanduser()
    if not path.exists():
        if not create:
            raise CatalogueError(f"No catalogue at {path}.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CatalogueError(f"Cannot create the folder for the catalogue {path}: {exc}") from exc
    elif path.is_dir():
        raise CatalogueError(f"{path} is a folder, not a catalogue file.")
    else:
        with path.open("rb") as fh:
            head = fh.read(16)
        if head and not head.startswith(b"SQLite format 3"):
            raise CatalogueError(f"{path} is not a Heritage Tagger catalogue (not an SQLite file).")
    engine = make_engine(path)
    try:
        upgrade_to_head(engine)
    except (sqlite3.DatabaseError, Exception) as exc:
        engine.dispose()
        if isinstance(exc, CatalogueError):
            raise
        raise CatalogueError(f"Cannot open the catalogue {path}: {exc}") from exc
    return engine


def session_factory(engine: Engine) -> SessionFactory:
    return sessionmaker(bind=engine, expire_on_commit=False, future=True)
