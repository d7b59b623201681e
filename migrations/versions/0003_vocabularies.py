"""Controlled vocabularies: vocabularies, concepts, concept_labels, concept_relations; tags.concept_id;
decisions.merge_label; tag lemmas recomputed with the heading-aware lemmatiser (LEMMATISER_VERSION 2).

Revision ID: 0003_vocabularies
Revises: 0001
Create Date: 2026-12-02 10:00:00

Portable: runs on SQLite and PostgreSQL. ``tags.concept_id`` is added with a plain
``ALTER TABLE ... ADD COLUMN ... REFERENCES`` (standard SQL that both accept) instead of a batch
copy: on SQLite a batch copy drops ``tags``, and with foreign keys on that deletes every
``record_tags`` row through its ON DELETE CASCADE.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_vocabularies"
down_revision: str | None = "0002_relative_bundle_paths"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LEMMA_CHUNK = 2000


def upgrade() -> None:
    op.create_table(
        "vocabularies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("scheme_uri", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("n_concepts", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('importing', 'ready')", name="ck_vocabularies_status"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "concepts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vocabulary_id", sa.Integer(), nullable=False),
        sa.Column("uri", sa.String(length=1024), nullable=False),
        sa.Column("scheme_uri", sa.Text(), nullable=True),
        sa.Column("label", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["vocabulary_id"], ["vocabularies.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("vocabulary_id", "uri", name="uq_concepts_vocabulary_uri"),
    )
    with op.batch_alter_table("concepts", schema=None) as batch_op:
        batch_op.create_index("ix_concepts_uri", ["uri"], unique=False)

    op.create_table(
        "concept_labels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("norm", sa.String(length=255), nullable=False),
        sa.Column("lemma", sa.String(length=255), nullable=False),
        sa.CheckConstraint("kind IN ('pref', 'alt', 'hidden')", name="ck_concept_labels_kind"),
        sa.ForeignKeyConstraint(["concept_id"], ["concepts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("concept_labels", schema=None) as batch_op:
        batch_op.create_index("ix_concept_labels_concept", ["concept_id"], unique=False)
        batch_op.create_index("ix_concept_labels_norm", ["norm"], unique=False)
        batch_op.create_index("ix_concept_labels_lemma", ["lemma"], unique=False)

    op.create_table(
        "concept_relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("target_uri", sa.String(length=1024), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('broader', 'related')", name="ck_concept_relations_kind"),
        sa.ForeignKeyConstraint(["concept_id"], ["concepts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["target_id"], ["concepts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("concept_id", "kind", "target_uri", name="uq_concept_relations"),
    )
    with op.batch_alter_table("concept_relations", schema=None) as batch_op:
        batch_op.create_index("ix_concept_relations_target", ["target_id"], unique=False)

    op.execute("ALTER TABLE tags ADD COLUMN concept_id INTEGER REFERENCES concepts (id) ON DELETE SET NULL")
    with op.batch_alter_table("tags", schema=None) as batch_op:  # an index only: no table copy
        batch_op.create_index(batch_op.f("ix_tags_concept_id"), ["concept_id"], unique=False)
    with op.batch_alter_table("decisions", schema=None) as batch_op:  # a plain column: no table copy
        batch_op.add_column(sa.Column("merge_label", sa.String(length=255), nullable=True))

    _recompute_tag_lemmas()


def _recompute_tag_lemmas() -> None:
    """Store every tag's lemma as the current lemmatiser gives it (names and headings kept whole)."""
    from heritage_tagger.text.lemmatise import lemmatise_tag

    tags = sa.table("tags", sa.column("id", sa.Integer()), sa.column("label"), sa.column("lemma"))
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(tags.c.id, tags.c.label, tags.c.lemma)
            .where(tags.c.id > last)
            .order_by(tags.c.id)
            .limit(_LEMMA_CHUNK)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        changed = [
            {"tag_id": r.id, "new_lemma": new}
            for r in rows
            if (new := lemmatise_tag(r.label)[:255]) != r.lemma
        ]
        if changed:
            connection.execute(
                tags.update()
                .where(tags.c.id == sa.bindparam("tag_id"))
                .values(lemma=sa.bindparam("new_lemma")),
                changed,
            )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "Downgrading 0003 copies the tags table, which with SQLite foreign keys on would delete "
            "every record_tags row: run it on a connection without PRAGMA foreign_keys=ON."
        )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_column("merge_label")
    if bind.dialect.name != "sqlite":  # SQLite's batch copy leaves the constraint behind with the column
        op.drop_constraint("tags_concept_id_fkey", "tags", type_="foreignkey")
    with op.batch_alter_table("tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tags_concept_id"))
        batch_op.drop_column("concept_id")
    op.drop_table("concept_relations")
    op.drop_table("concept_labels")
    op.drop_table("concepts")
    op.drop_table("vocabularies")
    # tag lemmas stay as the newer lemmatiser made them: the older code reads them as plain keys
