"""Engine and sessions for a catalogue file: SQLite pragmas, busy waits, read-only opening and auto-upgrade.

A file is checked before anything is written to it: another application's database, or one
without a schema version, is refused and left byte for byte as it was. A catalogue that
cannot be written (read-only file, folder or disk) opens read-only, so that reading
commands still work; writing ones fail with one sentence saying what to do.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError as DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from heritage_tagger.db.errors import translate
from heritage_tagger.db.inspect import DatabaseKind, inspect_database, readonly_flags, sqlite_uri
from heritage_tagger.db.migrate import disposed_on_failure, head_revision, upgrade_to_head
from heritage_tagger.domain.errors import CatalogueBusyError, CatalogueError, CatalogueReadOnlyError
from heritage_tagger.domain.location import is_server_url
from heritage_tagger.domain.text import display_path
from heritage_tagger.settings import BUSY_NOTICE_AFTER_S, busy_timeout_s

WaitNotifier = Callable[[Path, float], None]
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")

#: the database types the layers above use without importing SQLAlchemy themselves
SessionFactory = sessionmaker[Session]
__all__ = [
    "DatabaseError",
    "Engine",
    "Session",
    "SessionFactory",
    "is_server",
    "make_engine",
    "open_engine",
    "session_factory",
]


def print_waiting(path: Path, timeout_s: float) -> None:
    """The default notice while a write waits for another process's lock (on stderr)."""
    print(
        f"heritage-tagger: waiting for another Heritage Tagger process to finish writing to the catalogue "
        f"{display_path(path)} (up to {timeout_s:g} seconds)...",
        file=sys.stderr,
        flush=True,
    )


_notifier: WaitNotifier = print_waiting


def set_wait_notifier(notifier: WaitNotifier | None) -> WaitNotifier:
    """Replace the notice shown while a write waits for a lock (None: the default); returns the old one."""
    global _notifier
    old, _notifier = _notifier, notifier or print_waiting
    return old


def _pragmas(timeout_s: float, *, readonly: bool) -> Callable[[Any, Any], None]:
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(timeout_s * 1000)}")  # first: WAL below may wait
        cursor.execute("PRAGMA foreign_keys=ON")
        if not readonly:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return set_pragmas


