"""The export use case on a real SQLite catalogue: chunked streaming, tag states, atomic files, cancel."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from heritage_tagger.db import tables
from heritage_tagger.db.records import iter_records, record_from_row, record_tag_from_row
from heritage_tagger.domain.errors import CancelledError
from heritage_tagger.domain.progress import CancelToken, Progress
from heritage_tagger.domain.records import TagState
from heritage_tagger.export import ExportError
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.exporting import export_catalogue
from tests.factories import SEED_TITLE_CLEAN as TRICKY_CLEAN
from tests.factories import seed_catalogue

DC = "{http://purl.org/dc/elements/1.1/}"
OAI = "{http://www.openarchives.org/OAI/2.0/oai_dc/}"


@pytest.fixture
def seeded(catalogue: Catalogue) -> Catalogue:
    seed_catalogue(catalogue)
    return catalogue


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_from_the_catalogue(seeded: Catalogue, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    summary = export_catalogue(seeded, "csv", out)
    assert (summary.records, summary.subjects, summary.suggestions) == (3, 3, 0)
    rows = read_csv(out)
    assert [r["dcterms:identifier"] for r in rows] == ["rec-001", "rec-002", "rec-003"]
    assert rows[0]["dcterms:title"] == TRICKY_CLEAN
    assert rows[0]["dcterms:subject"] == "harbour|boats"
    assert rows[0]["dcterms:date"] == "-33.86"
    assert rows[0]["source_file"] == "/photos/1.jpg"
    assert rows[2]["dcterms:subject"] == "harbour"
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_csv_excel_safe_and_suggestions(seeded: Catalogue, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    summary = export_catalogue(seeded, "csv", out, include_suggestions=True, excel_safe=True)
    assert summary.suggestions == 1
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # so that Excel reads UTF-8
    rows = read_csv(out)
    assert rows[0]["dcterms:creator"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["dcterms:date"] == "-33.86"
    assert rows[0]["suggested"] == "pending (0.82)"
    assert "rejected-tag" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("include", [False, True])
def test_dc_xml_from_the_catalogue(seeded: Catalogue, tmp_path: Path, include: bool) -> None:
    out = tmp_path / "out.xml"
    export_catalogue(seeded, "dc-xml", out, include_suggestions=include)
    root = etree.parse(str(out)).getroot()
    dcs = root.findall(f"record/{OAI}dc")
    assert len(dcs) == 3
    assert [s.text for s in dcs[0].findall(f"{DC}subject")] == ["harbour", "boats"]
    assert dcs[0].findtext(f"{DC}title") == TRICKY_CLEAN
    assert dcs[1].findall(f"{DC}subject") == []
    assert [s.text for s in dcs[2].findall(f"{DC}subject")] == ["harbour"]
    assert [s.text for s in root.iter("suggested")] == (["pending"] if include else [])
    assert b"rejected" not in out.read_bytes()


def test_dc_jsonld_to_a_stream(seeded: Catalogue) -> None:
    stream = io.StringIO()
    summary = export_catalogue(seeded, "dc-jsonld", stream, include_suggestions=True)
    doc = json.loads(stream.getvalue())
    assert summary.records == 3 and len(doc["@graph"]) == 3
    assert doc["@graph"][0]["dcterms:subject"] == ["harbour", "boats"]
    assert doc["@graph"][0]["ht:suggestedSubject"] == [{"ht:label": "pending", "ht:score": 0.8234}]
    assert "dcterms:subject" not in doc["@graph"][1]


def test_chunks_keep_every_record_with_its_own_tags(catalogue: Catalogue) -> None:
    seed_catalogue(catalogue, extra=8)
    with catalogue.session() as session:
        whole = list(iter_records(session, chunk_size=1000))
        chunked = list(iter_records(session, chunk_size=2))
        assert len(session.identity_map) == 0  # rows are not kept once converted
    assert [r.identifier for r in chunked] == [f"rec-{n:03d}" for n in range(1, 12)]
    assert chunked == whole
    assert [t.label for t in chunked[10].tags] == ["tag-2"]


def test_states_filter_of_the_record_stream(seeded: Catalogue) -> None:
    with seeded.session() as session:
        first = next(iter_records(session, states={TagState.REJECTED}))
    assert [(t.label, t.state, t.score) for t in first.tags] == [("rejected-tag", TagState.REJECTED, 0.77)]


def test_progress_reaches_the_total(seeded: Catalogue, tmp_path: Path) -> None:
    reports: list[Progress] = []
    export_catalogue(seeded, "csv", tmp_path / "o.csv", progress=reports.append)
    assert reports[0].done == 0 and reports[-1].done == reports[-1].total == 3


def test_cancel_leaves_the_previous_export_untouched(seeded: Catalogue, tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    out = tmp_path / "exports" / "out.xml"
    out.write_text("previous export")
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        export_catalogue(seeded, "dc-xml", out, cancel=token)
    assert out.read_text() == "previous export"
    assert [p.name for p in out.parent.iterdir()] == ["out.xml"]


def test_bad_format_and_destination_are_clear_errors(seeded: Catalogue, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="Unknown export format"):
        export_catalogue(seeded, "xlsx", tmp_path / "o.xlsx")
    with pytest.raises(ExportError, match="does not exist"):
        export_catalogue(seeded, "csv", tmp_path / "missing" / "o.csv")


def test_orm_rows_convert_to_domain_records(seeded: Catalogue) -> None:
    with seeded.session() as session:
        row = session.scalars(select(tables.Record).order_by(tables.Record.id)).first()
        assert row is not None
        tags = [record_tag_from_row(rt) for rt in sorted(row.tags, key=lambda rt: rt.id)]
        record = record_from_row(row, tags)
    assert (record.identifier, record.date, record.mime_type, record.id) == (
        "rec-001",
        "-33.86",
        "image/jpeg",
        1,
    )
    assert [(t.label, t.state) for t in record.tags] == [
        ("harbour", TagState.CATALOGUED),
        ("boats", TagState.ACCEPTED),
        ("rejected-tag", TagState.REJECTED),
        ("pending", TagState.SUGGESTED),
    ]
    assert record.tags[3].score == pytest.approx(0.8234)


def test_the_catalogue_itself_is_never_overwritten(seeded: Catalogue) -> None:
    before = seeded.path.read_bytes()
    with pytest.raises(ExportError, match="catalogue's own database file"):
        export_catalogue(seeded, "csv", seeded.path)
    with pytest.raises(ExportError, match="workspace folder"):
        export_catalogue(seeded, "csv", seeded.workspace.root / "thumbnails" / "x.csv")
    assert seeded.path.read_bytes() == before
