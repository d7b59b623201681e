"""Model bundle paths stored relative to the catalogue's folder, so a copied or moved catalogue uses its own models.

Revision 0001 stored absolute paths (``/home/ann/photos.heritage/models/v0001-...``): a copy of
the catalogue read (or, once the original was gone, lost) the original's bundles. Every path of
a bundle in a catalogue workspace becomes ``photos.heritage/models/v0001-...``; other paths are
left as they are. Plain SQLAlchemy Core, so it runs on SQLite and PostgreSQL alike.

Revision ID: 0002_relative_bundle_paths
Revises: 0001
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_relative_bundle_paths"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEPARATORS = re.compile(r"[\\/]+")
model_versions = sa.table("model_versions", sa.column("id", sa.Integer), sa.column("bundle_path", sa.Text))


def relative(path: str) -> str:
    """``.../NAME.heritage/models/VERSION`` -> ``NAME.heritage/models/VERSION`` (POSIX or Windows paths)."""
    parts = [p for p in _SEPARATORS.split(path) if p]
    if len(parts) >= 3 and parts[-3].endswith(".heritage") and parts[-2] == "models":
        return "/".join(parts[-3:])
    return path


def bare(path: str) -> str:
    """What revision 0001's code resolves inside the workspace's models folder: the version folder alone."""
    parts = [p for p in _SEPARATORS.split(path) if p]
    if len(parts) == 3 and parts[0].endswith(".heritage") and parts[1] == "models":
        return parts[2]
    return path


def _rewrite(convert) -> None:  # type: ignore[no-untyped-def]
    bind = op.get_bind()
    rows = bind.execute(sa.select(model_versions.c.id, model_versions.c.bundle_path)).all()
    for row_id, path in rows:
        new = convert(path or "")
        if new != path:
            bind.execute(
                sa.update(model_versions).where(model_versions.c.id == row_id).values(bundle_path=new)
            )


def upgrade() -> None:
    _rewrite(relative)


def downgrade() -> None:
    _rewrite(bare)
