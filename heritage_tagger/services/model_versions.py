"""Trained model versions of a catalogue: list, register, activate (atomically) and remove."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from heritage_tagger.db import model_versions as rows
from heritage_tagger.db.engine import Session
from heritage_tagger.db.model_versions import ModelVersion
from heritage_tagger.domain.errors import HeritageTaggerError, ModelNotTrainedError
from heritage_tagger.services.catalogue import Catalogue

_VERSION = re.compile(r"^v(\d{4,})-")
HEADLINE_METRICS = ("imAP", "mAP", "OF1", "CF1")
NOT_TRAINED = "No model has been trained for this catalogue yet: run `heritage-tagger train`"


def headline_metrics(metrics: dict[str, Any]) -> dict[str, Any]:
    """imAP/mAP/OF1/CF1 on held-out records when a retrain measured them, else the validation imAP.

    ``measured_on`` says which; a metric that was not measured is None. The CLI and the GUI's
    versions dialog both show these.
    """
    held = metrics.get("held_out") or {}
    scores = held.get("candidate") or {}
    out: dict[str, Any] = {name: scores.get(name) for name in HEADLINE_METRICS}
    served = (metrics.get("product") or {}).get("image") or {}  # what serves photos alone, on validation
    if out["imAP"] is None:
        out["imAP"] = served.get("imAP", metrics.get("model_imap"))
    if out["mAP"] is None:
        out["mAP"] = served.get("mAP")
    out["measured_on"] = f"{held.get('n_records')} held-out records" if held else "validation"
    return out


def served_by(metrics: dict[str, Any]) -> str:
    """Which model serves suggestions, in plain words (from a version's stored metrics; "" when unknown)."""
    served = metrics.get("served_by") or {}
    if not served:
        return ""
    if "text" in served and served["text"] != served.get("image"):
        return f"with a caption: {served['text']}; photo alone: {served.get('image', '')}"
    return str(served.get("image", ""))


class ModelVersionError(HeritageTaggerError):
    """A model version cannot be found, activated or removed."""


@dataclass(frozen=True)
class ModelVersionInfo:
    """One registered model version, as plain data."""

    id: int
    version: str
    bundle_path: Path
    backbone: str
    weights_checksum: str
    n_records: int
    n_tags: int
    n_decisions: int
    metrics: dict[str, Any]
    created_at: datetime
    is_active: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "bundle_path": str(self.bundle_path),
            "backbone": self.backbone,
            "n_records": self.n_records,
            "n_tags": self.n_tags,
            "n_decisions": self.n_decisions,
            "metrics": self.metrics,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "is_active": self.is_active,
        }


def _info(row: ModelVersion, catalogue: Catalogue) -> ModelVersionInfo:
    path = Path(row.bundle_path)
    if not path.is_absolute():
        path = catalogue.workspace.bundles / path
    return ModelVersionInfo(
        id=row.id,
        version=row.version,
        bundle_path=path,
        backbone=row.backbone,
        weights_checksum=row.weights_checksum,
        n_records=row.n_records,
        n_tags=row.n_tags,
        n_decisions=row.n_decisions,
        metrics=json.loads(row.metrics_json) if row.metrics_json else {},
        created_at=row.created_at,
        is_active=bool(row.is_active),
    )


def list_versions(catalogue: Catalogue) -> list[ModelVersionInfo]:
    """Every registered version, newest first."""
    with catalogue.session() as session:
        return [_info(r, catalogue) for r in rows.all_versions(session)]


def active_version(catalogue: Catalogue) -> ModelVersionInfo | None:
    """The active version, or None when no model has been trained."""
    with catalogue.session() as session:
        row = rows.active(session)
        return _info(row, catalogue) if row is not None else None


def require_active(catalogue: Catalogue) -> ModelVersionInfo:
    info = active_version(catalogue)
    if info is None:
        raise ModelNotTrainedError(NOT_TRAINED)
    return info


def next_version_name(catalogue: Catalogue, now: datetime) -> str:
    """``vNNNN-YYYYMMDDTHHMM``: one more than any version registered or on disk."""
    numbers = [0]
    with catalogue.session() as session:
        numbers += [int(m.group(1)) for v in rows.names(session) if (m := _VERSION.match(v))]
    root = catalogue.workspace.bundles
    if root.is_dir():
        numbers += [int(m.group(1)) for p in root.iterdir() if (m := _VERSION.match(p.name.lstrip(".")))]
    return f"v{max(numbers) + 1:04d}-{now.strftime('%Y%m%dT%H%M')}"


def _find(session: Session, version: str) -> ModelVersion:
    row = rows.find(session, version)
    if row is None:
        raise ModelVersionError(
            f"There is no model version {version!r}; `heritage-tagger models list` shows them."
        )
    return row


register_version = rows.insert  # inside the caller's transaction


def activate(catalogue: Catalogue, version: str) -> ModelVersionInfo:
    """Make ``version`` the active model, in one transaction (rollback = activate an older one)."""
    from heritage_tagger.annotator.bundle import verify_bundle

    with catalogue.session() as session:
        row = _find(session, version)
        verify_bundle(_info(row, catalogue).bundle_path)
        rows.deactivate_all(session)
        row.is_active = True
        session.flush()
        return _info(row, catalogue)


def add_metrics(catalogue: Catalogue, version: str, metrics: dict[str, Any]) -> None:
    """Merge figures into a version's stored metrics (e.g. a retrain's held-out comparison)."""
    with catalogue.session() as session:
        row = _find(session, version)
        merged = json.loads(row.metrics_json or "{}")
        merged.update(metrics)
        row.metrics_json = json.dumps(merged, sort_keys=True)


def remove(catalogue: Catalogue, version: str) -> ModelVersionInfo:
    """Unregister a version that is not active and delete its bundle folder."""
    with catalogue.session() as session:
        row = _find(session, version)
        if row.is_active:
            raise ModelVersionError(
                f"Model version {row.version} is the active one and cannot be removed; activate another first."
            )
        info = _info(row, catalogue)
        session.delete(row)
    root = catalogue.workspace.bundles.resolve()
    path = info.bundle_path.resolve()
    if path.is_dir() and root in path.parents:
        shutil.rmtree(path, ignore_errors=True)
    return info
