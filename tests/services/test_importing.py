"""Folder import into a real catalogue: round trip, idempotence, resume, and each bad-file case."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from heritage_tagger.db.tables import ImportBatch, Job, Record, RecordTag, Tag
from heritage_tagger.domain.errors import CancelledError, ManifestError
from heritage_tagger.domain.progress import CancelToken, Progress
from heritage_tagger.ingest.thumbnails import thumbnail_path
from heritage_tagger.services.catalogue import Catalogue, open_catalogue
from heritage_tagger.services.importing import import_folder
from heritage_tagger.settings import ImportSettings, Settings
from tests.factories import jpeg_with_metadata, xmp_packet

HEADER = "id,file,title,description,location,date,creator,tags\n"
MakeImage = Callable[..., Path]


@pytest.fixture
def small_chunks(tmp_path: Path) -> Iterator[Catalogue]:
    cat = open_catalogue(
        tmp_path / "chunks.sqlite", settings=Settings(import_=ImportSettings(commit_every=3))
    )
    yield cat
    cat.close()


def records(cat: Catalogue) -> dict[str, Record]:
    with cat.session() as session:
        return {r.identifier: r for r in session.scalars(select(Record))}


def tags_of(cat: Catalogue) -> dict[str, list[tuple[str, str, str]]]:
    """identifier -> sorted (label, state, source)."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    with cat.session() as session:
        rows = session.execute(
            select(Record.identifier, Tag.label, RecordTag.state, RecordTag.source)
            .join(RecordTag, RecordTag.record_id == Record.id)
            .join(Tag, Tag.id == RecordTag.tag_id)
        )
        for identifier, label, state, source in rows:
            out.setdefault(identifier, []).append((label, state, source))
    return {k: sorted(v) for k, v in out.items()}


def count(cat: Catalogue, table: type) -> int:
    with cat.session() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def many_images(folder: Path, make_image: MakeImage, n: int) -> None:
    for i in range(n):
        make_image(folder / f"img{i:03d}.png", colour=(i * 20 % 256, 90, 200 - i), fmt="PNG", pattern=i)


def test_manifest_import_round_trip_with_catalogued_tags(
    catalogue: Catalogue, tmp_path: Path, make_image: MakeImage
) -> None:
    folder = tmp_path / "collection"
    make_image(folder / "images" / "a.jpg", size=(60, 40))
    make_image(folder / "images" / "b.png", colour=(5, 6, 7), fmt="PNG")
    make_image(folder / "extra" / "loose.jpg", colour=(200, 1, 1))
    (folder / "records.csv").write_text(
        HEADER
        + 'A1,images/a.jpg,Basketball,"Girls playing, 1899",Washington (D.C.),1899-01-01,"Johnston, F.",Women|Basketball\n'
        + "B2,images/b.png,Cove,,Shelter Cove,May 1972,Sennett,ocean|cliff\n",
        encoding="utf-8",
    )
    report = import_folder(catalogue, folder)
    assert (report.imported, report.duplicates, report.skipped) == (3, 0, [])
    assert report.manifest == str(folder / "records.csv") and report.manifest_found
    recs = records(catalogue)
    assert sorted(recs) == ["A1", "B2", "loose"]
    a = recs["A1"]
    assert (a.title, a.description, a.location, a.creator) == (
        "Basketball",
        "Girls playing, 1899",
        "Washington (D.C.)",
        "Johnston, F.",
    )
    assert (a.date_text, a.date_sort, a.width, a.height, a.mime_type) == (
        "1899-01-01",
        "1899-01-01",
        60,
        40,
        "image/jpeg",
    )
    assert a.source_path == str((folder / "images" / "a.jpg").resolve())
    assert (recs["B2"].date_sort, recs["B2"].mime_type) == ("1972-05", "image/png")
    assert tags_of(catalogue) == {
        "A1": [("Basketball", "catalogued", "manifest"), ("Women", "catalogued", "manifest")],
        "B2": [("cliff", "catalogued", "manifest"), ("ocean", "catalogued", "manifest")],
    }
    assert sorted(report.imported_record_ids) == sorted(r.id for r in recs.values())
    for rec in recs.values():
        assert thumbnail_path(catalogue.workspace, rec.sha256).is_file()
    with catalogue.session() as session:
        batch = session.scalars(select(ImportBatch)).one()
        job = session.scalars(select(Job)).one()
        assert (batch.status, batch.n_imported, batch.folder) == ("done", 3, str(folder.resolve()))
        assert (job.kind, job.status, job.batch_id) == ("import", "done", batch.id)
        assert all(r.batch_id == batch.id for r in recs.values())


