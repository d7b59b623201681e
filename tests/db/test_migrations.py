"""Every Alembic revision upgrades to head, and head matches the SQLAlchemy tables, on both engines.

The tests taking ``blank`` (an engine on an empty database) or ``opened`` (one upgraded to head)
run on SQLite, and with ``--engine=postgresql`` on a fresh PostgreSQL database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from heritage_tagger.db.engine import make_engine, open_engine
from heritage_tagger.db.migrate import alembic_config, current_revision, head_revision, upgrade_to_head
from heritage_tagger.db.tables import Base
from heritage_tagger.domain.errors import CatalogueError

REVISIONS = [r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()]
TEAM_REVISION = "0006_team_catalogue"


@pytest.fixture
def blank(engine_name: str, tmp_path: Path, new_database: Callable[[], str]) -> Iterator[Engine]:
    """An engine on an empty database: an SQLite file, or (--engine=postgresql) a new server database."""
    if engine_name == "postgresql":
        from heritage_tagger.db.server import make_server_engine

        engine = make_server_engine(new_database())
    else:
        engine = make_engine(tmp_path / "c.sqlite")  # foreign keys on, as every catalogue connection has
    yield engine
    engine.dispose()


@pytest.fixture
def opened(blank: Engine) -> Engine:
    upgrade_to_head(blank)
    return blank


def _downgrade(engine: Engine, target: str) -> None:
    from alembic import command

    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, target)


def test_empty_database_upgrades_to_head_and_matches_tables(opened: Engine) -> None:
    engine = opened
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
        if engine.dialect.name == "sqlite":
            fks = connection.execute(text("PRAGMA foreign_key_list(tags)")).mappings().all()
            found = [(fk["from"], fk["table"], fk["on_delete"]) for fk in fks]
        else:
            found = [
                (fk["constrained_columns"][0], fk["referred_table"], fk["options"].get("ondelete"))
                for fk in inspect(connection).get_foreign_keys("tags")
            ]
    assert diff == [], f"migrations and tables differ: {diff}"
    # SQLAlchemy's SQLite reflection reads ON DELETE only from table-level FOREIGN KEY clauses, not from
    # a column added by ALTER TABLE (0003's tags.concept_id): check that one through the pragma.
    assert found == [("concept_id", "concepts", "SET NULL")]


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
def test_each_revision_upgrades_to_head(blank: Engine, revision: str) -> None:
    engine = blank
    upgrade_to_head(engine, revision)
    assert current_revision(engine) == revision
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()


def test_head_downgrades_to_the_first_revision_and_upgrades_again(opened: Engine) -> None:
    """Every downgrade runs on this engine too (on SQLite with foreign keys off, as 0003's asks)."""
    engine = opened
    if engine.dialect.name == "sqlite":
        from sqlalchemy import create_engine

        engine = create_engine(opened.url)  # no PRAGMA foreign_keys=ON
    _downgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    _downgrade(engine, "base")
    assert [t for t in inspect(engine).get_table_names() if t != "alembic_version"] == []
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


@pytest.mark.sqlite_only
def test_pragmas_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "c.sqlite")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_decisions_log_is_append_only(opened: Engine) -> None:
    engine = opened
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO decisions (record_id, tag_label, action, reviewer, created_at) "
                "VALUES (1, 'procession', 'accept', 'ann', '2026-01-01')"
            )
        )
    statements = ["UPDATE decisions SET reviewer = 'bob'", "DELETE FROM decisions"]
    if engine.dialect.name == "postgresql":
        statements.append("TRUNCATE decisions")
    for statement in statements:
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT reviewer FROM decisions")).scalars().all() == ["ann"]


def test_only_one_active_model(opened: Engine) -> None:
    engine = opened
    insert = (
        "INSERT INTO model_versions (version, bundle_path, backbone, weights_checksum, n_records, n_tags, "
        "n_decisions, created_at, is_active) VALUES (:v, 'p', 'b', '', 0, 0, 0, '2026-01-01', :active)"
    )
    with engine.begin() as connection:
        connection.execute(text(insert), {"v": "v1", "active": True})
        for name in ("v2", "v3"):  # any number of inactive ones
            connection.execute(text(insert), {"v": name, "active": False})
    with pytest.raises(Exception, match=r"(?i)unique"), engine.begin() as connection:
        connection.execute(text(insert), {"v": "v4", "active": True})


@pytest.mark.sqlite_only
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


def test_vocabularies_revision_keeps_tags_and_recomputes_lemmas(blank: Engine) -> None:
    """A catalogue from before 0003 (with tags, record tags and decisions) upgraded to head loses nothing."""
    engine = blank
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


