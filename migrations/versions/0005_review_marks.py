"""Review marks: records.reviewed_at / reviewed_by ("Mark photo reviewed") and the decision action "review".

Revision ID: 0005_review_marks
Revises: 0004_suggestion_outcomes
Create Date: 2026-12-10 09:00:00

Portable: runs on SQLite and PostgreSQL. The two ``records`` columns are added with a plain
``ALTER TABLE ... ADD COLUMN`` (no batch copy of ``records``: on SQLite, with foreign keys on,
dropping the old table would delete every ``record_tags`` row through ON DELETE CASCADE).
The decisions log's CHECK constraint gains ``review``: SQLite cannot alter a constraint, so
there the ``decisions`` table is copied (nothing references it, so no cascade) and its
append-only triggers are dropped before and created again after; PostgreSQL drops and
re-creates the constraint in place.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_review_marks"
down_revision: str | None = "0004_suggestion_outcomes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHECK = "ck_decisions_action"
_ACTIONS_BEFORE = "action IN ('accept', 'reject', 'add', 'remove', 'undo')"
_ACTIONS_AFTER = "action IN ('accept', 'reject', 'add', 'remove', 'undo', 'review')"
_TRIGGERS = (
    "CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions "
    "BEGIN SELECT RAISE(ABORT, 'the decisions log is append-only'); END",
    "CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions "
    "BEGIN SELECT RAISE(ABORT, 'the decisions log is append-only'); END",
)


def _replace_action_check(expression: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint(_CHECK, "decisions", type_="check")
        op.create_check_constraint(_CHECK, "decisions", expression)
        return
    op.execute("DROP TRIGGER IF EXISTS decisions_no_update")
    op.execute("DROP TRIGGER IF EXISTS decisions_no_delete")
    with op.batch_alter_table("decisions", recreate="always") as batch_op:
        batch_op.drop_constraint(_CHECK, type_="check")
        batch_op.create_check_constraint(_CHECK, sa.text(expression))
    for statement in _TRIGGERS:
        op.execute(statement)


def upgrade() -> None:
    op.add_column("records", sa.Column("reviewed_at", sa.DateTime(), nullable=True))
    op.add_column("records", sa.Column("reviewed_by", sa.String(length=255), nullable=True))
    _replace_action_check(_ACTIONS_AFTER)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "Downgrading 0005 drops two columns of records, which on SQLite copies the table and with "
            "foreign keys on would delete every record_tags row: run it without PRAGMA foreign_keys=ON."
        )
    if bind.execute(sa.text("SELECT count(*) FROM decisions WHERE action = 'review'")).scalar():
        raise RuntimeError(
            "Downgrading 0005 would leave 'review' entries in the append-only decisions log that the "
            "older schema refuses; it cannot be downgraded once photos were marked reviewed."
        )
    _replace_action_check(_ACTIONS_BEFORE)
    with op.batch_alter_table("records") as batch_op:
        batch_op.drop_column("reviewed_by")
        batch_op.drop_column("reviewed_at")
