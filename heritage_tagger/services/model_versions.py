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
from heritage_tagger.services.locks import hold_training

_VERSION = re.compile(r"^v(\d{4,})-")
_SEPARATORS = re.compile(r"[\\/]+")
HEADLINE_METRICS = ("imAP", "mAP", "OP", "OR", "OF1", "CF1")
#: each headline figure in plain words: (short name, one line a librarian understands)
METRIC_WORDS = {
    "imAP": ("Right tags first", "For a typical photo, how near the top of the list its right tags come (1 = always first)."),
    "mAP": ("Photos found per tag", "For a typical tag, how near the top it ranks the photos that should carry it."),
    "OP": ("Proposals that were right", "Of the tags proposed, how many were right."),
    "OR": ("Right tags proposed", "Of the tags the photos should carry, how many were proposed."),
    "OF1": ("Proposals overall", "The balance of the two above (right proposals and right tags found)."),
    "CF1": ("Proposals, every tag alike", "The same balance averaged over tags, so rare tags count as much as common ones."),
}  # fmt: skip
NOT_TRAINED = "No model has been trained for this catalogue yet: run `heritage-tagger train`"


def headline_metrics(metrics: dict[str, Any]) -> dict[str, Any]:
    """The figures shown for a version, by one rule for the CLI, the Versions list and the retrain dialog.

    The latest fair comparison the version took part in (``metrics["comparison"]``, written by a
    retrain for the candidate and for the active model it was compared with: the same figures the
    retrain dialog showed); else the held-out figures of an older retrain (``held_out``); else the
    validation imAP of its training. ``measured_on`` says which; a figure not measured is None.
    """
    compared = metrics.get("comparison") or {}
    held = metrics.get("held_out") or {}
    if compared:
        scores = compared.get("figures") or {}
        where = f"{compared.get('n_records')} photos neither model was trained on"
        measured_on = where + (f" ({compared['date']})" if compared.get("date") else "")
    elif held:
        scores = held.get("candidate") or {}
        measured_on = f"{held.get('n_records')} held-out records"
    else:
        scores, measured_on = {}, "validation"
    out: dict[str, Any] = {name: scores.get(name) for name in HEADLINE_METRICS}
    if not compared:  # no comparison: what serves photos alone, on validation
        served = (metrics.get("product") or {}).get("image") or {}
        if out["imAP"] is None:
            out["imAP"] = served.get("imAP", metrics.get("model_imap"))
        if out["mAP"] is None:
            out["mAP"] = served.get("mAP")
    out["measured_on"] = measured_on
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


def stored_bundle_path(path: Path | str) -> str:
    """How a bundle's path is stored: ``NAME.heritage/models/VERSION``, relative to the catalogue's folder.

    A catalogue copied or moved with its ``.heritage`` folder thus finds its own bundles. A path
    outside a catalogue workspace is stored as it is.
    """
    parts = [p for p in _SEPARATORS.split(str(path)) if p]
    if len(parts) >= 3 and parts[-3].endswith(".heritage") and parts[-2] == "models":
        return "/".join(parts[-3:])
    return str(path)


def bundle_location(catalogue: Catalogue, stored: str) -> Path:
    """The bundle folder a stored path means for ``catalogue``: always inside its own workspace when relative.

    ``NAME.heritage/models/VERSION`` resolves in this catalogue's workspace whatever NAME was
    when it was trained (a renamed copy beside the original must not read the original's
    model); a bare ``VERSION`` (older catalogues) likewise; an absolute path is kept. Any other
    relative path is relative to the catalogue's folder (a team catalogue's media root: ``models/VERSION``).
    """
    if Path(stored).is_absolute() or re.match(r"^[A-Za-z]:[\\/]", stored):
        return Path(stored)
    parts = [p for p in _SEPARATORS.split(stored) if p]
    if len(parts) >= 3 and parts[0].endswith(".heritage") and parts[1] == "models":
        return catalogue.workspace.bundles.joinpath(*parts[2:])
    if len(parts) == 1:
        return catalogue.workspace.bundles / parts[0]
    return catalogue.path.parent.joinpath(*parts)


def _info(row: ModelVersion, catalogue: Catalogue) -> ModelVersionInfo:
    path = bundle_location(catalogue, row.bundle_path)
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


def register_version(
    session: Session,
    *,
    version: str,
    bundle_path: Path,
    backbone: str,
    weights_checksum: str,
    n_records: int,
    n_tags: int,
    n_decisions: int,
    metrics: dict[str, Any],
    activate: bool,
    catalogue: Catalogue | None = None,
) -> ModelVersion:
    """Insert a version (and make it the only active one) inside the caller's transaction; the bundle
    path is stored relative to the catalogue's folder (a team ``catalogue``'s: its media root)."""
    stored = (
        catalogue.stored_path(bundle_path)
        if catalogue is not None and catalogue.team
        else stored_bundle_path(bundle_path)
    )
    return rows.insert(
        session, version=version, bundle_path=stored, backbone=backbone,
        weights_checksum=weights_checksum, n_records=n_records, n_tags=n_tags, n_decisions=n_decisions,
        metrics=metrics, activate=activate,
    )  # fmt: skip


def check_bundle(bundle_dir: Path) -> None:
    """Read a bundle as the predictor would (never unpickling); BundleError when it cannot be used."""
    from heritage_tagger.annotator.bundle import read_bundle
    from heritage_tagger.annotator.persist import model_from_contents

    model_from_contents(read_bundle(bundle_dir), device="cpu")


def activate(catalogue: Catalogue, version: str) -> ModelVersionInfo:
    """Make ``version`` the active model, in one transaction (rollback = activate an older one).

    The bundle is read whole first (checksums, weights, arrays, the network they build): a
    damaged or tampered one raises BundleError and the active model stays as it was. Refused
    (TrainingLockedError, naming who trains and since when) while a training of the catalogue runs,
    here or on a teammate's computer.
    """
    with hold_training(catalogue, "activate"):
        with catalogue.session() as session:
            bundle = _info(_find(session, version), catalogue).bundle_path
        check_bundle(bundle)
        with catalogue.session() as session:
            row = _find(session, version)
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
