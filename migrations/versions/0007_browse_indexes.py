"""Indexes for the browser's keyset pages: records by (date_sort, identifier), (batch_id, identifier), location.

The browser pages through a million records by keyset (``WHERE (date_sort, identifier) > (?, ?)
ORDER BY date_sort, identifier LIMIT n``): with the composite index that is a range scan that
stops after ``n`` rows, where the old single-column index on ``date_sort`` left SQLite sorting
every record of a date in a temporary B-tree; likewise an import batch's records by identifier.
The old single-column indexes are dropped (the new ones' first columns serve every query they
served, the foreign key's look-ups included). The index on ``location`` lets the filter bar's list of places
(``SELECT DISTINCT location ... ORDER BY location``) walk an index instead of sorting the table.
The index on ``reviewed_at`` (revision 0005's review mark) lets the review-state filters (reviewed,
needs review: ``db.review_state``) and their counts read a narrow index instead of every record row.

Revision ID: 0007_browse_indexes
Revises: 0006_team_catalogue
Create Date: 2026-12-12 09:00:00

Portable (plain CREATE/DROP INDEX on SQLite and PostgreSQL); follows the team catalogue revision.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_browse_indexes"
down_revision: str | None = "0006_team_catalogue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_records_date_identifier", "records", ["date_sort", "identifier"], if_not_exists=True)
    op.drop_index("ix_records_date_sort", table_name="records", if_exists=True)
    op.create_index("ix_records_batch_identifier", "records", ["batch_id", "identifier"], if_not_exists=True)
    op.drop_index("ix_records_batch_id", table_name="records", if_exists=True)
    op.create_index("ix_records_location", "records", ["location"], if_not_exists=True)
    op.create_index("ix_records_reviewed_at", "records", ["reviewed_at"], if_not_exists=True)


def downgrade() -> None:  # IF (NOT) EXISTS: a downgrade stopped by an older revision may run again
    op.drop_index("ix_records_reviewed_at", table_name="records", if_exists=True)
    op.drop_index("ix_records_location", table_name="records", if_exists=True)
    op.create_index("ix_records_batch_id", "records", ["batch_id"], if_not_exists=True)
    op.drop_index("ix_records_batch_identifier", table_name="records", if_exists=True)
    op.create_index("ix_records_date_sort", "records", ["date_sort"], if_not_exists=True)
    op.drop_index("ix_records_date_identifier", table_name="records", if_exists=True)
