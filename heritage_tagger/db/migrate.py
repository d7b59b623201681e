"""Alembic glue: find the migrations folder and upgrade a catalogue to head."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from heritage_tagger.db.errors import translate
from heritage_tagger.domain.errors import CatalogueError

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
UPGRADE_LOCK_KEY = 0x48_54_55_50  # "HTUP": the advisory lock that serialises upgrades of one database


def migrations_dir() -> Path:
    """The Alembic environment: inside the installed package, else the repository's ``migrations/``."""
    for candidate in (_PACKAGE_DIR / "_migrations", _PACKAGE_DIR.parent / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError("The Alembic migrations folder is missing from this installation.")


def alembic_config(engine: Engine | None = None):  # -> alembic.config.Config
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if engine is not None:
        url = engine.url.render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # ConfigParser interpolates %
    return config


@cache
def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@cache
def known_revisions() -> frozenset[str]:
    """Every revision this version's migrations know."""
    from alembic.script import ScriptDirectory

    return frozenset(r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions())


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _one_at_a_time(connection: Connection) -> Iterator[None]:
    """Hold a lock from the revision check to the commit: SQLite's write lock (BEGIN IMMEDIATE), or on
    PostgreSQL a transaction-level advisory lock.

    Two processes opening the same new catalogue then create it one after the other: the
    second waits (busy timeout), finds the schema current and does nothing. DDL runs inside
    the transaction too (both engines have transactional DDL), so a killed upgrade leaves the
    catalogue as it was.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK_KEY})
        yield
        return
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    previous = raw.isolation_level  # type: ignore[union-attr]
    raw.isolation_level = None  # type: ignore[union-attr]  # the driver must not BEGIN (or COMMIT) on its own
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield
    finally:
        raw.isolation_level = previous  # type: ignore[union-attr]


def upgrade_to_head(engine: Engine, revision: str = "head") -> None:
    """Run every pending migration inside one transaction (no-op when already at ``revision``)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    target = head_revision() if revision == "head" else revision
    config = alembic_config(engine)
    with engine.connect() as connection:
        with _one_at_a_time(connection):
            if MigrationContext.configure(connection).get_current_revision() != target:
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        connection.commit()


@contextmanager
def disposed_on_failure(engine: Engine, where: Path | str, what: str) -> Iterator[Engine]:
    """Checks and upgrade of a freshly opened ``engine``: on any failure the engine is disposed and
    the error becomes a librarian's one (``translate``, else "Cannot open ``what``: ..."). The one
    wrapper of a catalogue file's and a team catalogue's opening."""
    try:
        yield engine
    except BaseException as exc:
        engine.dispose()
        if isinstance(exc, CatalogueError) or not isinstance(exc, Exception):
            raise
        raise translate(exc, where) or CatalogueError(f"Cannot open {what}: {exc}") from exc
