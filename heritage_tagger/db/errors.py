"""Database and disk errors in a librarian's words: the one translation used by the CLI, the GUI and the engine.

SQLite errors are recognised by their result codes, PostgreSQL's (through psycopg) by their
SQLSTATE, disk errors by their errno. ``path`` names the catalogue in the message: a file path,
or a team catalogue's URL (shown without its password).
"""

from __future__ import annotations

import errno
import re
import sqlite3
from pathlib import Path

from heritage_tagger.domain.errors import (
    CatalogueBusyError,
    CatalogueError,
    CatalogueReadOnlyError,
    DiskFullError,
    HeritageTaggerError,
)
from heritage_tagger.domain.location import describe_location, is_server_url, redact
from heritage_tagger.domain.text import display_path

# SQLite primary result codes (https://sqlite.org/rescode.html)
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 10, 11, 13, 14, 26

_BY_TEXT = (  # older drivers without sqlite_errorcode: match the message
    ("database is locked", SQLITE_BUSY),
    ("database table is locked", SQLITE_LOCKED),
    ("readonly database", SQLITE_READONLY),
    ("database or disk is full", SQLITE_FULL),
    ("unable to open database file", SQLITE_CANTOPEN),
    ("disk i/o error", SQLITE_IOERR),
    ("database disk image is malformed", SQLITE_CORRUPT),
    ("file is not a database", SQLITE_NOTADB),
)


def _sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    """The sqlite3 error behind ``exc`` (SQLAlchemy wraps it as ``.orig``), if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sqlite3.Error):
            return current
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return None


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code behind ``exc`` (SQLITE_BUSY, SQLITE_FULL, ...), or None."""
    error = _sqlite_error(exc)
    if error is None:
        return None
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(error).lower()
    return next((c for needle, c in _BY_TEXT if needle in text), None)


def _subject(path: Path | str | None) -> str:
    if is_server_url(path):
        return f"the team catalogue {describe_location(path or '')}"
    return f"the catalogue {display_path(path)}" if path else "the catalogue"


def _subject_start(path: Path | str | None) -> str:
    text = _subject(path)
    return text[0].upper() + text[1:]


def _workspace(path: Path | str | None) -> str:
    if not path:
        return "its .heritage folder"
    return f"its {Path(path).stem}.heritage folder"


def busy_message(path: Path | str | None, timeout_s: float = 0.0) -> str:
    waited = f" for more than {timeout_s:g} seconds" if timeout_s else ""
    return (
        f"{_subject_start(path)} is busy: another Heritage Tagger process (or another program) kept it "
        f"locked{waited}; nothing was lost, so run the command again when that process has finished."
    )


def read_only_message(path: Path | str | None) -> str:
    return (
        f"{_subject_start(path)} is read-only (a read-only file, folder or disk), so nothing could be "
        f"saved: copy it with {_workspace(path)} to a folder you can write to, or ask for write permission, "
        "and run the command again."
    )


def disk_full_message(path: Path | str | None) -> str:
    return (
        f"The disk holding {_subject(path)} is full, so nothing more could be saved (what was saved before is "
        "intact): free some space, or move the catalogue to a larger disk, and run the command again."
    )


def translate(
    exc: BaseException, path: Path | str | None = None, *, timeout_s: float = 0.0
) -> CatalogueError | None:
    """The librarian's error for a database or disk error ``exc``, or None when it is none of those.

    ``path`` is the catalogue (named in the message), ``timeout_s`` the busy timeout that ran out.
    """
    if isinstance(exc, CatalogueError):
        return exc
    server = _postgres_error(exc)
    if server is not None:
        return _server_error(server, path, timeout_s)
    if _is_stale_data(exc):
        return CatalogueBusyError(
            "Another reviewer (or process) changed the same tag at the same moment, so this change was not "
            "saved: look at the record again (it shows the current state) and decide again if needed."
        )
    code = sqlite_code(exc)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return CatalogueBusyError(busy_message(path, timeout_s))
    if code in (SQLITE_READONLY, SQLITE_PERM):
        return CatalogueReadOnlyError(read_only_message(path))
    if code == SQLITE_FULL:
        return DiskFullError(disk_full_message(path))
    if code == SQLITE_CANTOPEN:
        return CatalogueError(
            f"{_subject_start(path)} cannot be opened or created (its folder is missing, not readable or "
            "not writable): check the path and the folder's permissions."
        )
    if code == SQLITE_IOERR:
        return CatalogueError(
            f"The disk holding {_subject(path)} reported a read or write error ({_sqlite_error(exc)}): check the "
            "disk (and its connection, for a network or USB disk) and run the command again."
        )
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return CatalogueError(
            f"{_subject_start(path)} is damaged ({_sqlite_error(exc)}): restore it from a backup "
            "(the catalogue file together with its .heritage folder)."
        )
    if isinstance(exc, OSError):
        return _os_error(exc)
    return None


