"""What every exporter shares: formats, which tags are exported, the counts an export returns."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from heritage_tagger.domain.records import Record, RecordTag, TagState
from heritage_tagger.export.text import clean_text

#: Tag states exported as subjects. Rejected tags are never exported; suggested ones only on request.
SUBJECT_STATES = frozenset({TagState.CATALOGUED, TagState.ACCEPTED})

DCMI_TYPE = "StillImage"


class ExportFormat(enum.StrEnum):
    """The export formats, named as on the command line."""

    CSV = "csv"
    DC_XML = "dc-xml"
    DC_JSONLD = "dc-jsonld"

    @property
    def suffix(self) -> str:
        return {"csv": ".csv", "dc-xml": ".xml", "dc-jsonld": ".jsonld"}[self.value]


@dataclass
class ExportCounts:
    """What an exporter wrote: records, subject values and suggestion values."""

    records: int = 0
    subjects: int = 0
    suggestions: int = 0


@dataclass(frozen=True)
class ExportedTags:
    """The tags of one record as exported: subjects in catalogue order, suggestions best first."""

    subjects: list[str]
    suggestions: list[tuple[str, float | None]]


def exported_tags(record: Record, include_suggestions: bool) -> ExportedTags:
    """Split ``record.tags`` into subjects (catalogued, accepted) and pending suggestions; drop rejected."""
    subjects: list[str] = []
    suggestions: list[RecordTag] = []
    for tag in record.tags:
        label = clean_text(tag.label)
        if not label.strip():
            continue
        if tag.state in SUBJECT_STATES:
            subjects.append(label)
        elif tag.state == TagState.SUGGESTED and include_suggestions:
            suggestions.append(tag)
    suggestions.sort(key=lambda t: (-(t.score if t.score is not None else -1.0), t.label))
    return ExportedTags(
        subjects=subjects,
        suggestions=[(clean_text(t.label), t.score) for t in suggestions],
    )


def format_score(score: float | None) -> str:
    """A score as shown beside a suggested tag: two decimals, or ``?`` when unknown."""
    return "?" if score is None else f"{score:.2f}"
