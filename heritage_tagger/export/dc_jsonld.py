"""JSON-LD export with the DCMI terms context, streamed as one ``@graph`` array (a node per record)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from heritage_tagger.domain.records import Record
from heritage_tagger.export.common import DCMI_TYPE, ExportCounts, exported_tags
from heritage_tagger.export.text import clean_text

#: ``ht:`` names our own terms: pending suggestions are not DC subjects, so they get their own property.
CONTEXT: dict[str, Any] = {
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "ht": "urn:heritage-tagger:terms:",
    "ht:suggestedSubject": {"@container": "@set"},
    "dcterms:subject": {"@container": "@set"},
}


def record_node(record: Record, include_suggestions: bool = False) -> tuple[dict[str, Any], int, int]:
    """One record as a JSON-LD node (empty fields left out), with its subject and suggestion counts."""
    tags = exported_tags(record, include_suggestions)
    node: dict[str, Any] = {"@type": f"dcmitype:{DCMI_TYPE}"}
    for key, value in (
        ("dcterms:identifier", record.identifier),
        ("dcterms:title", record.title),
        ("dcterms:description", record.description),
        ("dcterms:spatial", record.location),
        ("dcterms:date", record.date),
        ("dcterms:creator", record.creator),
        ("dcterms:rights", record.rights),
        ("dcterms:format", record.mime_type),
    ):
        text = clean_text(value)
        if text.strip():
            node[key] = text
    if tags.subjects:
        node["dcterms:subject"] = tags.subjects
    if tags.suggestions:
        node["ht:suggestedSubject"] = [
            {"ht:label": label, "ht:score": None if score is None else round(score, 4)}
            for label, score in tags.suggestions
        ]
    return node, len(tags.subjects), len(tags.suggestions)


def write_dc_jsonld(
    records: Iterable[Record],
    stream: TextIO,
    *,
    include_suggestions: bool = False,
    on_record: Callable[[int], None] | None = None,
) -> ExportCounts:
    """Write ``records`` as a JSON-LD document to ``stream`` (UTF-8, one node per line) and return the counts."""
    stream.write('{\n"@context": ')
    stream.write(json.dumps(CONTEXT, ensure_ascii=False))
    stream.write(',\n"@graph": [')
    counts = ExportCounts()
    for record in records:
        node, n_subjects, n_suggestions = record_node(record, include_suggestions)
        stream.write(",\n" if counts.records else "\n")
        stream.write(json.dumps(node, ensure_ascii=False))
        counts.records += 1
        counts.subjects += n_subjects
        counts.suggestions += n_suggestions
        if on_record is not None:
            on_record(counts.records)
    stream.write("\n]\n}\n")
    return counts
