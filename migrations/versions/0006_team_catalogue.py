"""Team catalogues: a version on every tag state, the catalogue's own properties, team locks, job hosts.

- ``record_tags.version``: raised on every change; a decision taken on a version that is no
  longer current is refused (no lost update between reviewers).
- ``catalogue_properties``: settings of the catalogue itself, e.g. a team catalogue's shared
  ``media_root`` (thumbnails, features, model bundles and locks live there, paths relative to it)
  and its ``catalogue_id`` (also written in the media root, so a mount elsewhere is recognised).
- ``team_locks``: who holds a team-wide lock (training, activation) and since when; the lock
  itself is a PostgreSQL advisory lock.
- ``jobs.host``: the computer a running job's process is on, so a job of a teammate's computer
  is not taken for one whose process died here.

Portable: plain ``ALTER TABLE ... ADD COLUMN`` (no table copy on SQLite) and new tables; runs on
SQLite and PostgreSQL alike.

Revision ID: 0006_team_catalogue
Revises: 0005_review_marks
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_team_catalogue"
down_revision: str | None = "0005_review_marks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "record_tags", sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
    )
    op.add_column("jobs", sa.Column("host", sa.String(length=255), nullable=True))
    op.create_table(
        "catalogue_properties",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "team_locks",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=255), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("team_locks")
    op.drop_table("catalogue_properties")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("host")
    with op.batch_alter_table("record_tags", schema=None) as batch_op:
        batch_op.drop_column("version")