def test_vocabularies_revision_removed_concept_unlinks_its_tags(opened: Engine) -> None:
    engine = opened
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO vocabularies (id, name, title, language, source, format, status, is_active, "
            "n_concepts, imported_at) VALUES (1, 'v', '', 'en', '', 'ttl', 'ready', true, 1, '2026-01-01')"
        ))  # fmt: skip
        connection.execute(
            text("INSERT INTO concepts (id, vocabulary_id, uri, label) VALUES (1, 1, 'u:1', 'A')")
        )
        connection.execute(text("INSERT INTO tags (id, label, lemma, concept_id) VALUES (1, 'a', 'a', 1)"))
        connection.execute(text("DELETE FROM vocabularies"))
        assert connection.execute(text("SELECT concept_id FROM tags")).scalar() is None
        assert connection.execute(text("SELECT count(*) FROM concepts")).scalar() == 0


@pytest.mark.sqlite_only
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
    plain = create_engine(f"sqlite:///{path}")  # no PRAGMA foreign_keys=ON
    # the later revisions first (their DDL is not 0003's concern; 0005's downgrade wants foreign keys off too)
    with plain.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, VOCAB_REVISION)
    with pytest.raises(RuntimeError, match="foreign keys"), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, target)
    engine.dispose()
    with plain.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, target)
    with plain.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM record_tags")).scalar() == 1
        assert "vocabularies" not in inspect(connection).get_table_names()
    plain.dispose()


def test_0002_stores_bundle_paths_relative_to_the_catalogue_folder(blank: Engine) -> None:
    engine = blank
    upgrade_to_head(engine, "0001")
    insert = text(
        "INSERT INTO model_versions (version, bundle_path, backbone, weights_checksum, n_records, n_tags, "
        "n_decisions, created_at, is_active) VALUES (:v, :p, 'b', '', 0, 0, 0, '2026-01-01', false)"
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


@pytest.mark.sqlite_only
def test_a_relative_bundle_path_resolves_inside_the_catalogues_own_workspace(tmp_path: Path) -> None:
    from heritage_tagger.services.catalogue import open_catalogue
    from heritage_tagger.services.model_versions import bundle_location, stored_bundle_path

    with open_catalogue(tmp_path / "copy.sqlite") as cat:
        own = tmp_path / "copy.heritage" / "models"
        assert bundle_location(cat, "photos.heritage/models/v0001-a") == own / "v0001-a"
        assert bundle_location(cat, "v0001-a") == own / "v0001-a"
        assert bundle_location(cat, "/elsewhere/v0001-a") == Path("/elsewhere/v0001-a")
    assert stored_bundle_path(tmp_path / "p.heritage" / "models" / "v0009-x") == "p.heritage/models/v0009-x"


@pytest.mark.sqlite_only
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


BROWSE_REVISION = "0007_browse_indexes"


def test_browse_indexes_revision_follows_the_team_revision() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_revision(BROWSE_REVISION).down_revision == TEAM_REVISION


def test_browse_indexes_revision_keeps_records_and_indexes_them(blank: Engine) -> None:
    """On both engines: a catalogue just before 0007 with a record keeps it, gains the keyset indexes
    and loses the single-column ones they replace; a downgrade gives those back."""
    engine = blank
    upgrade_to_head(engine, _before(BROWSE_REVISION))
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
    assert indexes["ix_records_reviewed_at"] == ["reviewed_at"]
    assert "ix_records_date_sort" not in indexes and "ix_records_batch_id" not in indexes
    _downgrade(engine, _before(BROWSE_REVISION))
    with engine.connect() as connection:
        names = {i["name"] for i in inspect(connection).get_indexes("records")}
    assert {"ix_records_date_sort", "ix_records_batch_id"} <= names
    assert not names & {
        "ix_records_date_identifier",
        "ix_records_batch_identifier",
        "ix_records_location",
        "ix_records_reviewed_at",
    }


def test_team_revision_keeps_every_tag_state_and_job(blank: Engine) -> None:
    """A catalogue at 0003 with record tags, decisions and a running job, upgraded to head: every state row
    starts at version 1, the job's host is unknown (so it is treated as this computer's), nothing is lost."""
    engine = blank
    upgrade_to_head(engine, _before(TEAM_REVISION))
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO records (id, identifier, title, description, location, date_text, creator, rights, "
            "source_path, sha256, mime_type, created_at, updated_at) VALUES "
            "(1, 'r1', '', '', '', '', '', '', '/photos/1.jpg', 'abc', '', '2026-01-01', '2026-01-01')"
        ))  # fmt: skip
        connection.execute(
            text("INSERT INTO tags (id, label, lemma) VALUES (1, 'Barns', 'barn'), (2, 'Farms', 'farm')")
        )
        connection.execute(text(
            "INSERT INTO record_tags (record_id, tag_id, state, source, updated_at) VALUES "
            "(1, 1, 'suggested', 'model', '2026-01-01'), (1, 2, 'accepted', '', '2026-01-01')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO decisions (record_id, tag_label, action, reviewer, created_at) "
            "VALUES (1, 'Farms', 'accept', 'ann', '2026-01-01')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO jobs (kind, status, params_json, cursor_json, pid, started_at, updated_at) "
            "VALUES ('import', 'running', '{}', '{}', 4242, '2026-01-01', '2026-01-01')"
        ))  # fmt: skip
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT state, version FROM record_tags ORDER BY id")).all() == [
            ("suggested", 1),
            ("accepted", 1),
        ]
        assert connection.execute(text("SELECT pid, host FROM jobs")).one() == (4242, None)
        assert connection.execute(text("SELECT count(*) FROM decisions")).scalar() == 1
        assert connection.execute(text("SELECT count(*) FROM catalogue_properties")).scalar() == 0
        assert connection.execute(text("SELECT count(*) FROM team_locks")).scalar() == 0
    with engine.begin() as connection:  # a row inserted without a version (an older program's INSERT) gets 1
        connection.execute(text("INSERT INTO tags (id, label, lemma) VALUES (3, 'Horses', 'horse')"))
        connection.execute(text(
            "INSERT INTO record_tags (record_id, tag_id, state, source, updated_at) VALUES "
            "(1, 3, 'suggested', 'model', '2026-01-01')"
        ))  # fmt: skip
        assert connection.execute(text("SELECT version FROM record_tags WHERE tag_id = 3")).scalar() == 1
    with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
        connection.execute(text("DELETE FROM decisions"))  # the log's triggers survived


