"""Field edits: every change of a record's metadata field is logged (for retraining and history).

``field_edits`` holds one row per change: the record (deleted with it), the field (a key of
``services.browse.EDITABLE_FIELDS``), its text before and after, the action (``edit``; ``undo`` and
``redo`` of a batch), a group key shared by one batch's edits and their undo/redo, who and when.

Revision ID: 0009_field_edits
Revises: 0008_saved_searches
Create Date: 2026-12-02 09:20:00

Portable: a new table and its indexes only (CREATE/DROP), the same on SQLite and PostgreSQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_field_edits"
down_revision: str | None = "0008_saved_searches"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "field_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("field_name", sa.String(length=32), nullable=False),
        sa.Column("value_before", sa.Text(), nullable=True),
        sa.Column("value_after", sa.Text(), nullable=True),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("group_key", sa.String(length=32), nullable=False),
        sa.Column("reviewer", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("action IN ('edit', 'undo', 'redo')", name="ck_field_edits_action"),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_field_edits_record", "field_edits", ["record_id"])
    op.create_index("ix_field_edits_group", "field_edits", ["group_key"])


def downgrade() -> None:
    op.drop_index("ix_field_edits_group", table_name="field_edits")
    op.drop_index("ix_field_edits_record", table_name="field_edits")
    op.drop_table("field_edits")