def _watch_waits(engine: Engine, path: Path, timeout_s: float) -> None:
    """Say so when the first write of a transaction waits for another process's lock.

    SQLite waits for a lock only when a transaction starts writing (WAL readers never wait),
    so a timer is armed on that statement alone and disarmed when it returns.
    """

    def before(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if conn.info.get("ht_wrote") or not statement.lstrip().upper().startswith(_WRITES):
            return
        timer = threading.Timer(BUSY_NOTICE_AFTER_S, lambda: _notifier(path, timeout_s))
        timer.daemon = True
        conn.info["ht_timer"] = timer
        timer.start()

    def after(conn: Any, *_: Any) -> None:
        timer = conn.info.pop("ht_timer", None)
        if timer is not None:
            timer.cancel()
            conn.info["ht_wrote"] = True

    def reset(conn: Any) -> None:
        conn.info.pop("ht_wrote", None)

    def on_error(context: Any) -> None:
        conn = context.connection
        if conn is not None:
            timer = conn.info.pop("ht_timer", None)
            if timer is not None:
                timer.cancel()
        translated = translate(context.original_exception, path, timeout_s=timeout_s)
        if translated is not None:
            raise translated from context.original_exception

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    event.listen(engine, "commit", reset)
    event.listen(engine, "rollback", reset)
    event.listen(engine, "handle_error", on_error)


def make_engine(path: Path, *, readonly_flags: str | None = None) -> Engine:
    """An engine on ``path``: WAL journalling, foreign keys, a busy timeout with a notice while waiting.

    With ``readonly_flags`` (``mode=ro`` or ``immutable=1``) the file is opened read-only and no
    pragma that writes (journal mode) is sent.
    """
    path = Path(path)
    timeout_s = busy_timeout_s()
    if readonly_flags:
        url = URL.create("sqlite", database=sqlite_uri(path, readonly_flags), query={"uri": "true"})
    else:
        url = URL.create("sqlite", database=str(path))
    engine = create_engine(url, future=True)
    event.listen(engine, "connect", _pragmas(timeout_s, readonly=readonly_flags is not None))
    _watch_waits(engine, path, timeout_s)
    return engine


def is_server(engine: Engine) -> bool:
    """True for a team catalogue's engine (PostgreSQL), False for an SQLite file's."""
    return engine.dialect.name == "postgresql"


def is_readonly(engine: Engine) -> bool:
    """True for an engine :func:`open_engine` opened read-only."""
    database = engine.url.database or ""
    return database.startswith("file:") and ("mode=ro" in database or "immutable=1" in database)


def writable(path: Path) -> bool:
    """Whether SQLite can write the catalogue: the file, and its folder (for the WAL files) or those files."""
    if not os.access(path, os.W_OK):
        return False
    if os.access(path.parent, os.W_OK):
        return True
    return all(os.access(path.with_name(path.name + s), os.W_OK) for s in ("-wal", "-shm"))


def _check_file(path: Path, create: bool) -> bool:
    """Refuse what is not a catalogue file; True when the file is new (missing or empty)."""
    if not path.exists():
        if not create:
            raise CatalogueError(f"No catalogue at {display_path(path)}.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise translate(exc) or CatalogueError(
                f"Cannot create the folder for the catalogue {display_path(path)}: {exc}"
            ) from exc
        return True
    if path.is_dir():
        raise CatalogueError(f"{display_path(path)} is a folder, not a catalogue file.")
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise translate(exc) or CatalogueError(
            f"Cannot read the catalogue {display_path(path)}: {exc.strerror or exc}."
        ) from exc
    if head and not head.startswith(b"SQLite format 3"):
        raise CatalogueError(f"{display_path(path)} is not a Heritage Tagger catalogue (not an SQLite file).")
    return not head


def open_engine(path: Path | str, *, create: bool = True) -> Engine:
    """Open (and if needed create) the catalogue at ``path`` and upgrade it to the newest schema.

    A file that holds another application's tables, or tables without a schema version, is
    refused with ForeignDatabaseError and left unchanged. A catalogue that cannot be written
    opens read-only (see :func:`is_readonly`) when its schema is current. A ``postgresql://``
    URL opens a team catalogue on its server (:mod:`heritage_tagger.db.server`).
    """
    if is_server_url(path):
        from heritage_tagger.db.server import open_server_engine

        return open_server_engine(str(path), create=create)
    path = Path(path).expanduser()
    deadline = time.monotonic() + busy_timeout_s()
    while True:
        try:
            return _open_file(path, create)
        except CatalogueBusyError:
            # SQLite answers "busy" at once, without its busy wait, in a few races between processes
            # opening one new catalogue together (the switch to WAL, a WAL recovery): try again
            # until the busy timeout has really passed.
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def _open_file(path: Path, create: bool) -> Engine:
    new = _check_file(path, create)
    found = None
    if not new:
        found = inspect_database(path)
        found.refuse_if_not_ours(path)
        if not writable(path):
            return _open_readonly(path, found)
    engine = make_engine(path)
    with disposed_on_failure(engine, path, f"the catalogue {display_path(path)}"):
        if found is None or found.kind is not DatabaseKind.CATALOGUE or found.revision != head_revision():
            upgrade_to_head(engine)
    return engine


def _open_readonly(path: Path, found: Any) -> Engine:
    if found.kind is DatabaseKind.EMPTY:
        raise CatalogueReadOnlyError(
            f"{display_path(path)} is an empty file that cannot be written, so no catalogue can be made in it: "
            "choose a file in a folder you can write to."
        )
    if found.revision != head_revision():
        raise CatalogueReadOnlyError(
            f"The catalogue {display_path(path)} was made by an older version of Heritage Tagger and must be "
            "upgraded before it can be opened, but it is read-only: copy it with its .heritage folder to a "
            "folder you can write to, or ask for write permission."
        )
    return make_engine(path, readonly_flags=readonly_flags(path))


def session_factory(engine: Engine) -> SessionFactory:
    return sessionmaker(bind=engine, expire_on_commit=False, future=True)
