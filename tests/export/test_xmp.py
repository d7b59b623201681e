"""XMP sidecars: read back by the project's own XMP reader and by exiftool; sidecars not ours left alone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from heritage_tagger.domain.records import Record, RecordTag, TagState
from heritage_tagger.export.xmp import folder_name, is_ours, write_sidecars, xmp_packet
from heritage_tagger.ingest.xmp import parse_xmp

LR = "{http://ns.adobe.com/lightroom/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
TITLE = 'Women & <kids> "quoted" 東京'


def record(identifier: str = "rec-1", source_path: str = "", **fields: object) -> Record:
    values: dict[str, object] = {
        "title": TITLE,
        "description": "First line\nsecond line",
        "location": "Washington, D.C.",
        "date": "May 1972",
        "date_normalised": "1972-05",
        "creator": "Johnston, Frances Benjamin; Highsmith, Carol M.",
        "rights": "No known restrictions",
        "updated_at": datetime(2026, 5, 1, 10, 0),
        "tags": [
            RecordTag(
                "woman", TagState.ACCEPTED, uri="http://x/women", concept_label="Women", broader=("People",)
            ),
            RecordTag(
                "Mothers",
                TagState.CATALOGUED,
                uri="http://x/mothers",
                concept_label="Mothers",
                broader=("People", "Women"),
            ),
            RecordTag("Boats", TagState.CATALOGUED),
            RecordTag("pending", TagState.SUGGESTED, score=0.9),
            RecordTag("nope", TagState.REJECTED),
        ],
    }
    values.update(fields)
    return Record(identifier=identifier, source_path=source_path, **values)  # type: ignore[arg-type]


def test_packet_reads_back_with_our_own_reader() -> None:
    meta = parse_xmp(xmp_packet(record()))
    assert meta.title == TITLE
    assert meta.description == "First line\nsecond line"
    assert meta.location == "Washington, D.C."
    assert meta.date == "1972-05"
    assert meta.creator == "Johnston, Frances Benjamin; Highsmith, Carol M."
    assert meta.rights == "No known restrictions"
    assert meta.tags == ["Women", "Mothers", "Boats"]  # linked tags under the concept's preferred label


def test_hierarchical_subjects_and_no_suggestions() -> None:
    root = etree.fromstring(xmp_packet(record()).encode("utf-8"))
    paths = [
        li.text
        for li in root.iter(f"{RDF}li")
        if li.getparent().getparent().tag == f"{LR}hierarchicalSubject"
    ]
    assert paths == ["People|Women", "People|Women|Mothers", "Boats"]
    assert b"pending" not in xmp_packet(record()).encode() and b"nope" not in xmp_packet(record()).encode()


def test_dates_xmp_cannot_hold_are_left_out() -> None:
    approximate = parse_xmp(xmp_packet(record(date="ca. 1920", date_normalised="1920~")))
    assert approximate.date == "1920"
    ranged = xmp_packet(record(date="1920-1925", date_normalised="1920/1925"))
    assert "dc:date" not in ranged and "DateCreated" not in ranged
    empty = parse_xmp(xmp_packet(Record(identifier="bare")))
    assert (empty.title, empty.tags, empty.date) == ("", None, "")


def exiftool() -> str:
    found = shutil.which("exiftool")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("exiftool is missing under CI (.ci/run installs libimage-exiftool-perl)")
        pytest.skip("exiftool is not installed (Debian: libimage-exiftool-perl)")
    return found


def test_exiftool_reads_the_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "rec-1.xmp"
    path.write_text(xmp_packet(record()), encoding="utf-8")
    out = subprocess.run(
        [exiftool(), "-j", "-n", "-XMP:all", str(path)], capture_output=True, check=True, text=True
    )
    (tags,) = json.loads(out.stdout)
    assert tags["Title"] == TITLE and tags["Description"] == "First line\nsecond line"
    assert tags["Subject"] == ["Women", "Mothers", "Boats"]
    assert tags["HierarchicalSubject"] == ["People|Women", "People|Women|Mothers", "Boats"]
    assert tags["Creator"] == ["Johnston, Frances Benjamin", "Highsmith, Carol M."]
    assert tags["Rights"] == "No known restrictions" and tags["Location"] == "Washington, D.C."
    assert tags["Date"] in ("1972-05", ["1972-05"], "1972:05", ["1972:05"]) and tags["Identifier"] == "rec-1"
    assert "Warning" not in tags and "Error" not in tags


def test_folder_sidecars_replace_ours_and_leave_others_alone(tmp_path: Path) -> None:
    folder = tmp_path / "sidecars"
    first = write_sidecars([record("rec-1"), record("rec/2"), record("REC-1")], folder)
    assert first.written == 3 and first.skipped == [] and first.subjects == 9
    names = sorted(p.name for p in folder.iterdir())
    assert names[1:] == ["rec-1.xmp", "rec_2.xmp"] and names[0].startswith("REC-1-")  # unique ignoring case
    foreign = folder / "rec_2.xmp"
    foreign.write_text(
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'>made by someone else</x:xmpmeta>", encoding="utf-8"
    )
    again = write_sidecars([record("rec-1", title="New title"), record("rec/2")], folder)
    assert again.written == 1 and len(again.skipped) == 1
    assert again.skipped[0][0] == "rec/2" and "was not written by Heritage Tagger" in again.skipped[0][1]
    assert "made by someone else" in foreign.read_text(encoding="utf-8")  # untouched
    assert parse_xmp((folder / "rec-1.xmp").read_bytes()).title == "New title"
    assert is_ours(folder / "rec-1.xmp") and not is_ours(foreign)


def test_beside_the_images(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(b"jpeg")
    (tmp_path / "a.tif").write_bytes(b"tiff")
    (tmp_path / "b.jpg").write_bytes(b"jpeg")
    (tmp_path / "b.xmp").write_text("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>", encoding="utf-8")  # Lightroom's
    result = write_sidecars(
        [
            record("a", str(tmp_path / "a.jpg")),
            record("a-tiff", str(tmp_path / "a.tif")),  # same sidecar name as a.jpg
            record("b", str(tmp_path / "b.jpg")),
            record("gone", str(tmp_path / "gone.jpg")),
            record("none"),
        ],
        None,
    )
    assert result.written == 1 and parse_xmp((tmp_path / "a.xmp").read_bytes()).title == TITLE
    reasons = dict(result.skipped)
    assert "same sidecar name (a.xmp)" in reasons["a-tiff"]
    assert "was not written by Heritage Tagger" in reasons["b"]
    assert "is not at" in reasons["gone"] and "no image file" in reasons["none"]
    assert (tmp_path / "b.xmp").read_text(encoding="utf-8") == "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"


def test_folder_names() -> None:
    taken: set[str] = set()
    assert folder_name("../etc/passwd", taken) == "etc_passwd.xmp"
    assert folder_name("...", taken) == "record.xmp"
