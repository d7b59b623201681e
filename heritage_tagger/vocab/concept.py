"""A vocabulary as read from a file: concepts with URI, scheme, labels per language and relations."""

from __future__ import annotations

import enum
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from heritage_tagger.domain.vocabulary import LabelKind


class VocabularyFormat(enum.StrEnum):
    """The vocabulary file formats, named as on the command line."""

    TURTLE = "turtle"
    RDFXML = "rdfxml"
    NTRIPLES = "ntriples"
    TSV = "tsv"
    CSV = "csv"

    @property
    def is_rdf(self) -> bool:
        return self in (VocabularyFormat.TURTLE, VocabularyFormat.RDFXML, VocabularyFormat.NTRIPLES)


SUFFIXES = {
    ".ttl": VocabularyFormat.TURTLE,
    ".turtle": VocabularyFormat.TURTLE,
    ".rdf": VocabularyFormat.RDFXML,
    ".xml": VocabularyFormat.RDFXML,
    ".owl": VocabularyFormat.RDFXML,
    ".nt": VocabularyFormat.NTRIPLES,
    ".tsv": VocabularyFormat.TSV,
    ".txt": VocabularyFormat.TSV,
    ".csv": VocabularyFormat.CSV,
}


def tidy_label(text: str) -> str:
    """A label as read from a vocabulary: Unicode NFC, surrounding and repeated whitespace removed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass(slots=True)
class ParsedConcept:
    """One concept of a vocabulary file."""

    uri: str
    scheme: str | None = None
    labels: list[tuple[LabelKind, str, str]] = field(default_factory=list)  # (kind, text, lang)
    broader: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)

    def add_label(self, kind: LabelKind, text: str, lang: str = "") -> None:
        text = tidy_label(text)
        entry = (kind, text, lang.lower())
        if text and entry not in self.labels:
            self.labels.append(entry)

    def display_label(self, language: str) -> str:
        """The preferred label in ``language``, else one without a language, else any preferred label,
        else the first label, else the URI's last segment."""
        prefs = [(text, lang) for kind, text, lang in self.labels if kind is LabelKind.PREF]
        for wanted in (language, ""):
            for text, lang in prefs:
                if lang == wanted or lang.split("-")[0] == wanted:
                    return text
        if prefs:
            return prefs[0][0]
        if self.labels:
            return self.labels[0][1]
        return self.uri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass
class ParsedVocabulary:
    """Everything a vocabulary file held, plus what was skipped and why."""

    path: Path
    format: VocabularyFormat
    concepts: list[ParsedConcept]
    title: str = ""
    scheme_uri: str | None = None
    warnings: list[str] = field(default_factory=list)
    skipped_deprecated: int = 0

    def languages(self) -> Counter[str]:
        """How many preferred labels each language has ("" for labels without one)."""
        return Counter(lang for c in self.concepts for kind, _, lang in c.labels if kind is LabelKind.PREF)

    def main_language(self, wanted: str | None = None) -> str:
        """``wanted`` when given, else the language of most preferred labels ("" when none say)."""
        if wanted is not None:
            return wanted.lower()
        counts = self.languages()
        named = [(n, lang) for lang, n in counts.items() if lang]
        return max(named)[1] if named else ""
