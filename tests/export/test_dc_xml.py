"""Dublin Core XML: parsed back with lxml, namespaces, one dc:subject per tag, each record valid against oai_dc.xsd."""

from __future__ import annotations

import copy
import io

import pytest
from lxml import etree

from heritage_tagger.domain.records import Record
from heritage_tagger.export import write_records
from heritage_tagger.export.dc_xml import DC_NS, OAI_DC_NS, OAI_DC_SCHEMA_LOCATION, XSI_NS
from tests.factories import TRICKY_CLEAN, load_oai_dc_schema, sample_records

NS = {"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}


@pytest.fixture(scope="module")
def oai_dc_schema() -> etree.XMLSchema:
    return load_oai_dc_schema()


def export_xml(records: list[Record], include_suggestions: bool = False) -> bytes:
    stream = io.StringIO()
    write_records("dc-xml", records, stream, include_suggestions=include_suggestions)
    return stream.getvalue().encode("utf-8")


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))


def dc_values(dc: etree._Element, name: str) -> list[str]:
    return [el.text or "" for el in dc.findall(f"dc:{name}", NS)]


def test_one_oai_dc_per_record_with_namespaces_and_schema_location() -> None:
    root = parse(export_xml(sample_records()))
    assert root.tag == "records"
    records = root.findall("record")
    dcs = root.findall("record/oai_dc:dc", NS)
    assert len(records) == len(dcs) == 3
    for dc in dcs:
        assert dc.tag == f"{{{OAI_DC_NS}}}dc"
        assert dc.nsmap["oai_dc"] == OAI_DC_NS and dc.nsmap["dc"] == DC_NS
        assert dc.get(f"{{{XSI_NS}}}schemaLocation") == OAI_DC_SCHEMA_LOCATION
        assert all(child.tag.startswith(f"{{{DC_NS}}}") for child in dc)
        assert dc_values(dc, "type") == ["StillImage"]


def test_fields_and_one_subject_per_tag() -> None:
    first, second, third = parse(export_xml(sample_records())).findall("record/oai_dc:dc", NS)
    assert dc_values(first, "title") == [TRICKY_CLEAN]  # quotes, &, <, CR LF and tab survive
    assert dc_values(first, "subject") == ["Cats & dogs", "a|b"]
    assert dc_values(first, "coverage") == ["Washington, D.C."]
    assert dc_values(first, "date") == ["1939-04"]
    assert dc_values(first, "creator") == ["Johnston, Frances Benjamin"]
    assert dc_values(first, "identifier") == ["rec-1"]
    assert dc_values(first, "rights") == ["No known restrictions"]
    assert dc_values(first, "format") == ["image/jpeg"]
    assert dc_values(first, "description") == ["Plain description"]
    assert dc_values(second, "subject") == ["=cmd"]
    # empty fields are left out, not written empty
    assert [child.tag.split("}")[1] for child in third] == ["type", "identifier"]


def test_each_record_is_valid_oai_dc(oai_dc_schema: etree.XMLSchema) -> None:
    for include in (False, True):
        for dc in parse(export_xml(sample_records(), include)).findall("record/oai_dc:dc", NS):
            standalone = copy.deepcopy(dc)
            assert oai_dc_schema.validate(standalone), oai_dc_schema.error_log


def test_schema_check_can_fail(oai_dc_schema: etree.XMLSchema) -> None:
    dc = parse(export_xml(sample_records())).find("record/oai_dc:dc", NS)
    etree.SubElement(dc, "suggested").text = "not allowed inside oai_dc:dc"
    assert not oai_dc_schema.validate(copy.deepcopy(dc))


def test_suggestions_go_beside_oai_dc_never_into_subjects() -> None:
    plain = parse(export_xml(sample_records()))
    assert plain.findall(".//suggested") == []
    root = parse(export_xml(sample_records(), include_suggestions=True))
    first = root.find("record")
    assert [(s.text, s.get("score")) for s in first.findall("suggested")] == [
        ("high", "0.82"),
        ("low", "0.40"),
    ]
    assert dc_values(first.find("oai_dc:dc", NS), "subject") == ["Cats & dogs", "a|b"]


def test_rejected_tags_are_never_exported() -> None:
    for include in (False, True):
        data = export_xml(sample_records(), include)
        assert b"never-me" not in data and b"rejected-too" not in data


def test_forbidden_characters_are_removed_so_the_document_parses() -> None:
    record = Record(identifier="id\x00\x01", title="\x0b\x0c\ud800\uffff", description="ok\x1f")
    dc = parse(export_xml([record])).find("record/oai_dc:dc", NS)
    assert dc_values(dc, "identifier") == ["id"]
    assert dc_values(dc, "title") == []  # nothing left: omitted
    assert dc_values(dc, "description") == ["ok"]


def test_empty_export_is_a_valid_document() -> None:
    root = parse(export_xml([]))
    assert root.tag == "records" and len(root) == 0
