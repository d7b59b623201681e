"""Open a catalogue: its database (upgraded to head) and its workspace folders."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from heritage_tagger.db.engine import open_engine, session_factory
from heritage_tagger.settings import Settings, WorkspacePaths, default_catalogue_path


@dataclass
class Catalogue:
    """An open catalogue: engine, session factory, workspace paths and settings."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
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
    return Catalogue(
        path=resolved.resolve(),
        engine=engine,
        sessions=session_factory(engine),
        settings=settings or Settings(),
    )
