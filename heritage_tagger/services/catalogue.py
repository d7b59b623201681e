"""Open a catalogue: its database (upgraded to head) and its workspace folders."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from heritage_tagger.db.engine import Engine, Session, SessionFactory, open_engine, session_factory
from heritage_tagger.settings import Settings, WorkspacePaths, default_catalogue_path

log = logging.getLogger(__name__)


@dataclass
class Catalogue:
    """An open catalogue: engine, session factory, workspace paths and settings."""

    path: Path
    engine: Engine
    sessions: SessionFactory
    settings: Settings

    @property
    def workspace(self) -> WorkspacePaths:
        return WorkspacePaths(self.path)

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
        self.engine.dispose()

    def __enter__(self) -> Catalogue:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_catalogue(
    path: Path | str | None = None, *, create: bool = True, settings: Settings | None = None
) -> Catalogue:
    """Open the catalogue at ``path`` (default: env var, then the user's data directory)."""
    resolved = Path(path).expanduser() if path else default_catalogue_path()
    engine = open_engine(resolved, create=create)
    catalogue = Catalogue(
        path=resolved.resolve(),
        engine=engine,
        sessions=session_factory(engine),
        settings=settings or Settings(),
    )
    _recover(catalogue)
    return catalogue


def _recover(catalogue: Catalogue) -> None:
    """Jobs left running by a killed process are marked interrupted (skipped when the file is read-only)."""
    from heritage_tagger.db.engine import DatabaseError
    from heritage_tagger.services.jobs import recover_stale_jobs

    try:
        n = recover_stale_jobs(catalogue)
    except DatabaseError as exc:  # a read-only catalogue: they stay as they are
        log.info("could not recover interrupted jobs of %s: %s", catalogue.path, exc)
        return
    if n:
        log.info("%d job(s) of %s were interrupted and are marked so", n, catalogue.path)
