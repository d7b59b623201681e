"""What every exporter shares: formats, which tags are exported, record URIs, the counts an export returns."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from heritage_tagger.domain.errors import ExportError
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
    XMP = "xmp"  # one sidecar per record, into a folder (not a single stream)

    @property
    def suffix(self) -> str:
        return {"csv": ".csv", "dc-xml": ".xml", "dc-jsonld": ".jsonld", "xmp": ""}[self.value]


@dataclass
class ExportCounts:
    """What an exporter wrote: records, subject values and suggestion values."""

    records: int = 0
    subjects: int = 0
    suggestions: int = 0


@dataclass(frozen=True)
class ExportedTags:
    """The tags of one record as exported: subjects in catalogue order, suggestions best first.

    ``subject_tags`` are the :class:`RecordTag` of ``subjects``, position by position (their URI,
    concept, broader path and provenance when the export service filled them in).
    """

    subjects: list[str]
    suggestions: list[tuple[str, float | None]]
    subject_tags: list[RecordTag] = field(default_factory=list)


def exported_tags(record: Record, include_suggestions: bool) -> ExportedTags:
    """Split ``record.tags`` into subjects (catalogued, accepted) and pending suggestions; drop rejected."""
    subjects: list[str] = []
    subject_tags: list[RecordTag] = []
    suggestions: list[RecordTag] = []
    for tag in record.tags:
        label = clean_text(tag.label)
        if not label.strip():
            continue
        if tag.state in SUBJECT_STATES:
            subjects.append(label)
            subject_tags.append(tag)
        elif tag.state == TagState.SUGGESTED and include_suggestions:
            suggestions.append(tag)
    suggestions.sort(key=lambda t: (-(t.score if t.score is not None else -1.0), t.label))
    return ExportedTags(
        subjects=subjects,
        suggestions=[(clean_text(t.label), t.score) for t in suggestions],
        subject_tags=subject_tags,
    )


_URI_END = re.compile(r"[/#=:?]$")


def check_base_uri(base_uri: str | None) -> str:
    """``base_uri`` ready to take an identifier ("" when none): absolute, ending in ``/``, ``#`` or the like."""
    base = (base_uri or "").strip()
    if not base:
        return ""
    parts = urlsplit(base)
    if not parts.scheme or (parts.scheme in ("http", "https") and not parts.netloc) or " " in base:
        raise ExportError(
            f"The base URI {base!r} is not an absolute URI such as https://example.org/photos/."
        )
    return base if _URI_END.search(base) else base + "/"


def record_uri(base_uri: str, identifier: str) -> str | None:
    """The record's URI: the base URI followed by its identifier, percent-encoded (None without a base)."""
    return base_uri + quote(identifier, safe="") if base_uri else None


_PLAIN_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def plain_date(normalised: str | None) -> str | None:
    """The level-0 ISO 8601 date inside an EDTF form ("1920~" -> "1920"); None for intervals or X digits."""
    if not normalised:
        return None
    core = normalised.rstrip("?~%")
    return core if _PLAIN_DATE.match(core) else None


def format_score(score: float | None) -> str:
    """A score as shown beside a suggested tag: two decimals, or ``?`` when unknown."""
    return "?" if score is None else f"{score:.2f}"
