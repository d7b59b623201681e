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
        diff = [d for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)
                if not _inline_fk(d)]  # fmt: skip
        fks = connection.execute(text("PRAGMA foreign_key_list(tags)")).mappings().all()
    assert diff == [], f"migrations and tables differ: {diff}"
    # SQLAlchemy's SQLite reflection reads ON DELETE only from table-level FOREIGN KEY clauses, not from
    # a column added by ALTER TABLE (0003's tags.concept_id): check that one through the pragma.
    assert [(fk["from"], fk["table"], fk["on_delete"]) for fk in fks] == [
        ("concept_id", "concepts", "SET NULL")
    ]


def _inline_fk(diff: tuple) -> bool:
    """The reflected/declared pair of tags.concept_id's foreign key, which differ only by the missing option."""
    op, constraint = diff[0], diff[1] if len(diff) > 1 else None
    return (
        op in ("remove_fk", "add_fk")
        and constraint is not None
        and constraint.table.name == "tags"
        and [c.name for c in constraint.columns] == ["concept_id"]
    )


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


VOCAB_REVISION = "0003_vocabularies"


def _before(revision: str) -> str:
    script = ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    assert script is not None and isinstance(script.down_revision, str)
    return script.down_revision


def test_vocabularies_revision_keeps_tags_and_recomputes_lemmas(tmp_path: Path) -> None:
    """A catalogue from before 0003 (with tags, record tags and decisions) upgraded to head loses nothing."""
    engine = make_engine(tmp_path / "c.sqlite")  # foreign keys on, as every catalogue connection has
    upgrade_to_head(engine, _before(VOCAB_REVISION))
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO records (id, identifier, title, description, location, date_text, creator, rights, "
            "source_path, sha256, mime_type, created_at, updated_at) VALUES "
            "(1, 'r1', '', '', '', '', '', '', '', 'abc', '', '2026-01-01', '2026-01-01')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO tags (id, label, lemma) VALUES (1, 'United States.', 'unite state'), "
            "(2, 'Women', 'woman'), (3, 'Horse racing', 'horse race')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO record_tags (record_id, tag_id, state, source, updated_at) VALUES "
            "(1, 1, 'catalogued', '', '2026-01-01'), (1, 2, 'accepted', 'model', '2026-01-01')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO decisions (record_id, tag_label, action, reviewer, created_at) "
            "VALUES (1, 'Women', 'accept', 'ann', '2026-01-01')"
        ))  # fmt: skip
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM record_tags")).scalar() == 2
        lemmas = dict(connection.execute(text("SELECT label, lemma FROM tags")).all())
        assert lemmas == {"United States.": "united states", "Women": "woman", "Horse racing": "horse racing"}
        assert connection.execute(text("SELECT count(*) FROM tags WHERE concept_id IS NULL")).scalar() == 3
        assert connection.execute(text("SELECT merge_label FROM decisions")).scalar() is None
    with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
        connection.execute(text("DELETE FROM decisions"))  # the log's triggers survived the new column


def test_vocabularies_revision_removed_concept_unlinks_its_tags(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "c.sqlite")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO vocabularies (id, name, title, language, source, format, status, is_active, "
            "n_concepts, imported_at) VALUES (1, 'v', '', 'en', '', 'ttl', 'ready', 1, 1, '2026-01-01')"
        ))  # fmt: skip
        connection.execute(
            text("INSERT INTO concepts (id, vocabulary_id, uri, label) VALUES (1, 1, 'u:1', 'A')")
        )
        connection.execute(text("INSERT INTO tags (id, label, lemma, concept_id) VALUES (1, 'a', 'a', 1)"))
        connection.execute(text("DELETE FROM vocabularies"))
        assert connection.execute(text("SELECT concept_id FROM tags")).scalar() is None
        assert connection.execute(text("SELECT count(*) FROM concepts")).scalar() == 0


def test_vocabularies_revision_downgrades_without_foreign_keys(tmp_path: Path) -> None:
    """Downgrading copies the tags table: refused with foreign keys on, lossless with them off."""
    from alembic import command
    from sqlalchemy import create_engine

    path = tmp_path / "c.sqlite"
    engine = open_engine(path)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO tags (id, label, lemma) VALUES (1, 'a', 'a')"))
        connection.execute(text(
            "INSERT INTO records (id, identifier, title, description, location, date_text, creator, rights, "
            "source_path, sha256, mime_type, created_at, updated_at) VALUES "
            "(1, 'r1', '', '', '', '', '', '', '', 'abc', '', '2026-01-01', '2026-01-01')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO record_tags (record_id, tag_id, state, source, updated_at) "
            "VALUES (1, 1, 'catalogued', '', '2026-01-01')"
        ))  # fmt: skip
    target = _before(VOCAB_REVISION)
    config = alembic_config(engine)
    with pytest.raises(RuntimeError, match="foreign keys"), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, target)
    engine.dispose()
    plain = create_engine(f"sqlite:///{path}")  # no PRAGMA foreign_keys=ON
    with plain.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, target)
    with plain.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM record_tags")).scalar() == 1
        assert "vocabularies" not in inspect(connection).get_table_names()
    plain.dispose()