def test_idempotent_reimport_changes_nothing(
    catalogue: Catalogue, tmp_path: Path, make_image: MakeImage
) -> None:
    folder = tmp_path / "f"
    many_images(folder, make_image, 4)
    (folder / "records.csv").write_text("file,tags\nimg000.png,x|y\n", encoding="utf-8")
    first = import_folder(catalogue, folder)
    before = (records(catalogue), tags_of(catalogue))
    second = import_folder(catalogue, folder)
    assert (first.imported, first.duplicates) == (4, 0)
    assert (second.imported, second.duplicates, second.skipped, second.resumed) == (0, 4, [], False)
    after = (records(catalogue), tags_of(catalogue))
    assert {k: (r.id, r.updated_at) for k, r in after[0].items()} == {
        k: (r.id, r.updated_at) for k, r in before[0].items()
    }
    assert after[1] == before[1]


def test_duplicate_files_in_one_folder_are_counted(
    catalogue: Catalogue, tmp_path: Path, make_image: MakeImage
) -> None:
    make_image(tmp_path / "f" / "one.jpg")
    (tmp_path / "f" / "copy.jpg").write_bytes((tmp_path / "f" / "one.jpg").read_bytes())
    report = import_folder(catalogue, tmp_path / "f")
    assert (report.imported, report.duplicates) == (1, 1)
    assert count(catalogue, Record) == 1


def test_cancel_after_first_chunk_then_resume(
    small_chunks: Catalogue, tmp_path: Path, make_image: MakeImage
) -> None:
    folder = tmp_path / "f"
    many_images(folder, make_image, 10)
    token = CancelToken()

    def cancel_after_first_chunk(p: Progress) -> None:
        if p.stage == "Importing" and p.done == 3:
            token.cancel()

    with pytest.raises(CancelledError, match="resume"):
        import_folder(small_chunks, folder, progress=cancel_after_first_chunk, cancel=token)
    assert count(small_chunks, Record) == 3
    with small_chunks.session() as session:
        assert session.scalars(select(ImportBatch.status)).one() == "cancelled"
        assert session.scalars(select(Job.status)).one() == "cancelled"

    report = import_folder(small_chunks, folder)
    assert report.resumed
    assert (report.imported, report.imported_before, report.duplicates, report.skipped) == (10, 3, 0, [])
    recs = records(small_chunks)
    assert sorted(recs) == [f"img{i:03d}" for i in range(10)]
    assert len({r.sha256 for r in recs.values()}) == 10
    assert sorted(report.imported_record_ids) == sorted(r.id for r in recs.values())
    with small_chunks.session() as session:
        batch = session.scalars(select(ImportBatch)).one()  # the same batch, resumed
        assert (batch.status, batch.n_imported) == ("done", 10)


def test_sidecar_metadata_and_tags(catalogue: Catalogue, tmp_path: Path, make_image: MakeImage) -> None:
    folder = tmp_path / "f"
    make_image(folder / "p1.jpg")
    (folder / "p1.jpg.json").write_text(
        json.dumps({"id": "S-1", "title": "From sidecar", "tags": ["Bridges", "Rivers"]})
    )
    make_image(folder / "p2.png", fmt="PNG", colour=(1, 2, 3))
    (folder / "p2.json").write_text(
        json.dumps({"title": "Sidecar title", "date": "1935 Aug. 3", "tags": "Tram|Street"})
    )
    (folder / "records.csv").write_text("file,title\np2.png,Manifest title\n", encoding="utf-8")
    import_folder(catalogue, folder)
    recs = records(catalogue)
    assert recs["S-1"].title == "From sidecar"
    assert recs["p2"].title == "Manifest title"  # the manifest wins
    assert recs["p2"].date_sort == "1935-08-03"  # the sidecar fills what the manifest leaves empty
    assert tags_of(catalogue) == {
        "S-1": [("Bridges", "catalogued", "sidecar"), ("Rivers", "catalogued", "sidecar")],
        "p2": [("Street", "catalogued", "sidecar"), ("Tram", "catalogued", "sidecar")],
    }


