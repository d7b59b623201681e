"""Manifest parsing: columns, encodings, tags, and the rows it cannot use."""

from __future__ import annotations

from pathlib import Path

import pytest

from heritage_tagger.domain.errors import ManifestError
from heritage_tagger.ingest.manifest import ManifestProblem, read_manifest

HEADER = "id,file,title,description,location,date,creator,tags\n"


def test_rows_with_tags_split_on_bars(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text(
        HEADER
        + 'a1,images/a.jpg,"Title, with comma","Line one\nline two",Paris,May 1972,"Doe, J.",Women| Students ||Women\n'
        + "a2,b.jpg,,,,,,\n",
        encoding="utf-8",
    )
    manifest = read_manifest(path)
    assert manifest.encoding == "utf-8" and manifest.warnings == []
    first, second = manifest.rows
    assert first.file == "images/a.jpg"
    assert first.metadata.identifier == "a1"
    assert first.metadata.title == "Title, with comma"
    assert first.metadata.description == "Line one\nline two"
    assert first.metadata.tags == ["Women", "Students"]
    assert first.resolve(tmp_path) == tmp_path / "images" / "a.jpg"
    assert second.metadata.tags is None


def test_utf8_with_bom_is_read_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes("\ufeff".encode() + (HEADER + "1,a.jpg,Café,,,,,\n").encode())
    manifest = read_manifest(path)
    assert manifest.warnings == []
    assert manifest.rows[0].metadata.identifier == "1"
    assert manifest.rows[0].metadata.title == "Café"


def test_manifest_in_windows_1252_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes(
        (HEADER + "1,a.jpg,Caf\u00e9 \u201cRoyal\u201d,,,,,\n2,b.jpg,Second,,,,,\n").encode("cp1252")
    )
    manifest = read_manifest(path)
    assert [row.metadata.title for row in manifest.rows] == ["Café “Royal”", "Second"]
    assert manifest.encoding == "cp1252"
    assert len(manifest.warnings) == 1 and "Windows-1252" in manifest.warnings[0]


def test_manifest_missing_required_columns_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text("id,title,tags\n1,A title,x\n", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"no 'file' column.*names: id, title, tags"):
        read_manifest(path)


def test_semicolon_separated_manifest_from_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text("ID;File;Title;Tags\n7;x.jpg;Seven;a|b\n", encoding="utf-8")
    manifest = read_manifest(path)
    assert manifest.rows[0].metadata.identifier == "7"
    assert manifest.rows[0].metadata.tags == ["a", "b"]


def test_rows_without_a_file_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text(HEADER + "1,,No file,,,,,\n2,b.jpg,,,,,,\n", encoding="utf-8")
    manifest = read_manifest(path)
    assert [row.file for row in manifest.rows] == ["b.jpg"]
    assert manifest.problems == [ManifestProblem(2, "the manifest row names no file")]


def test_unknown_columns_are_ignored_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text("file,title,shelfmark\na.jpg,T,XYZ\n", encoding="utf-8")
    manifest = read_manifest(path)
    assert manifest.rows[0].metadata.title == "T"
    assert manifest.warnings == ["The manifest records.csv has columns that were ignored: shelfmark."]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"", "is empty"),
    ],
)
def test_unusable_manifest_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "records.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ManifestError, match=message):
        read_manifest(path)


def test_a_value_too_long_costs_its_row_only(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_bytes(b"file,title\na.jpg," + b"x" * 200_000 + b"\nb.jpg,Bee\n")
    manifest = read_manifest(path)
    assert [(row.line, row.file, row.metadata.title) for row in manifest.rows] == [(3, "b.jpg", "Bee")]
    assert [p.line for p in manifest.problems] == [2]
    assert "cannot be read (field larger than field limit" in manifest.problems[0].reason


def test_stray_quote_costs_its_own_row_and_the_rows_it_swallowed_are_read(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text(
        HEADER + '1,a.jpg,"Broken title,,,,,\n2,b.jpg,Second,,,,,x\n3,c.jpg,Third,,,,,y\n', encoding="utf-8"
    )
    manifest = read_manifest(path)
    assert [(row.line, row.file, row.metadata.title) for row in manifest.rows] == [
        (3, "b.jpg", "Second"),
        (4, "c.jpg", "Third"),
    ]
    (problem,) = manifest.problems
    assert (problem.line, problem.file) == (2, "a.jpg")
    assert "title value opens a double quote that is never closed (it runs over line 3)" in problem.reason


def test_multi_line_description_is_not_warned(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text(
        HEADER + '1,a.jpg,T,"First paragraph.\n\nSecond, longer, paragraph.",,,,\n', encoding="utf-8"
    )
    manifest = read_manifest(path)
    assert manifest.warnings == []
    assert manifest.rows[0].metadata.description == "First paragraph.\n\nSecond, longer, paragraph."
