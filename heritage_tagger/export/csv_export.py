"""CSV export: UTF-8, RFC 4180 quoting, ``dcterms:`` headers, multi-valued fields joined with ``|``."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import TextIO

from heritage_tagger.domain.records import Record
from heritage_tagger.export.common import ExportCounts, exported_tags, format_score
from heritage_tagger.export.text import clean_text, excel_safe, join_values

#: Column headers, in order. ``suggested`` is added with ``include_suggestions``.
COLUMNS = (
    "dcterms:identifier",
    "dcterms:title",
    "dcterms:description",
    "dcterms:spatial",
    "dcterms:date",
    "dcterms:creator",
    "dcterms:rights",
    "dcterms:subject",
    "dcterms:format",
    "source_file",
)
SUGGESTED_COLUMN = "suggested"
#: Added after the columns above (and ``suggested``), so the older columns keep their positions:
#: the date as ISO 8601 / EDTF where it parses, and per subject (aligned with ``dcterms:subject``,
#: position by position) its concept URI and its provenance.
LINKED_COLUMNS = ("date_normalised", "subject_uri", "subject_provenance")


def write_csv(
    records: Iterable[Record],
    stream: TextIO,
    *,
    include_suggestions: bool = False,
    excel_safe_cells: bool = False,
    on_record: Callable[[int], None] | None = None,
) -> ExportCounts:
    """Write ``records`` as CSV to ``stream`` (opened with ``newline=""``) and return the counts.

    Subjects are the catalogued and accepted tags joined with ``|`` (a ``|`` or ``\\`` inside a
    tag is escaped with ``\\``). With ``include_suggestions`` a ``suggested`` column lists the
    pending suggestions best first as ``tag (0.82)``. With ``excel_safe_cells`` every cell that a
    spreadsheet would run as a formula gets a leading ``'``; plain numbers are left alone.
    ``subject_uri`` is empty when no subject of the record has a URI, else one entry per subject
    (empty for an unlinked one); ``subject_provenance`` has one entry per subject.
    """
    writer = csv.writer(stream, dialect="excel", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    header = [*COLUMNS, SUGGESTED_COLUMN] if include_suggestions else list(COLUMNS)
    header.extend(LINKED_COLUMNS)
    writer.writerow(header)
    counts = ExportCounts()
    for record in records:
        tags = exported_tags(record, include_suggestions)
        row = [
            clean_text(record.identifier),
            clean_text(record.title),
            clean_text(record.description),
            clean_text(record.location),
            clean_text(record.date),
            clean_text(record.creator),
            clean_text(record.rights),
            join_values(tags.subjects),
            clean_text(record.mime_type),
            clean_text(record.source_path),
        ]
        if include_suggestions:
            row.append(join_values(f"{label} ({format_score(score)})" for label, score in tags.suggestions))
        uris = [clean_text(t.uri or "") for t in tags.subject_tags]
        row += [
            clean_text(record.date_normalised or ""),
            join_values(uris) if any(uris) else "",
            join_values(
                t.provenance.describe() if t.provenance else t.state.value for t in tags.subject_tags
            ),
        ]
        if excel_safe_cells:
            row = [excel_safe(cell) for cell in row]
        writer.writerow(row)
        counts.records += 1
        counts.subjects += len(tags.subjects)
        counts.suggestions += len(tags.suggestions)
        if on_record is not None:
            on_record(counts.records)
    return counts
