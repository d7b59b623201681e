"""Live suggestions from the active model: for a catalogued record and for an image file.

Both return the annotator's typed :class:`Prediction` (re-exported here for the CLI and the GUI),
with the record's identity and the identifiers of the neighbours it names filled in. The model
reads the record's title, description and location besides its photo, and the catalogue's tags
are the candidates its caption may name (``catalogue_lexicon``). The target precision is
``ModelSettings.target_precision`` unless the caller gives one. Stored suggestions are written by
``services.proposals``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from heritage_tagger.annotator.predictor import (
    SOURCE_WORDS,
    NeighbourTag,
    Prediction,
    Predictor,
    RecordText,
    Source,
)
from heritage_tagger.db import records as record_rows
from heritage_tagger.db import suggestions as suggestion_rows
from heritage_tagger.domain.errors import CatalogueError, HeritageTaggerError
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.features import ImageRef, features_for
from heritage_tagger.services.model_versions import ModelVersionInfo, require_active

if TYPE_CHECKING:
    from heritage_tagger.vocab.lexicon import Lexicon

__all__ = [
    "SOURCE_WORDS",
    "NeighbourTag",
    "Prediction",
    "Predictor",
    "RecordText",
    "Source",
    "active_predictor",
    "catalogue_lexicon",
    "clear_cache",
    "suggest_for_image",
    "suggest_for_record",
]

_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str], Predictor] = {}  # (bundle path, version) -> Predictor; one per process
_LEXICONS: dict[str, tuple[tuple[object, ...], Lexicon]] = {}  # catalogue name -> (state key, lexicon)


def catalogue_lexicon(catalogue: Catalogue) -> Lexicon:
    """The lexical pathway's candidates: every tag some record carries (catalogued or accepted) and,
    with a vocabulary active, every concept of it (its preferred label proposed, matched by its
    preferred, alternative and hidden labels); a tag linked to a concept is matched by the concept's
    labels too. Rebuilt when tags or vocabularies change; one per catalogue per process."""
    from heritage_tagger.db import vocabularies as vocabulary_rows
    from heritage_tagger.services.vocabularies import lexical_candidates
    from heritage_tagger.vocab.lexicon import Lexicon, LexiconEntry

    with catalogue.session() as session:
        key = (suggestion_rows.tag_count_key(session), vocabulary_rows.state_key(session))
        cached = _LEXICONS.get(str(catalogue.location))
        if cached is not None and cached[0] == key:
            return cached[1]
        labels = suggestion_rows.catalogue_labels(session)
    entries = {label: LexiconEntry.for_label(label, uri) for label, uri in labels}
    by_uri = {uri: label for label, uri in labels if uri is not None}
    for candidate in lexical_candidates(catalogue):  # none without an active vocabulary
        tag = by_uri.get(candidate.concept_uri)
        if tag is not None:  # the catalogue's own tag for the concept, matched by all its labels
            entry = entries[tag]
            entries[tag] = LexiconEntry(entry.label, entry.keys | candidate.keys, entry.concept_uri)
        elif candidate.label not in entries:
            entries[candidate.label] = LexiconEntry(candidate.label, candidate.keys, candidate.concept_uri)
    lexicon = Lexicon(list(entries.values()))
    with _LOCK:
        _LEXICONS[str(catalogue.location)] = (key, lexicon)
    return lexicon


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
        _LEXICONS.clear()


def _name_neighbours(catalogue: Catalogue, prediction: Prediction) -> Prediction:
    """Fill in the identifiers of the neighbour records a prediction names."""
    ids = {r for n in prediction.neighbour_tags for r, _ in n.neighbours}
    if ids:
        with catalogue.session() as session:
            prediction.neighbour_identifiers = record_rows.identifiers(session, ids)
    return prediction


def suggest_for_record(
    catalogue: Catalogue, record_id: int | str, *, target_precision: float | None = None
) -> Prediction:
    """Suggestions for a catalogued record (by identifier or id); a training record is not its own neighbour.

    The model reads the record's photo and its title, description and location."""
    predictor, _ = active_predictor(catalogue)
    with catalogue.session() as session:
        row = record_rows.find_record(session, record_id)
        if row is None:
            raise CatalogueError(f"There is no record {record_id!r} in this catalogue.")
        rid, identifier = row.id, row.identifier
        image = ImageRef(row.sha256, row.source_path)
        labels = record_rows.carried_labels(session, rid)
        text = RecordText(row.title or "", row.description or "", row.location or "")
    found = features_for(catalogue, [image], predictor)
    if found.failed:
        raise HeritageTaggerError(f"Cannot read the photo of record {identifier}: {found.failed[0]}")
    prediction = predictor.predict_features(
        found.features[0], training_row=predictor.model.row_of(rid), existing_tags=labels, text=text,
        lexicon=catalogue_lexicon(catalogue), target_precision=_target(catalogue, target_precision),
    )  # fmt: skip
    prediction.record_id, prediction.identifier = rid, identifier
    return _name_neighbours(catalogue, prediction)


def _target(catalogue: Catalogue, target_precision: float | None) -> float:
    return catalogue.settings.model.target_precision if target_precision is None else float(target_precision)


def suggest_for_image(
    catalogue: Catalogue,
    path: Path | str,
    *,
    text: RecordText | None = None,
    target_precision: float | None = None,
) -> Prediction:
    """Suggestions for an image file that need not be in the catalogue (with ``text``, its caption)."""
    predictor, _ = active_predictor(catalogue)
    path = Path(path)
    if not path.is_file():
        raise HeritageTaggerError(f"There is no image file {path}.")
    try:
        prediction = predictor.predict_image(
            path, text=text, lexicon=catalogue_lexicon(catalogue) if text else None,
            target_precision=_target(catalogue, target_precision),
        )  # fmt: skip
    except OSError as exc:
        raise HeritageTaggerError(f"Cannot read the image {path}: {exc}") from exc
    prediction.identifier = str(path)
    return _name_neighbours(catalogue, prediction)
