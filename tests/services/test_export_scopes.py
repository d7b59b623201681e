"""One export request (services.exporting.run_export) for each scope: whole catalogue, a browser filter,
chosen record ids, an import batch; options and cancel, on a real catalogue."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from heritage_tagger.db import tables
from heritage_tagger.db.records import count_records, iter_records
from heritage_tagger.domain.errors import CancelledError
from heritage_tagger.domain.progress import CancelToken, Progress
from heritage_tagger.domain.records import TagState
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.export_request import BrowseFilter, ExportRequest, RecordScope, RecordState
from heritage_tagger.services.exporting import run_export
from tests.factories import add_record

TAGS = {
    "harbour": (TagState.CATALOGUED, None),
    "pending": (TagState.SUGGESTED, 0.8234),
    "nope": (TagState.REJECTED, 0.5),
}


@pytest.fixture
def batched(catalogue: Catalogue) -> tuple[Catalogue, int, list[int]]:
    """Ten records: 1-4 outside any batch, 5-10 in one import batch; even ones tagged "harbour" (with a
    pending suggestion and a rejected tag); 3 and 8 in Sydney. Returns the batch id and record ids."""
    ids = []
    with catalogue.session() as session:
        batch = tables.ImportBatch(folder="/photos/box-2", status="done")
        session.add(batch)
        session.flush()
        batch_id = batch.id
        for n in range(1, 11):
            fields = {"title": f"Photo {n}", "location": "Sydney" if n in (3, 8) else "Hobart"}
            if n >= 5:
                fields["batch_id"] = batch_id  # type: ignore[assignment]
            ids.append(add_record(session, n, TAGS if n % 2 == 0 else {}, **fields))
    return catalogue, batch_id, ids


def exported(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [row["dcterms:identifier"] for row in csv.DictReader(fh)]


def names(*numbers: int) -> list[str]:
    return [f"rec-{n:03d}" for n in numbers]


def test_whole_catalogue(batched, tmp_path: Path) -> None:
    cat, _, _ = batched
    summary = run_export(cat, ExportRequest("csv", tmp_path / "all.csv"))
    assert exported(tmp_path / "all.csv") == names(*range(1, 11)) and summary.records == 10


def test_a_browser_filter_exports_what_it_matches_and_nothing_else(batched, tmp_path: Path) -> None:
    cat, _, _ = batched
    out = tmp_path / "f.csv"
    scope = RecordScope.matching(BrowseFilter(tag="harbour", location="hobart"))
    summary = run_export(cat, ExportRequest("csv", out, scope=scope))
    assert exported(out) == names(2, 4, 6, 10) and summary.records == 4
    untagged = RecordScope.matching(BrowseFilter(state=RecordState.UNTAGGED, text="Photo"))
    run_export(cat, ExportRequest("csv", out, scope=untagged))
    assert exported(out) == names(1, 3, 5, 7, 9)
    none = RecordScope.matching(BrowseFilter(text="no such photo"))
    assert run_export(cat, ExportRequest("csv", out, scope=none)).records == 0
    assert exported(out) == []


def test_selected_ids_in_any_order_and_gone_ones_left_out(batched, tmp_path: Path) -> None:
    cat, _, ids = batched
    out = tmp_path / "sel.jsonld"
    scope = RecordScope.selected([ids[7], ids[2], ids[2], 999_999])
    summary = run_export(cat, ExportRequest("dc-jsonld", out, scope=scope))
    graph = json.loads(out.read_text(encoding="utf-8"))["@graph"]
    assert [item["dcterms:identifier"] for item in graph] == names(3, 8)
    assert summary.records == 2
    with cat.session() as session:
        assert count_records(session, scope) == 2


def test_an_import_batch(batched, tmp_path: Path) -> None:
    cat, batch_id, _ = batched
    out = tmp_path / "batch.xml"
    summary = run_export(cat, ExportRequest("dc-xml", out, scope=RecordScope.batch(batch_id)))
    text = out.read_text(encoding="utf-8")
    assert summary.records == 6
    assert all(f">{n}<" in text for n in names(5, 6, 7, 8, 9, 10))
    assert not any(f">{n}<" in text for n in names(1, 2, 3, 4))
    assert (
        run_export(cat, ExportRequest("csv", tmp_path / "none.csv", scope=RecordScope.batch(999))).records
        == 0
    )


def test_scopes_stream_in_chunks(batched) -> None:
    """Chunks smaller than the scope: every record once, in id order, whatever the restriction."""
    cat, batch_id, ids = batched
    with cat.session() as session:
        for scope, want in (
            (RecordScope.batch(batch_id), ids[4:]),
            (RecordScope.matching(BrowseFilter(tag="harbour")), ids[1::2]),
            (RecordScope.selected(ids[::-1][:7]), sorted(ids[::-1][:7])),
        ):
            got = [r.id for r in iter_records(session, chunk_size=2, scope=scope)]
            assert got == want
            assert count_records(session, scope) == len(want)


def test_include_suggestions_on_and_off(batched, tmp_path: Path) -> None:
    cat, _, ids = batched
    scope = RecordScope.selected([ids[1]])
    off, on = tmp_path / "off.csv", tmp_path / "on.csv"
    assert run_export(cat, ExportRequest("csv", off, scope=scope)).suggestions == 0
    assert run_export(cat, ExportRequest("csv", on, scope=scope, include_suggestions=True)).suggestions == 1
    assert "pending" not in off.read_text(encoding="utf-8")
    assert "pending (0.82)" in on.read_text(encoding="utf-8")
    assert "nope" not in on.read_text(encoding="utf-8")  # rejected tags never leave


def test_excel_safe_adds_the_mark_and_quotes_formulas(catalogue: Catalogue, tmp_path: Path) -> None:
    with catalogue.session() as session:
        add_record(session, 1, {}, title="=HYPERLINK(1)", location="Zürich")
    plain, safe = tmp_path / "plain.csv", tmp_path / "safe.csv"
    run_export(catalogue, ExportRequest("csv", plain))
    run_export(catalogue, ExportRequest("csv", safe, excel_safe=True))
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert safe.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "'=HYPERLINK(1)" in safe.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" not in plain.read_text(encoding="utf-8")
    # Excel-safe is a CSV option: JSON-LD is unchanged by it
    a, b = tmp_path / "a.jsonld", tmp_path / "b.jsonld"
    run_export(catalogue, ExportRequest("dc-jsonld", a))
    run_export(catalogue, ExportRequest("dc-jsonld", b, excel_safe=True))
    assert a.read_bytes() == b.read_bytes()


def test_base_uri_gives_json_ld_records_an_id(batched, tmp_path: Path) -> None:
    cat, _, ids = batched
    out = tmp_path / "o.jsonld"
    run_export(
        cat,
        ExportRequest("dc-jsonld", out, scope=RecordScope.selected([ids[0]]), base_uri="https://ex.org/r/"),
    )
    (item,) = json.loads(out.read_text(encoding="utf-8"))["@graph"]
    assert item["@id"] == "https://ex.org/r/rec-001"


def test_progress_counts_the_scope_and_cancel_leaves_no_file(batched, tmp_path: Path) -> None:
    cat, batch_id, _ = batched
    seen: list[Progress] = []
    run_export(
        cat, ExportRequest("csv", tmp_path / "p.csv", scope=RecordScope.batch(batch_id)), progress=seen.append
    )
    assert {p.total for p in seen} == {6} and seen[-1].done == 6

    token = CancelToken()
    out = tmp_path / "exports" / "c.csv"
    out.parent.mkdir()

    def cancel_midway(p: Progress) -> None:  # cancelled once the export started: the first record is written
        token.cancel()

    with pytest.raises(CancelledError):
        run_export(cat, ExportRequest("csv", out), progress=cancel_midway, cancel=token, chunk_size=1)
    assert list(out.parent.iterdir()) == []  # neither the file nor its temporary part


def test_xmp_sidecars_of_a_scope_only(batched, tmp_path: Path) -> None:
    cat, _, _ = batched
    folder = tmp_path / "xmp"
    scope = RecordScope.matching(BrowseFilter(location="sydney"))
    summary = run_export(cat, ExportRequest("xmp", folder, scope=scope))
    assert summary.records == 2
    assert sorted(p.stem for p in folder.glob("*.xmp")) == names(3, 8)
