"""JSON-LD export with the DCMI terms context, streamed as one ``@graph`` array (a node per record).

A record gets an ``@id`` (the base URI followed by its identifier) when a base URI is set; a subject
linked to a vocabulary concept is ``{"@id": URI, "skos:prefLabel": ...}``, an unlinked one stays a
string. The date is kept verbatim in ``dcterms:date``; where it parses, ``dcterms:created`` carries
it as a typed literal (``xsd:gYear``, ``xsd:gYearMonth``, ``xsd:date``, else the LoC EDTF datatype).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from heritage_tagger.domain.records import Record
from heritage_tagger.export.common import DCMI_TYPE, ExportCounts, exported_tags, plain_date, record_uri
from heritage_tagger.export.text import clean_text

EDTF_DATATYPE = "http://id.loc.gov/datatypes/edtf/EDTF"

#: ``ht:`` names our own terms: pending suggestions are not DC subjects, so they get their own property.
CONTEXT: dict[str, Any] = {
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "ht": "urn:heritage-tagger:terms:",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "ht:suggestedSubject": {"@container": "@set"},
    "dcterms:subject": {"@container": "@set"},
}


def _typed_date(normalised: str) -> dict[str, str]:
    plain = plain_date(normalised)
    if plain is not None and plain == normalised:
        kind = {4: "xsd:gYear", 7: "xsd:gYearMonth", 10: "xsd:date"}[len(plain)]
        return {"@value": plain, "@type": kind}
    return {"@value": normalised, "@type": EDTF_DATATYPE}


def record_node(
    record: Record, include_suggestions: bool = False, base_uri: str = ""
) -> tuple[dict[str, Any], int, int]:
    """One record as a JSON-LD node (empty fields left out), with its subject and suggestion counts."""
    tags = exported_tags(record, include_suggestions)
    node: dict[str, Any] = {}
    uri = record_uri(base_uri, record.identifier)
    if uri is not None:
        node["@id"] = uri
    node["@type"] = f"dcmitype:{DCMI_TYPE}"
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
    if record.date_normalised:
        node["dcterms:created"] = _typed_date(record.date_normalised)
    if tags.subjects:
        node["dcterms:subject"] = [
            {"@id": tag.uri, "skos:prefLabel": clean_text(tag.concept_label or label)} if tag.uri else label
            for label, tag in zip(tags.subjects, tags.subject_tags, strict=True)
        ]
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
    base_uri: str = "",
    on_record: Callable[[int], None] | None = None,
) -> ExportCounts:
    """Write ``records`` as a JSON-LD document to ``stream`` (UTF-8, one node per line) and return the counts.

    ``base_uri`` (checked by ``export.common.check_base_uri``) gives each record an ``@id``.
    """
    stream.write('{\n"@context": ')
    stream.write(json.dumps(CONTEXT, ensure_ascii=False))
    stream.write(',\n"@graph": [')
    counts = ExportCounts()
    for record in records:
        node, n_subjects, n_suggestions = record_node(record, include_suggestions, base_uri)
        stream.write(",\n" if counts.records else "\n")
        stream.write(json.dumps(node, ensure_ascii=False))
        counts.records += 1
        counts.subjects += n_subjects
        counts.suggestions += n_suggestions
        if on_record is not None:
            on_record(counts.records)
    stream.write("\n]\n}\n")
    return counts