@pytest.mark.postgresql
def test_a_postgresql_database_of_another_application_is_refused_and_left_unchanged(
    new_database: Callable[[], str],
) -> None:
    from heritage_tagger.domain.errors import ForeignDatabaseError

    url = new_database()
    from heritage_tagger.db.server import make_server_engine

    other = make_server_engine(url)
    with other.begin() as connection:
        connection.execute(text("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)"))
        connection.execute(text("INSERT INTO users VALUES (1, 'ann')"))
    with pytest.raises(
        ForeignDatabaseError, match=r"another application.s database.*choose another database"
    ):
        open_engine(url)
    assert inspect(other).get_table_names() == ["users"]
    other.dispose()


OUTCOMES_REVISION = "0004_suggestion_outcomes"


@pytest.mark.sqlite_only
def test_suggestion_outcomes_revision_upgrades_a_catalogue_with_data(tmp_path: Path) -> None:
    """A catalogue at 0003 with a record, a model and a pending suggestion gains the outcomes table
    and keeps everything; an outcome follows its record (cascade) and outlives its model (set null)."""
    engine = make_engine(tmp_path / "c.sqlite")
    upgrade_to_head(engine, _before(OUTCOMES_REVISION))
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO records (id, identifier, title, description, location, date_text, creator, rights, "
            "source_path, sha256, mime_type, created_at, updated_at) VALUES "
            "(1, 'r1', '', '', '', '', '', '', '', 'abc', '', '2026-01-01', '2026-01-01'), "
            "(2, 'r2', '', '', '', '', '', '', '', 'def', '', '2026-01-01', '2026-01-01')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO model_versions (id, version, bundle_path, backbone, weights_checksum, n_records, n_tags, "
            "n_decisions, created_at, is_active) VALUES (1, 'v1', 'p', 'b', '', 0, 0, 0, '2026-01-01', 1)"
        ))  # fmt: skip
        connection.execute(text("INSERT INTO tags (id, label, lemma) VALUES (1, 'Boats', 'boat')"))
        connection.execute(text(
            "INSERT INTO record_tags (record_id, tag_id, state, score, source, model_version_id, updated_at) "
            "VALUES (1, 1, 'suggested', 0.8, 'model', 1, '2026-01-01')"
        ))  # fmt: skip
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    with engine.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM record_tags")).scalar() == 1
        connection.execute(text(
            "INSERT INTO suggestion_outcomes (record_id, outcome, n_proposed, best_score, threshold, read_text, "
            "model_version_id, updated_at) VALUES (1, 'proposed', 1, 0.8, 0.5, 1, 1, '2026-01-01'), "
            "(2, 'no_confident_suggestion', 0, 0.2, 0.5, 0, 1, '2026-01-01')"
        ))  # fmt: skip
    with pytest.raises(Exception, match="CHECK"), engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO suggestion_outcomes (record_id, outcome, n_proposed, read_text, updated_at) "
            "VALUES (3, 'maybe', 0, 0, '2026-01-01')"
        ))  # fmt: skip
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM model_versions"))
        connection.execute(text("DELETE FROM records WHERE id = 1"))
        rows = connection.execute(
            text("SELECT record_id, outcome, model_version_id FROM suggestion_outcomes")
        )
        assert rows.all() == [(2, "no_confident_suggestion", None)]


