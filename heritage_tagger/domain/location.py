"""Where a catalogue lives: an SQLite file, or a PostgreSQL server named by a URL (``postgresql://user@host/db``)."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def is_server_url(location: str | os.PathLike[str] | None) -> bool:
    """True for a PostgreSQL connection URL (a team catalogue), False for a file path."""
    if location is None or not isinstance(location, str):
        return False
    scheme, sep, _ = location.partition("://")
    return bool(sep) and scheme.lower() in SERVER_SCHEMES


def redact(url: str) -> str:
    """The URL with its password replaced by ``***`` (for messages, window titles and logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}{port}"))


def describe_location(location: str | os.PathLike[str]) -> str:
    """A catalogue's location for messages: the file's path, or the server URL without its password."""
    if is_server_url(location):
        return redact(str(location))
    from heritage_tagger.domain.text import display_path

    return display_path(location)
