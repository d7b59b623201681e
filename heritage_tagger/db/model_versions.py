"""Rows of ``model_versions``: list, find, the active one, insert, and switching which one is active."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from heritage_tagger.db.tables import ModelVersion

__all__ = ["ModelVersion", "active", "all_versions", "deactivate_all", "find", "insert", "names"]


def all_versions(session: Session) -> list[ModelVersion]:
    """Every registered version, newest first."""
    return list(session.scalars(select(ModelVersion).order_by(ModelVersion.id.desc())))


def active(session: Session) -> ModelVersion | None:
    return session.scalar(select(ModelVersion).where(ModelVersion.is_active.is_(True)))


def names(session: Session) -> list[str]:
    return list(session.scalars(select(ModelVersion.version)))


def find(session: Session, version: str) -> ModelVersion | None:
    """By full name, by numeric id, or by the ``vNNNN`` prefix of its name."""
    row = session.scalar(select(ModelVersion).where(ModelVersion.version == version))
    if row is None and version.isdigit():
        row = session.get(ModelVersion, int(version))
    if row is None:
        row = session.scalar(select(ModelVersion).where(ModelVersion.version.like(f"{version}-%")))
    return row


def deactivate_all(session: Session) -> None:
    session.execute(update(ModelVersion).where(ModelVersion.is_active.is_(True)).values(is_active=False))
    session.flush()


def insert(
    session: Session,
    *,
    version: str,
    bundle_path: Path | str,
    backbone: str,
    weights_checksum: str,
    n_records: int,
    n_tags: int,
    n_decisions: int,
    metrics: dict[str, Any],
    activate: bool,
) -> ModelVersion:
    """Insert a version (and make it the only active one) inside the caller's transaction."""
    if activate:
        deactivate_all(session)
    row = ModelVersion(
        version=version,
        bundle_path=str(bundle_path),
        backbone=backbone,
        weights_checksum=weights_checksum,
        n_records=n_records,
        n_tags=n_tags,
        n_decisions=n_decisions,
        metrics_json=json.dumps(metrics, sort_keys=True),
        is_active=activate,
    )
    session.add(row)
    session.flush()
    return row
