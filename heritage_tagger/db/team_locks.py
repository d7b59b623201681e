"""Team-wide locks of a catalogue on PostgreSQL: an advisory lock held on a connection of its own, plus a
``team_locks`` row that says who holds it and since when.

The advisory lock is the lock: the server releases it when the holder's connection ends (a crash,
a kill, a lost network), so a lock is never left behind. The row is only what a second request
shows ("ann on pc-12, since 10:42"); a row whose advisory lock is free is stale and overwritten.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, insert, select, text

from heritage_tagger.db.tables import TeamLock, utcnow


def lock_key(name: str) -> int:
    """The signed 64-bit advisory-lock key of the lock ``name`` (per database, so per catalogue)."""
    digest = hashlib.sha256(f"heritage-tagger:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@dataclass(frozen=True)
class LockRow:
    """Who holds a team lock (from its ``team_locks`` row)."""

    holder: str
    host: str
    pid: int
    since: datetime | None
    token: str = ""


def _row(connection: Connection, name: str) -> LockRow | None:
    row = connection.execute(
        select(TeamLock.holder, TeamLock.host, TeamLock.pid, TeamLock.since, TeamLock.token).where(
            TeamLock.name == name
        )
    ).first()
    return None if row is None else LockRow(row.holder, row.host, int(row.pid), row.since, row.token)


def is_held(engine: Engine, name: str) -> bool:
    """Whether some connection holds the advisory lock ``name`` now (read from ``pg_locks``)."""
    key = lock_key(name)
    unsigned = key & 0xFFFF_FFFF_FFFF_FFFF
    with engine.connect() as connection:
        return bool(
            connection.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                    "AND classid = :high AND objid = :low AND objsubid = 1"
                ),
                {"high": unsigned >> 32, "low": unsigned & 0xFFFF_FFFF},
            ).scalar()
        )


def holder(engine: Engine, name: str) -> LockRow | None:
    """Who holds the lock ``name`` now, or None when nobody does."""
    if not is_held(engine, name):
        return None
    with engine.connect() as connection:
        return _row(connection, name) or LockRow("someone", "?", 0, None)


class AdvisoryLock:
    """One team lock, taken with :meth:`acquire` and given back with :meth:`release` (or by the server when
    this process's connection ends)."""

    def __init__(self, engine: Engine, name: str, token: str) -> None:
        self.engine, self.name, self.token = engine, name, token
        self._connection: Connection | None = None

    def acquire(self, holder: str, host: str, pid: int) -> LockRow | None:
        """Take the lock and return None, or return who has it (never waits)."""
        connection = self.engine.connect()
        try:
            got = connection.execute(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": lock_key(self.name)}
            ).scalar()
            if not got:
                found = _row(connection, self.name)
                connection.rollback()
                connection.close()
                return found or LockRow("someone", "?", 0, None)
            connection.execute(delete(TeamLock).where(TeamLock.name == self.name))
            connection.execute(
                insert(TeamLock).values(
                    name=self.name, holder=holder, host=host, pid=pid, token=self.token, since=utcnow()
                )
            )
            connection.commit()
        except BaseException:
            connection.close()  # the server drops a session-level advisory lock with its connection
            raise
        self._connection = connection
        return None

    def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.execute(
                delete(TeamLock).where(TeamLock.name == self.name, TeamLock.token == self.token)
            )
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key(self.name)})
            connection.commit()
        finally:
            connection.close()