REVIEW_MARKS_REVISION = "0005_review_marks"


def test_review_marks_revision_keeps_the_log_and_its_triggers(blank: Engine) -> None:
    """A catalogue from before 0005 upgraded to head: records and decisions kept, the log still
    append-only, records unmarked, and the log now takes a record-level "review" entry."""
    engine = blank  # on SQLite, foreign keys on, as every catalogue connection has
    upgrade_to_head(engine, _before(REVIEW_MARKS_REVISION))
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO records (id, identifier, title, description, location, date_text, creator, rights, "
            "source_path, sha256, mime_type, created_at, updated_at) VALUES "
            "(1, 'r1', '', '', '', '', '', '', '', 'abc', '', '2026-01-01', '2026-01-01')"
        ))  # fmt: skip
        connection.execute(text("INSERT INTO tags (id, label, lemma) VALUES (1, 'Women', 'woman')"))
        connection.execute(text(
            "INSERT INTO record_tags (record_id, tag_id, state, source, updated_at) VALUES "
            "(1, 1, 'accepted', 'model', '2026-01-01')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO decisions (record_id, tag_label, action, reviewer, created_at, merge_label) "
            "VALUES (1, 'Women', 'accept', 'ann', '2026-01-01', NULL)"
        ))  # fmt: skip
        with pytest.raises(Exception, match=r"(?i)check"), connection.begin_nested():
            connection.execute(text(
                "INSERT INTO decisions (record_id, tag_label, action, reviewer, created_at) "
                "VALUES (1, '', 'review', 'ann', '2026-01-02')"
            ))  # fmt: skip
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    with engine.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM record_tags")).scalar() == 1
        assert connection.execute(text("SELECT tag_label, action FROM decisions")).all() == [
            ("Women", "accept")
        ]
        assert connection.execute(text("SELECT reviewed_at, reviewed_by FROM records")).one() == (None, None)
        connection.execute(text(
            "INSERT INTO decisions (record_id, tag_label, action, reviewer, created_at) "
            "VALUES (1, '', 'review', 'ann', '2026-01-02')"
        ))  # fmt: skip
        with pytest.raises(Exception, match=r"(?i)check"), connection.begin_nested():
            connection.execute(text(
                "INSERT INTO decisions (record_id, tag_label, action, reviewer, created_at) "
                "VALUES (1, '', 'shrug', 'ann', '2026-01-02')"
            ))  # fmt: skip
    for statement in ("UPDATE decisions SET reviewer = 'bob'", "DELETE FROM decisions"):
        with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))


def test_review_marks_revision_downgrades_without_foreign_keys(opened: Engine) -> None:
    """Downgrading 0005 (through the newer revisions first) keeps the log and its triggers; on SQLite it
    runs with foreign keys off (it copies ``records``); refused once the log holds a "review" entry."""
    engine = opened
    if engine.dialect.name == "sqlite":
        from sqlalchemy import create_engine

        engine = create_engine(opened.url)  # no PRAGMA foreign_keys=ON
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO decisions (record_id, tag_label, action, reviewer, created_at) "
            "VALUES (1, 'Women', 'accept', 'ann', '2026-01-01')"
        ))  # fmt: skip
    _downgrade(engine, _before(REVIEW_MARKS_REVISION))
    assert current_revision(engine) == _before(REVIEW_MARKS_REVISION)
    with engine.connect() as connection:
        assert "reviewed_at" not in {c["name"] for c in inspect(connection).get_columns("records")}
        assert connection.execute(text("SELECT count(*) FROM decisions")).scalar() == 1
    with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
        connection.execute(text("DELETE FROM decisions"))
    upgrade_to_head(engine)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO decisions (record_id, tag_label, action, reviewer, created_at) "
            "VALUES (1, '', 'review', 'ann', '2026-01-02')"
        ))  # fmt: skip
    with pytest.raises(RuntimeError, match="cannot be downgraded once photos were marked reviewed"):
        _downgrade(engine, _before(REVIEW_MARKS_REVISION))
    engine.dispose()


