"""What the suggestion panel shows, as plain data computed in a worker, and its cache per record and model."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from heritage_tagger.domain.vocabulary import LabelConcept
from heritage_tagger.services import browse
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.vocab_suggesting import label_concepts, suggest_from_vocabulary

if TYPE_CHECKING:
    from heritage_tagger.services.suggesting import Prediction

SHOWN_MODEL_TAGS = 15
SHOWN_NEIGHBOURS = 8
LOW_RELEVANCE = 0.3  # of the best relevance among the photo's own tags


@dataclass(frozen=True)
class NeighbourThumb:
    record_id: int
    identifier: str
    sha256: str
    source_path: str
    similarity: float


@dataclass
class PanelData:
    """Everything the panel needs for one record; no Qt, no model objects."""

    record_id: int
    model_version: str
    backbone: str
    model_tags: list[tuple[str, float]] = field(default_factory=list)
    proposed: list[str] = field(default_factory=list)
    neighbour_tags: list[tuple[str, float, list[int]]] = field(default_factory=list)
    neighbours: list[NeighbourThumb] = field(default_factory=list)
    existing: list[tuple[str, float | None, bool]] = field(default_factory=list)  # label, relevance, low
    source: str = "model"  # "vocabulary": no model yet, the concepts the record's own text names
    concepts: dict[str, LabelConcept] = field(default_factory=dict)  # label -> its concept, when linked
    found_in: dict[str, str] = field(default_factory=dict)  # vocabulary: label -> 'title: "words"'
    sources: dict[str, str] = field(default_factory=dict)  # model tag -> "image", "neighbours" or "caption"
    no_confident_suggestion: bool = False  # nothing reached the confidence threshold: a person decides
    served_by: str = ""  # which model serves suggestions, in plain words

    def score_of(self, label: str) -> float | None:
        for name, score in self.model_tags:
            if name == label:
                return score
        for name, score, _ in self.neighbour_tags:
            if name == label:
                return score
        return None


def panel_from_prediction(catalogue: Catalogue, record_id: int, prediction: Prediction) -> PanelData:
    """Adapt the suggestion service's ``Prediction`` into ``PanelData``."""
    model_tags = [(label, float(score)) for label, score in prediction.model_tags]
    neighbour_tags = []
    similarity: dict[int, float] = {}
    for n in prediction.neighbour_tags:
        ids = []
        for rid, sim in n.neighbours:
            ids.append(int(rid))
            similarity[int(rid)] = max(similarity.get(int(rid), 0.0), float(sim))
        neighbour_tags.append((n.tag, float(n.score), ids))
    best = sorted(similarity, key=lambda r: -similarity[r])[:SHOWN_NEIGHBOURS]
    rows = browse.rows_for_ids(catalogue, best) if best else []
    neighbours = [NeighbourThumb(r.id, r.identifier, r.sha256, r.source_path, similarity[r.id]) for r in rows]
    top = max((rel for _, rel in prediction.existing_tags if rel is not None), default=0.0)
    existing = [
        (label, rel, rel is not None and rel < LOW_RELEVANCE * top) for label, rel in prediction.existing_tags
    ]
    shown = model_tags[:SHOWN_MODEL_TAGS] + [(n[0], n[1]) for n in neighbour_tags[:SHOWN_MODEL_TAGS]]
    labels = [label for label, _ in shown] + [label for label, _, _ in existing]
    return PanelData(
        concepts=label_concepts(catalogue, labels),
        record_id=record_id,
        model_version=prediction.model_version,
        backbone=prediction.backbone,
        model_tags=model_tags[:SHOWN_MODEL_TAGS],
        proposed=[label for label, _ in prediction.proposed],  # above the threshold, at most the count
        neighbour_tags=neighbour_tags[:SHOWN_MODEL_TAGS],
        neighbours=neighbours,
        existing=existing,
        sources={label: prediction.source_of(label) for label, _ in model_tags[:SHOWN_MODEL_TAGS]},
        no_confident_suggestion=prediction.no_confident_suggestion,
        served_by=prediction.served_by,
    )


def compute_panel(
    catalogue: Catalogue, record_id: int, suggest: Callable[[int], Prediction] | None = None
) -> PanelData:
    """Run the model for one record (in a worker): through ``suggest`` (the suggestion process's
    ``suggest_for_record``) when given, else in this process (heavy imports happen here, never at start-up)."""
    if suggest is None:
        from heritage_tagger.services.suggesting import suggest_for_record

        prediction: Prediction = suggest_for_record(catalogue, record_id)
    else:
        prediction = suggest(record_id)
    return panel_from_prediction(catalogue, record_id, prediction)


def compute_vocabulary_panel(catalogue: Catalogue, record_id: int) -> PanelData | None:
    """No model yet: the concepts the record's title, description and location name (None: no vocabulary)."""
    found = suggest_from_vocabulary(catalogue, record_id)
    if not found.has_vocabulary:
        return None
    labels = [m.label for m in found.matches]
    return PanelData(
        record_id=record_id,
        model_version="",
        backbone="",
        source="vocabulary",
        proposed=labels,
        concepts={m.label: LabelConcept(m.label, m.concept, m.broader) for m in found.matches},
        found_in={m.label: f"{m.field}: “{m.phrase}”" for m in found.matches},
    )


class PanelCache:
    """The last few hundred panels by (record id, model version)."""

    def __init__(self, capacity: int = 300) -> None:
        self.capacity = capacity
        self._items: OrderedDict[tuple[int, str], PanelData] = OrderedDict()

    def get(self, record_id: int, version: str) -> PanelData | None:
        item = self._items.get((record_id, version))
        if item is not None:
            self._items.move_to_end((record_id, version))
        return item

    def put(self, data: PanelData) -> None:
        self._items[(data.record_id, data.model_version)] = data
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()
