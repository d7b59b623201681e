"""Exports of a catalogue with a vocabulary: subject URIs, provenance, record @id (parsed with rdflib),
normalised dates, the OAI-PMH wrapper, the BOM option and XMP sidecars through the service."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from lxml import etree
from rdflib import Graph, Literal, URIRef, namespace

from heritage_tagger.domain.records import TagState
from heritage_tagger.export import ExportError
from heritage_tagger.export.text import split_values
from heritage_tagger.ingest.xmp import parse_xmp
from heritage_tagger.services import review, tag_merge
from heritage_tagger.services import vocabularies as vocab
from heritage_tagger.services.catalogue import open_catalogue
from heritage_tagger.services.exporting import export_catalogue
from tests.factories import add_tagged_record as add_record
from tests.vocab.samples import EX, write_skos

OAI = "{http://www.openarchives.org/OAI/2.0/}"
OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"
DC = "{http://purl.org/dc/elements/1.1/}"
BASE = "https://photos.example.org/record/"
STANDARDS = Path(__file__).resolve().parents[2].parent / "shared" / "standards"


@pytest.fixture
def linked(catalogue, tmp_path: Path):
    """r1: catalogued "Women" and "Boats", an accepted "woman" merged into "Women"; r2: accepted "Mothers"."""
    r1 = add_record(catalogue, "r1", {"Women": TagState.CATALOGUED, "Boats": TagState.CATALOGUED})
    r2 = add_record(catalogue, "r2", {"Mothers": TagState.SUGGESTED, "woman": TagState.SUGGESTED})
    with catalogue.session() as s:
        from heritage_tagger.db import tables

        s.get(tables.Record, r1).date_text = "May 1972"
        s.get(tables.Record, r2).date_text = "ca. 1920"
    review.accept(catalogue, r2, "Mothers", "ann")
    review.accept(catalogue, r2, "woman", "ann")
    tag_merge.merge(catalogue, [tag_merge.explicit_group(catalogue, "Women", ["woman"])], "bob")
    vocab.import_vocabulary(catalogue, write_skos(tmp_path / "v"))
    return catalogue


def export_text(catalogue, fmt: str, **options: object) -> str:
    stream = io.StringIO(newline="")
    export_catalogue(catalogue, fmt, stream, **options)  # type: ignore[arg-type]
    return stream.getvalue()


def test_csv_has_uris_provenance_and_normalised_dates(linked) -> None:
    rows = {r["dcterms:identifier"]: r for r in csv.DictReader(io.StringIO(export_text(linked, "csv")))}
    r1, r2 = rows["r1"], rows["r2"]
    assert split_values(r1["dcterms:subject"]) == ["Women", "Boats"]
    assert split_values(r1["subject_uri"]) == [f"{EX}women", ""]  # aligned; Boats is unlinked
    assert split_values(r1["subject_provenance"]) == ["catalogued", "catalogued"]
    assert (r1["dcterms:date"], r1["date_normalised"]) == ("May 1972", "1972-05")
    assert (r2["dcterms:date"], r2["date_normalised"]) == ("ca. 1920", "1920~")
    mothers, women = split_values(r2["subject_provenance"])
    assert mothers.startswith("accepted by ann ") and "merged" not in mothers
    assert women.startswith("accepted by ann ") and "; merged from 'woman' by bob " in women
    assert split_values(r2["subject_uri"]) == [f"{EX}mothers", f"{EX}women"]


@pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)  # inside rdflib's parser
def test_jsonld_parses_with_rdflib_into_record_and_concept_iris(linked) -> None:
    graph = Graph().parse(data=export_text(linked, "dc-jsonld", base_uri=BASE), format="json-ld")
    r1 = URIRef(BASE + "r1")
    subjects = set(graph.objects(r1, namespace.DCTERMS.subject))
    assert subjects == {URIRef(f"{EX}women"), Literal("Boats")}
    assert (URIRef(f"{EX}women"), namespace.SKOS.prefLabel, Literal("Women")) in graph
    assert (r1, namespace.DCTERMS.date, Literal("May 1972")) in graph
    assert (r1, namespace.DCTERMS.created, Literal("1972-05", datatype=namespace.XSD.gYearMonth)) in graph
    r2 = URIRef(BASE + "r2")
    (created,) = graph.objects(r2, namespace.DCTERMS.created)
    assert str(created) == "1920~" and str(created.datatype) == "http://id.loc.gov/datatypes/edtf/EDTF"
    # without a base URI records stay blank nodes, as before
    plain = Graph().parse(data=export_text(linked, "dc-jsonld"), format="json-ld")
    assert not any(
        isinstance(s, URIRef) and s.startswith("https://")
        for s in plain.subjects(namespace.DCTERMS.identifier)
    )


def test_base_uri_from_settings_and_validation(linked, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HERITAGE_TAGGER_BASE_URI", "https://archive.example.net/id")
    with open_catalogue(linked.location) as again:
        text = export_text(again, "dc-jsonld")
    assert '"@id": "https://archive.example.net/id/r1"' in text  # a separator is added
    with pytest.raises(ExportError, match="not an absolute URI"):
        export_text(linked, "dc-jsonld", base_uri="photos/records")


def test_oai_pmh_wrapper(linked) -> None:
    root = etree.fromstring(export_text(linked, "dc-xml", oai_pmh=True, base_uri=BASE).encode("utf-8"))
    assert root.tag == f"{OAI}OAI-PMH"
    assert root.find(f"{OAI}request").get("verb") == "ListRecords" and root.find(f"{OAI}request").text == BASE
    records = root.findall(f"{OAI}ListRecords/{OAI}record")
    assert [r.findtext(f"{OAI}header/{OAI}identifier") for r in records] == [
        "oai:photos.example.org:r1", "oai:photos.example.org:r2"
    ]  # fmt: skip
    assert all(r.findtext(f"{OAI}header/{OAI}datestamp").endswith("Z") for r in records)
    dc = records[0].find(f"{OAI}metadata/{OAI_DC}")
    assert [e.text for e in dc.findall(f"{DC}date")] == ["May 1972", "1972-05"]
    assert [e.text for e in dc.findall(f"{DC}subject")] == ["Women", "Boats"]  # text subjects
    xsd = STANDARDS / "oai_dc.xsd"
    if xsd.is_file():
        assert etree.XMLSchema(file=str(xsd)).validate(etree.fromstring(etree.tostring(dc)))


def test_bom_option_for_any_text_format(linked) -> None:
    assert export_text(linked, "dc-jsonld", bom=True).startswith("\ufeff{")
    assert not export_text(linked, "csv").startswith("\ufeff")


def test_xmp_sidecars_through_the_service(linked, tmp_path: Path) -> None:
    summary = export_catalogue(linked, "xmp", tmp_path / "xmp")
    assert summary.records == 2 and summary.skipped == []
    meta = parse_xmp((tmp_path / "xmp" / "r2.xmp").read_bytes())
    assert meta.tags == ["Mothers", "Women"] and meta.date == "1920"
    assert "People|Women|Mothers" in (tmp_path / "xmp" / "r2.xmp").read_text(encoding="utf-8")
    beside = export_catalogue(linked, "xmp", None)
    assert beside.records == 0 and all("no image file" in reason for _, reason in beside.skipped)
    with pytest.raises(ExportError, match="inside the catalogue's workspace"):
        export_catalogue(linked, "xmp", linked.workspace.root / "x")
