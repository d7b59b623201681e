"""Suggest tags with the active model: for a catalogued record, for an image file, and stored as `suggested`."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete, select

from heritage_tagger.db.tables import Record, RecordTag, Tag
from heritage_tagger.db.tagging import get_or_create_tags, set_record_tag
from heritage_tagger.domain.errors import CatalogueError, HeritageTaggerError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.domain.records import TagState
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.model_versions import ModelVersionInfo, require_active

SOURCE = "model"
_REVIEWED = (TagState.CATALOGUED.value, TagState.ACCEPTED.value, TagState.REJECTED.value)
_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str], Any] = {}  # (bundle path, version) -> Predictor; one per process


def active_predictor(catalogue: Catalogue, device: str = "cpu") -> tuple[Any, ModelVersionInfo]:
    """The active model's Predictor, loaded once per process (ModelNotTrainedError when none)."""
    from heritage_tagger.annotator.predictor import Predictor

    info = require_active(catalogue)
    key = (str(info.bundle_path), info.version)
    with _LOCK:
        predictor = _CACHE.get(key)
        if predictor is None:
            predictor = Predictor.load(info.bundle_path, device=device)
            _CACHE.clear()  # keep only the active one
            _CACHE[key] = predictor
    return predictor, info


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def _record(catalogue: Catalogue, record_id: int | str) -> tuple[int, str, str, str, list[str]]:
    """(id, identifier, sha256, source path, labels of reviewed-positive tags) by id or identifier."""
    with catalogue.session() as session:
        row = session.scalar(select(Record).where(Record.identifier == str(record_id)))
        if row is None and str(record_id).isdigit():
            row = session.get(Record, int(record_id))
        if row is None:
            raise CatalogueError(f"There is no record {record_id!r} in this catalogue.")
        labels = session.scalars(
            select(Tag.label)
            .join(RecordTag, RecordTag.tag_id == Tag.id)
            .where(
                RecordTag.record_id == row.id,
                RecordTag.state.in_((TagState.CATALOGUED.value, TagState.ACCEPTED.value)),
            )
            .order_by(Tag.label)
        ).all()
        return row.id, row.identifier, row.sha256, row.source_path, list(labels)


def record_features(
    catalogue: Catalogue, predictor: Any, items: Sequence[tuple[str, str]]
) -> tuple[np.ndarray, dict[int, str]]:
    """Backbone features of (sha256, path) items from the feature cache; missing ones are extracted and cached."""
    from heritage_tagger.vision.feature_store import FeatureStore

    dim = int(predictor.manifest["feature_dim"])
    store = FeatureStore(catalogue.workspace.features, predictor.space_key, dim)
    features, present = store.get([sha for sha, _ in items])
    failed: dict[int, str] = {}
    if not present.all():
        from heritage_tagger.vision.features import ImageItem, extract_features

        missing = np.flatnonzero(~present)
        result = extract_features(predictor.backbone(), [ImageItem(*items[i]) for i in missing], store)
        features[missing] = result.features
        failed = {int(missing[i]): reason for i, reason in result.failed.items()}
    return features, failed


def _name_neighbours(catalogue: Catalogue, prediction: Any) -> Any:
    """Fill in the identifiers of the neighbour records a prediction names."""
    ids = {r for n in prediction.neighbour_tags for r, _ in n.neighbours}
    if ids:
        with catalogue.session() as session:
            rows = session.execute(select(Record.id, Record.identifier).where(Record.id.in_(ids))).all()
        prediction.neighbour_identifiers = {int(r): str(i) for r, i in rows}
    return prediction


def suggest_for_record(catalogue: Catalogue, record_id: int | str) -> Any:  # -> Prediction
    """Suggestions for a catalogued record (by id or identifier); a training record is not its own neighbour."""
    predictor, _ = active_predictor(catalogue)
    rid, identifier, sha, path, labels = _record(catalogue, record_id)
    features, failed = record_features(catalogue, predictor, [(sha, path)])
    if failed:
        raise HeritageTaggerError(f"Cannot read the photo of record {identifier}: {failed[0]}")
    prediction = predictor.predict_features(
        features[0], training_row=predictor.model.row_of(rid), existing_tags=labels
    )
    prediction.record_id, prediction.identifier = rid, identifier
    return _name_neighbours(catalogue, prediction)


def suggest_for_image(catalogue: Catalogue, path: Path | str) -> Any:  # -> Prediction
    """Suggestions for an image file that need not be in the catalogue."""
    predictor, _ = active_predictor(catalogue)
    path = Path(path)
    if not path.is_file():
        raise HeritageTaggerError(f"There is no image file {path}.")
    try:
        prediction = predictor.predict_image(path)
    except OSError as exc:
        raise HeritageTaggerError(f"Cannot read the image {path}: {exc}") from exc
    prediction.identifier = str(path)
    return _name_neighbours(catalogue, prediction)


def store_suggestions(
    catalogue: Catalogue,
    record_ids: Sequence[int],
    *,
    chunk_size: int = 200,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write the active model's proposed tags as `suggested` record tags (score, model version).

    One transaction per chunk; a record's earlier pending suggestions are replaced; catalogued,
    accepted and rejected tags are never touched. Returns how many suggestions were written.
    """
    predictor, info = active_predictor(catalogue)
    lemma_of = dict(zip(predictor.model.tag_labels, predictor.manifest.get("tag_lemmas", []), strict=False))
    written = 0
    ids = list(dict.fromkeys(int(r) for r in record_ids))
    progress(Progress("suggesting", 0, len(ids)))
    for start in range(0, len(ids), chunk_size):
        if cancel is not None:
            cancel.check()
        chunk = ids[start : start + chunk_size]
        with catalogue.session() as session:
            rows = session.execute(
                select(Record.id, Record.sha256, Record.source_path).where(Record.id.in_(chunk))
            ).all()
        features, failed = record_features(catalogue, predictor, [(r.sha256, r.source_path) for r in rows])
        proposals: dict[int, list[tuple[str, float]]] = {}
        for i, r in enumerate(rows):
            if i in failed:
                continue
            pred = predictor.predict_features(features[i], training_row=predictor.model.row_of(r.id))
            proposals[r.id] = pred.proposed
        with catalogue.session() as session:
            reviewed = {
                (rid, lemma or label.lower())
                for rid, label, lemma in session.execute(
                    select(RecordTag.record_id, Tag.label, Tag.lemma)
                    .join(Tag, Tag.id == RecordTag.tag_id)
                    .where(RecordTag.record_id.in_(list(proposals)), RecordTag.state.in_(_REVIEWED))
                )
            }
            session.execute(
                delete(RecordTag).where(
                    RecordTag.record_id.in_(list(proposals)), RecordTag.state == TagState.SUGGESTED.value
                )
            )
            tags = get_or_create_tags(session, {label for p in proposals.values() for label, _ in p})
            for rid, proposed in proposals.items():
                for label, score in proposed:
                    if (rid, lemma_of.get(label, label.lower())) in reviewed:
                        continue
                    set_record_tag(
                        session,
                        rid,
                        tags[label],
                        TagState.SUGGESTED,
                        score=float(score),
                        source=SOURCE,
                        model_version_id=info.id,
                    )
                    written += 1
        progress(Progress("suggesting", min(len(ids), start + chunk_size), len(ids)))
    return written