def test_0002_stores_bundle_paths_relative_to_the_catalogue_folder(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "c.sqlite")
    upgrade_to_head(engine, "0001")
    insert = text(
        "INSERT INTO model_versions (version, bundle_path, backbone, weights_checksum, n_records, n_tags, "
        "n_decisions, created_at, is_active) VALUES (:v, :p, 'b', '', 0, 0, 0, '2026-01-01', 0)"
    )
    paths = {
        "v0001-a": "/home/ann/photos.heritage/models/v0001-a",
        "v0002-b": "C:\\Users\\ann\\box 12.heritage\\models\\v0002-b",
        "v0003-c": "/mnt/team/shared-models/v0003-c",  # not in a workspace: kept as it is
        "v0004-d": "v0004-d",  # already relative (to the models folder)
    }
    with engine.begin() as connection:
        for version, path in paths.items():
            connection.execute(insert, {"v": version, "p": path})
    upgrade_to_head(engine, "0002_relative_bundle_paths")
    with engine.connect() as connection:
        stored = dict(connection.execute(text("SELECT version, bundle_path FROM model_versions")).all())
    assert stored == {
        "v0001-a": "photos.heritage/models/v0001-a",
        "v0002-b": "box 12.heritage/models/v0002-b",
        "v0003-c": "/mnt/team/shared-models/v0003-c",
        "v0004-d": "v0004-d",
    }
    from alembic import command

    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    with engine.connect() as connection:
        back = dict(connection.execute(text("SELECT version, bundle_path FROM model_versions")).all())
    assert back["v0001-a"] == "v0001-a" and back["v0003-c"] == "/mnt/team/shared-models/v0003-c"


def test_a_relative_bundle_path_resolves_inside_the_catalogues_own_workspace(tmp_path: Path) -> None:
    from heritage_tagger.services.catalogue import open_catalogue
    from heritage_tagger.services.model_versions import bundle_location, stored_bundle_path

    with open_catalogue(tmp_path / "copy.sqlite") as cat:
        own = tmp_path / "copy.heritage" / "models"
        assert bundle_location(cat, "photos.heritage/models/v0001-a") == own / "v0001-a"
        assert bundle_location(cat, "v0001-a") == own / "v0001-a"
        assert bundle_location(cat, "/elsewhere/v0001-a") == Path("/elsewhere/v0001-a")
    assert stored_bundle_path(tmp_path / "p.heritage" / "models" / "v0009-x") == "p.heritage/models/v0009-x"


def test_foreign_database_is_not_touched(tmp_path: Path) -> None:
    import sqlite3

    from heritage_tagger.domain.errors import ForeignDatabaseError

    path = tmp_path / "app.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE users (id INTEGER)")
    db.close()
    before = path.read_bytes()
    with pytest.raises(ForeignDatabaseError, match="another application's database"):
        open_engine(path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]


def test_browse_indexes_revision_keeps_records_and_indexes_them(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "c.sqlite")
    upgrade_to_head(engine, _before("0007_browse_indexes"))
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO records (id, identifier, title, description, location, date_text, date_sort, creator, "
            "rights, source_path, sha256, mime_type, created_at, updated_at) VALUES "
            "(1, 'r1', '', '', 'Paris', '', '1901', '', '', '', 'abc', '', '2026-01-01', '2026-01-01')"
        ))  # fmt: skip
    upgrade_to_head(engine)
    with engine.connect() as connection:
        indexes = {i["name"]: i["column_names"] for i in inspect(connection).get_indexes("records")}
        assert connection.execute(text("SELECT identifier, date_sort FROM records")).one() == ("r1", "1901")
    assert indexes["ix_records_date_identifier"] == ["date_sort", "identifier"]
    assert indexes["ix_records_batch_identifier"] == ["batch_id", "identifier"]
    assert indexes["ix_records_location"] == ["location"]
    assert "ix_records_date_sort" not in indexes and "ix_records_batch_id" not in indexes
