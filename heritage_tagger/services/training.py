"""Train a model on the catalogue: read records and accepted tags, run the pipeline, register the version."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heritage_tagger.db import decisions as decision_log
from heritage_tagger.db.training import tags_in_states, training_rows
from heritage_tagger.domain.errors import TrainingLockedError
from heritage_tagger.domain.progress import CancelToken, ProgressCallback, null_progress
from heritage_tagger.domain.records import TagState
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.jobs import run_job
from heritage_tagger.services.locks import hold_training
from heritage_tagger.services.model_versions import next_version_name, register_version
from heritage_tagger.settings import ModelSettings

if TYPE_CHECKING:
    from heritage_tagger.annotator.backbones import LoadedBackbone
    from heritage_tagger.annotator.pipeline import TrainingData

JOB_KIND = "train"
TRAINING_STATES = (TagState.CATALOGUED.value, TagState.ACCEPTED.value)  # never rejected or suggested


__all__ = ["TrainingLockedError", "TrainingOutcome", "train_catalogue", "train_locked", "training_lock"]


@dataclass
class TrainingOutcome:
    """What a training produced, for the CLI and the GUI."""

    version: str
    model_version_id: int
    bundle_path: Path
    backbone: str
    active: bool
    n_records: int
    n_training_rows: int
    n_tags: int
    m: int
    gx_mode: str
    metrics: dict[str, Any]
    dropped_tags: list[tuple[str, int]] = field(default_factory=list)
    failed_images: dict[int, str] = field(default_factory=dict)
    backbone_note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "model_version_id": self.model_version_id,
            "bundle_path": str(self.bundle_path),
            "backbone": self.backbone,
            "active": self.active,
            "n_records": self.n_records,
            "n_training_rows": self.n_training_rows,
            "n_tags": self.n_tags,
            "m": self.m,
            "gx_mode": self.gx_mode,
            "metrics": self.metrics,
            "dropped_tags": [{"tag": t, "records": c} for t, c in self.dropped_tags],
            "failed_images": {str(k): v for k, v in self.failed_images.items()},
        }


@contextmanager
def training_lock(catalogue: Catalogue) -> Iterator[Path | None]:
    """The catalogue's training lock (``services.locks.hold_training``): a lock file, or on a team catalogue
    an advisory lock across the team; a lock left by a dead process is taken over."""
    with hold_training(catalogue, "train") as path:
        yield path


def model_settings(
    catalogue: Catalogue, *, backbone: str | None = None, device: str | None = None, epochs: int | None = None
) -> ModelSettings:
    """The catalogue's model settings with the caller's choices (None keeps the setting)."""
    changes: dict[str, object] = {}
    if backbone is not None:
        changes["backbone"] = backbone
    if device is not None:
        changes["device"] = device
    if epochs is not None:
        changes["epochs"] = int(epochs)
    return replace(catalogue.settings.model, **changes)  # type: ignore[arg-type]


def load_training_data(catalogue: Catalogue) -> TrainingData:
    """Every record (tagged or not) with its catalogued and accepted tags as (label, lemma) pairs."""
    from heritage_tagger.annotator.pipeline import TrainingData

    with catalogue.session() as session:
        rows = training_rows(session)
        tags = tags_in_states(session, TRAINING_STATES)
        n_decisions = decision_log.count(session)
    return TrainingData(
        record_ids=[r.id for r in rows],
        sha256s=[r.sha256 for r in rows],
        image_paths=[catalogue.file_path(r.source_path) for r in rows],
        titles=[r.title for r in rows],
        descriptions=[r.description for r in rows],
        locations=[r.location for r in rows],
        tags=[tags.get(r.id, []) for r in rows],
        n_decisions=n_decisions,
        identifiers=[r.identifier for r in rows],
    )


def train_catalogue(
    catalogue: Catalogue,
    *,
    backbone: str | None = None,
    epochs: int | None = None,
    device: str | None = None,
    activate: bool = True,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    loaded_backbone: LoadedBackbone | None = None,
) -> TrainingOutcome:
    """Train a new model version. Cancelling (or any failure) leaves the active model as it was:
    the bundle is written to a temporary folder and only a final short transaction registers it.
    Refuses (TrainingLockedError) while another training of the catalogue runs. ``backbone`` and
    ``device`` default to the catalogue's model settings."""
    with training_lock(catalogue):
        return train_locked(
            catalogue, backbone=backbone, epochs=epochs, device=device, activate=activate,
            progress=progress, cancel=cancel, loaded_backbone=loaded_backbone,
        )  # fmt: skip


def train_locked(
    catalogue: Catalogue,
    *,
    backbone: str | None,
    epochs: int | None,
    device: str | None,
    activate: bool,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    loaded_backbone: LoadedBackbone | None,
) -> TrainingOutcome:
    """``train_catalogue`` for a caller that already holds the training lock (``retrain``)."""
    from heritage_tagger.annotator import pipeline

    settings = model_settings(catalogue, backbone=backbone, device=device, epochs=epochs)
    data = load_training_data(catalogue)
    pipeline.vocabulary_for(data, settings)  # refuse early, before loading a backbone
    version = next_version_name(catalogue, datetime.now())
    bundle_dir = catalogue.workspace.bundles / version
    params = {"backbone": settings.backbone, "epochs": epochs, "device": settings.device, "version": version}
    with run_job(catalogue, JOB_KIND, params) as job:
        try:
            result = pipeline.train(
                data, settings, catalogue.workspace.features, bundle_dir,
                backbone=loaded_backbone, progress=progress, cancel=cancel,
            )  # fmt: skip
            if cancel is not None:
                cancel.check()
            manifest = result.manifest
            with catalogue.session() as session:
                row = register_version(
                    session,
                    version=version,
                    bundle_path=bundle_dir,
                    backbone=manifest["backbone"]["name"],
                    weights_checksum=manifest["backbone"]["checksum"],
                    n_records=int(manifest["n_training_rows"]),
                    n_tags=len(manifest["tags"]),
                    n_decisions=data.n_decisions,
                    metrics=manifest["metrics"],
                    activate=activate,
                    catalogue=catalogue,
                )
                model_version_id = row.id
        except BaseException:
            shutil.rmtree(bundle_dir, ignore_errors=True)
            raise
        job.final_cursor = {"version": version}
    return TrainingOutcome(
        version=version,
        model_version_id=model_version_id,
        bundle_path=bundle_dir,
        backbone=manifest["backbone"]["name"],
        active=activate,
        n_records=len(data),
        n_training_rows=int(manifest["n_training_rows"]),
        n_tags=len(manifest["tags"]),
        m=int(manifest["m"]),
        gx_mode=str(manifest["gx_mode"]),
        metrics=manifest["metrics"],
        dropped_tags=result.dropped,
        failed_images=result.failed_images,
        backbone_note=str(manifest["backbone"].get("note", "")),
    )
