"""Controlled vocabularies as plain dataclasses: vocabularies, concepts, label matches."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class LabelKind(enum.StrEnum):
    """SKOS label kinds: preferred (one per language), alternative, hidden (matched, never shown)."""

    PREF = "pref"
    ALT = "alt"
    HIDDEN = "hidden"


class MatchHow(enum.StrEnum):
    """How a text matched a concept label, best first."""

    EXACT = "exact"  # the same text (whitespace aside)
    NORMALISED = "normalised"  # equal without case and punctuation
    LEMMA = "lemma"  # equal once plurals are made singular


@dataclass(frozen=True)
class VocabularyInfo:
    """One vocabulary imported into a catalogue."""

    id: int
    name: str
    title: str
    scheme_uri: str | None
    language: str
    source: str
    format: str
    status: str  # "importing" (incomplete: an import was stopped) or "ready"
    is_active: bool
    n_concepts: int
    imported_at: datetime | None = None


@dataclass(frozen=True)
class Concept:
    """A concept: its URI and display label (preferred label in the vocabulary's language)."""

    id: int
    uri: str
    label: str
    vocabulary: str
    scheme_uri: str | None = None


@dataclass(frozen=True)
class ConceptMatch:
    """A concept found for a text, with the label that matched and how."""

    concept: Concept
    label: str
    kind: LabelKind
    how: MatchHow
    lang: str = ""


@dataclass(frozen=True)
class ConceptDetails:
    """A concept with every label and its neighbours in the hierarchy."""

    concept: Concept
    labels: list[tuple[LabelKind, str, str]] = field(default_factory=list)  # (kind, text, lang)
    broader: list[Concept] = field(default_factory=list)
    narrower: list[Concept] = field(default_factory=list)
    related: list[Concept] = field(default_factory=list)


@dataclass(frozen=True)
class LabelConcept:
    """The concept a tag label stands for, with its broader concepts from the top down."""

    label: str  # the tag's own label ("woman"); the concept's preferred label is ``concept.label``
    concept: Concept
    broader: tuple[Concept, ...] = ()

    def path(self, separator: str = " › ") -> str:
        """The broader path down to the concept: "People › Women"."""
        return separator.join([*(c.label for c in self.broader), self.concept.label])


@dataclass(frozen=True)
class LexicalCandidate:
    """A concept as a candidate label of the lexical pathway: what is proposed (the preferred label),
    every key a caption phrase may match (from its preferred, alternative and hidden labels), its URI."""

    label: str
    keys: frozenset[str]
    concept_uri: str
    concept_id: int


@dataclass(frozen=True)
class CaptionMatch:
    """A concept named by a record's own text: where (``field``), by which words and which of its labels."""

    concept: Concept
    broader: tuple[Concept, ...]
    field: str  # "title", "description" or "location"
    phrase: str  # the caption's words that named it
    matched: str  # the label they matched
    kind: LabelKind
    how: MatchHow

    @property
    def label(self) -> str:
        """What is proposed: the concept's preferred label."""
        return self.concept.label
