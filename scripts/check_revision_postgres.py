"""Run the newest Alembic revision on a PostgreSQL database: upgrade from the revision before it, use the
new table, downgrade and upgrade again.

Revision 0001 creates SQLite triggers (the append-only decision log) that PostgreSQL does not accept,
so the schema before the revision is made with ``Base.metadata.create_all`` and stamped; the revision
itself then runs through Alembic as it would on a PostgreSQL catalogue.

    python scripts/check_revision_postgres.py postgresql+psycopg://postgres@localhost:5432/scratch

The database must be empty (it is changed).
"""

import sys

from alembic import command
from sqlalchemy import create_engine, inspect, text

from heritage_tagger.db.migrate import alembic_config, current_revision, head_revision
from heritage_tagger.db.tables import Base

url = sys.argv[1] if len(sys.argv) > 1 else "postgresql+psycopg://postgres@localhost:5432/scratch"
engine = create_engine(url)
Base.metadata.create_all(
    engine, tables=[t for n, t in Base.metadata.tables.items() if n != "suggestion_outcomes"]
)
cfg = alembic_config(engine)
with engine.begin() as c:
    cfg.attributes["connection"] = c
    command.stamp(cfg, "0003_vocabularies")
with engine.begin() as c:
    c.execute(
        text(
            "INSERT INTO records (id, identifier, title, description, location, date_text, creator, rights, source_path, sha256, mime_type, created_at, updated_at) VALUES (1, 'r1', '', '', '', '', '', '', '', 'abc', '', '2026-01-01', '2026-01-01')"
        )
    )
    c.execute(
        text(
            "INSERT INTO model_versions (id, version, bundle_path, backbone, weights_checksum, n_records, n_tags, n_decisions, created_at, is_active) VALUES (1, 'v1', 'p', 'b', '', 0, 0, 0, '2026-01-01', true)"
        )
    )
with engine.begin() as c:
    cfg.attributes["connection"] = c
    command.upgrade(cfg, "head")
print("upgraded:", current_revision(engine), head_revision())
with engine.begin() as c:
    c.execute(
        text(
            "INSERT INTO suggestion_outcomes (record_id, outcome, n_proposed, best_score, threshold, read_text, model_version_id, updated_at) VALUES (1, 'no_confident_suggestion', 0, 0.2, NULL, false, 1, '2026-01-01')"
        )
    )
    c.execute(text("DELETE FROM model_versions"))
    print(c.execute(text("SELECT record_id, outcome, model_version_id FROM suggestion_outcomes")).all())
print([i["name"] for i in inspect(engine).get_indexes("suggestion_outcomes")])
with engine.begin() as c:
    cfg.attributes["connection"] = c
    command.downgrade(cfg, "0003_vocabularies")
print(
    "after downgrade:", current_revision(engine), "suggestion_outcomes" in inspect(engine).get_table_names()
)
with engine.begin() as c:
    cfg.attributes["connection"] = c
    command.upgrade(cfg, "head")
print("re-upgraded", current_revision(engine))
