"""suggestion_outcomes: the model's last answer per record, "no confident suggestion" included.

Revision ID: 0004_suggestion_outcomes
Revises: 0003_vocabularies
Create Date: 2026-12-02 12:00:00

A new table only (no existing table is altered), so it runs the same on SQLite and PostgreSQL.
The review queue finds photos that need a person with
``SELECT record_id FROM suggestion_outcomes WHERE outcome = 'no_confident_suggestion'``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_suggestion_outcomes"
down_revision: str | None = "0003_vocabularies"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "suggestion_outcomes",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("n_proposed", sa.Integer(), nullable=False),
        sa.Column("best_score", sa.Float(), nullable=True),
        sa.Column("threshold", sa.Float(), nullable=True),
        sa.Column("read_text", sa.Boolean(), nullable=False),
        sa.Column("model_version_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('proposed', 'nothing_new', 'no_confident_suggestion')",
            name="ck_suggestion_outcomes_outcome",
        ),
        sa.ForeignKeyConstraint(["model_version_id"], ["model_versions.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id"),
    )
    with op.batch_alter_table("suggestion_outcomes", schema=None) as batch_op:
        batch_op.create_index("ix_suggestion_outcomes_outcome", ["outcome"], unique=False)


def downgrade() -> None:
    # dropping the table drops its index; a downgrade that an older revision refused half-way may have
    # dropped it already (SQLite commits DDL as it goes), so it is dropped only when present
    if sa.inspect(op.get_bind()).has_table("suggestion_outcomes"):
        op.drop_table("suggestion_outcomes")
