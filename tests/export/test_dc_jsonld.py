"""JSON-LD export: parsed back, DC terms context, subjects, suggestions apart, rejected tags never."""

from __future__ import annotations

import io
import json
from typing import Any

from heritage_tagger.domain.records import Record
from heritage_tagger.export import write_records
from tests.factories import TRICKY_CLEAN, sample_records


def export_jsonld(records: list[Record], include_suggestions: bool = False) -> dict[str, Any]:
    stream = io.StringIO()
    write_records("dc-jsonld", records, stream, include_suggestions=include_suggestions)
    return json.loads(stream.getvalue())


def test_context_and_graph() -> None:
    doc = export_jsonld(sample_records())
    assert doc["@context"]["dcterms"] == "http://purl.org/dc/terms/"
    assert doc["@context"]["dcmitype"] == "http://purl.org/dc/dcmitype/"
    assert [node["dcterms:identifier"] for node in doc["@graph"]] == ["rec-1", "rec-2", "rec-3"]
    assert all(node["@type"] == "dcmitype:StillImage" for node in doc["@graph"])


def test_fields_round_trip_and_empty_fields_are_left_out() -> None:
    first, _, third = export_jsonld(sample_records())["@graph"]
    assert first["dcterms:title"] == TRICKY_CLEAN
    assert first["dcterms:spatial"] == "Washington, D.C."
    assert first["dcterms:date"] == "1939-04"
    assert first["dcterms:format"] == "image/jpeg"
    assert first["dcterms:subject"] == ["Cats & dogs", "a|b"]
    assert third == {"@type": "dcmitype:StillImage", "dcterms:identifier": "rec-3"}


def test_suggestions_only_on_request_and_rejected_never() -> None:
    first = export_jsonld(sample_records())["@graph"][0]
    assert "ht:suggestedSubject" not in first
    with_ = export_jsonld(sample_records(), include_suggestions=True)
    assert with_["@context"]["ht"] == "urn:heritage-tagger:terms:"
    assert with_["@graph"][0]["ht:suggestedSubject"] == [
        {"ht:label": "high", "ht:score": 0.8234},
        {"ht:label": "low", "ht:score": 0.4},
    ]
    assert with_["@graph"][0]["dcterms:subject"] == ["Cats & dogs", "a|b"]
    text = json.dumps(with_)
    assert "never-me" not in text and "rejected-too" not in text


def test_empty_export_is_valid_json() -> None:
    assert export_jsonld([])["@graph"] == []