# PostgreSQL SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html)
_UNREACHABLE = ("08", "57P")  # connection exceptions, operator intervention (shutdown, starting up)
_LOGIN = ("28",)  # invalid authorisation
_BUSY = ("55P03", "40001", "40P01", "53300", "57014")  # lock timeout, serialisation, deadlock, too many
_READ_ONLY = ("42501", "25006")  # insufficient privilege, read-only transaction (a standby)
_FULL = ("53100",)


def _postgres_error(exc: BaseException) -> BaseException | None:
    """The psycopg error behind ``exc`` (SQLAlchemy wraps it as ``.orig``), if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if type(current).__module__.startswith("psycopg"):
            return current
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return None


def _is_stale_data(exc: BaseException) -> bool:
    """SQLAlchemy's StaleDataError: an UPDATE or DELETE that said ``WHERE version = ...`` found a newer row."""
    return type(exc).__name__ == "StaleDataError" and type(exc).__module__.startswith("sqlalchemy")


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return redact(text[0]) if text else type(error).__name__


_CONNECT_TEXT = (  # a failed connection carries no SQLSTATE: the server's message says why
    (r'database ".*" does not exist', "3D000"),
    (r"password authentication failed|no pg_hba\.conf entry|role \".*\" does not exist", "28000"),
    (r"fe_sendauth: no password supplied|authentication failed", "28000"),
)


def _server_error(error: BaseException, path: Path | str | None, timeout_s: float) -> CatalogueError | None:
    state = str(getattr(error, "sqlstate", None) or "")
    if not state:
        text = str(error)
        state = next((code for pattern, code in _CONNECT_TEXT if re.search(pattern, text)), "")
    subject = _subject(path)
    if state.startswith(_LOGIN):
        return CatalogueError(
            f"The server of {subject} refused the login ({_first_line(error)}): check the user name and "
            "password in the connection string (or in your ~/.pgpass file), or ask the catalogue's administrator."
        )
    if state == "3D000":
        return CatalogueError(
            f"The database of {subject} does not exist on its server: check its name in the connection "
            'string, or ask the administrator to create it (README: "Setting up a team catalogue").'
        )
    if state.startswith(_BUSY):
        return CatalogueBusyError(
            f"{subject[0].upper() + subject[1:]} is busy: another reviewer's change kept the same rows locked"
            + (f" for more than {timeout_s:g} seconds" if timeout_s else "")
            + "; nothing was lost, so try again in a moment."
        )
    if state.startswith(_READ_ONLY):
        return CatalogueReadOnlyError(
            f"You have read-only access to {subject} ({_first_line(error)}), so nothing was saved: ask the "
            "catalogue's administrator for write access."
        )
    if state.startswith(_FULL):
        return DiskFullError(
            f"The server of {subject} ran out of disk space, so nothing more could be saved (what was saved "
            "before is intact): ask the administrator to free some space."
        )
    if not state or state.startswith(_UNREACHABLE):
        if type(error).__name__ not in ("OperationalError", "InterfaceError") and state == "":
            return None
        return CatalogueError(
            f"Cannot reach the server of {subject} ({_first_line(error)}): check that the server is running "
            "and that this computer can reach it (network, VPN, firewall), then try again."
        )
    return None


def _os_error(exc: OSError) -> CatalogueError | None:
    where = display_path(exc.filename) if exc.filename else "a file"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DiskFullError(
            f"The disk is full: {where} could not be written. Free some space and run the command again."
        )
    if exc.errno == errno.EROFS:
        return CatalogueReadOnlyError(
            f"{where} is on a read-only disk, so it could not be written: copy the catalogue with its "
            ".heritage folder to a disk you can write to, and run the command again."
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return CatalogueReadOnlyError(
            f"Permission denied for {where}: ask for write permission (or use a folder you can write to) "
            "and run the command again."
        )
    return None


def librarian_message(exc: BaseException, path: Path | str | None = None) -> str | None:
    """One line for the librarian about ``exc``: ours as they are, database and disk errors translated."""
    if isinstance(exc, HeritageTaggerError):
        return str(exc)
    translated = translate(exc, path)
    return str(translated) if translated is not None else None
