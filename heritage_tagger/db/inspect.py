"""Look at a database read-only before anything writes to it: is it a catalogue, and of which schema?

An SQLite file is read with the ``sqlite3`` module itself (no journal-mode switch, no ``-wal``);
a PostgreSQL database through SQLAlchemy's inspector (:func:`inspect_server`).
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from heritage_tagger.db.errors import translate
from heritage_tagger.db.migrate import known_revisions
from heritage_tagger.domain.errors import CatalogueError, CatalogueReadOnlyError, ForeignDatabaseError
from heritage_tagger.domain.location import describe_location, is_server_url
from heritage_tagger.domain.text import display_path
from heritage_tagger.settings import busy_timeout_s

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: tables every catalogue has had since its first revision
CORE_TABLES = frozenset({"records", "tags", "record_tags", "decisions", "model_versions"})


class DatabaseKind(enum.Enum):
    EMPTY = "empty"  # an SQLite file without tables: a catalogue may be made in it
    CATALOGUE = "catalogue"  # ours, at a revision this version knows
    NEWER = "newer"  # ours, at a revision this version does not know
    UNVERSIONED = "unversioned"  # tables but no schema version
    FOREIGN = "foreign"  # another application's tables


@dataclass
class Found:
    """What an SQLite file holds."""

    kind: DatabaseKind
    revision: str | None = None
    tables: list[str] = field(default_factory=list)

    def refuse_if_not_ours(self, path: Path | str) -> None:
        """Raise ForeignDatabaseError unless the file (or server database) is a catalogue (or an empty database)."""
        name = describe_location(path)
        thing = "database" if is_server_url(path) else "file"
        unchanged = f"It was left unchanged; choose another {thing} for a catalogue"
        if self.kind is DatabaseKind.FOREIGN:
            shown = ", ".join(self.tables[:5]) + (", ..." if len(self.tables) > 5 else "")
            raise ForeignDatabaseError(
                f"{name} is not a Heritage Tagger catalogue: it is another application's database "
                f"(tables {shown}). {unchanged}."
            )
        if self.kind is DatabaseKind.UNVERSIONED:
            raise ForeignDatabaseError(
                f"{name} has catalogue tables but no schema version, so it cannot be opened or upgraded "
                f"safely. {unchanged}, or restore the catalogue from a backup."
            )
        if self.kind is DatabaseKind.NEWER:
            raise ForeignDatabaseError(
                f"The catalogue {name} was made by a newer version of Heritage Tagger (schema {self.revision}). "
                "It was left unchanged; install the newer version to open it."
            )


def sqlite_uri(path: Path, flags: str) -> str:
    """An SQLite URI (``file:///...?flags``) for ``path``, any character of its name escaped."""
    return path.resolve().as_uri() + "?" + flags


def _wal_without_log(path: Path) -> bool:
    """A WAL-mode file with no ``-wal`` beside it: nothing holds it open, its pages are all in the file."""
    with path.open("rb") as fh:
        header = fh.read(20)
    wal = path.with_name(path.name + "-wal")
    return header[18:20] == b"\x02\x02" and not wal.exists()


def readonly_flags(path: Path) -> str:
    """URI flags that read ``path`` without writing: ``mode=ro``, or ``immutable=1`` where a read-only
    folder leaves no room for SQLite's ``-shm`` file (and no ``-wal`` holds unsaved pages)."""
    error: sqlite3.Error | None = None
    for flags in ("mode=ro", "immutable=1"):
        if flags == "immutable=1":
            wal = path.with_name(path.name + "-wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise CatalogueReadOnlyError(
                    f"The catalogue {display_path(path)} was not closed cleanly and lies in a read-only folder, "
                    "so it cannot be read safely: copy it with its -wal file and .heritage folder to a folder "
                    "you can write to."
                )
        connection = sqlite3.connect(sqlite_uri(path, flags), uri=True, timeout=busy_timeout_s())
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return flags
        except sqlite3.Error as exc:
            error = exc
        finally:
            connection.close()
    assert error is not None
    raise translate(error, path) or CatalogueError(f"Cannot read {display_path(path)}: {error}") from error


def inspect_database(path: Path) -> Found:
    """Classify the SQLite file at ``path`` without writing to it (nor to its journal mode)."""
    # immutable=1 reads a WAL-mode file that nothing holds open without creating -wal and -shm
    # files beside it (mode=ro would); otherwise mode=ro, which never writes the file itself
    flags = "immutable=1" if _wal_without_log(path) else "mode=ro"
    try:
        connection = sqlite3.connect(sqlite_uri(path, flags), uri=True, timeout=busy_timeout_s())
    except sqlite3.Error as exc:
        raise translate(exc, path) or CatalogueError(f"Cannot read {display_path(path)}: {exc}") from exc
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        revision = None
        if "alembic_version" in tables:
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
            revision = rows[0][0] if len(rows) == 1 else None
    except sqlite3.Error as exc:
        raise translate(exc, path) or CatalogueError(f"Cannot read {display_path(path)}: {exc}") from exc
    finally:
        connection.close()
    return classify(tables, revision)


def inspect_server(engine: Engine) -> Found:
    """Classify a PostgreSQL database (its ``public`` schema) without writing to it."""
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        tables = sorted(inspect(connection).get_table_names() + inspect(connection).get_view_names())
        revision = None
        if "alembic_version" in tables:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
            revision = rows[0][0] if len(rows) == 1 else None
        connection.rollback()
    return classify(tables, revision)


def classify(tables: list[str], revision: str | None) -> Found:
    """What a database holding ``tables`` at schema ``revision`` is (ours, newer, another application's...)."""
    others = [t for t in tables if t != "alembic_version"]
    if not others and revision is None:
        kind = DatabaseKind.EMPTY
    elif revision is not None and revision in known_revisions():
        kind = DatabaseKind.CATALOGUE
    elif CORE_TABLES <= set(others):
        kind = DatabaseKind.NEWER if revision is not None else DatabaseKind.UNVERSIONED
    else:
        kind = DatabaseKind.FOREIGN
    return Found(kind=kind, revision=revision, tables=others)
