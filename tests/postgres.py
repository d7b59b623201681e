"""Fresh PostgreSQL databases for the tests run with ``--engine=postgresql`` (one per test, dropped after).

The server is named by ``HERITAGE_TAGGER_TEST_POSTGRES`` (a connection string to a database the
test user may create databases from, e.g. ``postgresql://heritage@127.0.0.1:55432/postgres``);
``.ci/run`` starts a throwaway one and sets it.
"""

from __future__ import annotations

import os
import uuid

POSTGRES_ENV = "HERITAGE_TAGGER_TEST_POSTGRES"


def admin_url() -> str:
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        raise RuntimeError(
            f"--engine=postgresql needs a server: set {POSTGRES_ENV} to a connection string such as "
            "postgresql://USER@127.0.0.1:5432/postgres (.ci/run starts a throwaway server and sets it)"
        )
    return url


def _connect(url: str):  # -> psycopg.Connection
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def check_server() -> str:
    """The server's version line, or an exception saying why it cannot be reached."""
    with _connect(admin_url()) as connection:
        row = connection.execute("SELECT version()").fetchone()
        return str(row[0]) if row else "?"


def create_database() -> str:
    """A new empty database on the test server; returns its URL."""
    from sqlalchemy.engine import make_url

    name = f"ht_test_{uuid.uuid4().hex[:16]}"
    with _connect(admin_url()) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return make_url(admin_url()).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop a database made by :func:`create_database` (its open connections are ended)."""
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    if not name or not name.startswith("ht_test_"):
        raise ValueError(f"not a test database: {name!r}")
    with _connect(admin_url()) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
