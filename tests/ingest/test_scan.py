"""Folder scan and import plan: which files, in which order, with which manifest row."""

from __future__ import annotations

from pathlib import Path

import pytest

from heritage_tagger.domain.errors import ImportFileError
from heritage_tagger.ingest.plan import plan_import
from heritage_tagger.ingest.scan import scan_folder


def test_scan_finds_images_by_extension_and_by_content(tmp_path: Path, make_image) -> None:
    make_image(tmp_path / "b.JPG")
    make_image(tmp_path / "sub" / "deeper" / "a.png", fmt="PNG")
    make_image(tmp_path / "no_extension", fmt="WEBP")
    make_image(tmp_path / ".hidden" / "c.jpg")
    make_image(tmp_path / "workspace" / "thumb.jpg")
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / "b.JPG.json").write_text("{}")
    (tmp_path / "._b.JPG").write_bytes(b"\x00\x05\x16\x07")  # macOS resource fork
    (tmp_path / "fake.jpg").write_text("text named .jpg")  # kept: the import reports it
    found = scan_folder(tmp_path, exclude=[tmp_path / "workspace"])
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == [
        "b.JPG",
        "fake.jpg",
        "no_extension",
        "sub/deeper/a.png",
    ]


def test_plan_puts_manifest_rows_first_and_reports_missing_files(tmp_path: Path, make_image) -> None:
    make_image(tmp_path / "images" / "one.jpg")
    make_image(tmp_path / "loose.jpg", pattern=3)
    (tmp_path / "records.csv").write_text(
        "id,file,tags\n1,images/one.jpg,x\n2,images/gone.jpg,y\n3,images\\one.jpg,z\n", encoding="utf-8"
    )
    plan = plan_import(tmp_path)
    assert plan.manifest_found
    assert [(f.shown, f.row.line if f.row else None) for f in plan.files] == [
        ("images/one.jpg", 2),
        ("loose.jpg", None),
    ]
    assert plan.skipped == [("images/gone.jpg", "records.csv line 3 names this file, but it does not exist")]
    assert len(plan.warnings) == 1 and "line 4 names images\\one.jpg again" in plan.warnings[0]


def test_manifest_elsewhere_names_files_relative_to_itself(tmp_path: Path, make_image) -> None:
    make_image(tmp_path / "photos" / "a.jpg")
    manifest = tmp_path / "meta" / "list.csv"
    manifest.parent.mkdir()
    manifest.write_text("file,title\n../photos/a.jpg,Alpha\n", encoding="utf-8")
    plan = plan_import(tmp_path / "photos", manifest)
    assert not plan.manifest_found
    assert [(f.shown, f.row is not None) for f in plan.files] == [("a.jpg", True)]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="does not exist"):
        plan_import(tmp_path / "nowhere")