def test_embedded_iptc_and_xmp(catalogue: Catalogue, tmp_path: Path) -> None:
    folder = tmp_path / "f"
    jpeg_with_metadata(
        folder / "iptc.jpg",
        iptc={(2, 120): ["Harbour at dusk"], (2, 25): ["Harbours", "Boats"], (2, 90): ["Boston"]},
    )
    jpeg_with_metadata(
        folder / "xmp.jpg", xmp=xmp_packet(description="Snow", subjects=("Winter",)), colour=(9, 9, 9)
    )
    jpeg_with_metadata(
        folder / "tagged.jpg",
        iptc={(2, 25): ["Ignored keyword"], (2, 120): ["Kept caption"]},
        colour=(99, 0, 0),
    )
    (folder / "records.csv").write_text("file,tags\ntagged.jpg,Manifest tag\n", encoding="utf-8")
    import_folder(catalogue, folder)
    recs = records(catalogue)
    assert (recs["iptc"].description, recs["iptc"].location) == ("Harbour at dusk", "Boston")
    assert recs["xmp"].description == "Snow"
    assert recs["tagged"].description == "Kept caption"
    assert tags_of(catalogue) == {
        "iptc": [("Boats", "catalogued", "embedded"), ("Harbours", "catalogued", "embedded")],
        "xmp": [("Winter", "catalogued", "embedded")],
        "tagged": [("Manifest tag", "catalogued", "manifest")],  # keywords only when no other tags
    }


def test_identifier_taken_by_another_image_gets_a_suffix(
    catalogue: Catalogue, tmp_path: Path, make_image: MakeImage
) -> None:
    for n, colour in ((1, (1, 1, 1)), (2, (2, 2, 2)), (3, (3, 3, 3))):
        make_image(tmp_path / f"f{n}" / "photo.jpg", colour=colour)
    import_folder(catalogue, tmp_path / "f1")
    import_folder(catalogue, tmp_path / "f2")
    report = import_folder(catalogue, tmp_path / "f3")
    assert sorted(records(catalogue)) == ["photo", "photo-2", "photo-3"]
    assert report.warnings == [
        "photo.jpg: the identifier 'photo' is already used by another image; this one was catalogued as 'photo-3'"
    ]


def _one_bad_file(catalogue: Catalogue, folder: Path, make_image: MakeImage) -> tuple[object, dict[str, str]]:
    make_image(folder / "good.jpg", colour=(30, 200, 30))
    report = import_folder(catalogue, folder)
    assert report.imported == 1 and count(catalogue, Record) == 1
    with catalogue.session() as session:
        stored = json.loads(session.scalars(select(ImportBatch.report_json)).one())
    assert stored["skipped"] == [{"path": s.path, "reason": s.reason} for s in report.skipped]
    return report, {s.path: s.reason for s in report.skipped}


def test_zero_byte_file_is_skipped(catalogue: Catalogue, tmp_path: Path, make_image: MakeImage) -> None:
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "empty.jpg").write_bytes(b"")
    _, skipped = _one_bad_file(catalogue, tmp_path / "f", make_image)
    assert skipped == {"empty.jpg": "the file is empty (0 bytes)"}


def test_truncated_image_is_skipped(catalogue: Catalogue, tmp_path: Path, make_image: MakeImage) -> None:
    path = make_image(tmp_path / "f" / "cut.jpg", size=(80, 80))
    path.write_bytes(path.read_bytes()[:300])
    _, skipped = _one_bad_file(catalogue, tmp_path / "f", make_image)
    assert list(skipped) == ["cut.jpg"] and "truncated" in skipped["cut.jpg"]


