"""Engines for team catalogues on a PostgreSQL server (psycopg 3): connection, checks and auto-upgrade.

The same tables and Alembic revisions as an SQLite catalogue. A database holding another
application's tables (or catalogue tables without a schema version, or a newer schema) is
refused and left unchanged; an empty one becomes a catalogue. Rows wait for another reviewer's
lock at most the busy timeout (``lock_timeout``), then fail with a plain message.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from heritage_tagger.db.errors import translate
from heritage_tagger.db.inspect import DatabaseKind, inspect_server
from heritage_tagger.db.migrate import disposed_on_failure, head_revision, upgrade_to_head
from heritage_tagger.domain.errors import CatalogueError
from heritage_tagger.domain.location import redact
from heritage_tagger.settings import busy_timeout_s

DRIVER = "postgresql+psycopg"
CONNECT_TIMEOUT_S = 10
NO_DRIVER = (
    "Team catalogues on a PostgreSQL server need the psycopg driver, which is not installed: "
    "install it with `pip install 'heritage-tagger[postgres]'` (or `pip install 'psycopg[binary]'`)."
)


def server_url(location: str) -> URL:
    """``postgresql://...`` (or ``postgres://``) as SQLAlchemy's URL for the psycopg 3 driver."""
    try:
        url = make_url(location)
    except ArgumentError as exc:
        raise CatalogueError(
            f"{redact(location)} is not a valid connection string: write it as "
            "postgresql://USER@HOST[:PORT]/DATABASE."
        ) from exc
    if not url.database:
        raise CatalogueError(
            f"The connection string {redact(location)} names no database: write it as "
            "postgresql://USER@HOST[:PORT]/DATABASE."
        )
    return url.set(drivername=DRIVER)


def make_server_engine(location: str, *, pool_size: int = 5) -> Engine:
    """An engine on the team catalogue at ``location``: errors translated, lock waits bounded."""
    url = server_url(location)
    timeout_ms = int(busy_timeout_s() * 1000)
    try:
        engine = create_engine(
            url,
            pool_pre_ping=True,
            pool_size=pool_size,
            connect_args={
                "connect_timeout": CONNECT_TIMEOUT_S,
                "application_name": "heritage-tagger",
                "options": f"-c lock_timeout={timeout_ms}",
            },
        )
    except ImportError as exc:
        raise CatalogueError(NO_DRIVER) from exc
    shown = redact(location)

    def on_error(context: Any) -> None:
        translated = translate(context.original_exception, shown, timeout_s=timeout_ms / 1000)
        if translated is not None:
            raise translated from context.original_exception

    event.listen(engine, "handle_error", on_error)
    return engine


def open_server_engine(location: str, *, create: bool = True) -> Engine:
    """Open the team catalogue at ``location`` and upgrade it to the newest schema (see the module docstring)."""
    engine = make_server_engine(location)
    shown = redact(location)
    with disposed_on_failure(engine, shown, f"the team catalogue {shown}"):
        found = inspect_server(engine)
        found.refuse_if_not_ours(location)
        if found.kind is DatabaseKind.EMPTY and not create:
            raise CatalogueError(f"There is no catalogue in {shown} yet.")
        if found.kind is not DatabaseKind.CATALOGUE or found.revision != head_revision():
            upgrade_to_head(engine)
    return engine
