"""Suggestions in the catalogue's vocabulary: the concepts tag labels stand for (preferred label, URI,
broader path) and the concepts a record's own title, description and location name.

The second serves a catalogue with a vocabulary but no trained model yet: caption phrases
(``vocab.phrases``) are looked up by their match keys in the vocabulary's label index, so a
100,000-concept vocabulary is never loaded into memory. ``services.vocabularies.lexical_candidates``
hands the same labels to a lexical pathway that keeps its own index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from heritage_tagger.db import records as record_rows
from heritage_tagger.db import vocabularies as vdb
from heritage_tagger.db.engine import Session
from heritage_tagger.domain.errors import CatalogueError
from heritage_tagger.domain.records import TagState
from heritage_tagger.domain.vocabulary import CaptionMatch, LabelConcept, LabelKind
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.vocabularies import broader_paths, complete
from heritage_tagger.vocab.matching import Ranked, choose, rank
from heritage_tagger.vocab.normalise import match_keys
from heritage_tagger.vocab.phrases import Phrase, claim, phrases

if TYPE_CHECKING:
    from heritage_tagger.services.suggesting import Prediction

FIELDS = ("title", "description", "location")
KEY_CHUNK = 400
CARRIED = (TagState.CATALOGUED, TagState.ACCEPTED)


@dataclass
class VocabularySuggestions:
    """The concepts a record's text names, in the order its fields name them, less those it carries."""

    record_id: int
    identifier: str
    matches: list[CaptionMatch] = field(default_factory=list)
    has_vocabulary: bool = True

    def as_dict(self) -> dict[str, object]:
        return {
            "record_id": self.record_id,
            "identifier": self.identifier,
            "model_version": None,
            "source": "vocabulary",
            "vocabulary_tags": [
                {
                    "tag": m.label,
                    "uri": m.concept.uri,
                    "vocabulary": m.concept.vocabulary,
                    "broader": [c.label for c in m.broader],
                    "field": m.field,
                    "phrase": m.phrase,
                    "matched_label": m.matched,
                    "label_kind": m.kind.value,
                    "match": m.how.value,
                }
                for m in self.matches
            ],
        }


def label_concepts(catalogue: Catalogue, labels: Iterable[str]) -> dict[str, LabelConcept]:
    """The concept each tag label is linked to, with its broader path (labels of unlinked tags left out)."""
    wanted = list(dict.fromkeys(labels))
    if not wanted:
        return {}
    with catalogue.session() as session:
        links = vdb.tag_concepts(session, wanted)
        ids = {cid for _, cid, _ in links.values() if cid is not None}
        concepts = vdb.concepts_by_id(session, ids)
        paths = broader_paths(session, list(ids))
    return {
        label: LabelConcept(label, concepts[cid], tuple(paths.get(cid, [])))
        for label, (_, cid, _) in links.items()
        if cid is not None and cid in concepts
    }


def _rows_by_key(session: Session, keys: set[str]) -> dict[str, list[vdb.LabelRow]]:
    by_key: dict[str, list[vdb.LabelRow]] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), KEY_CHUNK):
        for row in vdb.labels_by_keys(session, ordered[start : start + KEY_CHUNK]):
            by_key.setdefault(row.norm, []).append(row)
            if row.lemma != row.norm:
                by_key.setdefault(row.lemma, []).append(row)
    return by_key


def caption_matches(session: Session, fields: Sequence[tuple[str, str]]) -> list[CaptionMatch]:
    """The concepts named in ``(field name, text)`` pairs: each field's longest matching phrases, a
    concept once (where it is first named), ambiguous phrases (two concepts of one vocabulary) left out."""
    cut = [(name, phrases(text)) for name, text in fields if text and text.strip()]
    keys = {p.text: match_keys(p.text) for _, found in cut for p in found}
    by_key = _rows_by_key(session, set().union(*keys.values())) if keys else {}
    chosen: list[tuple[str, Phrase, Ranked]] = []
    for name, found in cut:
        best_of: dict[Phrase, Ranked] = {}
        for phrase in found:
            rows = {id(r): r for k in keys[phrase.text] for r in by_key.get(k, ())}.values()
            if rows:
                best, _ = choose(rank(phrase.text, [vdb.as_candidate(r) for r in rows]))
                if best is not None:
                    best_of[phrase] = best
        chosen.extend((name, p, best_of[p]) for p in claim(best_of))
    ids = {r.candidate.concept_id for _, _, r in chosen}
    concepts = vdb.concepts_by_id(session, ids)
    paths = broader_paths(session, list(ids))
    out: dict[int, CaptionMatch] = {}
    for name, phrase, ranked in chosen:
        cid = ranked.candidate.concept_id
        if cid in out or cid not in concepts:
            continue
        out[cid] = CaptionMatch(
            concepts[cid], tuple(paths.get(cid, [])), name, phrase.text, ranked.candidate.label,
            LabelKind(ranked.candidate.kind), ranked.how,
        )  # fmt: skip
    return list(out.values())


def suggest_from_vocabulary(catalogue: Catalogue, record_id: int | str) -> VocabularySuggestions:
    """The concepts the record's title, description and location name that it does not carry yet
    (by concept: a record carrying "woman", linked to Women, is not offered "Women")."""
    with catalogue.session() as session:
        row = record_rows.find_record(session, record_id)
        if row is None:
            raise CatalogueError(f"There is no record {record_id!r} in this catalogue.")
        found = VocabularySuggestions(row.id, row.identifier, has_vocabulary=vdb.has_usable(session))
        if not found.has_vocabulary:
            return found
        record = record_rows.get_record(session, row.id)
        assert record is not None
        texts = {"title": record.title, "description": record.description, "location": record.location}
        matches = caption_matches(session, [(name, texts[name]) for name in FIELDS])
        carried = [t.label for t in record.tags if t.state in CARRIED]
        linked = vdb.tag_concepts(session, carried)
    held = {cid for _, cid, _ in linked.values() if cid is not None}
    own = {label.casefold() for label in carried}
    found.matches = [m for m in matches if m.concept.id not in held and m.label.casefold() not in own]
    return found


def concept_fields(found: LabelConcept | None) -> dict[str, object]:
    """What ``suggest --json`` adds to a tag: its preferred label, concept URI and broader path."""
    if found is None:
        return {"label": None, "uri": None, "broader": []}
    return {
        "label": found.concept.label,
        "uri": found.concept.uri,
        "broader": [c.label for c in found.broader],
    }


def prediction_dict(catalogue: Catalogue, prediction: Prediction) -> dict[str, Any]:
    """``prediction.as_dict()`` with each tag's concept (preferred label, URI, broader path) when linked."""
    data = prediction.as_dict()
    groups = ("model_tags", "neighbour_tags", "existing_tags")
    concepts = label_concepts(catalogue, [item["tag"] for g in groups for item in data[g]])
    for group in groups:
        for item in data[group]:
            item.update(concept_fields(concepts.get(item["tag"])))
    return data


def complete_concepts(catalogue: Catalogue, prefix: str, limit: int = 15) -> list[LabelConcept]:
    """Concepts with a preferred or alternative label starting with ``prefix`` (shortest first), each as
    the label that matched with its concept and broader path (for completion while typing a tag)."""
    matches = complete(catalogue, prefix, limit)
    if not matches:
        return []
    with catalogue.session() as session:
        paths = broader_paths(session, [m.concept.id for m in matches])
    return [LabelConcept(m.label, m.concept, tuple(paths.get(m.concept.id, []))) for m in matches]
