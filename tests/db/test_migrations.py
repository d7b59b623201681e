"""Every Alembic revision upgrades to head, and head matches the SQLAlchemy tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from heritage_tagger.db.engine import make_engine, open_engine
from heritage_tagger.db.migrate import alembic_config, current_revision, head_revision, upgrade_to_head
from heritage_tagger.db.tables import Base
from heritage_tagger.domain.errors import CatalogueError

REVISIONS = [r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()]


def test_empty_database_upgrades_to_head_and_matches_tables(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "c.sqlite")
    assert current_revision(engine) == head_revision()
    names = set(inspect(engine).get_table_names())
    assert {
        "records",
        "tags",
        "record_tags",
        "decisions",
        "model_versions",
        "import_batches",
        "jobs",
    } <= names
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == [], f"migrations and tables differ: {diff}"


@pytest.mark.parametrize("revision", REVISIONS)
def test_each_revision_upgrades_to_head(tmp_path: Path, revision: str) -> None:
    engine = make_engine(tmp_path / "c.sqlite")
    upgrade_to_head(engine, revision)
    assert current_revision(engine) == revision
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()


def test_pragmas_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "c.sqlite")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_decisions_log_is_append_only(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "c.sqlite")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO decisions (record_id, tag_label, action, reviewer, created_at) "
                "VALUES (1, 'procession', 'accept', 'ann', '2026-01-01')"
            )
        )
    for statement in ("UPDATE decisions SET reviewer = 'bob'", "DELETE FROM decisions"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))


def test_only_one_active_model(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "c.sqlite")
    insert = (
        "INSERT INTO model_versions (version, bundle_path, backbone, weights_checksum, n_records, n_tags, "
        "n_decisions, created_at, is_active) VALUES (:v, 'p', 'b', '', 0, 0, 0, '2026-01-01', 1)"
    )
    with engine.begin() as connection:
        connection.execute(text(insert), {"v": "v1"})
    with pytest.raises(Exception, match="UNIQUE"), engine.begin() as connection:
        connection.execute(text(insert), {"v": "v2"})


def test_not_a_catalogue_is_refused_clearly(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("hello, this is a text file and not a database")
    with pytest.raises(CatalogueError, match="not a Heritage Tagger catalogue"):
        open_engine(bogus)
