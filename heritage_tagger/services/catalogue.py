"""Open a catalogue: its database (upgraded to head) and its workspace folders.

A catalogue is an SQLite file with its ``NAME.heritage`` workspace beside it, or a team catalogue
on a PostgreSQL server (``postgresql://user@host/db``) whose workspace is the shared media root
recorded in it (:mod:`heritage_tagger.services.media`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from heritage_tagger.db.engine import (
    Engine,
    Session,
    SessionFactory,
    is_readonly,
    open_engine,
    session_factory,
)
from heritage_tagger.db.errors import librarian_message, read_only_message
from heritage_tagger.domain.errors import CatalogueReadOnlyError
from heritage_tagger.domain.location import is_server_url, redact
from heritage_tagger.domain.text import display_path
from heritage_tagger.settings import (
    Settings,
    WorkspacePaths,
    default_catalogue_location,
    default_login_name,
    media_root_override,
)

log = logging.getLogger(__name__)

__all__ = [
    "Catalogue",
    "librarian_message",
    "open_catalogue",
]  # librarian_message: db/errors.py, for CLI and GUI


@dataclass
class Catalogue:
    """An open catalogue: engine, session factory, workspace paths and settings.

    ``path`` is the catalogue file; for a team catalogue, the marker file in its media root
    (so ``path.parent`` is always the folder its files are relative to). ``name`` says where
    the catalogue is, for messages (a team catalogue's URL without its password).
    """

    path: Path
    engine: Engine
    sessions: SessionFactory
    settings: Settings
    readonly: bool = False  # the file, its folder or its disk cannot be written: reading works
    on_close: list[Callable[[], None]] = field(default_factory=list)
    media_root: Path | None = None  # a team catalogue's shared folder (None: NAME.heritage beside the file)
    url: str | None = None  # a team catalogue's connection string (with its password, if it has one)
    user: str = field(default_factory=default_login_name)  # who locks and jobs are recorded for

    @property
    def team(self) -> bool:
        """True for a team catalogue on a PostgreSQL server."""
        return self.url is not None

    @property
    def name(self) -> str:
        return redact(self.url) if self.url is not None else display_path(self.path)

    @property
    def location(self) -> Path | str:
        """What opens this catalogue again: its file, or its connection string."""
        return self.url if self.url is not None else self.path

    @property
    def workspace(self) -> WorkspacePaths:
        return WorkspacePaths(self.path, self.media_root)

    def stored_path(self, path: Path | str) -> str:
        """How a file path is stored: relative to a team catalogue's media root when inside it, else as given."""
        text = os.fspath(path)
        if self.media_root is None or not text:
            return text
        try:
            relative = Path(text).absolute().relative_to(self.media_root.absolute())
        except ValueError:
            return text
        return relative.as_posix()

    def file_path(self, stored: str) -> str:
        """The file a stored path means on this computer (a relative one lies under the media root)."""
        if self.media_root is None or not stored or Path(stored).is_absolute():
            return stored
        return str(self.media_root.joinpath(*stored.split("/")))

    def require_writable(self) -> None:
        """Raise CatalogueReadOnlyError (one sentence saying what to do) for a read-only catalogue."""
        if self.readonly:
            raise CatalogueReadOnlyError(read_only_message(self.path))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        while self.on_close:
            self.on_close.pop()()
        self.engine.dispose()

    def __enter__(self) -> Catalogue:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_catalogue(
    path: Path | str | None = None,
    *,
    create: bool = True,
    settings: Settings | None = None,
    media_root: Path | str | None = None,
    maintenance: bool = True,
) -> Catalogue:
    """Open the catalogue at ``path`` (default: env var, then the user's data directory).

    ``path`` may be a team catalogue's ``postgresql://`` URL; ``media_root`` (else
    ``HERITAGE_TAGGER_MEDIA_ROOT``) is then recorded as its shared media folder when it has none,
    or is where this computer reaches the recorded one. Another application's database is refused
    and left unchanged; a catalogue that cannot be written opens read-only (``Catalogue.readonly``).
    Leftovers of killed jobs are removed (:func:`heritage_tagger.services.cleanup.clean_leftovers`)
    when the catalogue is writable, unless ``maintenance`` is off (a helper process of a window
    that has the catalogue open: the window's own jobs are not leftovers).
    """
    location = path if path else default_catalogue_location()
    if isinstance(location, str) and is_server_url(location):
        catalogue = _open_team(location, create, settings, media_root)
    else:
        resolved = Path(location).expanduser()
        engine = open_engine(resolved, create=create)
        catalogue = Catalogue(
            path=resolved.resolve(),
            engine=engine,
            sessions=session_factory(engine),
            settings=settings or Settings(),
            readonly=is_readonly(engine),
        )
    if maintenance and not catalogue.readonly:
        from heritage_tagger.services.cleanup import clean_leftovers

        _recover(catalogue)
        clean_leftovers(catalogue)
    return catalogue


def _open_team(url: str, create: bool, settings: Settings | None, media_root: Path | str | None) -> Catalogue:
    from heritage_tagger.services.media import MARKER, resolve_media_root

    engine = open_engine(url, create=create)
    sessions = session_factory(engine)
    try:
        given = Path(media_root) if media_root else media_root_override()
        root = resolve_media_root(sessions, given, redact(url))
    except BaseException:
        engine.dispose()
        raise
    return Catalogue(
        path=root / MARKER,
        engine=engine,
        sessions=sessions,
        settings=settings or Settings(),
        media_root=root,
        url=url,
    )


def _recover(catalogue: Catalogue) -> None:
    """Jobs left running by a killed process are marked interrupted; they resume from their cursor."""
    from heritage_tagger.services.jobs import recover_stale_jobs

    n = recover_stale_jobs(catalogue)
    if n:
        log.info("%d job(s) of %s were interrupted and are marked so", n, catalogue.path)