def test_text_file_named_jpg_is_skipped(catalogue: Catalogue, tmp_path: Path, make_image: MakeImage) -> None:
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "readme.jpg").write_text("hello")
    _, skipped = _one_bad_file(catalogue, tmp_path / "f", make_image)
    assert list(skipped) == ["readme.jpg"] and "not an image" in skipped["readme.jpg"]


def test_decompression_bomb_is_skipped(tmp_path: Path, make_image: MakeImage) -> None:
    make_image(tmp_path / "f" / "huge.png", size=(300, 200), fmt="PNG")  # 60,000 pixels over a 10,000 limit
    settings = Settings(import_=ImportSettings(max_image_pixels=10_000))
    with open_catalogue(tmp_path / "c.sqlite", settings=settings) as cat:
        _, skipped = _one_bad_file(cat, tmp_path / "f", make_image)
    assert list(skipped) == ["huge.png"] and "decompression bomb" in skipped["huge.png"]


def test_broken_sidecar_json_imports_the_image_with_a_warning(
    catalogue: Catalogue, tmp_path: Path, make_image: MakeImage
) -> None:
    make_image(tmp_path / "f" / "p.jpg")
    (tmp_path / "f" / "p.json").write_text('{"title": "oops",')
    report = import_folder(catalogue, tmp_path / "f")
    assert report.imported == 1 and report.skipped == []
    assert len(report.warnings) == 1 and report.warnings[0].startswith(
        "p.jpg: the sidecar p.json is not valid JSON"
    )


def test_broken_xmp_imports_the_image_with_a_warning(catalogue: Catalogue, tmp_path: Path) -> None:
    jpeg_with_metadata(tmp_path / "f" / "x.jpg", xmp=b"<x:xmpmeta><broken")
    report = import_folder(catalogue, tmp_path / "f")
    assert report.imported == 1 and report.skipped == []
    assert len(report.warnings) == 1 and "XMP is not well-formed" in report.warnings[0]


def test_manifest_row_naming_a_missing_file_is_skipped(
    catalogue: Catalogue, tmp_path: Path, make_image: MakeImage
) -> None:
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "records.csv").write_text(
        "id,file\n1,good.jpg\n2,images/missing.jpg\n", encoding="utf-8"
    )
    _, skipped = _one_bad_file(catalogue, tmp_path / "f", make_image)
    assert skipped == {"images/missing.jpg": "records.csv line 3 names this file, but it does not exist"}
    assert "1" in records(catalogue)


def test_manifest_in_windows_1252_keeps_rows_with_a_warning(
    catalogue: Catalogue, tmp_path: Path, make_image: MakeImage
) -> None:
    make_image(tmp_path / "f" / "a.jpg")
    make_image(tmp_path / "f" / "b.jpg", colour=(1, 1, 1))
    (tmp_path / "f" / "records.csv").write_bytes(
        (HEADER + "1,a.jpg,Caf\u00e9,,Montr\u00e9al,,,Caf\u00e9s\n2,b.jpg,Na\u00efve,,,,,\n").encode("cp1252")
    )
    report = import_folder(catalogue, tmp_path / "f")
    recs = records(catalogue)
    assert (recs["1"].title, recs["1"].location, recs["2"].title) == ("Café", "Montréal", "Naïve")
    assert tags_of(catalogue)["1"] == [("Cafés", "catalogued", "manifest")]
    assert any("Windows-1252" in w for w in report.warnings)


def test_manifest_missing_required_columns_stops_before_writing(
    catalogue: Catalogue, tmp_path: Path, make_image: MakeImage
) -> None:
    make_image(tmp_path / "f" / "a.jpg")
    (tmp_path / "f" / "records.csv").write_text("identifier,title\n1,x\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="no 'file' column"):
        import_folder(catalogue, tmp_path / "f")
    assert count(catalogue, Record) == 0 and count(catalogue, ImportBatch) == 0
