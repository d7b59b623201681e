"""Property-based tests of every export writer: any text in, a file that parses back (CSV, schema-valid XML, JSON-LD).

Whatever a record holds (unpaired surrogates, NUL and other controls, right-to-left text, emoji,
quotes and delimiters in any order), the output parses, and each value reads back as the text
the format can represent: the value with the characters XML 1.0 forbids removed
(``export.text.clean_text``), the same in all three formats.
"""

from __future__ import annotations

import copy
import csv
import io
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from heritage_tagger.domain.records import Record, RecordTag, TagState
from heritage_tagger.export import write_records
from heritage_tagger.export.common import format_score
from heritage_tagger.export.csv_export import COLUMNS, LINKED_COLUMNS, SUGGESTED_COLUMN
from heritage_tagger.export.dc_xml import DC_NS, OAI_DC_NS
from heritage_tagger.export.text import clean_text, excel_safe, join_values, split_values
from tests.factories import load_oai_dc_schema
from tests.strategies import any_text

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NS = {"oai_dc": OAI_DC_NS, "dc": DC_NS}
SCHEMA = load_oai_dc_schema()
FIELDS = ("identifier", "title", "description", "location", "date", "creator", "rights", "mime_type")

tags = st.lists(
    st.tuples(any_text, st.sampled_from(list(TagState)), st.one_of(st.none(), st.floats(0, 1))),
    max_size=5,
    unique_by=lambda t: t[0],  # one state per label and record, as in the catalogue
)
records = st.lists(
    st.builds(
        Record,
        identifier=any_text,
        title=any_text,
        description=any_text,
        location=any_text,
        date=any_text,
        creator=any_text,
        rights=any_text,
        mime_type=any_text,
        source_path=any_text,
        tags=tags.map(lambda ts: [RecordTag(label, state, score) for label, state, score in ts]),
    ),
    max_size=4,
)


def subjects(record: Record) -> list[str]:
    return [
        clean_text(t.label)
        for t in record.tags
        if t.state in (TagState.CATALOGUED, TagState.ACCEPTED) and clean_text(t.label).strip()
    ]


def suggested(record: Record) -> list[str]:
    pending = [t for t in record.tags if t.state == TagState.SUGGESTED and clean_text(t.label).strip()]
    pending.sort(key=lambda t: (-(t.score if t.score is not None else -1.0), t.label))
    return [clean_text(t.label) for t in pending]


def export(fmt: str, items: list[Record], **options: bool) -> str:
    stream = io.StringIO(newline="")
    write_records(fmt, items, stream, **options)
    return stream.getvalue()


@SETTINGS
@given(items=records, include=st.booleans(), excel=st.booleans())
def test_csv_parses_back_to_the_representable_text(items: list[Record], include: bool, excel: bool) -> None:
    text = export("csv", items, include_suggestions=include, excel_safe=excel)
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    assert rows[0] == [*COLUMNS, *([SUGGESTED_COLUMN] if include else []), *LINKED_COLUMNS]
    assert len(rows) == len(items) + 1
    cell = excel_safe if excel else (lambda value: value)
    for row, record in zip(rows[1:], items, strict=True):
        fields = ("identifier", "title", "description", "location", "date", "creator", "rights")
        assert row[:7] == [cell(clean_text(getattr(record, f))) for f in fields]
        assert row[7] == cell(join_values(subjects(record)))
        assert row[8:10] == [cell(clean_text(record.mime_type)), cell(clean_text(record.source_path))]
        if include:
            scores = {clean_text(t.label): t.score for t in record.tags}
            pending = (f"{label} ({format_score(scores[label])})" for label in suggested(record))
            assert row[10] == cell(join_values(pending))


@SETTINGS
@given(items=records)
def test_csv_subjects_split_back_whatever_bars_and_backslashes_they_hold(items: list[Record]) -> None:
    rows = list(csv.reader(io.StringIO(export("csv", items), newline="")))
    assert [split_values(row[7]) for row in rows[1:]] == [subjects(r) for r in items]


def dc_values(dc: etree._Element, name: str) -> list[str]:
    return [el.text or "" for el in dc.findall(f"dc:{name}", NS)]


@SETTINGS
@given(items=records, include=st.booleans())
@example(  # a line break alone is no value: no element, not "&#13;" (found by Hypothesis)
    items=[Record(identifier="r", title="", description="", location="", date="", creator="", rights="",
                  source_path="", sha256="", mime_type="\r")],
    include=False,
)  # fmt: skip
def test_dc_xml_is_valid_oai_dc_and_reads_back(items: list[Record], include: bool) -> None:
    data = export("dc-xml", items, include_suggestions=include).encode("utf-8")
    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    assert len(root.findall("record")) == len(items)
    for element, record in zip(root.findall("record"), items, strict=True):
        dc = element.find("oai_dc:dc", NS)
        assert SCHEMA.validate(copy.deepcopy(dc)), SCHEMA.error_log
        for name, value in (("title", record.title), ("creator", record.creator),
                            ("description", record.description), ("date", record.date),
                            ("format", record.mime_type), ("identifier", record.identifier),
                            ("coverage", record.location), ("rights", record.rights)):  # fmt: skip
            text = clean_text(value)
            assert dc_values(dc, name) == ([text] if text.strip() else []), name
        assert dc_values(dc, "subject") == subjects(record)
        got = [s.text or "" for s in element.findall("suggested")]
        assert got == (suggested(record) if include else [])


@pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
@SETTINGS
@given(items=records, include=st.booleans())
def test_dc_jsonld_parses_as_json_and_as_rdf(items: list[Record], include: bool) -> None:
    import rdflib

    text = export("dc-jsonld", items, include_suggestions=include)
    document = json.loads(text)
    nodes = document["@graph"]
    assert len(nodes) == len(items)
    keys = {"identifier": "dcterms:identifier", "title": "dcterms:title", "description": "dcterms:description",
            "location": "dcterms:spatial", "date": "dcterms:date", "creator": "dcterms:creator",
            "rights": "dcterms:rights", "mime_type": "dcterms:format"}  # fmt: skip
    for node, record in zip(nodes, items, strict=True):
        for field, key in keys.items():
            value = clean_text(getattr(record, field))
            assert node.get(key) == (value if value.strip() else None), key
        assert node.get("dcterms:subject", []) == subjects(record)
        labels = [s["ht:label"] for s in node.get("ht:suggestedSubject", [])]
        assert labels == (suggested(record) if include else [])
    graph = rdflib.Graph().parse(data=text, format="json-ld")
    dcterms = rdflib.Namespace("http://purl.org/dc/terms/")
    titles = sorted(str(o) for o in graph.objects(None, dcterms.title))
    assert titles == sorted(clean_text(r.title) for r in items if clean_text(r.title).strip())
    n_subjects = sum(len(set(subjects(r))) for r in items)
    assert len(list(graph.triples((None, dcterms.subject, None)))) == n_subjects
