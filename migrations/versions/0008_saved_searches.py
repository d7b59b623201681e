"""Saved searches: the browser's filters kept under a name, shared by everyone who opens the catalogue.

``saved_searches`` holds one row per name (unique): the filter as versioned JSON text
(``domain.saved_search``), who saved it and when it was created and last replaced or renamed.

Revision ID: 0008_saved_searches
Revises: 0007_browse_indexes
Create Date: 2026-12-02 09:00:00

Portable: a new table only (CREATE/DROP TABLE), the same on SQLite and PostgreSQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_saved_searches"
down_revision: str | None = "0007_browse_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("filter_json", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", name="uq_saved_searches_name"),
    )


def downgrade() -> None:
    op.drop_table("saved_searches")