SAVED_SEARCHES_REVISION = "0008_saved_searches"


def test_saved_searches_revision_follows_the_browse_revision() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_revision(SAVED_SEARCHES_REVISION).down_revision == BROWSE_REVISION


def test_saved_searches_revision_keeps_records_and_adds_a_table_of_unique_names(blank: Engine) -> None:
    """On both engines: a catalogue just before 0008 with a record keeps it and gains an empty
    ``saved_searches`` whose names are unique; a downgrade drops the table and keeps the record."""
    engine = blank
    upgrade_to_head(engine, _before(SAVED_SEARCHES_REVISION))
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO records (id, identifier, title, description, location, date_text, creator, rights, "
            "source_path, sha256, mime_type, created_at, updated_at) VALUES "
            "(1, 'r1', '', '', 'Paris', '', '', '', '', 'abc', '', '2026-01-01', '2026-01-01')"
        ))  # fmt: skip
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    insert = (
        "INSERT INTO saved_searches (name, filter_json, created_by, created_at, updated_at) "
        "VALUES (:name, :json, 'ann', '2026-01-01', '2026-01-01')"
    )
    with engine.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM saved_searches")).scalar() == 0
        assert connection.execute(text("SELECT identifier FROM records")).scalar() == "r1"
        connection.execute(text(insert), {"name": "Barns in Paris", "json": '{"version": 1}'})
    with pytest.raises(Exception, match=r"(?i)unique"), engine.begin() as connection:
        connection.execute(text(insert), {"name": "Barns in Paris", "json": '{"version": 1}'})
    _downgrade(engine, _before(SAVED_SEARCHES_REVISION))
    assert "saved_searches" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT identifier FROM records")).scalar() == "r1"


FIELD_EDITS_REVISION = "0009_field_edits"


def test_field_edits_revision_follows_the_saved_searches_revision() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_revision(FIELD_EDITS_REVISION).down_revision == SAVED_SEARCHES_REVISION


def test_field_edits_revision_keeps_records_and_logs_edits_that_go_with_them(blank: Engine) -> None:
    """On both engines: a 0008 catalogue with records keeps them and gains an empty ``field_edits`` that
    takes edit/undo/redo rows (no other action), deleted with their record; a downgrade drops it."""
    engine = blank
    upgrade_to_head(engine, _before(FIELD_EDITS_REVISION))
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO records (id, identifier, title, description, location, date_text, creator, rights, "
            "source_path, sha256, mime_type, created_at, updated_at) VALUES "
            "(1, 'r1', 'Barn', '', 'Ohio', '', '', '', '', 'abc', '', '2026-01-01', '2026-01-01'), "
            "(2, 'r2', '', '', '', '', '', '', '', 'def', '', '2026-01-01', '2026-01-01')"
        ))  # fmt: skip
    upgrade_to_head(engine)
    assert current_revision(engine) == head_revision()
    assert {i["name"] for i in inspect(engine).get_indexes("field_edits")} >= {
        "ix_field_edits_record",
        "ix_field_edits_group",
    }
    insert = (
        "INSERT INTO field_edits (record_id, field_name, value_before, value_after, action, group_key, "
        "reviewer, created_at) VALUES (:rid, 'title', :before, :after, :action, 'g1', 'ann', '2026-01-02')"
    )
    with engine.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM field_edits")).scalar() == 0
        assert connection.execute(text("SELECT identifier FROM records ORDER BY id")).scalars().all() == [
            "r1",
            "r2",
        ]
        connection.execute(text(insert), {"rid": 1, "before": "Barn", "after": "Barns", "action": "edit"})
        connection.execute(text(insert), {"rid": 1, "before": "Barns", "after": "Barn", "action": "undo"})
        connection.execute(text(insert), {"rid": 2, "before": None, "after": "x", "action": "redo"})
    with pytest.raises(Exception, match=r"(?i)check"), engine.begin() as connection:
        connection.execute(text(insert), {"rid": 1, "before": "a", "after": "b", "action": "shrug"})
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM records WHERE id = 1"))
        assert connection.execute(text("SELECT record_id, action FROM field_edits")).all() == [(2, "redo")]
    _downgrade(engine, _before(FIELD_EDITS_REVISION))
    assert "field_edits" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT identifier FROM records")).scalar() == "r2"
