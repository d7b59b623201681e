"""Live suggestions from the active model: for a catalogued record and for an image file.

Both return the annotator's typed :class:`Prediction` (re-exported here for the CLI and the GUI),
with the record's identity and the identifiers of the neighbours it names filled in. Stored
suggestions are written by ``services.proposals``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from heritage_tagger.annotator.predictor import NeighbourTag, Prediction, Predictor
from heritage_tagger.db import records as record_rows
from heritage_tagger.domain.errors import CatalogueError, HeritageTaggerError
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.features import ImageRef, features_for
from heritage_tagger.services.model_versions import ModelVersionInfo, require_active

__all__ = [
    "NeighbourTag",
    "Prediction",
    "Predictor",
    "active_predictor",
    "clear_cache",
    "suggest_for_image",
    "suggest_for_record",
]

_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str], Predictor] = {}  # (bundle path, version) -> Predictor; one per process


def active_predictor(catalogue: Catalogue, device: str = "cpu") -> tuple[Predictor, ModelVersionInfo]:
    """The active model's Predictor, loaded once per process (ModelNotTrainedError when none)."""
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


def _name_neighbours(catalogue: Catalogue, prediction: Prediction) -> Prediction:
    """Fill in the identifiers of the neighbour records a prediction names."""
    ids = {r for n in prediction.neighbour_tags for r, _ in n.neighbours}
    if ids:
        with catalogue.session() as session:
            prediction.neighbour_identifiers = record_rows.identifiers(session, ids)
    return prediction


def suggest_for_record(catalogue: Catalogue, record_id: int | str) -> Prediction:
    """Suggestions for a catalogued record (by identifier or id); a training record is not its own neighbour."""
    predictor, _ = active_predictor(catalogue)
    with catalogue.session() as session:
        row = record_rows.find_record(session, record_id)
        if row is None:
            raise CatalogueError(f"There is no record {record_id!r} in this catalogue.")
        rid, identifier = row.id, row.identifier
        image = ImageRef(row.sha256, row.source_path)
        labels = record_rows.carried_labels(session, rid)
    found = features_for(catalogue, [image], predictor)
    if found.failed:
        raise HeritageTaggerError(f"Cannot read the photo of record {identifier}: {found.failed[0]}")
    prediction = predictor.predict_features(
        found.features[0], training_row=predictor.model.row_of(rid), existing_tags=labels
    )
    prediction.record_id, prediction.identifier = rid, identifier
    return _name_neighbours(catalogue, prediction)


def suggest_for_image(catalogue: Catalogue, path: Path | str) -> Prediction:
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
