"""Open a catalogue: its database (upgraded to head) and its workspace folders."""

from __future__ import annotations

import logging
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
from heritage_tagger.settings import Settings, WorkspacePaths, default_catalogue_path

log = logging.getLogger(__name__)

__all__ = [
    "Catalogue",
    "librarian_message",
    "open_catalogue",
]  # librarian_message: db/errors.py, for CLI and GUI


@dataclass
class Catalogue:
    """An open catalogue: engine, session factory, workspace paths and settings."""

    path: Path
    engine: Engine
    sessions: SessionFactory
    settings: Settings
    readonly: bool = False  # the file, its folder or its disk cannot be written: reading works
    on_close: list[Callable[[], None]] = field(default_factory=list)

    @property
    def workspace(self) -> WorkspacePaths:
        return WorkspacePaths(self.path)

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
    maintenance: bool = True,
) -> Catalogue:
    """Open the catalogue at ``path`` (default: env var, then the user's data directory).

    Another application's database is refused and left unchanged; a catalogue that cannot be
    written opens read-only (``Catalogue.readonly``). Leftovers of killed jobs are removed
    (:func:`heritage_tagger.services.cleanup.clean_leftovers`) when the catalogue is writable,
    unless ``maintenance`` is off (a helper process of a window that has the catalogue open:
    the window's own jobs are not leftovers).
    """
    resolved = Path(path).expanduser() if path else default_catalogue_path()
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


def _recover(catalogue: Catalogue) -> None:
    """Jobs left running by a killed process are marked interrupted; they resume from their cursor."""
    from heritage_tagger.services.jobs import recover_stale_jobs

    n = recover_stale_jobs(catalogue)
    if n:
        log.info("%d job(s) of %s were interrupted and are marked so", n, catalogue.path)
